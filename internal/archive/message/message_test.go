package message

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"=?utf-8?q?caf=C3=A9?=", "café"},
		{"=?UTF-8?B?8J+YgA==?= smile", "😀 smile"},           // 4-byte UTF-8
		{"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},               // space between words dropped
		{"=?utf-8?q?=E2=82?= =?utf-8?q?=AC?=", "€"},         // character split across words
		{"=?koi8-r?B?89DJ08/LLmRvYw==?=", "Список.doc"},     // other charset
		{"=?iso-8859-1?q?Andr=E9?= Pirard", "André Pirard"}, // text after a word
		{"=?utf-8?B?8J+YgA?=", "😀"},                         // missing padding
		{"=?x-unknown?q?caf=E9?=", "café"},                  // unknown charset: latin-1
		{"=?utf-8?q?broken", "=?utf-8?q?broken"},            // not a word
		{"=?utf-8*en?q?lang?=", "lang"},                     // RFC 2231 language
		{"raw \xe9t\xe9", "raw été"},                        // 8-bit latin-1 header
		{"Evil =?utf-8?q?x=0D=0ABcc:_victim@example.com?=", "Evil x Bcc: victim@example.com"},
		{"a\u202Egnp.exe", "a gnp.exe"},
	}
	for _, tt := range tests {
		if got := decodeText(tt.in); got != tt.want {
			t.Errorf("decodeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeaderInjection(t *testing.T) {
	raw := "From: =?utf-8?q?Mallory=0D=0ABcc=3A_all=40example=2Ecom?= <m@example.com>\r\n" +
		"To: \"=?utf-8?b?QQ0KU3ViamVjdDogaGk=?=\" <a@example.com>, b@example.com\r\n" +
		"Subject: =?utf-8?q?hi=0Athere?=\r\n\r\nbody\r\n"
	m := Parse([]byte(raw))
	want := []Address{{Name: "A Subject: hi", Email: "a@example.com"}, {Email: "b@example.com"}}
	if diff := cmp.Diff(want, m.To); diff != "" {
		t.Errorf("To (-want +got):\n%s", diff)
	}
	if m.From.Name != "Mallory Bcc: all@example.com" || m.From.Email != "m@example.com" {
		t.Errorf("From = %+v", m.From)
	}
	if m.Subject != "hi there" {
		t.Errorf("Subject = %q", m.Subject)
	}
}

func TestAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want []Address
	}{
		{`"Doe, Jane" <jane@example.com>`, []Address{{"Doe, Jane", "jane@example.com"}}},
		{`jdoe at example.com (John Doe)`, []Address{{"John Doe", "jdoe@example.com"}}},
		{`=?iso-8859-1?q?J=F6rg?= <j@example.de>, x@y.z`, []Address{{"Jörg", "j@example.de"}, {"", "x@y.z"}}},
		{`"unbalanced <a@b.c>`, []Address{{"unbalanced", "a@b.c"}}},
		{`undisclosed-recipients:;`, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseAddressList(tt.in)); diff != "" {
			t.Errorf("parseAddressList(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Thu, 7 Nov 2013 17:54:55 +0000", utc(2013, 11, 7, 17, 54, 55)},
		{"Fri, 26 Jul 2002 09:45:03 -0700 (PDT)", utc(2002, 7, 26, 16, 45, 3)},
		{"Wed, 11 Feb 98 11:51 CST", utc(1998, 2, 11, 11, 51, 0)},
		{"04-Jan-93 13:22:13", utc(1993, 1, 4, 13, 22, 13)},
		{"Tuesday, 1 Jan 2008 04:49:41 GMT+0100", utc(2008, 1, 1, 3, 49, 41)},
		{"Mon Jan  1 04:49:41 2008", utc(2008, 1, 1, 4, 49, 41)},
		{"2024-05-06 07:08:09 +0000", utc(2024, 5, 6, 7, 8, 9)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := parseDate("sometime last week"); ok {
		t.Error("parseDate accepted nonsense")
	}
}

func TestMessageIDs(t *testing.T) {
	raw := "Message-ID:\r\n <abc@x.example>\r\nIn-Reply-To: <p@x> (Jane's message)\r\nReferences: <a@x>\r\n\t<b@x> <p@x>\r\n\r\nhi\r\n"
	m := Parse([]byte(raw))
	got := []any{m.MessageID, m.IDGenerated, m.InReplyTo, m.References}
	want := []any{"abc@x.example", false, "p@x", []string{"a@x", "b@x", "p@x"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	a, b := Parse([]byte("Subject: x\n\nsame\n")), Parse([]byte("Subject: x\n\nsame\n"))
	if !a.IDGenerated || a.MessageID != b.MessageID || !strings.HasSuffix(a.MessageID, "@hum.invalid") || len(a.MessageID) != 64+len("@hum.invalid") {
		t.Errorf("generated id = %q (%v), again %q", a.MessageID, a.IDGenerated, b.MessageID)
	}
}

func TestBodyAndAttachments(t *testing.T) {
	raw := "Content-Type: multipart/mixed; boundary=outer\n\n--outer\n" +
		"Content-Type: multipart/alternative; boundary=alt\n\n--alt\n" +
		"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9 =\nau lait\n--alt\n" +
		"Content-Type: text/html\n\n<p>caf&eacute;<script>x</script></p>\n--alt--\n" +
		"--outer\nContent-Type: application/pdf; name=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\nContent-Transfer-Encoding: base64\n\nJVBERi0x\n" +
		"--outer\nContent-Type: text/plain\n\n-- \nlist footer\n--outer--\n"
	m := Parse([]byte(raw))
	if m.Body.Text != "café au lait\n\n-- \nlist footer" || m.Body.Path != "1.1" || m.Body.Charset != "iso-8859-1" {
		t.Errorf("Body = %+v", m.Body)
	}
	want := []Attachment{{Path: "2", Filename: "résumé.pdf", ContentType: "application/pdf", Size: 6}}
	if diff := cmp.Diff(want, m.Attachments); diff != "" {
		t.Errorf("Attachments (-want +got):\n%s", diff)
	}
	p, err := Extract([]byte(raw), "2")
	if err != nil || string(p.Data) != "%PDF-1" {
		t.Errorf("Extract = %+v, %v", p, err)
	}
	if _, err := Extract([]byte(raw), "9.9"); !errors.Is(err, ErrNoPart) {
		t.Errorf("Extract(9.9) error = %v", err)
	}
}

func TestHTMLOnly(t *testing.T) {
	raw := "Content-Type: text/html\n\n<html><head><style>x{}</style></head><body onload=\"evil()\">" +
		"<p>Hello <a href=\"javascript:alert(1)\">x</a> <img src=\"https://tracker.example/p.gif\"></p><script>alert(1)</script></body></html>\n"
	m := Parse([]byte(raw))
	h := string(m.Body.HTML)
	for _, bad := range []string{"script", "onload", "javascript", "tracker.example", "style"} {
		if strings.Contains(h, bad) {
			t.Errorf("sanitised HTML contains %q: %s", bad, h)
		}
	}
	if m.Body.Text != "Hello x" {
		t.Errorf("Text = %q", m.Body.Text)
	}
	if got := string(SanitizeHTML(`<img src="https://tracker.example/p.gif">`, true)); !strings.Contains(got, "tracker.example") {
		t.Errorf("remote images not allowed when asked: %s", got)
	}
}

func TestLimits(t *testing.T) {
	var b strings.Builder
	depth := 200
	for i := range depth {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + itoa(i) + "\n\n--b" + itoa(i) + "\n")
	}
	b.WriteString("Content-Type: text/plain\n\ndeep\n")
	m := ParseLimits([]byte(b.String()), Limits{MaxDepth: 10, MaxParts: 50, MaxBodyBytes: 3, MaxRawBytes: 1 << 20})
	if len(m.Warnings) == 0 {
		t.Error("no warning for deep nesting")
	}
	many := "Content-Type: multipart/mixed; boundary=x\n\n" + strings.Repeat("--x\nContent-Type: text/plain\n\nhello\n", 5000) + "--x--\n"
	m = ParseLimits([]byte(many), Limits{MaxDepth: 10, MaxParts: 50, MaxBodyBytes: 3, MaxRawBytes: 1 << 20})
	if len(m.Body.Text) > 3 || !m.Body.Truncated || len(m.Warnings) == 0 {
		t.Errorf("limits not applied: %d bytes, truncated %v, warnings %v", len(m.Body.Text), m.Body.Truncated, m.Warnings)
	}
}
