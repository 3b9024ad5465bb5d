package render

import (
	"sort"
	"strings"
)

// cell is one table cell while a table is laid out.
type cell struct {
	text     string // flowing text, or the lines of block content
	foldable bool
	head     bool
	align    string
	minw     int
	wrapped  []string
}

// table renders a table as xml2rfc's text output does: '=' borders
// round the head and the whole, '-' between rows, columns as narrow as
// their longest words and then widened, padded by one space a side, the
// whole centred with its caption below.
func (d *textDoc) table(n *node, width int) []tline {
	rows := d.tableRows(n)
	var pre, post []tline
	for _, c := range elems(n) {
		switch c.name {
		case "preamble":
			pre = d.block(c, width)
		case "postamble":
			post = d.block(c, width)
		}
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	var out []tline
	if cols > 0 {
		for i := range rows {
			for len(rows[i]) < cols {
				rows[i] = append(rows[i], &cell{foldable: true})
			}
		}
		out = d.layTable(rows, cols, width)
	}
	num := d.nums[n]
	caption := "Table " + num
	if t := figureTitle(n); t != "" {
		caption += ": " + t
	}
	tw := min(width, maxWidth(out))
	if minTitle := min(26, runes(caption)); tw < minTitle {
		out = align(out, "center", minTitle)
		tw = minTitle
	}
	blk := d.nextBlock()
	out = append(out, tline{})
	for _, l := range center(caption, tw) {
		out = append(out, tline{s: l})
	}
	for i := range out {
		out[i].blk, out[i].big = blk, true
	}
	how := n.attr("align")
	if how == "" {
		how = "center"
	}
	return withAmbles(pre, align(out, how, width), post)
}

// tableRows reads the cells of a v3 <table> or a v2 <texttable>.
func (d *textDoc) tableRows(n *node) [][]*cell {
	var rows [][]*cell
	if n.name == "texttable" {
		var aligns []string
		var head []*cell
		for _, c := range elems(n) {
			if c.name == "ttcol" {
				aligns = append(aligns, c.attr("align"))
				head = append(head, &cell{text: d.inline(c), foldable: true, head: true, align: c.attr("align")})
			}
		}
		if len(head) == 0 {
			return nil
		}
		rows = append(rows, head)
		var row []*cell
		for _, c := range elems(n) {
			if c.name != "c" {
				continue
			}
			row = append(row, &cell{text: d.inline(c), foldable: true, align: aligns[len(row)]})
			if len(row) == len(head) {
				rows = append(rows, row)
				row = nil
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
		return rows
	}
	for _, part := range elems(n) {
		if part.name != "thead" && part.name != "tbody" && part.name != "tfoot" {
			continue
		}
		for _, tr := range elems(part) {
			if tr.name != "tr" {
				continue
			}
			var row []*cell
			for _, td := range elems(tr) {
				if td.name != "td" && td.name != "th" {
					continue
				}
				c := &cell{head: td.name == "th", align: td.attr("align"), foldable: true}
				content := td
				if bs := elems(td); len(bs) == 1 && bs[0].name == "t" && !hasText(td) {
					content = bs[0]
				}
				if hasText(content) {
					c.text = d.inline(content)
				} else {
					var ls []string
					for _, l := range d.joinBlocks(content, 1000, 0, true) {
						ls = append(ls, l.s)
					}
					c.text, c.foldable = strings.Join(ls, "\n"), false
				}
				row = append(row, c)
				for range min(max(0, atoiOr(td.attr("colspan"), 1)-1), 64) {
					row = append(row, &cell{foldable: true})
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func atoiOr(s string, def int) int {
	n := 0
	if s == "" {
		return def
	}
	for _, r := range s {
		if r < '0' || r > '9' || n > 1000 {
			return def
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func (c *cell) words() []string {
	if c.foldable {
		return splitChunksWords(c.text)
	}
	var ws []string
	for _, l := range strings.Split(c.text, "\n") {
		ws = append(ws, splitChunksWords(l)...)
	}
	return ws
}

func splitChunksWords(s string) []string {
	var out []string
	for _, c := range splitChunks(mungeSpace(s)) {
		if t := strings.TrimSpace(c); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (c *cell) wrap(w int) []string {
	if c.text == "" {
		return nil
	}
	if !c.foldable {
		return strings.Split(c.text, "\n")
	}
	return fill(c.text, wrapOpts{width: max(w, 1)})
}

func (d *textDoc) layTable(rows [][]*cell, cols, width int) []tline {
	colw := make([]int, cols)
	for _, r := range rows {
		for j, c := range r {
			for _, w := range c.words() {
				colw[j] = max(colw[j], runes(w))
			}
		}
	}
	req := cols + 1
	for _, w := range colw {
		req += w
	}
	excess := width - req
	pad := make([]int, cols)
	order := make([]int, cols)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return colw[order[a]] > colw[order[b]] })
	for _, j := range order {
		if excess > 2 {
			colw[j] += 2
			pad[j] = 2
			excess -= 2
		}
	}
	// Widen the column of the cell with the most lines while that saves
	// a line and there is room.
	for excess > 0 {
		best, bi, bj := 1, -1, -1
		for i, r := range rows {
			for j, c := range r {
				if h := len(c.wrap(colw[j] - pad[j])); h > best {
					best, bi, bj = h, i, j
				}
			}
		}
		if bi < 0 {
			break
		}
		c := rows[bi][bj]
		grown := false
		for l := 1; l <= excess; l++ {
			if len(c.wrap(colw[bj]-pad[bj]+l)) < best {
				colw[bj] += l
				excess -= l
				grown = true
				break
			}
		}
		if !grown {
			break
		}
	}
	var out []string
	// The border above row i (below the last row for i == len(rows)):
	// '=' next to a header cell, '-' elsewhere.
	border := func(i int) string {
		var b strings.Builder
		b.WriteString("+")
		for j := 0; j < cols; j++ {
			c := "-"
			if i < len(rows) && rows[i][j].head || i > 0 && rows[i-1][j].head {
				c = "="
			}
			b.WriteString(strings.Repeat(c, colw[j]) + "+")
		}
		return b.String()
	}
	minpad := make([]int, cols)
	for j := range minpad {
		minpad[j] = width
	}
	for _, r := range rows {
		for j, c := range r {
			c.wrapped = c.wrap(colw[j] - pad[j])
			for _, l := range c.wrapped {
				minpad[j] = min(minpad[j], colw[j]-runes(l))
			}
		}
	}
	for i, r := range rows {
		out = append(out, border(i))
		h := 0
		for _, c := range r {
			h = max(h, len(c.wrapped))
		}
		for k := 0; k < h; k++ {
			var b strings.Builder
			b.WriteString("|")
			for j, c := range r {
				l := ""
				if k < len(c.wrapped) {
					l = c.wrapped[k]
				}
				b.WriteString(justify(l, c.align, colw[j], minpad[j]) + "|")
			}
			out = append(out, b.String())
		}
	}
	if len(rows) > 0 {
		out = append(out, border(len(rows)))
	}
	return d.textLines(out)
}

// justify places a line in a cell of width w as xml2rfc does.
func justify(l, how string, w, minpad int) string {
	n := runes(l)
	if how == "center" {
		return pyCenterFull(l, w)
	}
	padding := w - n
	inner := w - min(2, padding)
	if how == "right" {
		t := strings.Repeat(" ", max(0, inner-n)) + l
		if padding > 1 {
			if minpad > 1 {
				t += " "
			} else {
				t = " " + t
			}
		}
		if padding > 0 {
			t = " " + t
		}
		return t
	}
	t := l + strings.Repeat(" ", max(0, inner-n))
	if padding > 1 {
		if minpad > 1 {
			t = " " + t
		} else {
			t += " "
		}
	}
	if padding > 0 {
		t += " "
	}
	return t
}

// pyCenterFull is Python's str.center, padding both sides.
func pyCenterFull(s string, width int) string {
	c := pyCenter(s, width)
	return c + strings.Repeat(" ", max(0, width-runes(c)))
}
