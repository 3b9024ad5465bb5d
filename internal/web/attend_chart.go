package web

import (
	"bytes"
	"fmt"
	"html"
)

// Charts are SVG written here, a few lines of Go rather than a library:
// horizontal bars, one per session (or meeting), onsite and remote
// stacked, so a long meeting stays readable on a phone by scrolling down
// and no JavaScript is needed.

// chartBar is one bar: its label and the counts stacked in it.
type chartBar struct {
	Label          string
	Onsite, Remote int
	Other          int // lines with no attendance type (interims)
}

const (
	chartWidth = 720
	chartLabel = 220 // the label column
	chartRow   = 22
	chartTop   = 46 // title and legend
)

// barChart draws bars scaled to the largest total.
func barChart(title string, bars []chartBar) []byte {
	max := 1
	for _, b := range bars {
		if t := b.Onsite + b.Remote + b.Other; t > max {
			max = t
		}
	}
	span := float64(chartWidth - chartLabel - 50)
	h := chartTop + chartRow*len(bars) + 10
	var w bytes.Buffer
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" font-family="sans-serif" font-size="12">`,
		chartWidth, h, chartWidth, h, html.EscapeString(title))
	fmt.Fprintf(&w, `<title>%s</title><rect width="100%%" height="100%%" fill="#fff"/>`, html.EscapeString(title))
	fmt.Fprintf(&w, `<text x="0" y="16" font-size="15" font-weight="bold">%s</text>`, html.EscapeString(title))
	legend := []struct{ colour, name string }{{"#2b6cb0", "onsite"}, {"#90bde6", "remote"}, {"#bbbbbb", "other"}}
	for i, l := range legend {
		x := chartLabel + i*90
		fmt.Fprintf(&w, `<rect x="%d" y="26" width="12" height="12" fill="%s"/><text x="%d" y="36">%s</text>`, x, l.colour, x+16, l.name)
	}
	if len(bars) == 0 {
		fmt.Fprintf(&w, `<text x="0" y="%d">No attendance recorded.</text>`, chartTop+14)
	}
	for i, b := range bars {
		y := chartTop + i*chartRow
		fmt.Fprintf(&w, `<text x="%d" y="%d" text-anchor="end">%s</text>`, chartLabel-6, y+15, html.EscapeString(b.Label))
		x := float64(chartLabel)
		for j, n := range []int{b.Onsite, b.Remote, b.Other} {
			if n == 0 {
				continue
			}
			bw := span * float64(n) / float64(max)
			fmt.Fprintf(&w, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %d %s</title></rect>`,
				x, y+3, bw, chartRow-6, legend[j].colour, html.EscapeString(b.Label), n, legend[j].name)
			x += bw
		}
		fmt.Fprintf(&w, `<text x="%.1f" y="%d">%d</text>`, x+4, y+15, b.Onsite+b.Remote+b.Other)
	}
	w.WriteString(`</svg>`)
	return w.Bytes()
}
