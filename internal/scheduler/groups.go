package scheduler

import (
	"fmt"
	"slices"
)

// What a group's sessions cost together: being out of request order,
// breaking the group's time relation, and missing the groups it asked
// to meet next to. Like the Datatracker, each session of the group pays:
// two sessions out of order cost two penalties.
//
// The Datatracker looks only at a group's first two sessions for the
// time relation; here every session is checked against its neighbours in
// time: subsequent-days wants each next session on the next day,
// one-day-separation wants a free day between each and the next.

// span is where a session sits: its first and last slot, or first < 0
// when it is not placed.
type span struct{ first, last int32 }

// groupCharges lists what group g's sessions are charged, with at saying
// where each session is.
func (m *model) groupCharges(g int32, at func(s int32) span) []Charge {
	var out []Charge
	m.groupWalk(g, at, func(s int32, kind, other string, penalty int64, why string) {
		out = append(out, Charge{Session: m.sess[s].ID, Group: m.sess[s].Group, Kind: kind, Other: other, Penalty: penalty,
			Text: m.sess[s].Group + ": " + why})
	}, true)
	return out
}

// groupCost is the sum of groupCharges, without building them.
func (m *model) groupCost(g int32, at func(s int32) span) int64 {
	var c int64
	m.groupWalk(g, at, func(_ int32, _, _ string, penalty int64, _ string) { c += penalty }, false)
	return c
}

func (m *model) groupWalk(g int32, at func(s int32) span, charge func(s int32, kind, other string, penalty int64, why string), words bool) {
	var placed [8]int32
	ps := placed[:0]
	for _, s := range m.members[g] {
		if at(s).first >= 0 {
			ps = append(ps, s)
		}
	}
	start := func(s int32) int64 { return m.slots[at(s).first].Start.UnixNano() }
	if len(ps) >= 2 {
		inOrder := true
		for i := 1; i < len(ps); i++ {
			if start(ps[i]) <= start(ps[i-1]) {
				inOrder = false
			}
		}
		if !inOrder {
			for _, s := range ps {
				why := ""
				if words {
					why = fmt.Sprintf("session %d of %d is not in the order requested", m.sess[s].Index+1, len(m.members[g]))
				}
				charge(s, "sessions_out_of_order", "", m.p.Penalty.Business["sessions_out_of_order"], why)
			}
		}
		if rel := m.rel[g]; rel != "" {
			byTime := ps
			if !inOrder {
				byTime = slices.Clone(ps)
				slices.SortFunc(byTime, func(a, b int32) int { return int(m.day[at(a).first]) - int(m.day[at(b).first]) })
			}
			for i := 1; i < len(byTime); i++ {
				d := m.day[at(byTime[i]).first] - m.day[at(byTime[i-1]).first]
				if (rel == "subsequent-days" && d != 1) || (rel == "one-day-separation" && d < 2) {
					for _, s := range byTime[i-1 : i+1] {
						why := ""
						if words {
							why = fmt.Sprintf("asks for %s; two of its sessions are %d day(s) apart", rel, d)
						}
						charge(s, "time_relation", "", m.p.Penalty.Constraint["time_relation"], why)
					}
				}
			}
		}
	}
	for _, target := range m.adjTo[g] {
		for _, s := range ps {
			sp := at(s)
			if m.nextTo(sp, target, at) {
				continue
			}
			why := ""
			if words {
				why = fmt.Sprintf("asked to meet next to %s", m.groups[target].Acronym)
			}
			charge(s, "wg_adjacent", m.groups[target].Acronym, m.p.Penalty.Constraint["wg_adjacent"], why)
		}
	}
}

// nextTo reports whether a session of group target sits in the slot just
// before or just after sp, in the same room.
func (m *model) nextTo(sp span, target int32, at func(s int32) span) bool {
	before, after := m.prev[sp.first], m.next[sp.last]
	for _, o := range m.members[target] {
		osp := at(o)
		if osp.first < 0 {
			continue
		}
		if (after >= 0 && osp.first == after) || (before >= 0 && osp.last == before) {
			return true
		}
	}
	return false
}
