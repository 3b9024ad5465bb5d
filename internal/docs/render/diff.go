package render

import (
	"html"
	"html/template"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Row is one line of a side-by-side diff; Left or Right is empty where
// the line exists on one side only. Kind is "same", "del", "add" or "change".
type Row struct {
	Kind        string
	Left, Right template.HTML
}

// Diff compares two texts line by line and, where a line changed,
// word by word. It returns the rows for a side-by-side view and the
// unified form with "-"/"+" lines (word changes marked in both).
func Diff(a, b string) (rows []Row, unified []Row) {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var dels, adds []string
	flush := func() {
		n := max(len(dels), len(adds))
		for i := range n {
			var l, r string
			if i < len(dels) {
				l = dels[i]
			}
			if i < len(adds) {
				r = adds[i]
			}
			switch {
			case i < len(dels) && i < len(adds):
				lh, rh := words(dmp, l, r)
				rows = append(rows, Row{"change", lh, rh})
			case i < len(dels):
				rows = append(rows, Row{"del", esc(l), ""})
			default:
				rows = append(rows, Row{"add", "", esc(r)})
			}
		}
		for _, r := range rows[len(rows)-n:] {
			if r.Left != "" || r.Kind == "del" || r.Kind == "change" {
				unified = append(unified, Row{"del", r.Left, ""})
			}
		}
		for _, r := range rows[len(rows)-n:] {
			if r.Kind == "add" || r.Kind == "change" {
				unified = append(unified, Row{"add", "", r.Right})
			}
		}
		dels, adds = nil, nil
	}
	for _, d := range diffs {
		ls := strings.SplitAfter(d.Text, "\n")
		if len(ls) > 0 && ls[len(ls)-1] == "" {
			ls = ls[:len(ls)-1]
		}
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			dels = append(dels, trimNL(ls)...)
		case diffmatchpatch.DiffInsert:
			adds = append(adds, trimNL(ls)...)
		default:
			flush()
			for _, l := range trimNL(ls) {
				rows = append(rows, Row{"same", esc(l), esc(l)})
				unified = append(unified, Row{"same", esc(l), esc(l)})
			}
		}
	}
	flush()
	return rows, unified
}

func trimNL(ls []string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = strings.TrimRight(l, "\r\n")
	}
	return out
}

func esc(s string) template.HTML { return template.HTML(html.EscapeString(s)) }

// words marks the words that differ between two versions of a line.
func words(dmp *diffmatchpatch.DiffMatchPatch, a, b string) (template.HTML, template.HTML) {
	ds := dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false))
	var l, r strings.Builder
	for _, d := range ds {
		t := html.EscapeString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			l.WriteString("<del>" + t + "</del>")
		case diffmatchpatch.DiffInsert:
			r.WriteString("<ins>" + t + "</ins>")
		default:
			l.WriteString(t)
			r.WriteString(t)
		}
	}
	return template.HTML(l.String()), template.HTML(r.String())
}

// Context keeps only changed rows and n rows around each change, with a
// nil-kind gap row where lines were left out.
func Context(rows []Row, n int) []Row {
	keep := make([]bool, len(rows))
	for i, r := range rows {
		if r.Kind != "same" {
			for j := max(0, i-n); j <= min(len(rows)-1, i+n); j++ {
				keep[j] = true
			}
		}
	}
	var out []Row
	gap := false
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
			gap = false
		} else if !gap {
			out = append(out, Row{Kind: "gap"})
			gap = true
		}
	}
	return out
}
