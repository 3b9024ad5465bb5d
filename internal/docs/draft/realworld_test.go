package draft

import (
	"os"
	"strings"
	"testing"
)

// TestOlderTextLayouts: a draft laid out as older tools did it (the name
// line as <draft-name-NN.txt>, tabs in the header and in references, an
// "Informational References" heading) reads the same as the original.
func TestOlderTextLayouts(t *testing.T) {
	const rel = "drafts/txt/draft-ietf-idr-rt-derived-community-00.txt"
	orig, err := parseFile(t, rel, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(corpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	old := string(raw)
	for _, r := range []struct{ from, to string }{
		{"                 draft-ietf-idr-rt-derived-community-00\n", "            <draft-ietf-idr-rt-derived-community-00.txt>\n"},
		{"Internet-Draft                                                   J. Haas\n", "Internet-Draft\t\t\t\t\t\t\t\t J. Haas\n"},
		{"                                                            7 March 2023\n", "\t\t\t\t\t\t\t    7 March 2023\n"},
		{"7.2.  Informative References", "7.2.  Informational References"},
		{"   [RFC4360]  Sangli", "\t[RFC4360]  Sangli"},
	} {
		if !strings.Contains(old, r.from) {
			t.Fatalf("corpus file changed: no %q", r.from)
		}
		old = strings.Replace(old, r.from, r.to, 1)
	}
	got, err := parseString("draft-ietf-idr-rt-derived-community-00.txt", old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(orig, got); diff != "" {
		t.Errorf("older layout (-original +older):\n%s", diff)
	}
}

// TestReferenceHeadings: the headings drafts give reference sections,
// and which of them are normative.
func TestReferenceHeadings(t *testing.T) {
	for _, tc := range []struct {
		heading   string
		normative bool
	}{
		{"References", false}, {"7.  References", false}, {"7.1.  Normative References", true},
		{"Normative references", true}, {"7.2.  Informative References", false},
		{"8.2.  Informational References", false}, {"Non-normative References", false},
		{"Other References", false},
	} {
		doc := "Network Working Group                                        A. Person\nInternet-Draft                                                June 2021\n\n\n                              A Title\n                          draft-a-b-00\n\nAbstract\n\n   Text.\n\n" +
			tc.heading + "\n\n   [RFC2119]  Bradner, S., \"Key words\", RFC 2119, March 1997.\n"
		d, err := parseString("draft-a-b-00.txt", doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.References) != 1 || d.References[0].Doc != "rfc2119" || d.References[0].Normative != tc.normative {
			t.Errorf("%q: references %+v, want rfc2119 normative=%v", tc.heading, d.References, tc.normative)
		}
	}
}

// TestXML2RFCEntities: v2 sources use the entities xml2rfc defines
// without declaring them; &rfc.number; is the number attribute of <rfc>,
// or "XXXX" before there is one.
func TestXML2RFCEntities(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"drafts/xml/rfc7911.v2.xml", "This is RFC 7911 (see [x])."},
		{"drafts/xml/draft-template-old.v2.xml", "This is RFC XXXX (see [x])."},
	} {
		raw, err := os.ReadFile(corpusPath(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		src := strings.Replace(string(raw), "<abstract>", "<abstract><t>This is RFC &rfc.number; &lpar;see &lsqb;x&rsqb;&rpar;&period;</t>", 1)
		if src == string(raw) {
			t.Fatalf("%s: no <abstract>", tc.file)
		}
		d, err := parseString("x.xml", src, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if first, _, _ := strings.Cut(d.Abstract, "\n\n"); first != tc.want {
			t.Errorf("%s: abstract starts %q, want %q", tc.file, first, tc.want)
		}
	}
}

// TestIncludePI: xml2rfc v2's <?rfc include="reference.RFC.2629"?> in a
// references section is a reference, resolved from hum's records and
// never fetched.
func TestIncludePI(t *testing.T) {
	d, err := parseFile(t, "drafts/xml/draft-template.xml", Options{Resolver: fakeResolver{"rfc2629": "Writing I-Ds and RFCs using XML"}})
	if err != nil {
		t.Fatal(err)
	}
	type ref struct {
		Anchor, Doc, Title, URL string
		Unresolved              bool
	}
	var got []ref
	for _, r := range d.References {
		if r.Entity == "" && r.URL != "" {
			got = append(got, ref{r.Anchor, r.Doc, r.Title, r.URL, r.Unresolved})
		}
		if r.Normative && r.Doc == "rfc2629" {
			t.Errorf("%s is in the Informative References", r.Anchor)
		}
	}
	want := []ref{
		{"RFC2629", "rfc2629", "Writing I-Ds and RFCs using XML", "reference.RFC.2629.xml", false},
		{"DOI.10.1145/2975159", "", "", "https://bib.ietf.org/public/rfc/bibxml-doi/reference.DOI.10.1145/2975159.xml", true},
		{"I-D.draft-iab-xml2rfcv2-00", "draft-iab-xml2rfcv2", "", "reference.I-D.draft-iab-xml2rfcv2-00.xml", true},
		{"I-D.iab-xml2rfc", "draft-iab-xml2rfc", "", "reference.I-D.iab-xml2rfc", true},
	}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("included references (-want +got):\n%s", diff)
	}
}
