package docs_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hum/internal/fail"
)

// TestExternalReferencesResolved: kramdown-rfc's <!ENTITY RFC4360 SYSTEM
// "https://bib.ietf.org/...">, never fetched, are resolved at submission
// from hum's own RFC records, so the rendered references show title,
// authors and date; those hum does not hold stay listed as unresolved.
func TestExternalReferencesResolved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	someRFCs(t, e, 4360, 7153)
	e.at("2023-03-07")
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	r, err := e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if err != nil {
		t.Fatal(err)
	}
	body := string(r.Body)
	for _, want := range []string{
		`<dt id="RFC4360">[RFC4360]</dt><dd><a href="/doc/rfc4360/">BGP Extended Communities Attribute</a>, S. Sangli, D. Tappan, Y. Rekhter, 2006-02</dd>`,
		`<a href="/doc/rfc7153/">IANA Registries for BGP Extended Communities</a>`,
		`<dt id="RFC7432">[RFC7432]</dt><dd class="unresolved"><a href="/doc/rfc7432/">rfc7432</a> <span class="note">(unresolved`,
		`<dt id="I-D.ietf-idr-legacy-rtc">[I-D.ietf-idr-legacy-rtc]</dt><dd class="unresolved"><a href="/doc/draft-ietf-idr-legacy-rtc/">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("rendered references lack %s", want)
		}
	}
	if strings.Contains(body, "&amp;RFC") {
		t.Errorf("an entity reference was shown as text")
	}
	again, _ := e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if again != r {
		t.Errorf("a second rendering of a posted revision was not served from memory")
	}
}

// TestReferencesResolveWhenRecordsArrive: a reference hum held no record
// of when the draft was posted is resolved once the RFC index brings it,
// even though the draft's page was shown (and kept) before.
func TestReferencesResolveWhenRecordsArrive(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	someRFCs(t, e, 4360)
	e.at("2023-03-07")
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	const stale = `<dt id="RFC7432">[RFC7432]</dt><dd class="unresolved">`
	r, err := e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Body), stale) {
		t.Fatalf("RFC 7432 resolved before hum held it:\n%s", r.Body)
	}
	// A record that is none of its references leaves the rendering as it is.
	someRFCs(t, e, 2119)
	if again, err := e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00"); err != nil || again != r {
		t.Errorf("rendered again after an unrelated RFC arrived (%v)", err)
	}
	someRFCs(t, e, 7432)
	r, err = e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if err != nil {
		t.Fatal(err)
	}
	body := string(r.Body)
	if strings.Contains(body, stale) || !strings.Contains(body, `<dt id="RFC7432">[RFC7432]</dt><dd><a href="/doc/rfc7432/">BGP MPLS-Based Ethernet VPN</a>`) {
		t.Errorf("RFC 7432 is still unresolved after the index brought it:\n%s", body)
	}
	if !strings.Contains(body, `<dt id="RFC7153">[RFC7153]</dt><dd class="unresolved">`) {
		t.Errorf("a reference hum still holds no record of was resolved")
	}
}

// TestTextOfXMLOnlyRevision: a revision submitted as XML only has a text,
// laid out from the XML as xml2rfc lays it out, with the references hum
// resolved at submission written as the RFC Editor writes them; a
// revision submitted as text has the text submitted.
func TestTextOfXMLOnlyRevision(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	someRFCs(t, e, 4360)
	e.at("2023-03-07")
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	text, fromXML, err := e.s.Text(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if err != nil || !fromXML {
		t.Fatalf("Text: fromXML %v, %v", fromXML, err)
	}
	for _, want := range []string{
		// As xml2rfc wrote them (corpus txt/draft-ietf-idr-rt-derived-community-00.txt).
		"idr                                                             Z. Zhang\nInternet-Draft                                                   J. Haas\n",
		"            Extended Communities Derived from Route Targets\n                 draft-ietf-idr-rt-derived-community-00\n",
		"   [RFC4360]  Sangli, S., Tappan, D., and Y. Rekhter, \"BGP Extended\n              Communities Attribute\", RFC 4360, DOI 10.17487/RFC4360,\n              February 2006, <https://www.rfc-editor.org/info/rfc4360>.\n",
		"Zhang, et al.           Expires 8 September 2023                [Page 1]\n\f\nInternet-Draft               RT-derived ECs                   March 2023\n",
		// Not in hum's records: what the name says.
		"   [RFC7432]  RFC 7432, DOI 10.17487/RFC7432,\n              <https://www.rfc-editor.org/info/rfc7432>.\n",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the text lacks\n%s", want)
		}
	}
	r, err := e.s.Render(ctx, "draft-ietf-idr-rt-derived-community", "00")
	if err != nil || !strings.Contains(string(r.PlainHTML), `<a href="/doc/rfc4360/">RFC 4360</a>`) || strings.Contains(string(r.PlainHTML), "\f") {
		t.Errorf("the page's text lacks links or shows form feeds (%v)", err)
	}

	e.postSmokeSignals(t)
	text, fromXML, err = e.s.Text(ctx, "draft-smoke-signals", "00")
	if err != nil || fromXML || !bytes.Equal(text, file(t, "txt/draft-smoke-signals-00.txt")) {
		t.Errorf("a revision submitted as text: fromXML %v, %v, text differs from the submitted one", fromXML, err)
	}
	if _, _, err := e.s.Text(ctx, "draft-smoke-signals", "07"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("a revision that does not exist: %v", err)
	}
}
