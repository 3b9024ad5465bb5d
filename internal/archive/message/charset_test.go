package message

import (
	"strings"
	"testing"
)

// TestCharsets (issue 13, item 10): hp-roman8, which neither x/text nor
// go-message knows, is decoded in headers, display names and bodies (172
// parts of a real 2004-08 archive showed "HÎnes" for "Hönes"); a charset
// nobody knows keeps its text visible instead of losing it.
func TestCharsets(t *testing.T) {
	for _, c := range []struct{ what, got, want string }{
		{"subject", decodeText("=?hp-roman8?B?SM5uZXM=?="), "Hönes"},
		{"display name", parseAddressList("Alfred =?hp-roman8?B?SM5uZXM=?= <alfred@example.org>")[0].Name, "Alfred Hönes"},
		{"quoted display name", parseAddressList(`"Alfred =?hp-roman8?Q?H=CEnes?=" <alfred@example.org>`)[0].Name, "Alfred Hönes"},
		{"body", toUTF8([]byte("Gr\xdc\xcee \xa1 \xd1\xbb"), "hp-roman8"), "GrÉöe À î£"},
		{"IANA alias of hp-roman8", toUTF8([]byte("H\xcenes"), "csHPRoman8"), "Hönes"},
		{"a charset x/text knows", decodeText("=?koi8-r?B?8NLJ18XU?="), "Привет"},
		{"unknown charset in a name", parseAddressList("Alfred =?x-no-such?Q?H=C3=B6nes?= <alfred@example.org>")[0].Name, "Alfred Hönes"},
		{"unknown charset, not UTF-8", decodeText("=?x-no-such?Q?H=F6nes?="), "Hönes"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
		}
	}
}

// TestForwardedInline (issue 13, item 11): a forwarded message
// (message/rfc822) shows inline with its own headers, a forward inside it
// too, and stays downloadable as an attachment.
func TestForwardedInline(t *testing.T) {
	raw := "From: Joe <joe@example.com>\r\nSubject: Fwd: twice\r\nMessage-ID: <outer@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n" +
		"--o\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" +
		"From: Ann <ann@example.org>\r\nDate: Thu, 9 Jun 2005 17:45:18 -0400\r\nSubject: middle\r\nTo: joe@example.com\r\n" +
		"Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nThe middle one.\r\n" +
		"--m\r\nContent-Type: message/rfc822\r\n\r\nFrom: Bob <bob@example.net>\r\nSubject: innermost\r\n\r\nThe first words.\r\n--m--\r\n" +
		"--o--\r\n"
	m := Parse([]byte(raw))
	for _, want := range []string{"See below.", "---------- Forwarded message ----------\nFrom: Ann <ann@example.org>\nDate: Thu, 9 Jun 2005 17:45:18 -0400\nSubject: middle\nTo: joe@example.com\n\nThe middle one.",
		"From: Bob <bob@example.net>\nSubject: innermost\n\nThe first words."} {
		if !strings.Contains(m.Body.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body.Text)
		}
	}
	if len(m.Attachments) != 1 || m.Attachments[0].ContentType != "message/rfc822" {
		t.Errorf("attachments %+v, want the forwarded message", m.Attachments)
	}
}
