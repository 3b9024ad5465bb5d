package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"hum/internal/docs/draft"
)

// TextOptions steer the plain-text rendering of an RFCXML source.
type TextOptions struct {
	// Date stands in for what the source's <date> leaves out, as
	// xml2rfc uses the day it runs: for a posted revision, its date.
	Date time.Time
	// Unpaginated leaves out the page breaks, running headers and
	// footers, and the table of contents' page numbers.
	Unpaginated bool
}

// Text renders an RFCXML v2 or v3 Internet-Draft as plain text, in the
// layout of xml2rfc's text output: 72 columns, the first-page header,
// the boilerplate xml2rfc v3 writes for an Internet-Draft, a table of
// contents, numbered sections, lists, figures, tables, references and
// the authors' addresses, paginated with running headers and footers
// and form feeds. refs are the references the source includes by
// external entity or include, as the submission resolved them; like
// FromXMLRefs it never fetches anything.
func Text(src []byte, refs []draft.Reference, opt TextOptions) ([]byte, error) {
	rfc, pis, err := parse(src)
	if err != nil {
		return nil, err
	}
	if rfc == nil {
		return nil, fmt.Errorf("no <rfc> element")
	}
	if opt.Date.IsZero() {
		opt.Date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d := newTextDoc(rfc, pis, refs, opt)
	lines := d.render()
	if !opt.Unpaginated {
		lines = d.paginate(lines)
	}
	var b bytes.Buffer
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1].s) == "" {
		end--
	}
	for _, l := range lines[:end] {
		b.WriteString(finalText(strings.TrimRight(l.s, " ")))
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// finalText replaces the characters that held words together or apart
// while filling.
func finalText(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u2011\u200b\u2060\ue060\u2028") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case nbsp, lineSep:
			return ' '
		case nbhy:
			return '-'
		case zwsp, wj, keepMark:
			return -1
		}
		return r
	}, s)
}

var piPair = regexp.MustCompile(`([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// parse reads an RFCXML source into a tree of nodes, with xml2rfc v2's
// <?rfc include?> as "?include" nodes, and returns its <rfc> element and
// xml2rfc's <?rfc name="value"?> processing instructions (toc, sortrefs,
// symrefs, tocdepth, ...). Entities are xml2rfc's own; external ones
// stay in the text as written, never fetched.
func parse(src []byte) (*node, map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = false
	d.Entity = draft.Entities(src)
	// Stored sources passed the submission parser, which reads them as
	// UTF-8; many real drafts declare US-ASCII, a subset of it.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "us-ascii", "ascii", "utf-8", "utf8":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported; use UTF-8", label)
	}
	pis := map[string]string{}
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
			if len(stack) > 200 {
				return nil, nil, fmt.Errorf("elements nested too deep")
			}
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top.kids = append(top.kids, string(t))
		case xml.ProcInst:
			if inc, ok := draft.IncludeOf(t); ok {
				top.kids = append(top.kids, &node{name: "?include", attrs: map[string]string{"href": inc}})
				continue
			}
			if t.Target == "rfc" {
				for _, m := range piPair.FindAllStringSubmatch(string(t.Inst), -1) {
					pis[strings.ToLower(m[1])] = m[2] + m[3]
				}
			}
		}
	}
	return root.child("rfc"), pis, nil
}

// tline is one line of output with what pagination needs to know of it.
type tline struct {
	s    string
	blk  int  // the block it belongs to; 0 for blank lines
	sec  bool // a section heading
	big  bool // artwork, a figure or a table: kept on one page if it fits
	sect int  // for a heading: 1 + its index in the table of contents
	toc  int  // for the last line of a contents entry: 1 + the entry's index
}

// section is one entry of the table of contents.
type section struct {
	num    string // "1.1", "A", "" when unnumbered
	label  string // "1.1.", "Appendix A.", ""
	title  string
	depth  int   // 1 for top level
	node   *node // the <section> or <references>
	toc    bool
	anchor string
}

// textDoc holds what rendering needs across the document.
type textDoc struct {
	rfc     *node
	pis     map[string]string
	opt     TextOptions
	ext     map[string]draft.Reference // external references by entity name, or includeKey
	derived map[string]string          // anchor -> "Section 2", "Figure 1", "[RFC2119]"...
	titles  map[string]string          // anchor -> its title, for format="title"
	isRef   map[string]bool
	nums    map[*node]string // section, figure and table numbers
	secs    []section
	secOf   map[*node]int
	groups  map[string]int // v2 list counters and v3 <ol group>
	blk     int
	date    docDate
	symRefs bool

	refWrap    *node   // the References section wrapping several, if any
	refList    []*node // the <references> it wraps
	refEntries map[*node][]*refEntry
	authorsSec int // index of Authors' Addresses in secs

	v2          bool   // the source uses xml2rfc v2's vocabulary
	ulDepth     int    // bulleted lists open around the one being rendered
	v2Style     string // the style of the v2 <list> being rendered, which nested ones inherit
	letterDepth int    // v2 letter lists open: they alternate a. and A.
	anonList    int
}

func newTextDoc(rfc *node, pis map[string]string, refs []draft.Reference, opt TextOptions) *textDoc {
	d := &textDoc{rfc: rfc, pis: pis, opt: opt, ext: map[string]draft.Reference{}, derived: map[string]string{},
		titles: map[string]string{}, isRef: map[string]bool{}, nums: map[*node]string{}, secOf: map[*node]int{},
		groups: map[string]int{}}
	for _, r := range refs {
		switch {
		case r.Entity != "":
			d.ext[r.Entity] = r
		case r.URL != "":
			d.ext[includeKey(r.URL)] = r
		}
	}
	d.date = d.docDate()
	d.v2 = rfc.attr("version") == "2" || rfc.attr("version") != "3" && usesV2(rfc)
	d.symRefs = !(rfc.attr("symRefs") == "false" || pis["symrefs"] == "no")
	d.prep()
	return d
}

func (d *textDoc) nextBlock() int { d.blk++; return d.blk }

// elems returns n's child elements.
func elems(n *node) []*node {
	var out []*node
	for _, k := range n.kids {
		if c, ok := k.(*node); ok {
			out = append(out, c)
		}
	}
	return out
}

func falseAttr(v string) bool { return v == "false" || v == "no" }

func (d *textDoc) v3() bool { return !d.v2 }

// v2Only are elements of xml2rfc's v2 vocabulary that v3 dropped.
var v2Only = map[string]bool{"list": true, "spanx": true, "vspace": true, "texttable": true, "ttcol": true,
	"c": true, "preamble": true, "postamble": true, "facsimile": true, "format": true}

func usesV2(n *node) bool {
	for _, c := range elems(n) {
		if v2Only[c.name] || usesV2(c) {
			return true
		}
	}
	return false
}

func figureTitle(n *node) string {
	if nm := n.child("name"); nm != nil {
		return nm.text()
	}
	return n.attr("title")
}

func (d *textDoc) anchor(n *node, derived, title string) {
	if a := n.attr("anchor"); a != "" {
		d.derived[a] = derived
		d.titles[a] = title
	}
}
