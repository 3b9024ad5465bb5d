package web

import (
	"cmp"
	"net/http"
	"slices"

	"hum/internal/meetings"
	"hum/internal/scheduler"
)

// scheduleComparePage is the model of schedules_compare.html: what
// moved between two schedules of a meeting, and what each costs.
type scheduleComparePage struct {
	Page
	Meeting meetings.Meeting
	A, B    scheduler.Scored
	Kinds   []kindPair
	Moved   []movedView // placed in both, in different slots
	OnlyA   []movedView // placed by A only
	OnlyB   []movedView // placed by B only
	Same    int         // sessions both place in the same slots
}

// Change is how much more (or less) B costs than A.
func (p scheduleComparePage) Change() int64 { return p.B.Report.Cost - p.A.Report.Cost }

// kindPair is one line of the two breakdowns side by side.
type kindPair struct {
	Slug, Name string
	Penalty    int64
	A, B       scheduler.Kind
}

// Change is how much more (or less) B costs than A on this line.
func (k kindPair) Change() int64 { return k.B.Total - k.A.Total }

// movedView is a session and where each schedule has it.
type movedView struct {
	Session  sessionRef
	From, To string
}

func (s *Server) scheduleCompare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, err := s.Meetings.Get(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	a, err := s.Scheduler.Score(ctx, m.Number, r.PathValue("name"))
	if err != nil {
		return err
	}
	b, err := s.Scheduler.Score(ctx, m.Number, r.PathValue("other"))
	if err != nil {
		return err
	}
	p := scheduleComparePage{Page: s.page(r, m.Title()+": "+a.Schedule.Name+" and "+b.Schedule.Name), Meeting: m, A: a, B: b,
		Kinds: kindPairs(a.Report, b.Report)}
	refs := sessionRefs(a.Problem)
	for _, ss := range a.Problem.Sessions {
		in, out := slices.Sorted(slices.Values(a.Placement[ss.ID])), slices.Sorted(slices.Values(b.Placement[ss.ID]))
		v := movedView{Session: refs[ss.ID], From: where(a.Problem, in), To: where(b.Problem, out)}
		switch {
		case len(in) == 0 && len(out) == 0:
		case len(out) == 0:
			p.OnlyA = append(p.OnlyA, v)
		case len(in) == 0:
			p.OnlyB = append(p.OnlyB, v)
		case slices.Equal(in, out):
			p.Same++
		default:
			p.Moved = append(p.Moved, v)
		}
	}
	return s.show(w, "schedules_compare.html", p)
}

// kindPairs puts two breakdowns side by side, every kind either charges,
// in the vocabulary's order as the reports give theirs.
func kindPairs(a, b scheduler.Report) []kindPair {
	order := map[string]int{}
	v := meetings.Vocab()
	for i, c := range v.ConstraintNames {
		order[c.Slug] = i
	}
	for i, c := range v.BusinessConstraints {
		order[c.Slug] = 1000 + i
	}
	order["unplaced"] = 2000
	var out []kindPair
	line := func(slug string) *kindPair {
		for i := range out {
			if out[i].Slug == slug {
				return &out[i]
			}
		}
		out = append(out, kindPair{Slug: slug})
		return &out[len(out)-1]
	}
	for _, k := range a.Kinds {
		l := line(k.Slug)
		l.Name, l.Penalty, l.A = k.Name, k.Penalty, k
	}
	for _, k := range b.Kinds {
		l := line(k.Slug)
		l.Name, l.Penalty, l.B = k.Name, k.Penalty, k
	}
	slices.SortStableFunc(out, func(x, y kindPair) int { return cmp.Compare(order[x.Slug], order[y.Slug]) })
	return out
}
