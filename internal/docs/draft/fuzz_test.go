package draft

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"hum/internal/corpustest"
)

// maxSeed keeps the fuzzer fast: it minimises every input that finds new
// coverage, and on a 250 KB seed that takes most of a short run.
const maxSeed = 64 << 10

// seed adds every corpus file matching pattern (under drafts/) and the
// inputs that once crashed a parser; the latter need no corpus.
func seed(f *testing.F, pattern string, crashers ...string) {
	for _, c := range crashers {
		f.Add([]byte(c))
	}
	root, ok := corpustest.Seeds(f)
	if !ok {
		return
	}
	files, _ := filepath.Glob(filepath.Join(root, "drafts", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > maxSeed {
			continue // the corpus tests parse it whole
		}
		f.Add(b)
	}
}

// fuzzParse checks that Parse, and Validate on what it returns, never
// panic and never return neither a draft nor an error.
func fuzzParse(t *testing.T, name string, data []byte) {
	d, err := Parse(name, bytes.NewReader(data), Options{Today: Date{2024, 1, 2}, Resolver: fakeResolver{"rfc2119": "Key words"}})
	if err != nil {
		if len(Problems(err)) == 0 {
			t.Fatalf("error without a problem code: %v", err)
		}
		return
	}
	if d == nil {
		t.Fatal("no draft and no error")
	}
	_ = d.Validate(Check{FileName: name, Today: Date{2024, 1, 2}})
}

func FuzzParseText(f *testing.F) {
	seed(f, "txt/*.txt", "\t0", "\r0", "Network Working Group\n\t\t\tJune 2021\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "draft-fuzz-text-00.txt", data) })
}

func FuzzParseXML(f *testing.F) {
	seed(f, "xml/*.xml", `<rfc docName="draft-a-b-00"><front><title>T</title></front></rfc>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "draft-fuzz-xml-00.xml", data) })
}
