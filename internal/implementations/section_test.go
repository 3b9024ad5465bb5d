package implementations_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"hum/internal/implementations"
)

// rfc7942Para is RFC 7942 §2's paragraph, as the RFC gives it, which the
// generated section must carry whole (R10).
const rfc7942Para = `This section records the status of known implementations of the
   protocol defined by this specification at the time of posting of
   this Internet-Draft, and is based on a proposal described in
   [RFC7942].  The description of implementations in this section is
   intended to assist the IETF in its decision processes in
   progressing drafts to RFCs.  Please note that the listing of any
   individual implementation here does not imply endorsement by the
   IETF.  Furthermore, no effort has been spent to verify the
   information presented here that was supplied by IETF contributors.
   This is not intended as, and must not be construed to be, a
   catalog of available implementations or their features.  Readers
   are advised to note that other implementations may exist.`

const rfc7942Quote = `According to [RFC7942], "this will allow reviewers and working
   groups to assign due consideration to documents that have the
   benefit of running code, which may serve as evidence of valuable
   experimentation and feedback that have made the implemented
   protocols more mature.  It is up to the individual working groups
   to use this information as they see fit".`

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// sectionEnv has two reports, one with characters XML must escape, and a
// test between them.
func sectionEnv(t *testing.T) (*env, []implementations.Report) {
	e := newEnv(t)
	ctx := context.Background()
	f := fields("hum <&> \"quoted\"")
	f.Organization, f.URL = "Smith & Sons <Ltd>", "https://impl.example/a"
	f.Description = "First paragraph.\n\nSecond paragraph with ]]> and <t>tags</t>."
	f.Maturity = "widely-used"
	a := e.add("pat@example.org", "a", f)
	b := e.add("tom@example.org", "b", fields("other-impl"))
	if _, err := e.s.AddTest(ctx, a.ID, e.as("pat@example.org"), implementations.NewTest{Other: b.ID, Date: "2026-02-20", Result: "partial", Notes: "Resumption <fails> & retries."}, ""); err != nil {
		t.Fatal(err)
	}
	rs, err := e.s.ForDoc(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	return e, rs
}

// TestTextSectionR10 checks the plain-text section against RFC 7942 §2's
// boilerplate and §4's order of details.
func TestTextSectionR10(t *testing.T) {
	_, rs := sectionEnv(t)
	got := implementations.Text(draft, rs)
	flat := words(got)
	for _, p := range []string{rfc7942Para, rfc7942Quote} {
		if !strings.Contains(flat, words(p)) {
			t.Errorf("R10: the section lacks RFC 7942's paragraph %q\n%s", words(p)[:60], got)
		}
	}
	if !strings.HasPrefix(got, "Implementation Status\n") || !strings.Contains(flat, "remove this section before publication") {
		t.Errorf("R10: the section has no heading or no note to remove it:\n%s", got)
	}
	// RFC 7942 §4's order: organisation, implementation, description,
	// maturity, coverage, version, licensing, contact, date.
	order := []string{"Organization: Smith & Sons <Ltd>", "Implementation: hum <&> \"quoted\", https://impl.example/a",
		"Description: First paragraph.", "Second paragraph", "Level of maturity: Widely used", "Coverage: All of it.",
		"Version compatibility: draft-example-impl-01", "Licensing: MIT", "Contact: impl@example.org", "Last updated: 2026-03-01"}
	at := 0
	for _, o := range order {
		i := strings.Index(flat[at:], o)
		if i < 0 {
			t.Fatalf("%q missing or out of RFC 7942 §4's order in\n%s", o, got)
		}
		at += i
	}
	if !strings.Contains(flat, "hum <&> \"quoted\" and other-impl, tested 2026-02-20: partial. Resumption <fails> & retries.") {
		t.Errorf("the interoperability result is missing:\n%s", got)
	}
	for i, line := range strings.Split(got, "\n") {
		if len(line) > 72 && !strings.Contains(line, "https://") {
			t.Errorf("line %d is %d columns: %q", i+1, len(line), line)
		}
	}
	if none := implementations.Text(draft, nil); !strings.Contains(words(none), words(rfc7942Para)) || !strings.Contains(none, "No implementations") {
		t.Errorf("the section of a draft without reports:\n%s", none)
	}
}

// TestXMLSectionR10: the RFCXML section parses with encoding/xml, is the
// removable section R10 asks for, and keeps text with <&> as written.
func TestXMLSectionR10(t *testing.T) {
	_, rs := sectionEnv(t)
	src := implementations.XML(draft, rs)
	type dl struct {
		DT []string `xml:"dt"`
		DD []struct {
			Text string   `xml:",chardata"`
			T    []string `xml:"t"`
		} `xml:"dd"`
	}
	type section struct {
		Anchor      string    `xml:"anchor,attr"`
		RemoveInRFC string    `xml:"removeInRFC,attr"`
		Name        string    `xml:"name"`
		T           []string  `xml:"t"`
		DL          dl        `xml:"dl"`
		LI          []string  `xml:"ul>li"`
		Sections    []section `xml:"section"`
	}
	var s section
	if err := xml.Unmarshal([]byte(src), &s); err != nil {
		t.Fatalf("encoding/xml cannot parse the section: %v\n%s", err, src)
	}
	if s.Anchor != "implementation-status" || s.RemoveInRFC != "true" || s.Name != "Implementation Status" {
		t.Errorf("R10: section anchor %q removeInRFC %q name %q", s.Anchor, s.RemoveInRFC, s.Name)
	}
	// The xref is an element, so the paragraph's text is RFC 7942's without it.
	if len(s.T) < 2 || words(s.T[0]) != words(strings.ReplaceAll(rfc7942Para, "[RFC7942]", "")) ||
		words(s.T[1]) != words(strings.ReplaceAll(rfc7942Quote, "[RFC7942]", "")) {
		t.Errorf("R10: the first paragraph is not RFC 7942's: %q", s.T)
	}
	if !strings.Contains(src, `<xref target="RFC7942"/>`) {
		t.Errorf("the section does not cite RFC 7942 with an xref")
	}
	if len(s.Sections) != 3 {
		t.Fatalf("%d subsections, want two implementations and the interoperability one:\n%s", len(s.Sections), src)
	}
	first := s.Sections[0]
	if first.Name != `hum <&> "quoted"` {
		t.Errorf("the name came back as %q", first.Name)
	}
	if first.DL.DT[0] != "Organization:" || strings.TrimSpace(first.DL.DD[0].Text) != "Smith & Sons <Ltd>" {
		t.Errorf("organisation = %q %q", first.DL.DT[0], first.DL.DD[0].Text)
	}
	if len(first.DL.DD[2].T) != 2 || first.DL.DD[2].T[1] != "Second paragraph with ]]> and <t>tags</t>." {
		t.Errorf("description = %+v", first.DL.DD[2])
	}
	interop := s.Sections[2]
	if interop.Anchor != "implementation-status-interop" || len(interop.LI) != 1 || !strings.Contains(interop.LI[0], "partial. Resumption <fails> & retries.") {
		t.Errorf("interoperability subsection = %+v", interop)
	}
}
