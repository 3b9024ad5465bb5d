package mbox

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"hum/internal/corpustest"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func corpusPath(t testing.TB, rel string) string {
	t.Helper()
	return corpustest.Path(t, rel)
}

// wantCounts lists the message count of every corpus file that holds more
// than one message, or whose count needs explaining. Every other message
// file in corpus/email must read as exactly one message.
var wantCounts = map[string]int{
	"email/ietf-mailarchive/duplicate_tests.mbox":              10,
	"email/ietf-mailarchive/export.mbox":                       21,
	"email/ietf-mailarchive/mailbox-x-envelope-from":           4,  // see TestCorpusHeaderSeparated
	"email/ietf-mailarchive/mailbox_envelope-to":               2,  // likewise
	"email/ietf-mailarchive/mailbox_from":                      13, // of 14: see TestCorpusMailboxFrom
	"email/ietf-mailarchive/mailbox_mmdf":                      5,  // 10 ^A^A^A^A lines = 5 open/close pairs
	"email/ietf-mailarchive/mailbox_return-path":               3,  // see TestCorpusHeaderSeparated
	"email/ietf-mailarchive/mailbox_to":                        15, // likewise
	"email/ietf-mailarchive/mailbox_year":                      4,  // see TestCorpusMailboxYear
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
// they start with a header field (Date:, Received:, To:, ...) or a bare
// year. Those that start with a header field are split where a blank line
// is followed by a header block that starts with the same field name, or
// that holds From:, Date: and one of Message-ID:, Subject:, To: (see the
// package comment); TestCorpusHeaderSeparated and TestCorpusMailboxFrom
// account for every message in them. mailbox_received holds one message
// (one Message-ID, no second Received: after a blank line), and so does
// mailbox_date: its second "Date:" block is the body of the first, which
// has none of its own (see TestCorpusHeaderSeparated).

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

// readCorpusFile reads every message of a corpus file, with its envelope,
// and the format detected.
func readCorpusFile(t *testing.T, rel string) (msgs [][]byte, envs []string, format Format) {
	t.Helper()
	f, err := os.Open(corpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f)
	msgs, envs = readMessages(t, rel, r)
	return msgs, envs, r.Format()
}

// readMessages reads r to the end; an error other than io.EOF fails the
// test.
func readMessages(t *testing.T, name string, r *Reader) (msgs [][]byte, envs []string) {
	t.Helper()
	for {
		m, err := r.Next()
		if err == io.EOF {
			return msgs, envs
		}
		if err != nil {
			t.Fatalf("%s: message %d: %v", name, len(msgs), err)
		}
		msgs = append(msgs, m)
		envs = append(envs, r.Envelope())
	}
}

func TestCorpusCounts(t *testing.T) {
	files := corpusFiles(t)
	seen := 0
	for _, rel := range files {
		msgs, _, _ := readCorpusFile(t, rel)
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
		msgs, _, _ := readCorpusFile(t, rel)
		for i, m := range msgs {
			if n := countHeader(m, "message-id:"); n != 1 {
				t.Errorf("%s: message %d has %d Message-ID headers:\n%.300s", rel, i, n, m)
			}
		}
	}
}

// TestCorpusMailboxYear reads the year-separated file of the IETF importer
// (a "2005" line before each message, where an mbox has its From_ line).
// The expected count is taken from the raw file, not from the reader:
// every message of it has one Message-Id header, and a grep of the file
// finds "Message-Id:" at the start of exactly 4 lines, each right after a
// "2005" line that follows a blank line, and nowhere in the bodies. Each
// message read must begin with that header field (so the year line is
// gone and the message is mail: the archive rejects input without header
// fields) and hold exactly one.
func TestCorpusMailboxYear(t *testing.T) {
	const rel = "email/ietf-mailarchive/mailbox_year"
	raw, err := os.ReadFile(corpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if bytes.HasPrefix(bytes.ToLower(line), []byte("message-id:")) {
			want++
		}
	}
	if want != 4 {
		t.Fatalf("%s: %d Message-Id lines, the file has changed (want 4)", rel, want)
	}
	msgs, _, format := readCorpusFile(t, rel)
	if format != FormatYear {
		t.Errorf("%s: Format() = %v, want %v", rel, format, FormatYear)
	}
	if len(msgs) != want {
		t.Fatalf("%s: %d messages, want %d", rel, len(msgs), want)
	}
	for i, m := range msgs {
		if !bytes.HasPrefix(bytes.ToLower(m), []byte("message-id:")) {
			t.Errorf("%s: message %d does not start with its Message-Id header:\n%.200s", rel, i, m)
		}
		if n := countHeader(m, "message-id:"); n != 1 {
			t.Errorf("%s: message %d has %d Message-Id headers", rel, i, n)
		}
	}
}

// TestCorpusHeaderSeparated reads the IETF importer's files whose messages
// start with the same header field as the file, after a blank line, with
// no From_ line. The expected count is taken from the raw file with a
// count that does not use that rule:
//
//   - mailbox-x-envelope-from, mailbox_envelope-to, mailbox_return-path:
//     every message has one Message-ID header, and a grep of the file finds
//     "Message-ID:" (any case) at the start of 4, 2 and 3 lines, none of
//     them in a body. Each message read must hold exactly one.
//   - mailbox_to has no Message-ID headers, but Mailman added a List-Id
//     header to every message and to nothing else: 15 lines. (To:, From:
//     and Subject: each start 17 lines, two of them in the Outlook-style
//     "From: / Sent: / To: / Subject:" quotes of replies.)
//   - mailbox_date has no Message-ID either. It has two Date:/From:/Subject:
//     header blocks, lines 1-3 and 5-9, with nothing but a blank line
//     between them: the first has no body, it is Lonvick's message whose
//     body is the Internet-Drafts announcement he forwarded (same Subject,
//     sent 4.5 hours later; the announcement's MIME trailer is cut off).
//     So the count is the number of runs of header-only paragraphs that
//     are followed by a body: 1, not the 2 a split on "Date:" would give.
//
// Every message read must start with the file's first field name, and the
// messages must be the whole file, in order, less the single blank line
// dropped before each separator: nothing lost between messages.
func TestCorpusHeaderSeparated(t *testing.T) {
	countPrefix := func(name string) func(lines [][]byte) int {
		return func(lines [][]byte) int {
			n := 0
			for _, l := range lines {
				if hasFieldName(l, name) {
					n++
				}
			}
			return n
		}
	}
	tests := []struct {
		file   string
		field  string // every message starts with it
		count  func(lines [][]byte) int
		pinned int    // what count gives for the file as stored
		perMsg string // a field every message holds once, or ""
	}{
		{"mailbox-x-envelope-from", "x-envelope-from:", countPrefix("message-id:"), 4, "message-id:"},
		{"mailbox_envelope-to", "envelope-to:", countPrefix("message-id:"), 2, "message-id:"},
		{"mailbox_return-path", "return-path:", countPrefix("message-id:"), 3, "message-id:"},
		{"mailbox_to", "to:", countPrefix("list-id:"), 15, "list-id:"},
		{"mailbox_date", "date:", headerRunsWithBody, 1, ""},
	}
	for _, tt := range tests {
		rel := "email/ietf-mailarchive/" + tt.file
		raw, err := os.ReadFile(corpusPath(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		want := tt.count(rawLines(raw))
		if want != tt.pinned {
			t.Fatalf("%s: the raw count is %d, the file has changed (was %d)", rel, want, tt.pinned)
		}
		msgs, _, format := readCorpusFile(t, rel)
		if format != FormatBare {
			t.Errorf("%s: Format() = %v, want %v", rel, format, FormatBare)
		}
		if len(msgs) != want {
			t.Errorf("%s: %d messages, want %d", rel, len(msgs), want)
		}
		for i, m := range msgs {
			if !hasFieldName(m, tt.field) {
				t.Errorf("%s: message %d does not start with %q:\n%.200s", rel, i, tt.field, m)
			}
			if tt.perMsg != "" {
				if n := countHeader(m, tt.perMsg); n != 1 {
					t.Errorf("%s: message %d has %d %q headers", rel, i, n, tt.perMsg)
				}
			}
		}
		checkWholeFile(t, rel, raw, msgs)
	}
	// mailbox_date: one message, holding both header blocks.
	msgs, _, _ := readCorpusFile(t, "email/ietf-mailarchive/mailbox_date")
	if len(msgs) == 1 && bytes.Count(msgs[0], []byte("\nDate: ")) != 1 {
		t.Errorf("mailbox_date: the forwarded Date: block is not in the message body")
	}
}

// TestCorpusMailboxFrom accounts for the messages of mailbox_from, whose
// messages start with different fields. The file holds 14 messages: it has
// 14 RFC 5322 Date: lines, one in the header of each (a 15th Date: line,
// "Date:    1/12/98 4:31 PM", is in a cc:Mail quote). Their header blocks
// start with From: (8), To: (4) or Date: (2), and all hold From:, Date:,
// To: and Subject:. 13 of them follow a blank line and are read
// separately: 7 by the file's first field name, From:, and 6 as blocks
// with From: and Date: (see headerSepAhead). The 14th, the From: block at
// line 847, follows the line "<ftp://ds.internic.net/...>" that ends an
// Internet-Draft announcement, with no blank line between, and stays in the
// body of that message: splitting without a blank line would also cut
// forwards that put a header block right under an introducing line.
func TestCorpusMailboxFrom(t *testing.T) {
	const rel = "email/ietf-mailarchive/mailbox_from"
	raw, err := os.ReadFile(corpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	lines := rawLines(raw)
	var total, separate int
	var inside []int // 1-based line numbers of messages not read separately
	for i, l := range lines {
		if !rfcDate.Match(l) {
			continue
		}
		total++
		s := i // walk back to the start of this header block
		for s > 0 && (plainField.Match(lines[s-1]) || len(lines[s-1]) > 0 && (lines[s-1][0] == ' ' || lines[s-1][0] == '\t')) {
			s--
		}
		if s == 0 || len(lines[s-1]) == 0 {
			separate++
		} else {
			inside = append(inside, s+1)
		}
	}
	if total != 14 || separate != 13 || len(inside) != 1 || inside[0] != 847 {
		t.Fatalf("%s: %d messages, %d separable, %v not: the file has changed (was 14, 13, [847])", rel, total, separate, inside)
	}
	msgs, _, format := readCorpusFile(t, rel)
	if format != FormatBare {
		t.Errorf("%s: Format() = %v, want %v", rel, format, FormatBare)
	}
	if len(msgs) != separate {
		t.Errorf("%s: %d messages, want %d", rel, len(msgs), separate)
	}
	for i, m := range msgs {
		if !plainField.Match(m) {
			t.Errorf("%s: message %d does not start with a header field:\n%.200s", rel, i, m)
		}
		if n := countHeader(m, "date:"); n != 1 {
			t.Errorf("%s: message %d has %d Date headers", rel, i, n)
		}
		want := 1 // RFC 5322 Date: lines, in its header or in its body
		if bytes.Contains(m, []byte("\nFrom: Graham Bland")) {
			want = 2 // the message of line 847 is in its body
		}
		n := 0
		for _, l := range rawLines(m) {
			if rfcDate.Match(l) {
				n++
			}
		}
		if n != want {
			t.Errorf("%s: message %d holds %d RFC 5322 Date: lines, want %d", rel, i, n, want)
		}
	}
	checkWholeFile(t, rel, raw, msgs)
	t.Logf("%s: %d messages, %d read separately; the one starting at line %v is inside the message before it", rel, total, separate, inside)
}

// rfcDate matches a Date: field with an RFC 5322 date: optional weekday,
// day, month name.
var rfcDate = regexp.MustCompile(`(?i)^date:[ \t]+(?:(?:mon|tue|wed|thu|fri|sat|sun),[ \t]*)?\d{1,2}[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[ \t]`)

// plainField matches a line that starts with a field name of letters,
// digits and hyphens: stricter than isHeaderField, which also takes
// "<ftp://host/path>" for a field, to keep the counts in these tests
// independent of the reader's own test.
var plainField = regexp.MustCompile(`^[A-Za-z0-9-]+:`)

// headerRunsWithBody counts the runs of consecutive header paragraphs that
// are followed by a paragraph of body text. A header paragraph (lines
// between blank lines) starts with a field and has two or more, and all
// its lines are fields or folded continuations; "NOTE:" and a tab-indented
// paragraph under it is body text.
func headerRunsWithBody(lines [][]byte) int {
	n, inRun := 0, false
	for i := 0; i < len(lines); {
		for i < len(lines) && len(lines[i]) == 0 {
			i++
		}
		if i == len(lines) {
			break
		}
		header, fields := plainField.Match(lines[i]), 0
		for ; i < len(lines) && len(lines[i]) > 0; i++ {
			l := lines[i]
			switch {
			case plainField.Match(l):
				fields++
			case l[0] != ' ' && l[0] != '\t':
				header = false
			}
		}
		header = header && fields >= 2
		if !header && inRun {
			n++
		}
		inRun = header
	}
	return n
}

// rawLines splits a file into lines without their CRLF or LF endings.
func rawLines(raw []byte) [][]byte {
	lines := bytes.Split(raw, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimSuffix(l, []byte("\r"))
	}
	return lines
}

// checkWholeFile checks that msgs are raw, in order, with nothing between
// and around them but blank lines.
func checkWholeFile(t *testing.T, rel string, raw []byte, msgs [][]byte) {
	t.Helper()
	skipBlank := func(b []byte) []byte {
		for {
			switch {
			case bytes.HasPrefix(b, []byte("\n")):
				b = b[1:]
			case bytes.HasPrefix(b, []byte("\r\n")):
				b = b[2:]
			default:
				return b
			}
		}
	}
	rest := raw
	for i, m := range msgs {
		rest = skipBlank(rest)
		if !bytes.HasPrefix(rest, m) {
			t.Errorf("%s: message %d is not the next part of the file:\n%.200s", rel, i, m)
			return
		}
		rest = rest[len(m):]
	}
	if rest = skipBlank(rest); len(rest) > 0 {
		t.Errorf("%s: %d bytes after the last message are in none:\n%.200s", rel, len(rest), rest)
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
		msgs, _, _ := readCorpusFile(t, rel)
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
		msgs, envs, _ := readCorpusFile(t, rel)
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
		got, _ := readMessages(t, rel+" (reread)", NewReader(&buf))
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
