package render

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// render lays out the whole document, unpaginated.
func (d *textDoc) render() []tline {
	out := d.front()
	if m := d.rfc.child("middle"); m != nil {
		for _, s := range elems(m) {
			if s.name == "section" {
				out = append(out, tline{})
				out = append(out, d.section(s)...)
			}
		}
	}
	if b := d.rfc.child("back"); b != nil {
		wrapped := false
		for _, c := range elems(b) {
			switch {
			case c.name == "references" && d.refWrap != nil:
				if !wrapped {
					wrapped = true
					out = append(out, tline{})
					out = append(out, d.heading(d.secOf[d.refWrap])...)
					for _, r := range d.refList {
						out = append(out, tline{})
						out = append(out, d.references(r)...)
					}
				}
			case c.name == "references":
				out = append(out, tline{})
				out = append(out, d.references(c)...)
			case c.name == "section":
				out = append(out, tline{})
				out = append(out, d.section(c)...)
			}
		}
	}
	return append(out, d.addresses()...)
}

// heading renders the title line(s) of section i of the contents.
func (d *textDoc) heading(i int) []tline {
	s := d.secs[i]
	var ls []string
	if s.label != "" {
		pre := s.label + "  "
		ls = fill(s.title, wrapOpts{width: 72, first: pre, rest: strings.Repeat(" ", runes(pre))})
		if len(ls) == 0 {
			ls = []string{s.label}
		}
	} else {
		ls = fill(s.title, wrapOpts{width: 72})
	}
	blk := d.nextBlock()
	out := make([]tline, len(ls))
	for j, l := range ls {
		out[j] = tline{s: l, blk: blk, sec: true, sect: i + 1}
	}
	return out
}

func (d *textDoc) section(s *node) []tline {
	out := d.heading(d.secOf[s])
	if body := d.joinBlocks(s, 72, 3, true); len(body) > 0 {
		out = append(out, tline{})
		out = append(out, body...)
	}
	for _, c := range elems(s) {
		if c.name == "section" {
			out = append(out, tline{})
			out = append(out, d.section(c)...)
		}
	}
	return out
}

func (d *textDoc) references(r *node) []tline {
	out := d.heading(d.secOf[r])
	for _, e := range d.collectRefs(r) {
		out = append(out, tline{})
		out = append(out, indentLines(d.refLines(e), 3)...)
	}
	for _, c := range elems(r) {
		if c.name == "references" {
			out = append(out, tline{})
			out = append(out, d.references(c)...)
		}
	}
	return out
}

// refLines renders one entry: "[RFC2119]  Bradner, S., "Key words...",
// BCP 14, RFC 2119, ...", the label alone on its line when it is long.
func (d *textDoc) refLines(e *refEntry) []tline {
	label := "[" + d.derived[e.anchor] + "]"
	if e.anchor == "" {
		label = "[]"
	}
	var text string
	if e.ref != nil && e.ref.name == "referencegroup" {
		var parts []string
		for _, c := range elems(e.ref) {
			if c.name == "reference" {
				parts = append(parts, d.refText(c, true))
			}
		}
		if t := e.ref.attr("target"); t != "" {
			parts = append(parts, "<"+t+">")
		}
		var ls []string
		for i, p := range parts {
			if i > 0 {
				ls = append(ls, "")
			}
			ls = append(ls, fill(keepURLs(p, 58), wrapOpts{width: 58, noSentence: true})...)
		}
		return d.labelled(label, ls)
	}
	if e.ref != nil {
		text = d.refText(e.ref, false)
	} else {
		text = extRefText(e.ext)
	}
	return d.labelled(label, fill(keepURLs(text, 58), wrapOpts{width: 58, noSentence: true}))
}

func (d *textDoc) labelled(label string, ls []string) []tline {
	for i := range ls {
		if ls[i] != "" {
			ls[i] = strings.Repeat(" ", 11) + ls[i]
		}
	}
	switch {
	case len(ls) == 0:
		ls = []string{label}
	case runes(label) > 10:
		ls = append([]string{label}, ls...)
	default:
		ls[0] = label + strings.Repeat(" ", 11-runes(label)) + strings.TrimLeft(ls[0], " ")
	}
	return d.textLines(ls)
}

var urlStart = []string{"https:", "http:"}

// keepURLs keeps a web address that fits on a line from being broken.
func keepURLs(s string, limit int) string {
	if !strings.Contains(s, "http") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if (strings.HasPrefix(s[i:], urlStart[0]) || strings.HasPrefix(s[i:], urlStart[1])) && (i == 0 || s[i-1] != ':') {
			j := i
			for j < len(s) && !isSpaceByte(s[j]) {
				j++
			}
			u := s[i:j]
			if utf8.RuneCountInString(u) <= limit {
				for _, r := range u {
					b.WriteRune(r)
					if r == '/' || r == '-' || r == ':' {
						b.WriteRune(keepMark)
					}
				}
			} else {
				b.WriteString(u)
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// refText is a written-out reference as xml2rfc shows it: authors,
// title, other content, series, date, address, annotation.
func (d *textDoc) refText(r *node, inGroup bool) string {
	var parts []string
	var authors []*node
	front := r.child("front")
	var titles, contents, series, dates []*node
	var walk func(*node)
	walk = func(x *node) {
		for _, c := range elems(x) {
			switch c.name {
			case "author":
				authors = append(authors, c)
			case "title":
				titles = append(titles, c)
			case "refcontent":
				contents = append(contents, c)
			case "seriesInfo":
				series = append(series, c)
			case "date":
				dates = append(dates, c)
			}
			if c.name != "author" && c.name != "annotation" {
				walk(c)
			}
		}
	}
	walk(r)
	_ = front
	if a := refAuthors(authors); a != "" {
		parts = append(parts, a)
	}
	for _, t := range titles {
		title := t.text()
		if r.attr("quoteTitle") != "false" {
			title = `"` + title + `"`
		}
		parts = append(parts, title)
	}
	for _, c := range contents {
		parts = append(parts, d.inline(c))
	}
	for _, s := range series {
		name, value := s.attr("name"), s.attr("value")
		switch {
		case inGroup && name == "DOI":
		case name == "Internet-Draft":
			parts = append(parts, name+", "+value)
		case name != "" || value != "":
			parts = append(parts, name+string(nbsp)+strings.ReplaceAll(value, "/", "/"+string(keepMark)))
		}
	}
	for _, dt := range dates {
		if s := refDate(dt); s != "" {
			parts = append(parts, s)
		}
	}
	target := r.attr("target")
	for _, f := range elems(r) {
		if f.name == "format" && target == "" { // v2: the first format's address
			target = f.attr("target")
		}
	}
	if target != "" && !inGroup {
		parts = append(parts, "<"+target+">")
	}
	text := strings.Join(parts, ", ") + "."
	for _, c := range elems(r) {
		if c.name == "annotation" {
			text += "  " + d.inline(c)
		}
	}
	return text
}

// refDate writes a reference's date as given: "22 March 2022",
// "March 1997", "2006".
func refDate(dt *node) string {
	y, m, day := strings.TrimSpace(dt.attr("year")), strings.TrimSpace(dt.attr("month")), strings.TrimSpace(dt.attr("day"))
	if mm := monthOf(m); mm != 0 {
		m = mm.String()
	}
	var ps []string
	if m != "" && day != "" {
		if n, err := strconv.Atoi(day); err == nil {
			day = strconv.Itoa(n)
		}
		ps = append(ps, day)
	}
	for _, p := range []string{m, y} {
		if p != "" {
			ps = append(ps, p)
		}
	}
	s := strings.Join(ps, " ")
	if t := strings.TrimSpace(dt.text()); t != "" {
		if s != "" {
			return t + " (" + s + ")"
		}
		return t
	}
	return s
}

// refAuthors lists a reference's authors as the RFC Editor does:
// "Rosen, E. and Y. Rekhter", "Sangli, S., Tappan, D., and Y. Rekhter".
func refAuthors(as []*node) string {
	var names []string
	for i, a := range as {
		sur := strings.TrimSpace(a.attr("surname"))
		ini := initials(a.attr("initials"))
		var name string
		switch {
		case sur != "" && i == len(as)-1 && len(as) > 1:
			name = strings.TrimSpace(ini + " " + sur)
		case sur != "" && ini != "":
			name = sur + ", " + ini
		case sur != "":
			name = sur
		case strings.TrimSpace(a.attr("fullname")) != "":
			name = strings.TrimSpace(a.attr("fullname"))
		default:
			if o := a.child("organization"); o != nil {
				name = o.text()
			}
		}
		if name == "" {
			continue
		}
		if !latin(name) {
			if asc := strings.TrimSpace(a.attr("asciiFullname")); asc != "" {
				name += " (" + asc + ")"
			}
		}
		if a.attr("role") == "editor" {
			name += ", Ed."
		}
		names = append(names, name)
	}
	return joinAuthors(names)
}

func joinAuthors(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1]
}
