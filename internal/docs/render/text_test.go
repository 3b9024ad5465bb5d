package render_test

import (
	"fmt"
	"html"
	"html/template"
	"os"
	"regexp"
	"strings"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/docs/render"
)

// oldTextLinks is the expression FromText was first written with; the
// scanner that replaced it must link exactly the same spans.
var oldTextLinks = regexp.MustCompile(`\bRFC ?(\d{1,5})\b|\b(draft-[a-z0-9][a-z0-9-]*[a-z0-9])\b|https?://[^\s<>"\]\)]+`)

func oldFromText(txt []byte) template.HTML {
	s := string(txt)
	var b strings.Builder
	last := 0
	for _, m := range oldTextLinks.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(html.EscapeString(s[last:m[0]]))
		match := s[m[0]:m[1]]
		var href string
		switch {
		case m[2] >= 0:
			href = "/doc/rfc" + strings.TrimLeft(s[m[2]:m[3]], "0") + "/"
		case m[4] >= 0:
			href = "/doc/" + s[m[4]:m[5]] + "/"
		default:
			href = match
		}
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(href), html.EscapeString(match))
		last = m[1]
	}
	b.WriteString(html.EscapeString(s[last:]))
	return template.HTML(b.String())
}

func TestFromTextMatchesTheExpression(t *testing.T) {
	cases := []string{
		"See RFC 9110, RFC9111 and RFC 123456 or RFC12345x or xRFC 1 or RFC  2 or RFC 7_ end RFC",
		"draft-ietf-quic-tls-34. draft-foo-barX draft-a draft-ab draft--x draft-x- draft-ab-cd_e xdraft-foo _draft-foo draft-foo-",
		"https://example.com/a?b=c) http://x \"https://y\" https:// http://z]w https://é.example/ RFC 0042 draft-foo-bar-03",
		"<script>RFC 1</script>&amp; draft-9-9 draft-AB draft-ab-C draft-ab-9",
	}
	for _, f := range files(t, "txt") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(b))
	}
	for i, c := range cases {
		if got, want := render.FromText([]byte(c)), oldFromText([]byte(c)); got != want {
			j := 0
			for j < len(got) && j < len(want) && got[j] == want[j] {
				j++
			}
			t.Errorf("case %d differs at byte %d:\n got %q\nwant %q", i, j, clipAt(string(got), j), clipAt(string(want), j))
		}
	}
}

func clipAt(s string, i int) string { return s[max(0, i-40):min(len(s), i+80)] }

func BenchmarkFromText(b *testing.B) {
	src, err := os.ReadFile(corpustest.Path(b, "drafts/txt/draft-ietf-idr-rt-derived-community-00.txt"))
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		render.FromText(src)
	}
}
