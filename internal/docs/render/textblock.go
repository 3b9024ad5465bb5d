package render

import (
	"strconv"
	"strings"
)

// blocksOf lists the blocks n holds, in order: its block elements, and
// runs of flowing text as paragraphs. An xml2rfc v2 <t> that holds a
// <list>, or a <vspace blankLines="1"/>, is split there, as xml2rfc's
// v2-to-v3 conversion does.
func blocksOf(n *node) []*node {
	var out []*node
	var run []any
	flush := func() {
		for _, k := range run {
			if s, ok := k.(string); ok && strings.TrimSpace(s) == "" {
				continue
			}
			if c, ok := k.(*node); ok && c.name == "iref" {
				continue
			}
			out = append(out, &node{name: "t", attrs: map[string]string{}, kids: run})
			break
		}
		run = nil
	}
	for _, k := range n.kids {
		c, ok := k.(*node)
		switch {
		case !ok:
			run = append(run, k)
		case flowTags[c.name] && !(c.name == "vspace" && c.attr("blankLines") != "" && c.attr("blankLines") != "0"):
			run = append(run, c)
		case c.name == "vspace":
			flush()
		case c.name == "t" && n.name != "list":
			flush()
			out = append(out, splitT(c)...)
		default:
			flush()
			out = append(out, c)
		}
	}
	flush()
	return out
}

// splitT splits a v2 paragraph around the lists and blank-line vspaces
// inside it; a paragraph without them comes back as it is.
func splitT(t *node) []*node {
	for _, k := range t.kids {
		if c, ok := k.(*node); ok && (c.name == "list" || c.name == "figure" || c.name == "vspace" && c.attr("blankLines") != "" && c.attr("blankLines") != "0") {
			parts := blocksOf(t)
			for _, p := range parts {
				if p.name == "t" && p.attrs != nil {
					p.attrs["indent"] = t.attr("indent")
				}
			}
			return parts
		}
	}
	return []*node{t}
}

// joinBlocks renders n's blocks, each indented and within width, with a
// blank line between them unless compact.
func (d *textDoc) joinBlocks(n *node, width, indent int, spaced bool) []tline {
	var out []tline
	for _, b := range blocksOf(n) {
		if b.name == "name" || b.name == "section" || b.name == "references" {
			continue
		}
		lines := d.block(b, width-indent)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && spaced {
			out = append(out, tline{})
		}
		in := indent
		if indent > 0 && (b.name == "artwork" || b.name == "sourcecode") {
			in = 3 // xml2rfc sets artwork in by 3 wherever it is
		}
		if w := maxWidth(lines); w > width-in && (b.name == "artwork" || b.name == "figure" || b.name == "artset" || b.name == "sourcecode") {
			in = max(0, in-(w-(width-in)))
		}
		out = append(out, indentLines(lines, in)...)
	}
	return out
}

func maxWidth(ls []tline) int {
	w := 0
	for _, l := range ls {
		w = max(w, runes(l.s))
	}
	return w
}

func indentLines(ls []tline, n int) []tline {
	if n <= 0 {
		return ls
	}
	pad := strings.Repeat(" ", n)
	for i := range ls {
		if strings.TrimSpace(ls[i].s) != "" {
			ls[i].s = pad + ls[i].s
		}
	}
	return ls
}

// textLines makes lines of one new block.
func (d *textDoc) textLines(ss []string) []tline {
	blk := d.nextBlock()
	out := make([]tline, len(ss))
	for i, s := range ss {
		out[i] = tline{s: s, blk: blk}
		if strings.TrimSpace(s) == "" {
			out[i].blk = 0
		}
	}
	return out
}

// block renders one block element within width.
func (d *textDoc) block(n *node, width int) []tline {
	width = max(width, 1) // lists nested deeper than the page is wide
	switch n.name {
	case "t", "preamble", "postamble", "annotation":
		in, _ := strconv.Atoi(n.attr("indent"))
		in = max(min(in, width/2), 0)
		return d.textLines(fill(d.inline(n), wrapOpts{width: width, first: strings.Repeat(" ", in), rest: strings.Repeat(" ", in)}))
	case "ul":
		return d.ul(n, width)
	case "ol":
		return d.ol(n, width, n.attr("type"))
	case "dl":
		return d.dl(n, width, falseAttr(n.attr("newline")) || n.attr("newline") == "", n.attr("spacing") == "compact")
	case "list":
		return d.list(n, width)
	case "figure":
		return d.figure(n, width)
	case "artwork", "sourcecode":
		return d.artwork(n, width)
	case "artset":
		var pick *node
		for _, a := range elems(n) {
			if a.name == "artwork" && (pick == nil || a.attr("type") == "ascii-art") {
				pick = a
			}
		}
		if pick == nil {
			return nil
		}
		return d.artwork(pick, width)
	case "table", "texttable":
		return d.table(n, width)
	case "blockquote":
		return d.quote(n, width)
	case "aside":
		return d.aside(n, width)
	case "iref", "cref", "name", "displayreference", "?include":
		return nil
	}
	if hasText(n) {
		return d.textLines(fill(d.inline(n), wrapOpts{width: width}))
	}
	return d.joinBlocks(n, width, 0, true)
}

// hasBlocks reports whether n holds a block element (a nested list, a
// figure, a paragraph) among its text.
func hasBlocks(n *node) bool {
	for _, c := range elems(n) {
		if !flowTags[c.name] && c.name != "iref" || c.name == "vspace" && c.attr("blankLines") != "" && c.attr("blankLines") != "0" {
			return true
		}
	}
	return false
}

// item renders one list item: label (padded to indent) on its first
// line, the rest of it indented.
func (d *textDoc) item(li *node, width, indent int, label string, spaced bool) []tline {
	var lines []tline
	if hasText(li) && !hasBlocks(li) {
		lines = d.textLines(fill(d.inline(li), wrapOpts{width: width - indent}))
		lines = indentLines(lines, indent)
	} else {
		lines = d.joinBlocks(li, width, indent, spaced)
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0].s) == "" {
		lines = lines[1:]
	}
	if label == "" || len(lines) == 0 {
		if len(lines) == 0 && label != "" {
			return d.textLines([]string{strings.TrimRight(label, " ")})
		}
		return lines
	}
	if runes(label) < indent {
		label += strings.Repeat(" ", indent-runes(label))
	}
	first := lines[0].s
	if trimmed := strings.TrimLeft(first, " "); runes(first)-runes(trimmed) == indent {
		lines[0].s = label + trimmed
	} else {
		lines = append([]tline{{s: strings.TrimRight(label, " "), blk: lines[0].blk}}, lines...)
	}
	return lines
}

var ulSymbols = []string{"*", "-", "o", "+"}

func (d *textDoc) ul(n *node, width int) []tline {
	depth := d.ulDepth
	d.ulDepth++
	defer func() { d.ulDepth-- }()
	empty := n.attr("empty") == "true"
	sym := ulSymbols[depth%len(ulSymbols)]
	if empty {
		sym = ""
	}
	indent := 3
	if empty && n.attr("bare") == "true" {
		indent = 0
	}
	if v, err := strconv.Atoi(n.attr("indent")); err == nil && v >= 0 && v < width/2 {
		indent = v
	}
	spaced := n.attr("spacing") != "compact"
	var out []tline
	for _, li := range elems(n) {
		if li.name != "li" {
			continue
		}
		if len(out) > 0 && spaced {
			out = append(out, tline{})
		}
		out = append(out, d.item(li, width, indent, sym, spaced)...)
	}
	return out
}

func (d *textDoc) ol(n *node, width int, typ string) []tline {
	if typ == "" {
		typ = "1"
	}
	format, conv := "%s.", typ
	if len([]rune(typ)) > 1 {
		format, conv = typ, "d"
		for _, c := range "cCdiIoOxX" {
			if i := strings.Index(typ, "%"+string(c)); i >= 0 {
				format, conv = typ[:i]+"%s"+typ[i+2:], string(c)
				break
			}
		}
		format = strings.ReplaceAll(format, "%p", "")
	}
	items := 0
	for _, li := range elems(n) {
		if li.name == "li" {
			items++
		}
	}
	start := 1
	if v, err := strconv.Atoi(n.attr("start")); err == nil && v >= 0 {
		start = v
	}
	group := n.attr("group")
	if group != "" {
		if next, ok := d.groups[group]; ok && n.attr("start") == "" {
			start = next
		}
	}
	wide := 0
	for i := 1; i <= items; i++ {
		wide = max(wide, runes(counter(conv, i)))
	}
	indent := runes(strings.Replace(format, "%s", strings.Repeat(" ", wide), 1)) + 2
	if v, err := strconv.Atoi(n.attr("indent")); err == nil && v > 0 && v < width/2 {
		indent = v
	}
	spaced := n.attr("spacing") != "compact"
	var out []tline
	i := start
	for _, li := range elems(n) {
		if li.name != "li" {
			continue
		}
		if len(out) > 0 && spaced {
			out = append(out, tline{})
		}
		label := strings.Replace(format, "%s", counter(conv, i), 1)
		out = append(out, d.item(li, width, indent, label, spaced)...)
		i++
	}
	if group != "" {
		d.groups[group] = i
	}
	return out
}

// counter writes n in the style of an <ol> type letter.
func counter(style string, n int) string {
	switch style {
	case "a", "c":
		return strings.ToLower(appendixLetter(n))
	case "A", "C":
		return appendixLetter(n)
	case "i":
		return strings.ToLower(roman(n))
	case "I":
		return roman(n)
	case "o", "O":
		return strconv.FormatInt(int64(n), 8)
	case "x":
		return strconv.FormatInt(int64(n), 16)
	case "X":
		return strings.ToUpper(strconv.FormatInt(int64(n), 16))
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// dl renders a definition list: each term, and its definition beside it
// (hanging) or below it, indented.
func (d *textDoc) dl(n *node, width int, hanging, compact bool) []tline {
	indent := 3
	if v, err := strconv.Atoi(n.attr("indent")); err == nil && v >= 0 && v < width/2 {
		indent = v
	}
	var out []tline
	dtBlk := 0
	dtWidth := 0
	for _, c := range elems(n) {
		switch c.name {
		case "dt":
			if len(out) > 0 && !compact {
				out = append(out, tline{})
			}
			ls := fill(d.inline(c), wrapOpts{width: width - 3})
			if len(ls) == 0 {
				ls = []string{""}
			}
			if last := ls[len(ls)-1]; runes(last) < indent-2 {
				ls[len(ls)-1] = last + strings.Repeat(" ", indent-2-runes(last))
			}
			lines := d.textLines(ls)
			dtBlk = lines[0].blk
			dtWidth = runes(ls[len(ls)-1])
			out = append(out, lines...)
		case "dd":
			// The definition's first paragraph hangs beside the term
			// when its first word fits; blocks after it, and a
			// definition that starts with a list or figure, go below.
			text := ""
			var rest []*node
			blocky := false
			if hasText(c) && !hasBlocks(c) {
				text = d.inline(c)
			} else if bs := blocksOf(c); len(bs) > 0 && bs[0].name == "t" {
				text, rest = d.inline(bs[0]), bs[1:]
			} else {
				blocky = true
			}
			first := strings.Fields(text)
			below := !hanging || blocky || len(out) == 0 ||
				len(first) > 0 && width-2-dtWidth < runes(first[0])
			var lines []tline
			if below || blocky {
				if blocky {
					lines = d.joinBlocks(c, width, indent, !compact)
				} else {
					lines = indentLines(d.textLines(fill(text, wrapOpts{width: width - indent})), indent)
				}
			} else {
				pad := max(0, dtWidth+2-indent)
				ls := fill(text, wrapOpts{width: width - indent, first: strings.Repeat(" ", pad)})
				lines = indentLines(d.textLines(ls), indent)
				if len(lines) > 0 {
					out[len(out)-1].s = strings.TrimRight(out[len(out)-1].s, " ") + strings.Repeat(" ", max(0, dtWidth-runes(strings.TrimRight(out[len(out)-1].s, " ")))) + "  " + strings.TrimLeft(lines[0].s, " ")
					lines = lines[1:]
				}
			}
			for _, b := range rest {
				lines = append(lines, tline{})
				lines = append(lines, indentLines(d.block(b, width-indent), indent)...)
			}
			for i := range lines {
				if lines[i].blk != 0 {
					lines[i].blk = dtBlk // a definition stays with its term
				}
			}
			out = append(out, lines...)
		}
	}
	return out
}

// list renders an xml2rfc v2 <list> as the v3 list it converts to.
func (d *textDoc) list(n *node, width int) []tline {
	style := n.attr("style")
	if style == "" {
		style = d.v2Style
		if style == "" {
			style = "empty"
		}
	}
	prev := d.v2Style
	d.v2Style = style
	defer func() { d.v2Style = prev }()
	items := &node{name: "ol", attrs: map[string]string{}}
	for _, t := range elems(n) {
		if t.name == "t" {
			items.kids = append(items.kids, &node{name: "li", attrs: t.attrs, kids: t.kids})
		}
	}
	if d.pis["subcompact"] == "yes" {
		items.attrs["spacing"] = "compact"
	}
	hang := n.attr("hangIndent")
	switch {
	case style == "symbols":
		items.name = "ul"
		items.attrs["indent"] = hang
		return d.ul(items, width)
	case style == "empty":
		items.name = "ul"
		items.attrs["empty"] = "true"
		return d.ul(items, width)
	case style == "numbers":
		items.attrs["indent"] = hang
		return d.ol(items, width, "1")
	case style == "letters":
		typ := "a"
		if d.letterDepth%2 == 1 {
			typ = "A"
		}
		d.letterDepth++
		defer func() { d.letterDepth-- }()
		items.attrs["indent"] = hang
		return d.ol(items, width, typ)
	case style == "hanging":
		dl := &node{name: "dl", attrs: map[string]string{"indent": hang}}
		if hang == "" {
			dl.attrs["indent"] = "3"
		}
		newline := false
		for _, li := range elems(items) {
			dl.kids = append(dl.kids, &node{name: "dt", attrs: map[string]string{}, kids: []any{li.attr("hangText")}})
			kids := li.kids
			for len(kids) > 0 {
				if s, ok := kids[0].(string); ok && strings.TrimSpace(s) == "" {
					kids = kids[1:]
					continue
				}
				break
			}
			if len(kids) > 0 {
				if v, ok := kids[0].(*node); ok && v.name == "vspace" {
					newline = true
					kids = kids[1:]
				}
			}
			dl.kids = append(dl.kids, &node{name: "dd", attrs: map[string]string{}, kids: kids})
		}
		if d.pis["subcompact"] == "yes" {
			dl.attrs["spacing"] = "compact"
		}
		return d.dl(dl, width, !newline, dl.attrs["spacing"] == "compact")
	case strings.HasPrefix(style, "format "):
		group := n.attr("counter")
		if group == "" {
			d.anonList++
			group = "\x00" + strconv.Itoa(d.anonList)
		}
		items.attrs["group"] = group
		items.attrs["indent"] = hang
		return d.ol(items, width, strings.TrimPrefix(style, "format "))
	}
	items.name = "ul"
	items.attrs["empty"] = "true"
	return d.ul(items, width)
}
