// Package render turns a stored draft into readable HTML: from RFCXML,
// sections with numbers, anchors, a table of contents and references;
// from plain text, the text with links to RFCs, drafts and addresses.
// It writes only the tags it knows and escapes all text, so an upload
// cannot inject markup. Like docs/draft it never fetches anything.
package render

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"

	"hum/internal/docs/draft"
)

// TOCEntry is one line of the table of contents.
type TOCEntry struct {
	Number, Title, Anchor string
	Depth                 int
}

// Doc is a rendered draft.
type Doc struct {
	TOC  []TOCEntry
	Body template.HTML
}

var safeID = regexp.MustCompile(`[^A-Za-z0-9._:-]`)

func id(s string) string { return safeID.ReplaceAllString(s, "-") }

// node is a parsed XML element.
type node struct {
	name  string
	attrs map[string]string
	kids  []any // *node or string
}

func (n *node) attr(k string) string { return n.attrs[k] }

func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if c, ok := k.(*node); ok && c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) text() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		for _, k := range n.kids {
			switch k := k.(type) {
			case string:
				b.WriteString(k)
			case *node:
				walk(k)
			}
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

type writer struct {
	b    strings.Builder
	toc  []TOCEntry
	refs map[string]draft.Reference // external references by entity name, or includeKey
}

// includeKey files a reference included by address, apart from entity names.
func includeKey(href string) string { return "include:" + href }

func (w *writer) esc(s string) { w.b.WriteString(html.EscapeString(s)) }

// FromXML renders an RFCXML v2 or v3 source.
func FromXML(src []byte) (Doc, error) { return FromXMLRefs(src, nil) }

// FromXMLRefs renders an RFCXML source whose references sections include
// entries by external entity (&RFC2119;), which are never fetched: refs
// are those references as the submission read and resolved them
// (draft.Reference with Entity set), shown with their title, authors and
// date, or marked unresolved.
func FromXMLRefs(src []byte, refs []draft.Reference) (Doc, error) {
	rfc, _, err := parse(src)
	if err != nil {
		return Doc{}, err
	}
	if rfc == nil {
		return Doc{}, fmt.Errorf("no <rfc> element")
	}
	w := &writer{refs: map[string]draft.Reference{}}
	for _, r := range refs {
		switch {
		case r.Entity != "":
			w.refs[r.Entity] = r
		case r.URL != "": // <?rfc include?> or xi:include
			w.refs[includeKey(r.URL)] = r
		}
	}
	if m := rfc.child("middle"); m != nil {
		w.sections(m, "", 0)
	}
	if b := rfc.child("back"); b != nil {
		w.back(b)
	}
	return Doc{TOC: w.toc, Body: template.HTML(w.b.String())}, nil
}

func sectionTitle(n *node) string {
	if nm := n.child("name"); nm != nil {
		return nm.text()
	}
	return n.attr("title")
}

func (w *writer) sections(parent *node, prefix string, depth int) {
	i := 0
	for _, k := range parent.kids {
		n, ok := k.(*node)
		if !ok || n.name != "section" {
			continue
		}
		i++
		num := fmt.Sprintf("%s%d", prefix, i)
		w.section(n, num, depth)
	}
}

func (w *writer) section(n *node, num string, depth int) {
	anchor := n.attr("anchor")
	if anchor == "" {
		anchor = "section-" + num
	}
	title := sectionTitle(n)
	w.toc = append(w.toc, TOCEntry{num, title, id(anchor), depth})
	h := min(depth+2, 6)
	fmt.Fprintf(&w.b, `<section id="%s"><h%d><a href="#%s" class="secno">%s.</a> `, id(anchor), h, id(anchor), num)
	w.esc(title)
	fmt.Fprintf(&w.b, "</h%d>\n", h)
	for _, k := range n.kids {
		c, ok := k.(*node)
		if !ok || c.name == "name" || c.name == "section" {
			continue
		}
		w.block(c)
	}
	w.sections(n, num+".", depth+1)
	w.b.WriteString("</section>\n")
}

var blockTags = map[string]string{"t": "p", "blockquote": "blockquote", "aside": "aside", "ul": "ul", "ol": "ol", "li": "li",
	"dl": "dl", "dt": "dt", "dd": "dd", "table": "table", "thead": "thead", "tbody": "tbody", "tfoot": "tfoot", "tr": "tr",
	"td": "td", "th": "th", "figure": "figure", "note": "aside"}

var inlineTags = map[string]string{"em": "em", "strong": "strong", "tt": "code", "sub": "sub", "sup": "sup", "bcp14": "span"}

func (w *writer) block(n *node) {
	switch n.name {
	case "artwork", "sourcecode":
		w.b.WriteString("<pre>")
		var raw strings.Builder
		for _, k := range n.kids {
			if s, ok := k.(string); ok {
				raw.WriteString(s)
			}
		}
		w.esc(strings.Trim(raw.String(), "\n"))
		w.b.WriteString("</pre>\n")
		return
	case "list": // v2
		tag := "ul"
		if n.attr("style") == "numbers" {
			tag = "ol"
		}
		fmt.Fprintf(&w.b, "<%s>", tag)
		w.kids(n)
		fmt.Fprintf(&w.b, "</%s>\n", tag)
		return
	case "texttable": // v2
		w.b.WriteString("<table><tr>")
		cols := 0
		for _, k := range n.kids {
			if c, ok := k.(*node); ok && c.name == "ttcol" {
				w.b.WriteString("<th>")
				w.inline(c)
				w.b.WriteString("</th>")
				cols++
			}
		}
		w.b.WriteString("</tr><tr>")
		i := 0
		for _, k := range n.kids {
			if c, ok := k.(*node); ok && c.name == "c" {
				if i > 0 && cols > 0 && i%cols == 0 {
					w.b.WriteString("</tr><tr>")
				}
				w.b.WriteString("<td>")
				w.inline(c)
				w.b.WriteString("</td>")
				i++
			}
		}
		w.b.WriteString("</tr></table>\n")
		return
	case "name", "preamble", "postamble":
		if n.name == "name" {
			return
		}
	}
	tag, ok := blockTags[n.name]
	if !ok {
		w.inline(n)
		return
	}
	if a := n.attr("anchor"); a != "" {
		fmt.Fprintf(&w.b, `<%s id="%s">`, tag, id(a))
	} else {
		fmt.Fprintf(&w.b, "<%s>", tag)
	}
	w.kids(n)
	fmt.Fprintf(&w.b, "</%s>\n", tag)
}

func (w *writer) kids(n *node) {
	for _, k := range n.kids {
		switch k := k.(type) {
		case string:
			w.esc(k)
		case *node:
			if n.name == "list" && k.name == "t" {
				w.b.WriteString("<li>")
				w.kids(k)
				w.b.WriteString("</li>")
				continue
			}
			if _, ok := blockTags[k.name]; ok || k.name == "artwork" || k.name == "sourcecode" || k.name == "list" || k.name == "texttable" {
				w.block(k)
			} else {
				w.inline(k)
			}
		}
	}
}

func (w *writer) inline(n *node) {
	switch n.name {
	case "xref":
		target := n.attr("target")
		fmt.Fprintf(&w.b, `<a href="#%s">`, id(target))
		if t := n.text(); t != "" {
			w.esc(t)
		} else {
			w.esc("[" + target + "]")
		}
		w.b.WriteString("</a>")
		return
	case "eref":
		target := n.attr("target")
		if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
			fmt.Fprintf(&w.b, `<a href="%s" rel="nofollow">`, html.EscapeString(target))
			if t := n.text(); t != "" {
				w.esc(t)
			} else {
				w.esc(target)
			}
			w.b.WriteString("</a>")
			return
		}
	case "spanx": // v2
		w.b.WriteString("<em>")
		w.kids(n)
		w.b.WriteString("</em>")
		return
	case "vspace":
		w.b.WriteString("<br>")
		return
	case "cref", "iref", "name":
		return
	}
	if tag, ok := inlineTags[n.name]; ok {
		fmt.Fprintf(&w.b, "<%s>", tag)
		w.kids(n)
		fmt.Fprintf(&w.b, "</%s>", tag)
		return
	}
	w.kids(n)
}

func (w *writer) back(b *node) {
	n := 0
	var refs []*node
	var walk func(*node)
	walk = func(x *node) {
		for _, k := range x.kids {
			if c, ok := k.(*node); ok {
				if c.name == "references" {
					refs = append(refs, c)
				} else if c.name == "section" {
					continue
				}
			}
		}
	}
	walk(b)
	for _, r := range refs {
		n++
		title := sectionTitle(r)
		if title == "" {
			title = "References"
		}
		anchor := id(r.attr("anchor"))
		if anchor == "" {
			anchor = fmt.Sprintf("references-%d", n)
		}
		w.toc = append(w.toc, TOCEntry{"", title, anchor, 0})
		fmt.Fprintf(&w.b, `<section id="%s" class="references"><h2>`, anchor)
		w.esc(title)
		w.b.WriteString("</h2>\n<dl>")
		w.references(r)
		w.b.WriteString("</dl></section>\n")
	}
	i := 0
	for _, k := range b.kids {
		if c, ok := k.(*node); ok && c.name == "section" {
			i++
			w.section(c, "Appendix "+string(rune('A'+i-1)), 0)
		}
	}
}

func (w *writer) references(r *node) {
	for _, k := range r.kids {
		c, ok := k.(*node)
		if !ok {
			if s, ok := k.(string); ok {
				w.entityRefs(s)
			}
			continue
		}
		switch c.name {
		case "references":
			w.references(c)
		case "?include", "include":
			href := c.attr("href")
			r, ok := w.refs[includeKey(href)]
			if !ok {
				r = draft.Reference{Anchor: href, URL: href, Unresolved: true}
			}
			w.externalRef(r)
		case "reference", "referencegroup":
			a := c.attr("anchor")
			fmt.Fprintf(&w.b, `<dt id="%s">[`, id(a))
			w.esc(a)
			w.b.WriteString("]</dt><dd>")
			title := ""
			if f := c.child("front"); f != nil {
				if t := f.child("title"); t != nil {
					title = t.text()
				}
			}
			link := refLink(c)
			if link != "" {
				fmt.Fprintf(&w.b, `<a href="%s">`, html.EscapeString(link))
			}
			if title == "" {
				title = a
			}
			w.esc(title)
			if link != "" {
				w.b.WriteString("</a>")
			}
			w.b.WriteString("</dd>\n")
		}
	}
}

// entityRe finds an entity reference the XML decoder left as text: it
// knows no external entities, and in non-strict mode keeps them as written.
var entityRe = regexp.MustCompile(`&([A-Za-z_][-A-Za-z0-9._:]*);`)

// entityRefs writes the references a references section includes by
// external entity, from what the submission resolved.
func (w *writer) entityRefs(s string) {
	for _, m := range entityRe.FindAllStringSubmatch(s, -1) {
		r, ok := w.refs[m[1]]
		if !ok {
			r = draft.Reference{Anchor: m[1], Unresolved: true}
		}
		w.externalRef(r)
	}
}

// externalRef writes one reference the source points at, as resolved.
func (w *writer) externalRef(r draft.Reference) {
	fmt.Fprintf(&w.b, `<dt id="%s">[`, id(r.Anchor))
	w.esc(r.Anchor)
	w.b.WriteString("]</dt>")
	link := ""
	if strings.HasPrefix(r.URL, "https://") || strings.HasPrefix(r.URL, "http://") {
		link = r.URL // an include may name anything; only web addresses become links
	}
	if r.Doc != "" {
		link = "/doc/" + r.Doc + "/"
	}
	if r.Unresolved {
		w.b.WriteString(`<dd class="unresolved">`)
	} else {
		w.b.WriteString("<dd>")
	}
	if link != "" {
		fmt.Fprintf(&w.b, `<a href="%s">`, html.EscapeString(link))
	}
	switch {
	case !r.Unresolved && r.Title != "":
		w.esc(r.Title)
	case r.Doc != "":
		w.esc(r.Doc)
	default:
		w.esc(r.Anchor)
	}
	if link != "" {
		w.b.WriteString("</a>")
	}
	if r.Unresolved {
		w.b.WriteString(` <span class="note">(unresolved: hum holds no record of it`)
		if r.URL != "" {
			w.b.WriteString("; the source points at ")
			w.esc(r.URL)
		}
		w.b.WriteString(")</span>")
	} else {
		if len(r.Authors) > 0 {
			w.b.WriteString(", ")
			w.esc(strings.Join(r.Authors, ", "))
		}
		if r.Date != "" {
			w.b.WriteString(", ")
			w.esc(r.Date)
		}
	}
	w.b.WriteString("</dd>\n")
}

// refLink points a reference at hum's own page where it is an RFC or a
// draft, else at its target address.
func refLink(c *node) string {
	for _, k := range c.kids {
		if s, ok := k.(*node); ok && s.name == "seriesInfo" {
			switch s.attr("name") {
			case "RFC":
				return "/doc/rfc" + s.attr("value") + "/"
			case "Internet-Draft":
				return "/doc/" + s.attr("value") + "/"
			}
		}
	}
	if t := c.attr("target"); strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") {
		return t
	}
	return ""
}

// FromText returns the text, escaped, with links to RFCs ("RFC 9110",
// "RFC9110"), drafts (draft-foo-bar) and web addresses, for a <pre>. It
// is a hand-written scanner, not a regular expression: a draft page
// renders 30 KB of text, and the regexp engine spent milliseconds on it.
// render_test.go holds the expression it replaces and checks both agree.
func FromText(txt []byte) template.HTML {
	s := string(txt)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	last := 0
	for i := 0; i < len(s); i++ {
		var end int
		var href string
		switch s[i] {
		case 'R':
			if i > 0 && isWord(s[i-1]) {
				continue
			}
			var num string
			end, num = rfcAt(s, i)
			href = "/doc/rfc" + strings.TrimLeft(num, "0") + "/"
		case 'd':
			if i > 0 && isWord(s[i-1]) {
				continue
			}
			end = draftAt(s, i)
			href = "/doc/" + s[i:max(end, i)] + "/"
		case 'h':
			end = urlAt(s, i)
			href = s[i:max(end, i)]
		default:
			continue
		}
		if end <= i {
			continue
		}
		b.WriteString(html.EscapeString(s[last:i]))
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(href), html.EscapeString(s[i:end]))
		last, i = end, end-1
	}
	b.WriteString(html.EscapeString(s[last:]))
	return template.HTML(b.String())
}

// isWord is the \b word class: ASCII letters, digits and underscore.
func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// rfcAt matches `RFC ?(\d{1,5})\b` at i, returning its end (0: none) and
// the number.
func rfcAt(s string, i int) (int, string) {
	if !strings.HasPrefix(s[i:], "RFC") {
		return 0, ""
	}
	j := i + 3
	if j < len(s) && s[j] == ' ' {
		j++
	}
	k := j
	for k < len(s) && isDigitByte(s[k]) {
		k++
	}
	if k == j || k-j > 5 || k < len(s) && isWord(s[k]) {
		return 0, ""
	}
	return k, s[j:k]
}

// draftAt matches `draft-[a-z0-9][a-z0-9-]*[a-z0-9]\b` at i, the longest
// match as the expression finds it, returning its end (0: none).
func draftAt(s string, i int) int {
	if !strings.HasPrefix(s[i:], "draft-") {
		return 0
	}
	start := i + len("draft-")
	k := start
	for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || isDigitByte(s[k]) || s[k] == '-') {
		k++
	}
	// Back off to the longest prefix that ends in [a-z0-9] followed by a
	// word boundary: after the run (if what follows is no word
	// character) or before a hyphen inside it.
	for e := k; e > start+1; e-- {
		if s[e-1] == '-' {
			continue
		}
		if e == k && (e == len(s) || !isWord(s[e])) || e < k && s[e] == '-' {
			if s[start] == '-' {
				return 0
			}
			return e
		}
	}
	return 0
}

// urlAt matches `https?://[^\s<>"\]\)]+` at i, returning its end (0: none).
func urlAt(s string, i int) int {
	var j int
	switch {
	case strings.HasPrefix(s[i:], "https://"):
		j = i + len("https://")
	case strings.HasPrefix(s[i:], "http://"):
		j = i + len("http://")
	default:
		return 0
	}
	k := j
	for k < len(s) && !strings.ContainsRune(" \t\n\f\r<>\"])", rune(s[k])) {
		k++
	}
	if k == j {
		return 0
	}
	return k
}
