package render_test

import (
	"strings"
	"testing"

	"hum/internal/docs/draft"
	"hum/internal/docs/render"
)

// An xml2rfc v2 source: &rfc.number; and the other entities xml2rfc
// defines show as xml2rfc shows them, and <?rfc include?> references
// show as the submission resolved them. An include naming a script is
// not a link.
func TestXML2RFCv2Source(t *testing.T) {
	src := `<?xml version="1.0"?>
<!DOCTYPE rfc SYSTEM "rfc2629.dtd">
<rfc number="7911" category="std" docName="draft-ietf-idr-add-paths">
<front><title>T</title></front>
<middle><section title="Intro"><t>This is RFC &rfc.number; &lpar;a test&rpar;.</t></section></middle>
<back><references title="Normative References">
<?rfc include="reference.RFC.2119"?>
<?rfc include="reference.RFC.9999"?>
<?rfc include="javascript:alert(1)"?>
</references></back>
</rfc>`
	d, err := draft.Parse("x.xml", strings.NewReader(src), draft.Options{Resolver: resolver{"rfc2119": "Key words for use in RFCs"}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render.FromXMLRefs([]byte(src), d.References)
	if err != nil {
		t.Fatal(err)
	}
	body := string(doc.Body)
	for _, want := range []string{
		"This is RFC 7911 (a test).",
		`<a href="/doc/rfc2119/">Key words for use in RFCs</a>`,
		`<dd class="unresolved"><a href="/doc/rfc9999/">rfc9999</a>`,
		"javascript:alert(1))</span>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `href="javascript`) {
		t.Errorf("an include became a script link:\n%s", body)
	}
}

type resolver map[string]string

func (r resolver) Resolve(doc string) (draft.Resolved, bool) {
	t, ok := r[doc]
	return draft.Resolved{Title: t}, ok
}
