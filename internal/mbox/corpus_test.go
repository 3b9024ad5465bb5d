package mbox

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// corpus is the shared test corpus, relative to this package's directory.
const corpus = "../../../shared/corpus"

func corpusPath(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(corpus, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus file %s not available (%v); the corpus lives in /work/shared", p, err)
	}
	return p
}

// wantCounts lists the message count of every corpus file that holds more
// than one message, or whose count needs explaining. Every other message
// file in corpus/email must read as exactly one message.
var wantCounts = map[string]int{
	"email/ietf-mailarchive/duplicate_tests.mbox":              10,
	"email/ietf-mailarchive/export.mbox":                       21,
	"email/ietf-mailarchive/mailbox_mmdf":                      5, // 10 ^A^A^A^A lines = 5 open/close pairs
	"email/ietf-mailarchive/search_api.mbox":                   4,
	"email/ietf-mailarchive/search_api_ford.mbox":              4,
	"email/ietf-mailarchive/thread.mail":                       4, // an mbox despite its name
	"email/mimekit/mbox/content-length.mbox.txt":               29,
	"email/mimekit/mbox/issue1189.mbox.txt":                    4,
	"email/mimekit/mbox/simple.mbox.txt":                       3,
	"email/mimekit/mbox/unmunged.mbox.txt":                     2, // 3 "From " lines, one is "From Russia with love"
	"email/threading/fedora-devel-2010-01/2010-January.txt.gz": 292,
	"lists/ietf-mailarchive-24msgs.mbox":                       24,
	// README: 1,563 From_ lines and 1,562 "Message-ID:" lines. 8 of the
	// From lines are prose in unescaped pipermail bodies ("From the Usage
	// section of ...") and 7 Message-ID lines are inside quoted or forwarded
	// text, so 1,555 messages, each with exactly one Message-ID header.
	"lists/r-devel-2019.mbox": 1555,
	// README: 11,147 From_ lines, 11,117 "Message-ID:" lines; 33 prose From
	// lines and 3 body Message-ID lines, so 11,114 messages.
	"lists/r-package-devel-2015q2-2026q3.mbox.gz": 11114,
}

// The mailbox_* files from the IETF importer have no From_ lines at all:
// they start with Date:, Received:, To:, a bare year, and so on. They read
// as one message each. Splitting on the repeated first header name would
// give 2 for mailbox_date, but its second "Date:" block is a forwarded
// message in the body, which is why the importer itself left that disabled.

// notMessages are corpus files that are expected outputs, not input.
func notMessages(path string) bool {
	base := filepath.Base(path)
	for _, suffix := range []string{".xml", ".json", ".tsv", ".md", "-summary.txt", "_thread.html.gz"} {
		if strings.HasSuffix(base, suffix) {
			return true
		}
	}
	return base == "README"
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	root := corpusPath(t, "")
	var files []string
	for _, dir := range []string{"email", "lists"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !notMessages(p) {
				rel, _ := filepath.Rel(root, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	return files
}

func readFile(t *testing.T, rel string) (msgs [][]byte, envs []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f)
	for {
		m, err := r.Next()
		if err == io.EOF {
			return msgs, envs
		}
		if err != nil {
			t.Fatalf("%s: message %d: %v", rel, len(msgs), err)
		}
		msgs = append(msgs, m)
		envs = append(envs, r.Envelope())
	}
}

func TestCorpusCounts(t *testing.T) {
	files := corpusFiles(t)
	seen := 0
	for _, rel := range files {
		msgs, _ := readFile(t, rel)
		want, ok := wantCounts[rel]
		if !ok {
			want = 1
		} else {
			seen++
		}
		if len(msgs) != want {
			t.Errorf("%s: %d messages, want %d", rel, len(msgs), want)
		}
		t.Logf("%-62s %6d", rel, len(msgs))
	}
	if seen != len(wantCounts) {
		t.Errorf("found %d of the %d files in wantCounts", seen, len(wantCounts))
	}
}

// TestCorpusOneMessageID checks the list archives for bogus splits: a
// piece cut out of a body would have no Message-ID header of its own.
func TestCorpusOneMessageID(t *testing.T) {
	for _, rel := range []string{
		"lists/ietf-mailarchive-24msgs.mbox",
		"lists/r-devel-2019.mbox",
		"lists/r-package-devel-2015q2-2026q3.mbox.gz",
		"email/threading/fedora-devel-2010-01/2010-January.txt.gz",
	} {
		corpusPath(t, rel)
		msgs, _ := readFile(t, rel)
		for i, m := range msgs {
			if n := countHeader(m, "message-id:"); n != 1 {
				t.Errorf("%s: message %d has %d Message-ID headers:\n%.300s", rel, i, n, m)
			}
		}
	}
}

func countHeader(msg []byte, name string) int {
	n := 0
	for _, line := range bytes.Split(msg, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		if len(line) >= len(name) && bytes.EqualFold(line[:len(name)], []byte(name)) {
			n++
		}
	}
	return n
}

// TestCorpusMimeKitOffsets compares the messages with the byte ranges that
// MimeKit's own parser recorded for the same files.
func TestCorpusMimeKitOffsets(t *testing.T) {
	for _, name := range []string{"content-length", "issue1189"} {
		rel := "email/mimekit/mbox/" + name + ".mbox.txt"
		data, err := os.ReadFile(corpusPath(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		js, err := os.ReadFile(corpusPath(t, "email/mimekit/mbox/"+name+".unix-offsets.json"))
		if err != nil {
			t.Fatal(err)
		}
		var offsets []struct{ BeginOffset, EndOffset int }
		if err := json.Unmarshal(js, &offsets); err != nil {
			t.Fatal(err)
		}
		msgs, _ := readFile(t, rel)
		if len(msgs) != len(offsets) {
			t.Fatalf("%s: %d messages, MimeKit found %d", rel, len(msgs), len(offsets))
		}
		for i, o := range offsets {
			want := data[o.BeginOffset:o.EndOffset]
			// MimeKit counts the line ending before "From " as part of the
			// separator. Where no blank line precedes the From_ line, we
			// keep it: a message always ends with a line ending.
			if !bytes.HasSuffix(want, []byte("\n")) {
				want = append(want[:len(want):len(want)], '\n')
			}
			// MimeKit records raw byte ranges; we unescape >From lines.
			want = unescapeAll(want)
			if !bytes.Equal(msgs[i], want) {
				t.Errorf("%s: message %d differs from MimeKit's bytes %d..%d", rel, i, o.BeginOffset, o.EndOffset)
			}
		}
	}
}

func unescapeAll(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i, l := range lines {
		if isEscapedFrom(l) {
			lines[i] = l[1:]
		}
	}
	return bytes.Join(lines, nil)
}

// TestCorpusRoundTrip writes every file out as mboxrd and reads it back.
func TestCorpusRoundTrip(t *testing.T) {
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, rel := range corpusFiles(t) {
		msgs, envs := readFile(t, rel)
		var buf bytes.Buffer
		w := NewWriter(&buf)
		for i, m := range msgs {
			sender, _, _ := strings.Cut(envs[i], " ")
			if err := w.WriteMessage(sender, date, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r := NewReader(&buf)
		var got [][]byte
		for {
			m, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: reread: %v", rel, err)
			}
			got = append(got, m)
		}
		if len(got) != len(msgs) {
			t.Errorf("%s: wrote %d messages, read back %d", rel, len(msgs), len(got))
			continue
		}
		for i := range msgs {
			if !bytes.Equal(msgs[i], got[i]) {
				t.Errorf("%s: message %d changed in round trip: %s", rel, i, cmp.Diff(string(msgs[i]), string(got[i])))
			}
		}
	}
}

func BenchmarkReadRPackageDevel(b *testing.B) {
	f, err := os.Open(corpusPath(b, "lists/r-package-devel-2015q2-2026q3.mbox.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		n := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			n++
		}
		if n != 11114 {
			b.Fatalf("read %d messages", n)
		}
	}
}
