package render

import (
	"fmt"
	"strings"
)

const (
	pageLines  = 48 // lines of text on a page
	firstLines = 52 // on the first, which starts with four blank lines
)

// tocLines is the Table of Contents: each entry indented two more per
// level, continuation lines hung under its title, and (paginated) a
// leader of dots to its page number, which paginate fills in.
func (d *textDoc) tocLines() []tline {
	out := []tline{{s: "Table of Contents", blk: d.nextBlock(), sec: true}, {}}
	var entries []int
	for i, s := range d.secs {
		if s.toc {
			entries = append(entries, i)
		}
	}
	// Each level's continuation lines hang by the width of the first
	// word of the last entry of its list, as xml2rfc's bare lists do.
	hang := map[int]int{}
	parent := func(k int) int {
		for j := k - 1; j >= 0; j-- {
			if d.secs[entries[j]].depth < d.secs[entries[k]].depth {
				return j
			}
		}
		return -1
	}
	lastOf := map[int]int{}
	for k := range entries {
		lastOf[parent(k)] = k
	}
	for k := range entries {
		last := d.secs[entries[lastOf[parent(k)]]]
		word := last.label
		if word == "" {
			if f := strings.Fields(last.title); len(f) > 0 {
				word = f[0]
			}
		} else {
			word = strings.Fields(word)[0]
		}
		hang[k] = min(8, runes(word)+2)
	}
	blk := d.nextBlock()
	for k, i := range entries {
		s := d.secs[i]
		col := 3 + 2*(s.depth-1)
		var text string
		if s.label != "" {
			// Numbers line up: "1.  Introduction" but "10. References".
			sp := string([]rune{nbsp, nbsp})
			num := strings.TrimSuffix(s.label, ".")
			if last := num[strings.LastIndexAny(num, ". ")+1:]; runes(last) > 1 {
				sp = string(nbsp)
			}
			text = s.label + sp + strings.ReplaceAll(s.title, "-", string(nbhy))
		} else {
			text = strings.ReplaceAll(s.title, "-", string(nbhy))
		}
		red := 0
		if s.depth > 1 {
			red = 3
		}
		paged := !d.opt.Unpaginated
		if paged {
			text += "\u2026" + "0000"
		}
		ls := fill(text, wrapOpts{width: 72 - col, first: strings.Repeat(" ", red), rest: strings.Repeat(" ", hang[k])})
		if len(ls) == 0 {
			continue
		}
		ls[0] = strings.TrimLeft(ls[0], " ")
		for j, l := range ls {
			t := tline{s: strings.Repeat(" ", col) + l, blk: blk}
			if j == len(ls)-1 && paged {
				head, _, _ := strings.Cut(t.s, "\u2026")
				head += " "
				lack := 72 - (runes(head) + 4)
				dots := ""
				if lack > 0 {
					dots = strings.Repeat(" .", 40)
					dots = dots[len(dots)-lack:]
				}
				t.s = head + dots + "   0"
				t.toc = i + 1
			}
			out = append(out, t)
		}
	}
	return out
}

// justifyInline sets three strings left, centre and right in 72 columns,
// as xml2rfc's running headers and footers are.
func justifyInline(l, c, r string) string {
	l, c, r = strings.TrimRight(l, " "), strings.TrimSpace(c), strings.TrimSpace(r)
	if total := runes(l) + runes(c) + runes(r); total > 72 {
		cut := func(s string) string { rs := []rune(s); return string(rs[:max(0, len(rs)-(total-72))]) }
		switch {
		case runes(c) >= runes(l) && runes(c) >= runes(r):
			c = cut(c)
		case runes(l) >= runes(r):
			l = cut(l)
		default:
			r = cut(r)
		}
	}
	out := []rune(l + strings.Repeat(" ", max(0, 72-runes(l))))
	w := 72
	if runes(c)%2 == 1 {
		w = 73
	}
	cr := []rune(pyCenter(c, w))
	rr := []rune(strings.Repeat(" ", max(0, 72-runes(r))) + r)
	for i := range out {
		switch {
		case i < len(cr) && cr[i] != ' ':
			out[i] = cr[i]
		case i < len(rr) && rr[i] != ' ':
			out[i] = rr[i]
		}
	}
	return strings.TrimRight(string(out), " ")
}

func (d *textDoc) header() string {
	title := ""
	if f := d.rfc.child("front"); f != nil {
		if t := f.child("title"); t != nil {
			title = strings.TrimSpace(t.attr("abbrev"))
			if title == "" {
				title = t.text()
			}
		}
	}
	if rs := []rune(title); len(rs) > 40 {
		title = string(rs[:40])
	}
	return justifyInline("Internet-Draft", title, d.date.m.String()+" "+fmt.Sprint(d.date.y))
}

func (d *textDoc) footer(page int) string {
	var sur []string
	for _, a := range d.authors() {
		if s := surname(a); s != "" {
			sur = append(sur, s)
		}
	}
	left := ""
	switch len(sur) {
	case 0:
	case 1:
		left = sur[0]
	case 2:
		left = sur[0] + " & " + sur[1]
	default:
		left = sur[0] + ", et al."
	}
	return justifyInline(left, "Expires "+d.date.expires().String(), fmt.Sprintf("[Page %d]", page))
}

// spans works out, for each line, the block it belongs to for page
// breaking: its first line and the line after its last. A heading is
// kept with the block after it.
func spans(ls []tline) (beg, end []int) {
	n := len(ls)
	beg, end = make([]int, n), make([]int, n)
	type span struct{ b, e int }
	var order []int
	first := map[int]*span{}
	for i, l := range ls {
		if l.blk == 0 {
			continue
		}
		s, ok := first[l.blk]
		if !ok {
			s = &span{i, i + 1}
			first[l.blk] = s
			order = append(order, l.blk)
		}
		s.e = i + 1
	}
	// Merge each heading with the block after it.
	group := map[int]int{}
	for k, b := range order {
		group[b] = b
		if k > 0 && ls[first[order[k-1]].b].sec {
			group[b] = group[order[k-1]]
		}
	}
	merged := map[int]*span{}
	for _, b := range order {
		g := group[b]
		s := first[b]
		if m, ok := merged[g]; ok {
			m.b, m.e = min(m.b, s.b), max(m.e, s.e)
		} else {
			merged[g] = &span{s.b, s.e}
		}
	}
	for i, l := range ls {
		if l.blk == 0 {
			beg[i], end[i] = -1, -1
			continue
		}
		m := merged[group[l.blk]]
		beg[i], end[i] = m.b, m.e
	}
	return beg, end
}

// paginate breaks the text into pages of 48 lines with the running
// header and footer and a form feed, moving a break to avoid a heading
// at the foot of a page, an orphan or widow line, or a figure or table
// split when it fits on a page; then fills in the contents' page
// numbers.
func (d *textDoc) paginate(ls []tline) []tline {
	beg, end := spans(ls)
	n := len(ls)
	var out []tline
	pageOf := map[int]int{}
	start, target, page := 0, firstLines, 1
	for start < n {
		brk, pad := target, 0
		if brk >= n {
			pad, brk = brk-n, n
		} else if beg[brk] < 0 {
			// A blank line: break before a heading just above it.
			i := brk
			for i > brk-12 && i > start {
				found := false
				for j := 1; j <= 3 && i-j > start; j++ {
					if ls[i-j].sec {
						i, found = i-j, true
						break
					}
				}
				if !found {
					break
				}
				pad, brk = target-i, i
			}
		} else {
			b, e := beg[brk], end[brk]
			olen, wlen, blen := brk-b, e-brk, e-b
			switch {
			case b <= start:
				// The block started this page: nothing better to do.
			case ls[b].sec:
				text := 0
				for r := b; r < brk; r++ {
					if ls[r].blk != 0 && !ls[r].sec {
						text++
					}
				}
				if text <= 5 {
					pad, brk = pad+brk-b, b
				}
			case ls[b].big:
				if blen < pageLines || olen <= 5 {
					pad, brk = pad+brk-b, b
				}
			case (olen >= 1 && olen <= 2 && blen > olen) || (wlen >= 1 && wlen <= 2 && blen > wlen):
				if start < brk-olen {
					pad, brk = pad+olen, brk-olen
				}
			}
		}
		if brk <= start { // never an empty page
			brk, pad = min(start+1, n), 0
		}
		if page > 1 {
			out = append(out, tline{s: "\f"}, tline{s: d.header()}, tline{}, tline{})
		}
		for i := start; i < brk; i++ {
			if ls[i].sect > 0 {
				if _, ok := pageOf[ls[i].sect-1]; !ok {
					pageOf[ls[i].sect-1] = page
				}
			}
		}
		out = append(out, ls[start:brk]...)
		for range pad + 3 {
			out = append(out, tline{})
		}
		out = append(out, tline{s: d.footer(page)})
		start = brk
		for start < n && strings.TrimSpace(ls[start].s) == "" {
			start++
		}
		target = start + pageLines
		page++
	}
	for i := range out {
		if t := out[i].toc; t > 0 {
			rs := []rune(out[i].s)
			if len(rs) >= 4 {
				out[i].s = string(rs[:len(rs)-4]) + fmt.Sprintf("%4d", pageOf[t-1])
			}
		}
	}
	return out
}
