package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hum/internal/docs"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// textDraftXML is a small v3 draft whose revisions differ in one
// sentence of their introduction.
func textDraftXML(rev, sentence string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="draft-ann-plain-%s" category="std" version="3">
  <front>
    <title abbrev="Plain">Plain Text for Drafts Sent as XML</title>
    <author fullname="Ann Author" initials="A." surname="Author"><organization>Example</organization><address><email>ann@example.org</email></address></author>
    <date year="2026" month="January" day="5"/>
    <abstract><t>This document is laid out as text.</t></abstract>
  </front>
  <middle><section anchor="intro"><name>Introduction</name><t>%s</t><ul><li>One item.</li></ul></section></middle>
  <back></back>
</rfc>
`, rev, sentence)
}

// plainSite serves Ann's draft-ann-plain, submitted as XML only in two
// revisions.
func plainSite(t *testing.T) *site {
	t.Helper()
	b := newBody(t)
	b.DB.Now = func() time.Time { return time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC) }
	b.AddPeople(testbody.Person{Email: "ann@example.org", Name: "Ann Author"})
	ds := &docs.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	ann, err := b.Groups.ActorOf(context.Background(), record.Actor{ID: b.IDs["ann@example.org"], Name: "Ann Author"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ rev, sentence string }{{"00", "The first words of this draft."}, {"01", "The second words of this draft."}} {
		u := docs.Upload{XML: textDraftXML(r.rev, r.sentence), XMLName: "draft-ann-plain-" + r.rev + ".xml"}
		if _, err := ds.Submit(context.Background(), u, docs.Submitter{Actor: ann, Email: "ann@example.org", Emails: []string{"ann@example.org"}}); err != nil {
			t.Fatal(err)
		}
	}
	return serve(t, b, Config{Docs: ds})
}

// TestXMLOnlyDraftHasText: a draft submitted as XML only is served at
// /id/{name}-{rev}.txt as xml2rfc lays it out, and its page shows that
// text, with the XML rendered as a web page one link away.
func TestXMLOnlyDraftHasText(t *testing.T) {
	s := plainSite(t)
	c := s.client()
	code, body := c.get("/id/draft-ann-plain-00.txt")
	want(t, "text of an XML-only revision", code, body, 200,
		"Network Working Group                                          A. Author\n",
		"Internet-Draft                                                   Example\n",
		"Intended status: Standards Track                          5 January 2026\n",
		"                   Plain Text for Drafts Sent as XML\n",
		"                          draft-ann-plain-00\n",
		"Status of This Memo\n",
		"   This Internet-Draft will expire on 9 July 2026.\n",
		"   1.  Introduction  . . . . . . . . . . . . . . . . . . . . . . . .   2\n",
		"1.  Introduction\n\n   The first words of this draft.\n\n   *  One item.\n",
		"Author                     Expires 9 July 2026                  [Page 1]\n\f\nInternet-Draft                    Plain                     January 2026\n",
		"Author's Address\n\n   Ann Author\n   Example\n   Email: ann@example.org\n")
	if strings.Contains(body, "<rfc") || strings.Contains(body, "<t>") {
		t.Errorf("the text is the XML source:\n%s", body)
	}
	code, body = c.get("/id/draft-ann-plain-00.xml")
	want(t, "the XML is still the source", code, body, 200, `docName="draft-ann-plain-00"`)
	code, body = c.get("/id/draft-ann-plain-07.txt")
	want(t, "no such revision", code, body, 404)

	code, body = c.get("/doc/draft-ann-plain/00/")
	want(t, "page shows the text", code, body, 200, `<pre class="draft-text">`, "Status of This Memo", "   The first words of this draft.",
		`href="/id/draft-ann-plain-00.txt">text</a> (laid out from the XML)`, `href="?view=html">as a web page</a>`)
	if strings.Contains(body, "\f") {
		t.Errorf("the page shows form feeds")
	}
	code, body = c.get("/doc/draft-ann-plain/00/?view=html")
	want(t, "page as html", code, body, 200, `<article class="draft-body">`, `href="#intro"`, "The first words of this draft.")
}

// TestXMLOnlyDiffComparesText: the diff of two revisions submitted as
// XML only compares their text as laid out, not their XML.
func TestXMLOnlyDiffComparesText(t *testing.T) {
	s := plainSite(t)
	c := s.client()
	code, body := c.get("/doc/draft-ann-plain/diff/?rev1=00&rev2=01&view=side")
	want(t, "diff", code, body, 200, "<del>first</del>", "<ins>second</ins>", "1.  Introduction", "draft-ann-plain-0")
	for _, xml := range []string{"&lt;t&gt;", "&lt;rfc", "docName="} {
		if strings.Contains(body, xml) {
			t.Errorf("the diff compares the XML source (%s):\n%s", xml, body)
		}
	}
}
