package draft

import (
	"testing"
)

// TestPageEstimate compares the XML estimate with the page count of the
// same document rendered to text; an estimate within 25% is the goal.
func TestPageEstimate(t *testing.T) {
	for _, tc := range []struct{ xml, txt string }{
		{"drafts/xml/draft-ietf-idr-rt-derived-community-00.xml", "drafts/txt/draft-ietf-idr-rt-derived-community-00.txt"},
		{"drafts/xml/draft-miek-test.v2.xml", "drafts/txt/draft-miek-test.txt"},
		{"drafts/xml/draft-miek-test.v3.xml", "drafts/txt/draft-miek-test.txt"},
		{"drafts/xml/draft-template.xml", "drafts/txt/draft-template.txt"},
		{"drafts/xml/draft-smoke-signals-00.xml", "drafts/txt/draft-smoke-signals-00.txt"},
	} {
		x, err := parseFile(t, tc.xml, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseFile(t, tc.txt, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !x.PagesEstimated || p.PagesEstimated {
			t.Errorf("%s: PagesEstimated xml=%v txt=%v", tc.xml, x.PagesEstimated, p.PagesEstimated)
		}
		lo, hi := p.Pages*3/4, (p.Pages*5+3)/4
		if x.Pages < lo || x.Pages > hi {
			t.Errorf("%s: estimated %d pages, rendered text has %d", tc.xml, x.Pages, p.Pages)
		}
	}
}

// TestReferences checks the two forms of the same draft list the same
// references, one resolved from text and one from external entities.
func TestReferences(t *testing.T) {
	type ref struct {
		Doc       string
		Normative bool
	}
	list := func(d *Draft) []ref {
		var out []ref
		for _, r := range d.References {
			out = append(out, ref{r.Doc, r.Normative})
		}
		return out
	}
	x, err := parseFile(t, "drafts/xml/draft-ietf-idr-rt-derived-community-00.xml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseFile(t, "drafts/txt/draft-ietf-idr-rt-derived-community-00.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []ref{
		{"rfc4360", true}, {"rfc5701", true}, {"rfc7153", true}, {"rfc7432", true},
		{"draft-ietf-bess-evpn-igmp-mld-proxy", false}, {"draft-ietf-bess-bgp-multicast-controller", false},
		{"draft-ietf-idr-legacy-rtc", false},
	}
	if diff := cmpDiff(want, list(x)); diff != "" {
		t.Errorf("xml references (-want +got):\n%s", diff)
	}
	if diff := cmpDiff(want, list(p)); diff != "" {
		t.Errorf("txt references (-want +got):\n%s", diff)
	}
	for _, r := range x.References {
		if !r.Unresolved || r.URL == "" {
			t.Errorf("xml reference %s: want unresolved with URL, got %+v", r.Anchor, r)
		}
	}
}
