package message

import (
	"regexp"
	"sort"
	"testing"
	"unicode/utf8"

	"hum/internal/corpustest"
)

// FuzzParse feeds any bytes to the display model, as an incoming post or
// an imported message would arrive: parsing, the chosen body's quote
// blocks and links, and every part's extraction must not panic, and
// sanitised HTML never carries a script or an event handler.
// Seeds: every message of corpus/email (CI: go test -fuzz FuzzParse).
func FuzzParse(f *testing.F) {
	if _, ok := corpustest.Seeds(f); ok {
		msgs := corpusMessages(f)
		keys := make([]string, 0, len(msgs))
		for k := range msgs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f.Add(msgs[k])
		}
	}
	f.Add([]byte("From: a@example.org\r\nSubject: =?hp-roman8?B?SM5uZXM=?=\r\n\r\nbody\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: text/html\r\n\r\n<p onclick=x>hi<script>x</script>\r\n--x--\r\n"))
	f.Add([]byte("Message-ID: <a\x00b@example.org>\r\n\r\n\x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		lim := Limits{MaxDepth: 8, MaxParts: 50, MaxBodyBytes: 64 << 10, MaxRawBytes: 1 << 20}
		m := ParseLimits(raw, lim)
		if m == nil {
			t.Fatal("ParseLimits returned nil")
		}
		for _, b := range Blocks(m.Body.Text) {
			_ = b
		}
		_ = Linkify(m.Body.Text)
		if unsafeHTML.MatchString(string(m.Body.HTML)) {
			t.Errorf("sanitised HTML keeps a script or handler: %q", m.Body.HTML)
		}
		if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Body.Text) {
			t.Errorf("display text is not UTF-8: %q / %q", m.Subject, m.Body.Text)
		}
		for _, a := range m.Attachments {
			Extract(raw, a.Path) // must not panic; an error is an answer
		}
	})
}

var unsafeHTML = regexp.MustCompile(`(?i)<script|\son[a-z]+\s*=|javascript:`)
