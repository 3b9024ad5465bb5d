package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hum/internal/docs/draft"
)

// prep numbers sections, appendices, figures and tables, labels the
// references and works out what each cross-reference shows, as xml2rfc's
// preparation step does before its text writer runs.
func (d *textDoc) prep() {
	n := 0
	if m := d.rfc.child("middle"); m != nil {
		for _, s := range elems(m) {
			if s.name == "section" {
				n = d.prepSection(s, "", 1, n, false)
			}
		}
	}
	fig, tab := 0, 0
	var walk func(*node)
	walk = func(x *node) {
		for _, c := range elems(x) {
			switch {
			case c.name == "figure" && (c.attr("title") != "" || c.attr("anchor") != "" || c.child("name") != nil || d.v3()):
				fig++
				d.nums[c] = strconv.Itoa(fig)
				d.anchor(c, "Figure "+d.nums[c], figureTitle(c))
			case c.name == "table" || c.name == "texttable":
				tab++
				d.nums[c] = strconv.Itoa(tab)
				d.anchor(c, "Table "+d.nums[c], figureTitle(c))
			}
			walk(c)
		}
	}
	walk(d.rfc)
	if b := d.rfc.child("back"); b != nil {
		d.prepBack(b, n)
	}
	// A title with a cross-reference in it shows what that refers to,
	// known now that everything is numbered.
	for i, s := range d.secs {
		if s.node == nil {
			continue
		}
		if nm := s.node.child("name"); nm != nil && len(elems(nm)) > 0 {
			d.secs[i].title = strings.Join(strings.Fields(d.inline(nm)), " ")
		}
	}
	d.authorsSec = len(d.secs)
	title := "Authors' Addresses"
	if len(d.authors()) == 1 {
		title = "Author's Address"
	}
	if len(d.authors()) > 0 {
		d.secs = append(d.secs, section{title: title, depth: 1, toc: true})
	}
}

// prepSection numbers s (the i-th numbered section of its parent) and
// its subsections; it returns the count of numbered siblings so far.
func (d *textDoc) prepSection(s *node, prefix string, depth, i int, appendix bool) int {
	numbered := !falseAttr(s.attr("numbered"))
	num := ""
	if numbered {
		i++
		if appendix && depth == 1 {
			num = appendixLetter(i)
		} else {
			num = prefix + strconv.Itoa(i)
		}
	}
	sec := section{num: num, title: sectionTitle(s), node: s, depth: depth, anchor: s.attr("anchor"),
		toc: s.attr("toc") != "exclude" && depth <= d.tocDepth()}
	if num != "" {
		sec.label = num + "."
		if appendix && depth == 1 {
			sec.label = "Appendix " + num + "."
		}
		kind := "Section "
		if appendix {
			kind = "Appendix "
		}
		d.anchor(s, kind+num, sec.title)
	} else {
		d.anchor(s, sec.title, sec.title)
	}
	d.nums[s] = num
	d.secOf[s] = len(d.secs)
	d.secs = append(d.secs, sec)
	j := 0
	for _, c := range elems(s) {
		if c.name == "section" {
			p := num + "."
			if num == "" {
				p = ""
			}
			j = d.prepSection(c, p, depth+1, j, appendix)
		}
	}
	return i
}

func appendixLetter(i int) string {
	s := ""
	for i > 0 {
		i--
		s = string(rune('A'+i%26)) + s
		i /= 26
	}
	return s
}

func (d *textDoc) tocDepth() int {
	v := d.rfc.attr("tocDepth")
	if v == "" {
		v = d.pis["tocdepth"]
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return 3
}

func (d *textDoc) tocInclude() bool {
	if v := d.rfc.attr("tocInclude"); v != "" {
		return !falseAttr(v)
	}
	if v := d.pis["toc"]; v != "" {
		return v == "yes"
	}
	return true
}

// prepBack numbers the references (one References section, or one per
// <references> when they are wrapped) and the appendices, and labels
// every reference.
func (d *textDoc) prepBack(b *node, n int) {
	var refsecs []*node
	for _, c := range elems(b) {
		if c.name == "references" {
			refsecs = append(refsecs, c)
		}
	}
	switch {
	case len(refsecs) == 1:
		n++
		d.prepRefs(refsecs[0], strconv.Itoa(n), 1)
	case len(refsecs) > 1:
		// xml2rfc wraps several References sections into one.
		n++
		wrap := &node{name: "references", attrs: map[string]string{"title": "References", "anchor": ""}}
		d.nums[wrap] = strconv.Itoa(n)
		d.secOf[wrap] = len(d.secs)
		d.secs = append(d.secs, section{num: strconv.Itoa(n), label: strconv.Itoa(n) + ".", title: "References", depth: 1, toc: true})
		for i, r := range refsecs {
			d.prepRefs(r, fmt.Sprintf("%d.%d", n, i+1), 2)
		}
		d.refWrap = wrap
		d.refList = refsecs
	}
	i := 0
	for _, c := range elems(b) {
		if c.name == "section" {
			i = d.prepSection(c, "", 1, i, true)
		}
	}
	// The references' labels, after sorting where the source asks.
	num := 0
	var all []*refEntry
	for _, r := range refsecs {
		all = append(all, d.allRefs(r)...)
	}
	for _, e := range all {
		num++
		e.label = e.anchor
		if !d.symRefs {
			e.label = strconv.Itoa(num)
		}
		d.derived[e.anchor] = e.label
		d.isRef[e.anchor] = true
		d.titles[e.anchor] = e.title
	}
	for _, c := range elems(b) {
		if c.name == "displayreference" {
			if t := c.attr("target"); d.isRef[t] && c.attr("to") != "" {
				d.derived[t] = c.attr("to")
			}
		}
	}
}

// refEntry is one bibliographic entry of a References section.
type refEntry struct {
	anchor, label, title string
	ref                  *node           // a written-out <reference> or <referencegroup>
	ext                  draft.Reference // else one the source includes
}

// collectRefs lists r's own entries (not those of sections inside it),
// sorted when the document asks.
func (d *textDoc) collectRefs(r *node) []*refEntry {
	if es, ok := d.refEntries[r]; ok {
		return es
	}
	var es []*refEntry
	for _, k := range r.kids {
		switch c := k.(type) {
		case string:
			for _, m := range entityRe.FindAllStringSubmatch(c, -1) {
				x, ok := d.ext[m[1]]
				if !ok {
					x = draft.Reference{Anchor: m[1], Unresolved: true}
				}
				es = append(es, &refEntry{anchor: x.Anchor, title: x.Title, ext: x})
			}
		case *node:
			switch c.name {
			case "reference", "referencegroup":
				t := ""
				if f := c.child("front"); f != nil {
					if tt := f.child("title"); tt != nil {
						t = tt.text()
					}
				}
				es = append(es, &refEntry{anchor: c.attr("anchor"), title: t, ref: c})
			case "?include", "include":
				href := c.attr("href")
				x, ok := d.ext[includeKey(href)]
				if !ok {
					x = draft.Reference{Anchor: href, URL: href, Unresolved: true}
				}
				es = append(es, &refEntry{anchor: x.Anchor, title: x.Title, ext: x})
			}
		}
	}
	if d.rfc.attr("sortRefs") == "true" || d.pis["sortrefs"] == "yes" {
		sort.SliceStable(es, func(i, j int) bool { return strings.ToLower(es[i].anchor) < strings.ToLower(es[j].anchor) })
	}
	if d.refEntries == nil {
		d.refEntries = map[*node][]*refEntry{}
	}
	d.refEntries[r] = es
	return es
}

// allRefs lists r's entries and those of the sections inside it.
func (d *textDoc) allRefs(r *node) []*refEntry {
	es := append([]*refEntry(nil), d.collectRefs(r)...)
	for _, c := range elems(r) {
		if c.name == "references" {
			es = append(es, d.allRefs(c)...)
		}
	}
	return es
}

func (d *textDoc) prepRefs(r *node, num string, depth int) {
	title := sectionTitle(r)
	if title == "" {
		title = "References"
	}
	d.nums[r] = num
	d.secOf[r] = len(d.secs)
	d.secs = append(d.secs, section{num: num, label: num + ".", title: title, depth: depth, anchor: r.attr("anchor"), toc: depth <= d.tocDepth()})
	d.anchor(r, "Section "+num, title)
	i := 0
	for _, c := range elems(r) {
		if c.name == "references" {
			i++
			d.prepRefs(c, fmt.Sprintf("%s.%d", num, i), depth+1)
		}
	}
}

// authors are the document's own authors (not contributors).
func (d *textDoc) authors() []*node {
	f := d.rfc.child("front")
	if f == nil {
		return nil
	}
	var out []*node
	for _, a := range elems(f) {
		if a.name == "author" && a.attr("role") != "contributor" {
			out = append(out, a)
		}
	}
	return out
}
