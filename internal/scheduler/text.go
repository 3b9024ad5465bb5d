package scheduler

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// WriteReport writes what a search found, as hum schedule prints it: the
// problem's size, the cost and its breakdown, the hard violations, the
// unplaced sessions, the lower bound and how the search stopped. It
// holds no timings, so the same search gives the same bytes; the caller
// says how long it took elsewhere.
func WriteReport(w io.Writer, p *Problem, r Result) error {
	var b bytes.Buffer
	writeReport(&b, p, r.Report)
	fmt.Fprintf(&b, "lower bound: %s", Thousands(r.LowerBound))
	if gap := r.Report.Cost - r.LowerBound; gap > 0 {
		fmt.Fprintf(&b, " (the cost is %s above it)", Thousands(gap))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "search stopped: %s\n", r.Stopped)
	_, err := w.Write(b.Bytes())
	return err
}

// WriteScore writes what an existing placement costs (a stored schedule
// scored), in the shape of WriteReport without the search's lines.
func WriteScore(w io.Writer, p *Problem, r Report) error {
	var b bytes.Buffer
	writeReport(&b, p, r)
	_, err := w.Write(b.Bytes())
	return err
}

func writeReport(b *bytes.Buffer, p *Problem, r Report) {
	rooms := map[string]bool{}
	for _, t := range p.Slots {
		rooms[t.Room] = true
	}
	fmt.Fprintf(b, "IETF %s: %d sessions to place, %d placed; %d slots in %d rooms\n", p.Meeting, len(p.Sessions), r.Placed, len(p.Slots), len(rooms))
	fmt.Fprintf(b, "cost: %s", Thousands(r.Cost))
	if n := len(r.Unplaced); n > 0 {
		out := int64(n) * p.Penalty.Unplaced
		fmt.Fprintf(b, " (%s from the placed sessions, %s for %d left unplaced)", Thousands(r.Cost-out), Thousands(out), n)
	}
	b.WriteString("\n")
	if len(r.Kinds) == 0 {
		b.WriteString("breakdown: nothing charged\n")
	} else {
		b.WriteString("breakdown:\n")
		rows := [][4]string{{"kind", "count", "penalty", "total"}}
		for _, k := range r.Kinds {
			rows = append(rows, [4]string{k.Slug, strconv.Itoa(k.Count), Thousands(k.Penalty), Thousands(k.Total)})
		}
		var width [4]int
		for _, row := range rows {
			for i, cell := range row {
				width[i] = max(width[i], len(cell))
			}
		}
		for _, row := range rows {
			fmt.Fprintf(b, "  %-*s  %*s  %*s  %*s\n", width[0], row[0], width[1], row[1], width[2], row[2], width[3], row[3])
		}
	}
	if len(r.Hard) == 0 {
		b.WriteString("hard violations: none\n")
	} else {
		fmt.Fprintf(b, "hard violations: %d\n", len(r.Hard))
		for _, h := range r.Hard {
			fmt.Fprintf(b, "  %s\n", h)
		}
	}
	if len(r.Unplaced) == 0 {
		b.WriteString("unplaced sessions: none\n")
	} else {
		fmt.Fprintf(b, "unplaced sessions: %d\n", len(r.Unplaced))
		for _, u := range r.Unplaced {
			fmt.Fprintf(b, "  %s[%d] (session %d): %s\n", u.Group, u.Index, u.Session, u.Reason)
		}
	}
	if len(r.Charges) > 0 {
		fmt.Fprintf(b, "charges: %d\n", len(r.Charges))
		for _, c := range r.Charges {
			fmt.Fprintf(b, "  %s (%s)\n", c.Text, Thousands(c.Penalty))
		}
	}
}

// Thousands writes n with commas between groups of three digits, as the
// issue and the secretariat write costs: 2,381,000.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
