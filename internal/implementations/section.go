package implementations

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// The "Implementation Status" section, as RFC 7942 §2 asks authors to
// write it: the boilerplate paragraphs, then each implementation with the
// details §4 lists, in §4's order, then the interoperability results.
// It goes just before Security Considerations and is removed before
// publication (R10).

// Boilerplate is RFC 7942 §2's paragraphs, with [RFC7942] where the
// section cites it.
var Boilerplate = []string{
	`This section records the status of known implementations of the protocol defined by this specification at the time of posting of this Internet-Draft, and is based on a proposal described in [RFC7942]. ` +
		`The description of implementations in this section is intended to assist the IETF in its decision processes in progressing drafts to RFCs. ` +
		`Please note that the listing of any individual implementation here does not imply endorsement by the IETF. ` +
		`Furthermore, no effort has been spent to verify the information presented here that was supplied by IETF contributors. ` +
		`This is not intended as, and must not be construed to be, a catalog of available implementations or their features. ` +
		`Readers are advised to note that other implementations may exist.`,
	`According to [RFC7942], "this will allow reviewers and working groups to assign due consideration to documents that have the benefit of running code, ` +
		`which may serve as evidence of valuable experimentation and feedback that have made the implemented protocols more mature. ` +
		`It is up to the individual working groups to use this information as they see fit".`,
}

// removeNote is the note RFC 7942 §2 suggests for the RFC Editor; the
// RFCXML form says the same with removeInRFC="true".
const removeNote = `[Note to the RFC Editor: please remove this section before publication, as well as the reference to RFC 7942.]`

const noneKnown = `No implementations of this specification have been reported yet.`

// item is one line of an implementation's description: a §4 heading and
// its value.
type item struct{ head, value string }

// items are r's details in RFC 7942 §4's order: organisation, name and
// link, description, maturity, coverage, version compatibility,
// licensing, contact, date.
func items(doc string, r Report) []item {
	impl := r.Name
	if r.URL != "" {
		impl += ", " + r.URL
	}
	var out []item
	add := func(head, v string) {
		if strings.TrimSpace(v) != "" {
			out = append(out, item{head, v})
		}
	}
	add("Organization", r.Organization)
	add("Implementation", impl)
	add("Description", r.Description)
	add("Level of maturity", MaturityName(r.Maturity))
	add("Coverage", r.Coverage)
	add("Version compatibility", doc+"-"+r.Rev)
	add("Licensing", r.Licence)
	add("Contact", r.Contact)
	add("Last updated", r.Date)
	return out
}

// pair is the latest test between two implementations.
type pair struct {
	a, b string
	t    *Test
}

func pairs(m Matrix) []pair {
	var out []pair
	for i := range m.Reports {
		for j := i + 1; j < len(m.Reports); j++ {
			if t := m.Cells[i][j]; t != nil {
				out = append(out, pair{m.Reports[i].Name, m.Reports[j].Name, t})
			}
		}
	}
	return out
}

func (p pair) String() string {
	s := fmt.Sprintf("%s and %s, tested %s: %s", p.a, p.b, p.t.Date, p.t.Result)
	if p.t.Notes != "" {
		s += ". " + p.t.Notes
	}
	return s
}

// Text is the section as plain text, in an Internet-Draft's layout:
// headings at the margin, paragraphs indented by three and wrapped at 72.
func Text(doc string, rs []Report) string {
	var b strings.Builder
	b.WriteString("Implementation Status\n\n")
	para(&b, removeNote, "   ", "   ")
	for _, p := range Boilerplate {
		para(&b, p, "   ", "   ")
	}
	if len(rs) == 0 {
		para(&b, noneKnown, "   ", "   ")
	}
	for _, r := range rs {
		b.WriteString(r.Name + "\n\n")
		for _, it := range items(doc, r) {
			para(&b, it.head+": "+it.value, "   ", "      ")
		}
	}
	if ps := pairs(MatrixOf(rs)); len(ps) > 0 {
		b.WriteString("Interoperability\n\n")
		para(&b, "The latest interoperability test reported between each pair of implementations:", "   ", "   ")
		for _, p := range ps {
			para(&b, "* "+p.String(), "   ", "     ")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// para writes v's paragraphs (split at blank lines, their lines joined)
// wrapped at 72 columns, the first line after first and the others
// after rest, each followed by a blank line.
func para(b *strings.Builder, v, first, rest string) {
	for _, p := range paragraphs(v) {
		line, n := first, len(first)
		for i, w := range strings.Fields(p) {
			if i > 0 && n+1+len(w) > 72 {
				b.WriteString(line + "\n")
				line, n = rest+w, len(rest)+len(w)
				continue
			}
			if i > 0 {
				line += " "
				n++
			}
			line += w
			n += len(w)
		}
		b.WriteString(line + "\n\n")
		first = rest
	}
}

func paragraphs(v string) []string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(v, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// XML is the section as RFCXML v3, ready to paste before Security
// Considerations: removeInRFC="true" makes xml2rfc say it goes before
// publication, and [RFC7942] is an xref, so the draft's informative
// references must cite RFC 7942 (the comment at the top says so).
func XML(doc string, rs []Report) string {
	var b bytes.Buffer
	b.WriteString(`<section anchor="implementation-status" removeInRFC="true">` + "\n")
	b.WriteString(`  <!-- Generated by hum from the implementation reports of ` + esc(strings.ReplaceAll(doc, "--", "-")) + `. Cite RFC 7942 in the informative references. -->` + "\n")
	b.WriteString("  <name>Implementation Status</name>\n")
	for _, p := range Boilerplate {
		b.WriteString("  <t>" + strings.ReplaceAll(esc(p), "[RFC7942]", `<xref target="RFC7942"/>`) + "</t>\n")
	}
	if len(rs) == 0 {
		b.WriteString("  <t>" + noneKnown + "</t>\n")
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "  <section anchor=\"implementation-status-%d\">\n    <name>%s</name>\n    <dl>\n", r.ID, esc(oneLine(r.Name)))
		for _, it := range items(doc, r) {
			b.WriteString("      <dt>" + esc(it.head) + ":</dt>\n      <dd>")
			ps := paragraphs(it.value)
			if len(ps) == 1 {
				b.WriteString(esc(oneLine(ps[0])))
			} else {
				for _, p := range ps {
					b.WriteString("<t>" + esc(oneLine(p)) + "</t>")
				}
			}
			b.WriteString("</dd>\n")
		}
		b.WriteString("    </dl>\n  </section>\n")
	}
	if ps := pairs(MatrixOf(rs)); len(ps) > 0 {
		b.WriteString("  <section anchor=\"implementation-status-interop\">\n    <name>Interoperability</name>\n")
		b.WriteString("    <t>The latest interoperability test reported between each pair of implementations:</t>\n    <ul>\n")
		for _, p := range ps {
			b.WriteString("      <li>" + esc(oneLine(p.String())) + "</li>\n")
		}
		b.WriteString("    </ul>\n  </section>\n")
	}
	b.WriteString("</section>\n")
	return b.String()
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to memory: cannot fail
	return b.String()
}

// oneLine joins a paragraph's lines: XML would keep a newline as &#xA;.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
