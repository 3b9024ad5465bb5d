package draft

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// xmlReader walks the token stream once and keeps only what a submission
// needs; it never builds a tree, so memory stays proportional to the
// metadata, not to the document.
type xmlReader struct {
	dec   *xml.Decoder
	ents  *entityTable
	opt   Options
	d     *Draft
	stack []string   // local names of open elements
	caps  []*capture // elements whose text is being collected
	// state for the element being collected
	author     *Author
	abstract   []string
	refs       []refSection
	ref        *Reference
	xrefTarget string
	xrefText   bool
	v3         bool
	rootSeen   bool
	line       int // line on which the current token starts
	pages      pageCounter
}

// refSection is an open <references> element.
type refSection struct{ normative bool }

func parseXML(data []byte, opt Options) (*Draft, error) {
	r := &xmlReader{ents: newEntityTable(), opt: opt, d: &Draft{Format: FormatXML, DocType: "Internet-Draft"}}
	r.ents.setRFCNumber(data)
	r.dec = xml.NewDecoder(bytes.NewReader(data))
	r.dec.Strict = true
	r.dec.Entity = r.ents.values
	r.dec.CharsetReader = asciiOnly
	if err := r.run(data); err != nil {
		return nil, err
	}
	r.finish()
	return r.d, nil
}

// asciiOnly lets "US-ASCII" declarations through (ASCII is UTF-8) and
// refuses every other non-UTF-8 charset.
func asciiOnly(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii":
		return in, nil
	}
	return nil, fmt.Errorf("encoding %q is not supported; use UTF-8", label)
}

func (r *xmlReader) run(data []byte) error {
	for {
		// Where the previous token ended is where this one starts: errors
		// about a token should name its first line.
		r.line, _ = r.dec.InputPos()
		tok, err := r.dec.Token()
		if err == io.EOF {
			if !r.rootSeen {
				return r.fail(CodeXMLNotRFC, "the file has no <rfc> element")
			}
			return nil
		}
		if err != nil {
			return r.syntax(err)
		}
		if err := r.token(tok, data); err != nil {
			return err
		}
	}
}

func (r *xmlReader) token(tok xml.Token, data []byte) error {
	switch t := tok.(type) {
	case xml.Directive:
		return r.directive(t, data)
	case xml.StartElement:
		return r.start(t)
	case xml.EndElement:
		r.end(t)
	case xml.CharData:
		return r.chars(t)
	case xml.ProcInst:
		r.procInst(t)
	}
	return nil
}

var includePI = regexp.MustCompile(`\binclude\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// IncludeOf returns what an xml2rfc <?rfc include="..."?> names.
func IncludeOf(pi xml.ProcInst) (string, bool) {
	if pi.Target != "rfc" {
		return "", false
	}
	m := includePI.FindSubmatch(pi.Inst)
	if m == nil {
		return "", false
	}
	inc := strings.TrimSpace(string(m[1]) + string(m[2]))
	return inc, inc != ""
}

// procInst reads xml2rfc v2's <?rfc include="reference.RFC.2119"?>
// inside <references>: the reference it pulls in becomes an unresolved
// Reference, as for an external entity. Like those it is never fetched;
// the Resolver fills it from hum's own records.
func (r *xmlReader) procInst(t xml.ProcInst) {
	if len(r.refs) == 0 || r.ref != nil {
		return
	}
	inc, ok := IncludeOf(t)
	if !ok {
		return
	}
	file := inc
	if !strings.HasSuffix(file, ".xml") {
		file += ".xml" // xml2rfc adds it to a bare library name
	}
	name := file
	if i := strings.LastIndex(name, "reference."); i >= 0 {
		name = name[i+len("reference."):] // DOI names hold a slash
	}
	ref := refFromURL(strings.TrimSuffix(name, ".xml"), file)
	ref.Entity, ref.URL = "", inc
	ref.Normative = r.refs[len(r.refs)-1].normative
	r.d.References = append(r.d.References, ref)
}

func (r *xmlReader) directive(t xml.Directive, data []byte) error {
	if !bytes.HasPrefix(t, []byte("DOCTYPE")) {
		return nil
	}
	if err := r.ents.addDoctype(string(t)); err != nil {
		return r.fail(CodeXMLEntity, "the DOCTYPE declares an entity we cannot accept: %v", err)
	}
	if n := r.ents.expansionSize(data); n > maxExpansion {
		return r.fail(CodeXMLEntity, "entity references would expand the document by %d bytes (limit %d)", n, maxExpansion)
	}
	return nil
}

func (r *xmlReader) start(t xml.StartElement) error {
	if len(r.stack) == 0 {
		if r.rootSeen || t.Name.Local != "rfc" {
			return r.fail(CodeXMLNotRFC, "the root element must be <rfc>, found <%s>", t.Name.Local)
		}
		r.rootSeen = true
		r.root(t)
	}
	r.stack = append(r.stack, t.Name.Local)
	if len(r.stack) > r.opt.MaxDepth {
		return r.fail(CodeXMLTooDeep, "elements are nested more than %d deep", r.opt.MaxDepth)
	}
	r.pages.start(t.Name.Local)
	if v3Only[t.Name.Local] {
		r.v3 = true
	}
	if t.Name.Local == "xref" || t.Name.Local == "eref" {
		r.xrefTarget, r.xrefText = attr(t, "target"), false
	}
	if r.inFront() {
		r.frontStart(t)
	} else {
		r.bodyStart(t)
	}
	return nil
}

// v3Only are elements that exist only in the v3 vocabulary (RFC 7991).
var v3Only = map[string]bool{"name": true, "sourcecode": true, "ul": true, "ol": true, "bcp14": true, "contact": true, "blockquote": true, "em": true, "strong": true}

func (r *xmlReader) root(t xml.StartElement) {
	r.d.Raw.RootAttrs = make(map[string]string)
	for _, a := range t.Attr {
		if a.Name.Space == "" || a.Name.Space == "xml" {
			r.d.Raw.RootAttrs[a.Name.Local], _ = takeMarkers(a.Value)
		}
	}
}

// inFront reports whether the element just opened is inside <rfc><front>.
func (r *xmlReader) inFront() bool {
	return len(r.stack) >= 2 && r.stack[1] == "front"
}

func (r *xmlReader) end(t xml.EndElement) {
	name := t.Name.Local
	if (name == "xref" || name == "eref") && !r.xrefText && r.xrefTarget != "" {
		// An empty xref renders as its target, e.g. "[RFC4360]".
		r.write("[" + r.xrefTarget + "]")
	}
	if name == "xref" || name == "eref" {
		r.xrefTarget = ""
	}
	var text string
	if n := len(r.caps); n > 0 && r.caps[n-1].depth == len(r.stack) {
		text, _ = takeMarkers(r.caps[n-1].b.String())
		r.caps = r.caps[:n-1]
	}
	if r.inFront() {
		r.frontEnd(name, text)
	} else {
		r.bodyEnd(name, text)
	}
	r.pages.end(name)
	r.stack = r.stack[:len(r.stack)-1]
}

// capture is an element whose text, descendants included, is wanted.
type capture struct {
	depth int
	b     strings.Builder
}

// capture starts collecting the text of the element just opened.
func (r *xmlReader) capture() { r.caps = append(r.caps, &capture{depth: len(r.stack)}) }

func (r *xmlReader) write(s string) {
	for _, c := range r.caps {
		c.b.WriteString(s)
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			v, _ := takeMarkers(a.Value)
			return v
		}
	}
	return ""
}

func (r *xmlReader) chars(t xml.CharData) error {
	if len(r.stack) == 0 {
		if len(bytes.TrimSpace(t)) > 0 {
			return r.fail(CodeXMLSyntax, "there is text outside the <rfc> element: %q", clip(string(bytes.TrimSpace(t)), 40))
		}
		return nil
	}
	s := string(t)
	if len(r.refs) > 0 && r.ref == nil {
		var names []string
		s, names = takeMarkers(s)
		r.externalRefs(names)
	}
	r.pages.text(s)
	r.write(s)
	if r.xrefTarget != "" && strings.TrimSpace(s) != "" {
		r.xrefText = true
	}
	return nil
}

func (r *xmlReader) externalRefs(names []string) {
	for _, n := range names {
		e := r.ents.external[n]
		ref := refFromURL(e.Name, e.URL)
		ref.Normative = r.refs[len(r.refs)-1].normative
		r.d.References = append(r.d.References, ref)
	}
}

// finish turns collected raw values into the normalised ones.
func (r *xmlReader) finish() {
	d := r.d
	a := d.Raw.RootAttrs
	d.Name, d.Rev = splitNameRev(a["docName"])
	d.RFCNumber = a["number"]
	d.Category = strings.ToLower(a["category"])
	d.Stream = strings.ToLower(a["submissionType"])
	d.Obsoletes = parseRFCList(a["obsoletes"])
	d.Updates = parseRFCList(a["updates"])
	d.XMLVersion = a["version"]
	if d.XMLVersion == "" {
		d.XMLVersion = "2"
		if r.v3 {
			d.XMLVersion = "3"
		}
	}
	d.Abstract = strings.Join(r.abstract, "\n\n")
	if d.Raw.Date != nil {
		d.Date = dateFromAttrs(*d.Raw.Date)
	}
	if !r.opt.Today.IsZero() && (d.Raw.Date == nil || *d.Raw.Date == (DateAttrs{})) {
		d.Date = r.opt.Today // RFC 7991 §2.17: a date without values means today
	}
	external := 0 // references whose text the source does not contain
	for _, ref := range d.References {
		if ref.URL != "" {
			external++
		}
	}
	d.Pages, d.PagesEstimated = r.pages.estimate(len(d.Authors), external), true
}

func (r *xmlReader) fail(code Code, format string, a ...any) *Error {
	return &Error{Code: code, Line: r.line, Msg: fmt.Sprintf(format, a...)}
}

func (r *xmlReader) syntax(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Code: CodeXMLSyntax, Line: se.Line, Msg: "the XML is not well-formed: " + se.Msg}
	}
	line, _ := r.dec.InputPos()
	return &Error{Code: CodeXMLSyntax, Line: line, Msg: "the XML could not be read", Err: err}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
