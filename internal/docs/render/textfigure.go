package render

import (
	"strings"
)

// artwork renders artwork or source code verbatim: tabs expanded,
// trailing spaces dropped, aligned as asked; <sourcecode markers="true">
// between <CODE BEGINS> and <CODE ENDS>.
func (d *textDoc) artwork(n *node, width int) []tline {
	var raw strings.Builder
	for _, k := range n.kids {
		if s, ok := k.(string); ok {
			raw.WriteString(s)
		}
	}
	text := raw.String()
	var ls []string
	if strings.TrimSpace(text) == "" {
		src := n.attr("src")
		if src == "" {
			src = "No external link available, see " + d.rfc.attr("docName") + ".html for artwork."
		}
		typ := n.attr("type")
		if typ == "" {
			typ = "(unknown type)"
		}
		ls = fill("(Artwork only available as "+typ+": "+src+")", wrapOpts{width: width})
	} else {
		for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			ls = append(ls, strings.TrimRight(expandTabs(l), " \t\r\f\v"))
		}
		for len(ls) > 0 && ls[0] == "" {
			ls = ls[1:]
		}
		for len(ls) > 0 && ls[len(ls)-1] == "" {
			ls = ls[:len(ls)-1]
		}
	}
	if n.name == "sourcecode" && n.attr("markers") == "true" {
		begin := []string{"<CODE BEGINS>"}
		if f := n.attr("name"); f != "" {
			ft := `file "` + f + `"`
			if runes(ft) > width-len(begin[0]) {
				begin = append(begin, "  "+ft)
			} else {
				begin[0] += " " + ft
			}
		}
		ls = append(append(begin, ls...), "<CODE ENDS>")
	}
	lines := d.textLines(ls)
	for i := range lines {
		if lines[i].blk == 0 {
			lines[i].blk = lines[0].blk // a blank line inside artwork is part of it
		}
		lines[i].big = true
	}
	return align(lines, n.attr("align"), width)
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// align shifts a block of lines to the centre or the right of width.
func align(ls []tline, how string, width int) []tline {
	if how != "center" && how != "right" {
		return ls
	}
	w := maxWidth(ls)
	if w >= width {
		return ls
	}
	shift := width - w
	if how == "center" {
		shift /= 2
	}
	return indentLines(ls, shift)
}

// figure renders a figure's artwork and its centred caption, "Figure 1:
// name". An xml2rfc v2 figure with neither title nor anchor is just its
// artwork; v2 preambles and postambles are paragraphs around it.
func (d *textDoc) figure(n *node, width int) []tline {
	var out []tline
	var pre, post []tline
	for _, c := range elems(n) {
		switch c.name {
		case "preamble":
			pre = d.block(c, width)
		case "postamble":
			post = d.block(c, width)
		case "artwork", "sourcecode", "artset":
			ls := d.block(c, width)
			if len(out) > 0 && len(ls) > 0 {
				ls[0].blk = out[0].blk
			}
			out = append(out, ls...)
		}
	}
	if num, ok := d.nums[n]; ok {
		caption := "Figure " + num
		if t := figureTitle(n); t != "" {
			caption += ": " + t
		}
		blk := 0
		if len(out) > 0 {
			blk = out[0].blk
		}
		out = append(out, tline{})
		for _, l := range center(caption, width) {
			out = append(out, tline{s: l, blk: blk, big: true})
		}
	}
	return withAmbles(pre, out, post)
}

// withAmbles puts a v2 preamble and postamble round a figure or table,
// kept on its page with it.
func withAmbles(pre, out, post []tline) []tline {
	if len(out) == 0 {
		return append(pre, post...)
	}
	if len(pre) > 0 {
		for i := range pre {
			if pre[i].blk != 0 {
				pre[i].blk, pre[i].big = out[0].blk, true
			}
		}
		out = append(append(pre, tline{}), out...)
	}
	if len(post) > 0 {
		for i := range post {
			if post[i].blk != 0 {
				post[i].blk, post[i].big = out[0].blk, true
			}
		}
		out = append(append(out, tline{}), post...)
	}
	return out
}

// center folds a caption that is too wide and centres each line, as
// xml2rfc's captions are.
func center(text string, width int) []string {
	ls := []string{text}
	if runes(text) > width {
		ls = fill(text, wrapOpts{width: width - 4})
	}
	for i, l := range ls {
		ls[i] = strings.TrimRight(pyCenter(l, width), " ")
	}
	return ls
}

// quote renders a blockquote with a bar down its left side.
func (d *textDoc) quote(n *node, width int) []tline {
	var lines []tline
	if hasText(n) {
		lines = d.textLines(fill(d.inline(n), wrapOpts{width: width - 3}))
	} else {
		lines = d.joinBlocks(n, width-3, 0, true)
	}
	by, cite := n.attr("quotedFrom"), n.attr("cite")
	if by != "" || cite != "" {
		lines = append(lines, tline{})
	}
	if by != "" {
		lines = append(lines, d.textLines(fill("-- "+by, wrapOpts{width: width - 6, rest: "   "}))...)
	}
	if cite != "" {
		lines = append(lines, d.textLines(fill(cite, wrapOpts{width: width - 6, first: "   ", rest: "   "}))...)
	}
	for i := range lines {
		lines[i].s = "|  " + lines[i].s
	}
	return lines
}

// aside renders an aside with a bar, set in from the text.
func (d *textDoc) aside(n *node, width int) []tline {
	var lines []tline
	if hasText(n) {
		lines = d.textLines(fill(d.inline(n), wrapOpts{width: width - 6}))
	} else {
		lines = d.joinBlocks(n, width-6, 0, true)
	}
	for i := range lines {
		lines[i].s = "   |  " + lines[i].s
	}
	return lines
}
