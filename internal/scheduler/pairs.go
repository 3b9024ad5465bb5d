package scheduler

import (
	"fmt"
	"slices"
)

// The cost of two sessions that meet at the same time is charged from
// each side, as the Datatracker does: a conflict from the side of the
// group that declared it (so two groups that each list the other pay
// twice), a person who must be in both rooms from both sides, and the
// business constraints from the side they are written for (a BOF pays
// for meeting against a WG of its area; the WG does not).

func isBOF(g Group) bool         { return g.State == "bof" }
func isPRG(g Group) bool         { return g.Type == "rg" && g.State == "proposed" }
func isAreaMeeting(g Group) bool { return g.Type == "area" || g.Type == "ag" || g.Type == "rag" }

// sideCharges is what session a is charged for meeting at the same time
// as session b (of another group).
func (m *model) sideCharges(a, b int32) []Charge {
	sa, sb := m.sess[a], m.sess[b]
	ga, gb := m.groups[m.group[a]], m.groups[m.group[b]]
	var out []Charge
	add := func(kind string, penalty int64, format string, args ...any) {
		out = append(out, Charge{Session: sa.ID, Group: sa.Group, Kind: kind, Other: sb.Group, Penalty: penalty,
			Text: sa.Group + ": " + fmt.Sprintf(format, args...)})
	}
	own := []Group{ga}
	for _, j := range sa.Joint {
		own = append(own, m.groups[m.groupIx[j]])
	}
	for _, g := range own {
		for _, c := range g.Conflicts {
			if c.Target == gb.Acronym {
				add(c.Kind, m.p.Penalty.Constraint[c.Kind], "%s with %s", c.Kind, gb.Acronym)
			}
		}
	}
	var people []int64
	for _, g := range own {
		people = append(people, g.BeThere...)
	}
	theirs := slices.Clone(gb.BeThere)
	for _, j := range sb.Joint {
		theirs = append(theirs, m.groups[m.groupIx[j]].BeThere...)
	}
	seen := map[int64]bool{}
	for _, person := range people {
		if !seen[person] && slices.Contains(theirs, person) {
			seen[person] = true
			add("bethere", m.p.Penalty.Constraint["bethere"], "person %d must also be at %s", person, gb.Acronym)
		}
	}
	biz := m.p.Penalty.Business
	if isBOF(ga) {
		if isPRG(gb) {
			add("bof_overlapping_prg", biz["bof_overlapping_prg"], "BOF overlaps the proposed RG %s", gb.Acronym)
		}
		if isBOF(gb) {
			add("bof_overlapping_bof", biz["bof_overlapping_bof"], "BOF overlaps the BOF %s", gb.Acronym)
		}
		if ga.Area != "" && ga.Area == gb.Area {
			add("bof_overlapping_area_wg", biz["bof_overlapping_area_wg"], "BOF overlaps %s of its area", gb.Acronym)
		}
		if isAreaMeeting(gb) {
			add("bof_overlapping_area_meeting", biz["bof_overlapping_area_meeting"], "BOF overlaps the area meeting %s", gb.Acronym)
		}
	}
	if isAreaMeeting(ga) {
		if gb.Area == ga.Acronym {
			add("area_overlapping_in_area", biz["area_overlapping_in_area"], "area meeting overlaps %s of its area", gb.Acronym)
		}
		if isAreaMeeting(gb) {
			add("area_overlapping_other_area", biz["area_overlapping_other_area"], "area meeting overlaps the area meeting %s", gb.Acronym)
		}
	}
	for _, ad := range ga.ADs {
		if slices.Contains(gb.ADs, ad) {
			add("session_overlap_ad", biz["session_overlap_ad"], "same AD as %s", gb.Acronym)
			break
		}
	}
	return out
}

// compilePairs fills the pair matrix. Sessions of one group never meet
// at the same time (a hard constraint the search keeps), so their entry
// stays 0.
func (m *model) compilePairs() {
	n := len(m.sess)
	m.pair = make([]int64, n*n)
	// Most pairs cost nothing: only groups with something to say about
	// each other are worth the full look.
	related := make([]map[int32]bool, len(m.groups))
	for i := range related {
		related[i] = map[int32]bool{}
	}
	for i, g := range m.groups {
		for _, c := range g.Conflicts {
			related[i][m.groupIx[c.Target]] = true
		}
	}
	special := func(g Group) bool {
		return isBOF(g) || isPRG(g) || isAreaMeeting(g) || len(g.ADs) > 0 || len(g.BeThere) > 0
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			ga, gb := m.group[a], m.group[b]
			if ga == gb {
				continue
			}
			if !related[ga][gb] && !related[gb][ga] && !special(m.groups[ga]) && !special(m.groups[gb]) &&
				len(m.sess[a].Joint) == 0 && len(m.sess[b].Joint) == 0 {
				continue
			}
			var c int64
			for _, ch := range m.sideCharges(int32(a), int32(b)) {
				c += ch.Penalty
			}
			for _, ch := range m.sideCharges(int32(b), int32(a)) {
				c += ch.Penalty
			}
			m.pair[a*n+b], m.pair[b*n+a] = c, c
		}
	}
}

// cost of pair a, b.
func (m *model) pairCost(a, b int32) int64 { return m.pair[int(a)*len(m.sess)+int(b)] }
