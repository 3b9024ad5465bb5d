package draft

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func benchParse(b *testing.B, rel string) {
	data, err := os.ReadFile(corpusPath(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(filepath.Base(rel), bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseText(b *testing.B) { benchParse(b, "drafts/txt/draft-iab-xml2rfc-02.txt") }

// rfc9001.canonical.xml is the largest XML file in the corpus (229 KB).
func BenchmarkParseXML(b *testing.B) { benchParse(b, "drafts/xml/rfc9001.canonical.xml") }
