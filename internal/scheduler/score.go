package scheduler

import (
	"cmp"
	"fmt"
	"slices"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// Score costs a placement of p, whatever it is: one the search found, or
// one a person made, with its double-booked rooms and overlapping
// sessions of one group reported as hard violations rather than refused.
// It fails only when the problem itself is bad or the placement names a
// session or a slot the problem does not have.
func Score(p *Problem, pl Placement) (Report, error) {
	m, err := compile(p)
	if err != nil {
		return Report{}, err
	}
	return m.score(pl)
}

// Check says whether the search could work on p: the errors Solve and
// Score give for a bad problem.
func Check(p *Problem) error {
	_, err := compile(p)
	return err
}

func (m *model) score(pl Placement) (Report, error) {
	n := len(m.sess)
	where := make([][]int32, n)
	for id, ids := range pl {
		i, ok := m.sessID[id]
		if !ok {
			return Report{}, fail.New(fail.Invalid, "The schedule places session %d, which IETF %s does not ask to schedule.", id, m.p.Meeting)
		}
		for _, tid := range ids {
			t, ok := m.slot[tid]
			if !ok {
				return Report{}, fail.New(fail.Invalid, "The schedule places %s in timeslot %d, which is not a session slot of IETF %s.",
					m.sess[i].label(), tid, m.p.Meeting)
			}
			if !slices.Contains(where[i], t) {
				where[i] = append(where[i], t)
			}
		}
		slices.SortFunc(where[i], func(a, b int32) int { return m.slots[a].Start.Compare(m.slots[b].Start) })
	}
	var r Report
	hard := func(text string, sessions ...int32) {
		r.Hard = append(r.Hard, text)
		if r.HardOf == nil {
			r.HardOf = map[int64][]string{}
		}
		for _, s := range sessions {
			r.HardOf[m.sess[s].ID] = append(r.HardOf[m.sess[s].ID], text)
		}
	}
	at := func(s int32) span {
		if len(where[s]) == 0 {
			return span{-1, -1}
		}
		return span{where[s][0], where[s][len(where[s])-1]}
	}
	holder := map[int32]int32{}
	for s := range int32(n) {
		ts := where[s]
		if len(ts) == 0 {
			r.Unplaced = append(r.Unplaced, Unplaced{Session: m.sess[s].ID, Group: m.sess[s].Group, Index: m.sess[s].Index,
				Reason: "not placed by this schedule"})
			r.Charges = append(r.Charges, Charge{Session: m.sess[s].ID, Group: m.sess[s].Group, Kind: "unplaced", Penalty: m.unplcd,
				Text: m.sess[s].Group + ": not placed"})
			continue
		}
		r.Placed++
		for i := 1; i < len(ts); i++ {
			if m.next[ts[i-1]] != ts[i] {
				hard(fmt.Sprintf("%s takes slots that are not back to back in one room", m.sess[s].label()), s)
				break
			}
		}
		for _, t := range ts {
			if o, ok := holder[t]; ok {
				hard(fmt.Sprintf("%s at %s holds both %s and %s", m.slots[t].Room, m.local(t), m.sess[o].Group, m.sess[s].Group), o, s)
				continue
			}
			holder[t] = s
			for _, u := range m.over[t] {
				if o, ok := holder[u]; ok && m.room[u] == m.room[t] {
					hard(fmt.Sprintf("%s at %s holds both %s and %s", m.slots[t].Room, m.local(t), m.sess[o].Group, m.sess[s].Group), o, s)
				}
			}
		}
		r.Charges = append(r.Charges, m.ownCharges(s, ts)...)
	}
	for a := range int32(n) {
		for b := a + 1; b < int32(n); b++ {
			if len(where[a]) == 0 || len(where[b]) == 0 || !m.overlapping(where[a], where[b]) {
				continue
			}
			if m.group[a] == m.group[b] {
				hard(fmt.Sprintf("%s meets twice at once (sessions %d and %d)", m.sess[a].Group, m.sess[a].Index+1, m.sess[b].Index+1), a, b)
				continue
			}
			r.Charges = append(r.Charges, m.sideCharges(a, b)...)
			r.Charges = append(r.Charges, m.sideCharges(b, a)...)
		}
	}
	for g := range int32(len(m.groups)) {
		r.Charges = append(r.Charges, m.groupCharges(g, at)...)
	}
	m.sum(&r)
	return r, nil
}

// overlapping reports whether two sessions' slots meet in time; slots
// in one room at one time are the same slot.
func (m *model) overlapping(a, b []int32) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || (m.slots[x].Start.Before(m.slots[y].End()) && m.slots[y].Start.Before(m.slots[x].End())) {
				return true
			}
		}
	}
	return false
}

func (m *model) local(t int32) string {
	return m.slots[t].Start.In(zoneOf(m.p)).Format("Mon 2006-01-02 15:04")
}

// sum orders the charges and adds them up by kind, in the vocabulary's
// order: the constraint names, then the business constraints, then
// unplaced sessions.
func (m *model) sum(r *Report) {
	order := map[string]int{}
	names := map[string]string{}
	v := meetings.Vocab()
	for _, c := range v.ConstraintNames {
		order[c.Slug], names[c.Slug] = c.Order, c.Name
	}
	for i, b := range v.BusinessConstraints {
		order[b.Slug], names[b.Slug] = 1000+i, b.Name
	}
	order["unplaced"], names["unplaced"] = 2000, "Sessions left unplaced"
	slices.SortStableFunc(r.Charges, func(a, b Charge) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Session, b.Session), cmp.Compare(order[a.Kind], order[b.Kind]),
			cmp.Compare(a.Other, b.Other), cmp.Compare(a.Text, b.Text))
	})
	byKind := map[string]*Kind{}
	for _, c := range r.Charges {
		k := byKind[c.Kind]
		if k == nil {
			k = &Kind{Slug: c.Kind, Name: names[c.Kind], Penalty: c.Penalty}
			byKind[c.Kind] = k
		}
		k.Count++
		k.Total += c.Penalty
		r.Cost += c.Penalty
	}
	for _, k := range byKind {
		r.Kinds = append(r.Kinds, *k)
	}
	slices.SortFunc(r.Kinds, func(a, b Kind) int {
		return cmp.Or(cmp.Compare(order[a.Slug], order[b.Slug]), cmp.Compare(a.Slug, b.Slug))
	})
	slices.Sort(r.Hard)
}
