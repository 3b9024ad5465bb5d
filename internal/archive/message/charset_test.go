package message

import "testing"

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
