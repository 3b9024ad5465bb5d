package draft

import (
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
)

// frontStart handles elements inside <rfc><front>. Paths are checked by
// depth so that a <title> or <date> inside a <reference> is never taken
// for the document's own.
func (r *xmlReader) frontStart(t xml.StartElement) {
	depth, name := len(r.stack), t.Name.Local
	switch {
	case depth == 3 && (name == "title" || name == "workgroup" || name == "area"):
		r.capture()
	case depth == 3 && name == "author":
		r.author = &Author{
			Name: attr(t, "fullname"), ASCIIName: attr(t, "asciiFullname"),
			Initials: attr(t, "initials"), Surname: attr(t, "surname"), Role: attr(t, "role"),
		}
	case depth == 3 && name == "date":
		r.d.Raw.Date = &DateAttrs{Year: attr(t, "year"), Month: attr(t, "month"), Day: attr(t, "day")}
	case depth == 3 && name == "seriesInfo":
		r.d.SeriesInfo = append(r.d.SeriesInfo, SeriesInfo{Name: attr(t, "name"), Value: attr(t, "value"), Stream: attr(t, "stream")})
	case r.author != nil && (name == "organization" && depth == 4 || name == "email" && depth == 5):
		r.capture()
	case depth > 3 && r.stack[2] == "abstract" && paragraph[name] && !r.inParagraph():
		r.capture()
	}
}

// paragraph lists the block elements whose text forms one abstract paragraph.
var paragraph = map[string]bool{"t": true, "li": true, "dt": true, "dd": true, "blockquote": true}

func (r *xmlReader) inParagraph() bool {
	for _, name := range r.stack[3 : len(r.stack)-1] {
		if paragraph[name] {
			return true
		}
	}
	return false
}

func (r *xmlReader) frontEnd(name, text string) {
	depth := len(r.stack)
	switch {
	case depth == 3 && name == "title":
		r.d.Title = collapse(text)
	case depth == 3 && name == "workgroup":
		r.d.Workgroups = append(r.d.Workgroups, collapse(text))
	case depth == 3 && name == "area":
		r.d.Areas = append(r.d.Areas, collapse(text))
	case depth == 3 && name == "author":
		r.d.Authors = append(r.d.Authors, *r.author)
		r.author = nil
	case r.author != nil && depth == 4 && name == "organization":
		r.author.Organization = collapse(text)
	case r.author != nil && depth == 5 && name == "email" && r.author.Email == "":
		r.author.Email = collapse(text)
	case depth > 3 && r.stack[2] == "abstract" && paragraph[name] && !r.inParagraph():
		if p := collapse(text); p != "" {
			r.abstract = append(r.abstract, p)
		}
	}
}

// bodyStart handles <middle> and <back>: only references matter here.
func (r *xmlReader) bodyStart(t xml.StartElement) {
	switch name := t.Name.Local; {
	case name == "references":
		r.refs = append(r.refs, refSection{normative: r.normative(attr(t, "title"))})
	case name == "name" && r.parent() == "references":
		r.capture()
	case name == "reference" && len(r.refs) > 0:
		r.ref = &Reference{Anchor: attr(t, "anchor"), Normative: r.refs[len(r.refs)-1].normative}
	case name == "title" && r.ref != nil && r.parent() == "front":
		r.capture()
	case name == "seriesInfo" && r.ref != nil:
		r.seriesInfo(attr(t, "name"), attr(t, "value"))
	case name == "include" && t.Name.Space == xincludeNS && len(r.refs) > 0:
		href := attr(t, "href")
		ref := refFromURL(strings.TrimSuffix(href, ".xml"), href)
		ref.Entity = ""
		ref.Normative = r.refs[len(r.refs)-1].normative
		r.d.References = append(r.d.References, ref)
	}
}

const xincludeNS = "http://www.w3.org/2001/XInclude"

func (r *xmlReader) bodyEnd(name, text string) {
	switch {
	case name == "references" && len(r.refs) > 0:
		r.refs = r.refs[:len(r.refs)-1]
	case name == "name" && len(r.stack) >= 2 && r.stack[len(r.stack)-2] == "references" && len(r.refs) > 0:
		r.refs[len(r.refs)-1].normative = r.normative(text)
	case name == "title" && r.ref != nil && r.ref.Title == "":
		r.ref.Title = collapse(text)
	case name == "reference" && r.ref != nil:
		if r.ref.Doc == "" {
			r.ref.Doc = docFromAnchor(r.ref.Anchor)
		}
		r.d.References = append(r.d.References, *r.ref)
		r.ref = nil
	}
}

// normative decides from a section title; a nested section without its
// own title inherits from the enclosing one.
func (r *xmlReader) normative(title string) bool {
	if title == "" && len(r.refs) > 0 {
		return r.refs[len(r.refs)-1].normative
	}
	return strings.Contains(strings.ToLower(title), "normative")
}

func (r *xmlReader) seriesInfo(name, value string) {
	switch strings.ToLower(name) {
	case "rfc":
		if isDigits(value) {
			r.ref.Doc = "rfc" + strings.TrimLeft(value, "0")
		}
	case "internet-draft":
		if r.ref.Doc == "" {
			r.ref.Doc, _ = splitNameRev(value)
		}
	}
}

func (r *xmlReader) parent() string {
	if len(r.stack) < 2 {
		return ""
	}
	return r.stack[len(r.stack)-2]
}

var rfcNumber = regexp.MustCompile(`\d+`)

// parseRFCList reads "2028, 2418" or "RFC 2629 (if approved)" as numbers.
func parseRFCList(s string) []int {
	var out []int
	for _, m := range rfcNumber.FindAllString(s, -1) {
		if n, err := strconv.Atoi(m); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}
