package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hum/internal/corpustest"
	"hum/internal/docs/draft"
	"hum/internal/docs/render"
)

// FuzzText lays out any input as text: it may refuse it, but must never
// panic, loop, or leave the marks it fills with in the output.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		`<rfc docName="draft-a-b-00"><front><title>T</title></front></rfc>`,
		`<rfc><middle><section><t><list style="format %i"><t>a<list><t>b</t></list></t></list></t></section></middle></rfc>`,
		`<rfc><middle><section><table><thead><tr><th colspan="99999999">x</th></tr></thead><tbody><tr><td><ul><li>y</li></ul></td></tr></tbody></table></section></middle></rfc>`,
		`<rfc><front><title>` + strings.Repeat("W", 300) + `</title><author initials="Χ" surname="Ψ" fullname="Ω"/><date year="99999" month="13" day="-4"/></front><back><references><reference anchor=""><front><title/></front></reference></references></back></rfc>`,
		`<rfc><middle><section><dl indent="70"><dt>` + strings.Repeat("x", 100) + `</dt><dd>y</dd></dl><artwork>` + "\t\t\t" + strings.Repeat("z", 200) + `</artwork></section></middle></rfc>`,
		`<rfc><middle><section><t>a<vspace blankLines="2"/>b<xref target="s" section="1" sectionFormat="bare"/><eref target="https://x/"/></t><ol type="%p%d" start="-1"><li/></ol></section></middle></rfc>`,
	} {
		f.Add([]byte(s))
	}
	if root, ok := corpustest.Seeds(f); ok {
		files, _ := filepath.Glob(filepath.Join(root, "drafts", "xml", "*.xml"))
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if len(b) <= 24<<10 { // minimising a large seed takes a short run; the corpus test renders those
				f.Add(b)
			}
		}
	}
	refs := []draft.Reference{{Anchor: "RFC2119", Entity: "RFC2119", Doc: "rfc2119", Title: "Key words", Authors: []string{"S. Bradner"}, Date: "1997-03", Series: []string{"BCP 14"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := render.Text(data, refs, render.TextOptions{Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return
		}
		if !utf8.Valid(out) && utf8.Valid(data) {
			t.Fatalf("output is not UTF-8")
		}
		if strings.ContainsAny(string(out), "\u2028\ue060\u2060\u00a0") {
			t.Fatalf("a filling mark was left in the output")
		}
	})
}
