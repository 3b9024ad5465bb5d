package message

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"hum/internal/corpustest"
	"hum/internal/mbox"
)

func corpusPath(t testing.TB, rel string) string {
	t.Helper()
	return corpustest.Path(t, rel)
}

// corpusMessages reads every message of corpus/email (mbox files split
// into their messages) keyed by "file#n".
func corpusMessages(t testing.TB) map[string][]byte {
	t.Helper()
	root := corpusPath(t, "email")
	out := map[string][]byte{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || isExpectedOutput(p) {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := mbox.NewReader(f)
		rel, _ := filepath.Rel(root, p)
		for n := 0; ; n++ {
			raw, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			out[rel+"#"+itoa(n)] = raw
		}
		return nil
	})
	return out
}

func isExpectedOutput(p string) bool {
	for _, s := range []string{".xml", ".json", ".tsv", ".md", "-summary.txt", ".html.gz", "README"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCorpusParse parses every message in corpus/email: no panic, valid
// UTF-8 everywhere, no control characters in header values, attachments
// extractable with the sizes listed.
func TestCorpusParse(t *testing.T) {
	msgs := corpusMessages(t)
	if len(msgs) < 150 {
		t.Fatalf("only %d corpus messages found", len(msgs))
	}
	var withBody, withAtt, generated int
	for name, raw := range msgs {
		m := Parse(raw)
		checkClean(t, name, m)
		if m.Body.Text != "" {
			withBody++
		}
		if m.IDGenerated {
			generated++
		}
		for _, a := range m.Attachments {
			withAtt++
			p, err := Extract(raw, a.Path)
			if err != nil {
				t.Errorf("%s: Extract(%q): %v", name, a.Path, err)
				continue
			}
			if len(p.Data) != a.Size {
				t.Errorf("%s: part %s: extracted %d bytes, listed %d", name, a.Path, len(p.Data), a.Size)
			}
		}
	}
	t.Logf("%d messages: %d with body text, %d attachments, %d generated Message-IDs", len(msgs), withBody, withAtt, generated)
}

func checkClean(t *testing.T, name string, m *Message) {
	t.Helper()
	values := []string{m.Subject, m.From.Name, m.From.Email, m.MessageID, m.InReplyTo}
	for _, f := range m.Header {
		values = append(values, f.Value)
	}
	for _, a := range append(m.To, m.Cc...) {
		values = append(values, a.Name, a.Email)
	}
	for _, a := range m.Attachments {
		values = append(values, a.Filename)
	}
	for _, v := range values {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00") {
			t.Errorf("%s: unclean header value %q", name, v)
		}
	}
	if !utf8.ValidString(m.Body.Text) {
		t.Errorf("%s: body is not valid UTF-8", name)
	}
	if strings.Contains(strings.ToLower(string(m.Body.HTML)), "<script") {
		t.Errorf("%s: script survived sanitising", name)
	}
}

// TestCorpusExpected checks messages whose right answer is known: from the
// file's purpose (IETF archive test inputs) or the expected outputs the
// corpus ships (mime4j .xml, MimeKit summaries).
func TestCorpusExpected(t *testing.T) {
	msgs := corpusMessages(t)
	tests := []struct {
		name  string
		check func(m *Message) bool
	}{
		{"ietf-mailarchive/encoded_word.mail#0", func(m *Message) bool { return !strings.Contains(m.Subject, "=?") }},
		{"ietf-mailarchive/latin1.mail#0", func(m *Message) bool { return strings.Contains(m.Body.Text, "Balás") }}, // declared latin-1, really UTF-8
		{"ietf-mailarchive/windows1252.mail#0", func(m *Message) bool { return !strings.Contains(m.Body.Text, "\uFFFD") }},
		{"ietf-mailarchive/mail_html_unsafe.1#0", func(m *Message) bool {
			return !strings.Contains(strings.ToLower(string(m.Body.HTML)+m.Body.Text), "<script")
		}},
		{"ietf-mailarchive/attachment_windows1252.mail#0", func(m *Message) bool {
			return len(m.Attachments) == 1 && !strings.Contains(m.Attachments[0].Filename, "\uFFFD")
		}},
		{"ietf-mailarchive/attachment_folded_name.mail#0", func(m *Message) bool {
			return len(m.Attachments) == 1 && m.Attachments[0].Filename != ""
		}},
		{"ietf-mailarchive/bad_date.mail#0", func(m *Message) bool { return m.Date.Year() == 1993 }},
		{"ietf-mailarchive/mail_bad.1#0", func(m *Message) bool {
			return m.IDGenerated && strings.HasSuffix(m.MessageID, "@hum.invalid") && strings.Contains(m.Body.Text, "no headers")
		}},
		// mime4j expects "A simple subject" and a koi8-r file name.
		{"mime4j/russian-headers.msg#0", func(m *Message) bool {
			return m.Subject == "A simple subject" && len(m.Attachments) == 1 && m.Attachments[0].Filename == "Список.doc"
		}},
		// mime4j drops the invalid header line and keeps AnotherHeader.
		{"mime4j/malformedHeader-nocrlfcrlf.msg#0", func(m *Message) bool {
			return m.Subject == "this is a subject" && strings.TrimSpace(m.Body.Text) == "Body text"
		}},
		// mime4j gives no header and an empty body; we show the text, which
		// is more useful in an archive.
		{"mime4j/malformedHeader-noheader.msg#0", func(m *Message) bool {
			return strings.HasPrefix(m.Body.Text, "This is a simple message")
		}},
		{"mime4j/qp-body.msg#0", func(m *Message) bool { return !strings.Contains(m.Body.Text, "=\n") }},
		{"mimekit/messages/japanese.txt#0", func(m *Message) bool {
			return !strings.Contains(m.Subject, "=?") && !strings.Contains(m.Body.Text, "\x1b")
		}},
		{"enmime/parts/chardet-success-big-5.raw#0", func(m *Message) bool { return utf8.ValidString(m.Body.Text) }},
		{"enmime/mail/html-only-inline.raw#0", func(m *Message) bool { return m.Body.HTML != "" && m.Body.Text != "" }},
		{"enmime/low-quality/bad-header-start.raw#0", func(m *Message) bool { return m.Subject == "plain text" }},
	}
	for _, tt := range tests {
		raw, ok := msgs[tt.name]
		if !ok {
			t.Errorf("%s: not in corpus", tt.name)
			continue
		}
		if m := Parse(raw); !tt.check(m) {
			t.Errorf("%s: unexpected result: subject %q date %v atts %+v body %.200q", tt.name, m.Subject, m.Date, m.Attachments, m.Body.Text)
		}
	}
}

// archivedAt matches a real hashcode: 27 characters of URL-safe base64.
// One fixture in the file has a hand-edited Archived-At
// (".../last-call/kQ2R8example_toppost_outlook", 28 characters), which the
// length check leaves out.
var archivedAt = regexp.MustCompile(`https://mailarchive\.ietf\.org/arch/msg/([^/]+)/([A-Za-z0-9_-]{27})>`)

// TestHashcodeIETF reproduces the hashcodes in the Archived-At headers of
// real IETF list mail.
func TestHashcodeIETF(t *testing.T) {
	f, err := os.Open(corpusPath(t, "lists/ietf-mailarchive-24msgs.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := mbox.NewReader(f)
	checked := 0
	for {
		raw, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		m := Parse(raw)
		checkClean(t, m.MessageID, m)
		for _, h := range m.Header {
			if !strings.EqualFold(h.Name, "Archived-At") {
				continue
			}
			sm := archivedAt.FindStringSubmatch(h.Value)
			if sm == nil {
				continue
			}
			checked++
			if got := Hashcode(m.MessageID, sm[1]); got != sm[2] {
				t.Errorf("Hashcode(%q, %q) = %q, want %q", m.MessageID, sm[1], got, sm[2])
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d Archived-At headers checked", checked)
	}
	t.Logf("%d hashcodes reproduced", checked)
}

func TestCorpusListsParse(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 1,555 messages")
	}
	data, err := os.ReadFile(corpusPath(t, "lists/r-devel-2019.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	r := mbox.NewReader(bytes.NewReader(data))
	n, dated := 0, 0
	for {
		raw, err := r.Next()
		if err != nil {
			break
		}
		m := Parse(raw)
		checkClean(t, m.MessageID, m)
		if m.IDGenerated {
			t.Errorf("message %d: Message-ID not found", n)
		}
		if !m.Date.IsZero() {
			dated++
		}
		n++
	}
	if dated != n {
		t.Errorf("%d of %d messages have a date", dated, n)
	}
}
