package scheduler

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/fail"
)

// adjacentGap is how far apart two slots of one room may be and still
// count as back to back: the Datatracker's 30 minutes, used both for a
// session that spans consecutive slots and for adjacency requests.
const adjacentGap = 30 * time.Minute

// model is a Problem compiled for speed: slots and sessions by index,
// the candidate placements of each session with their own cost, and the
// cost of every pair of sessions that meet at the same time.
type model struct {
	p     *Problem
	slots []Slot // by room, then start
	slot  map[int64]int32
	room  []int32   // slot → room index
	day   []int32   // slot → local day number
	tgrp  []string  // slot → the Datatracker's time range ("monday-morning")
	next  []int32   // slot → the room's next slot if back to back, or -1
	prev  []int32   // slot → the room's previous slot if back to back, or -1
	over  [][]int32 // slot → the other slots it overlaps in time; those of its own room clash with it

	sess   []Session
	sessID map[int64]int32
	group  []int32 // session → group index
	pinned []bool

	groups  []Group
	groupIx map[string]int32
	members [][]int32 // group → its sessions, in request order
	adjTo   [][]int32 // group → the groups it asked to meet next to
	adjFrom [][]int32 // group → the groups that asked to meet next to it
	rel     []string  // group → its time relation

	cands [][]cand    // session → where it may go
	byFst [][][]int32 // session → first slot → indices into cands

	pair   []int64 // nS×nS: what a and b cost when they overlap, both sides
	trim   int64
	unplcd int64
}

// A cand is a place a session may take: k consecutive slots from first,
// and what the session costs there on its own (trims, time ranges).
type cand struct {
	first int32
	k     int32
	own   int64
}

// compile checks p and builds its model. Its errors are fail.Invalid and
// say what is wrong in the meeting's own terms.
func compile(p *Problem) (*model, error) {
	if len(p.Slots) == 0 {
		return nil, fail.New(fail.Invalid, "IETF %s has no session slots in rooms to schedule into; add rooms and timeslots first.", p.Meeting)
	}
	if len(p.Sessions) == 0 {
		return nil, fail.New(fail.Invalid, "IETF %s has no session requests to schedule.", p.Meeting)
	}
	zone := zoneOf(p)
	m := &model{p: p, slot: map[int64]int32{}, sessID: map[int64]int32{}, groupIx: map[string]int32{}}
	m.slots = slices.Clone(p.Slots)
	slices.SortStableFunc(m.slots, func(a, b Slot) int {
		if c := strings.Compare(a.Room, b.Room); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	})
	rooms := map[string]int32{}
	for i, s := range m.slots {
		if _, dup := m.slot[s.ID]; dup {
			return nil, fail.New(fail.Invalid, "Timeslot %d is listed twice.", s.ID)
		}
		if s.Duration <= 0 {
			return nil, fail.New(fail.Invalid, "The timeslot at %s in %s has no length.", s.Start.In(zone).Format("2006-01-02 15:04"), s.Room)
		}
		m.slot[s.ID] = int32(i)
		r, ok := rooms[s.Room]
		if !ok {
			r = int32(len(rooms))
			rooms[s.Room] = r
		}
		m.room = append(m.room, r)
		local := s.Start.In(zone)
		y, mo, d := local.Date()
		m.day = append(m.day, int32(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix()/86400))
		m.tgrp = append(m.tgrp, timeRange(local))
	}
	n := len(m.slots)
	m.next, m.prev, m.over = make([]int32, n), make([]int32, n), make([][]int32, n)
	for i := range m.slots {
		m.next[i], m.prev[i] = -1, -1
	}
	for i := 0; i+1 < n; i++ {
		a, b := m.slots[i], m.slots[i+1]
		if m.room[i] == m.room[i+1] && m.day[i] == m.day[i+1] && !b.Start.Before(a.End()) && b.Start.Sub(a.End()) <= adjacentGap {
			m.next[i], m.prev[i+1] = int32(i+1), int32(i)
		}
	}
	for i := range m.slots {
		for j := range m.slots {
			if i != j && m.slots[i].Start.Before(m.slots[j].End()) && m.slots[j].Start.Before(m.slots[i].End()) {
				m.over[i] = append(m.over[i], int32(j))
			}
		}
	}
	if err := m.compileGroups(); err != nil {
		return nil, err
	}
	if err := m.compileSessions(); err != nil {
		return nil, err
	}
	m.compilePairs()
	return m, nil
}

// timeRange is the Datatracker's name for the part of the day a slot
// starts in: morning before 12:30, early afternoon before 15:30, late
// afternoon after.
func timeRange(local time.Time) string {
	day := strings.ToLower(local.Weekday().String())
	switch hm := local.Hour()*60 + local.Minute(); {
	case hm < 12*60+30:
		return day + "-morning"
	case hm < 15*60+30:
		return day + "-afternoon-early"
	default:
		return day + "-afternoon-late"
	}
}

func (m *model) compileGroups() error {
	m.groups = m.p.Groups
	for i, g := range m.groups {
		if _, dup := m.groupIx[g.Acronym]; dup {
			return fail.New(fail.Invalid, "Group %s is listed twice.", g.Acronym)
		}
		m.groupIx[g.Acronym] = int32(i)
	}
	known := func(of, target string) error {
		if _, ok := m.groupIx[target]; !ok {
			return fail.New(fail.Invalid, "A constraint of %s names the group %q, which IETF %s does not know.", of, target, m.p.Meeting)
		}
		return nil
	}
	ng := len(m.groups)
	m.members, m.adjTo, m.adjFrom, m.rel = make([][]int32, ng), make([][]int32, ng), make([][]int32, ng), make([]string, ng)
	for i, g := range m.groups {
		for _, c := range g.Conflicts {
			if err := known(g.Acronym, c.Target); err != nil {
				return err
			}
			if _, ok := m.p.Penalty.Constraint[c.Kind]; !ok {
				return fail.New(fail.Invalid, "A constraint of %s is of kind %q, which has no penalty.", g.Acronym, c.Kind)
			}
		}
		for _, t := range g.Adjacent {
			if err := known(g.Acronym, t); err != nil {
				return err
			}
			j := m.groupIx[t]
			if j != int32(i) && !slices.Contains(m.adjTo[i], j) {
				m.adjTo[i] = append(m.adjTo[i], j)
				m.adjFrom[j] = append(m.adjFrom[j], int32(i))
			}
		}
		switch g.TimeRelation {
		case "", "subsequent-days", "one-day-separation":
			m.rel[i] = g.TimeRelation
		default:
			return fail.New(fail.Invalid, "%s asks for the time relation %q; use subsequent-days or one-day-separation.", g.Acronym, g.TimeRelation)
		}
	}
	return nil
}

func (m *model) compileSessions() error {
	m.trim = m.p.Penalty.Business["session_requires_trim"]
	m.unplcd = m.p.Penalty.Unplaced
	m.sess = m.p.Sessions
	ns := len(m.sess)
	m.group, m.pinned = make([]int32, ns), make([]bool, ns)
	m.cands, m.byFst = make([][]cand, ns), make([][][]int32, ns)
	longest := m.longestChain()
	for i, s := range m.sess {
		if _, dup := m.sessID[s.ID]; dup {
			return fail.New(fail.Invalid, "Session %d is listed twice.", s.ID)
		}
		m.sessID[s.ID] = int32(i)
		g, ok := m.groupIx[s.Group]
		if !ok {
			return fail.New(fail.Invalid, "Session %d belongs to %q, which is not among the groups.", s.ID, s.Group)
		}
		m.group[i] = g
		m.members[g] = append(m.members[g], int32(i))
		for _, j := range s.Joint {
			if _, ok := m.groupIx[j]; !ok {
				return fail.New(fail.Invalid, "Session %d of %s is joint with %q, which IETF %s does not know.", s.ID, s.Group, j, m.p.Meeting)
			}
		}
		if s.Duration > longest {
			return fail.New(fail.Invalid, "%s asks for %s, longer than any run of back-to-back slots in one room (the longest is %s).",
				s.label(), hm(s.Duration), hm(longest))
		}
		m.candidates(int32(i))
	}
	for g := range m.members {
		slices.SortFunc(m.members[g], func(a, b int32) int { return m.sess[a].Index - m.sess[b].Index })
	}
	return nil
}

func (s Session) label() string {
	return fmt.Sprintf("Session %d of %s", s.Index+1, s.Group)
}

// hm writes a duration as hours and minutes: "2h30".
func hm(d time.Duration) string {
	h, mi := int(d.Hours()), int(d.Minutes())%60
	if mi == 0 {
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02d", h, mi)
}

// longestChain is the length of the longest run of back-to-back slots.
func (m *model) longestChain() time.Duration {
	var best time.Duration
	for i := range m.slots {
		if m.prev[i] >= 0 {
			continue
		}
		var run time.Duration
		for j := int32(i); j >= 0; j = m.next[j] {
			run += m.slots[j].Duration
		}
		best = max(best, run)
	}
	return best
}

// candidates lists where session i may go: every single slot (too short
// or too small ones at the cost of a trim), and, where a slot is too
// short, the fewest back-to-back slots from it that are long enough.
func (m *model) candidates(i int32) {
	s := m.sess[i]
	m.byFst[i] = make([][]int32, len(m.slots))
	add := func(first, k int32) {
		m.byFst[i][first] = append(m.byFst[i][first], int32(len(m.cands[i])))
		m.cands[i] = append(m.cands[i], cand{first: first, k: k, own: m.own(i, first, k)})
	}
	for t := range m.slots {
		add(int32(t), 1)
		if m.slots[t].Duration >= s.Duration {
			continue
		}
		run, k := m.slots[t].Duration, int32(1)
		for j := m.next[t]; j >= 0; j = m.next[j] {
			run += m.slots[j].Duration
			k++
			if run >= s.Duration {
				add(int32(t), k)
				break
			}
		}
	}
}

// chain calls f for each slot of k slots from first.
func (m *model) chain(first, k int32, f func(t int32)) {
	for t := first; k > 0 && t >= 0; k-- {
		f(t)
		t = m.next[t]
	}
}

// own is what session i costs on its own in k slots from first: a trim
// for a room too small, a trim for too little time, and the penalty for
// meeting in a time range its group cannot.
func (m *model) own(i, first, k int32) int64 {
	var c int64
	for _, ch := range m.ownCharges(i, m.slotsOf(first, k)) {
		c += ch.Penalty
	}
	return c
}

// slotsOf lists k slots from first.
func (m *model) slotsOf(first, k int32) []int32 {
	var ts []int32
	m.chain(first, k, func(t int32) { ts = append(ts, t) })
	return ts
}

func (m *model) ownCharges(i int32, slots []int32) []Charge {
	s := m.sess[i]
	g := m.groups[m.group[i]]
	capacity, length := -1, time.Duration(0)
	refused := ""
	for _, t := range slots {
		if capacity < 0 || m.slots[t].Capacity < capacity {
			capacity = m.slots[t].Capacity
		}
		length += m.slots[t].Duration
		if refused == "" && slices.Contains(g.TimeRanges, m.tgrp[t]) {
			refused = m.tgrp[t]
		}
	}
	var out []Charge
	if s.Attendees > capacity {
		out = append(out, Charge{Session: s.ID, Group: s.Group, Kind: "session_requires_trim", Penalty: m.trim,
			Text: fmt.Sprintf("%s: %d expected in a room for %d", g.Acronym, s.Attendees, capacity)})
	}
	if s.Duration > length {
		out = append(out, Charge{Session: s.ID, Group: s.Group, Kind: "session_requires_trim", Penalty: m.trim,
			Text: fmt.Sprintf("%s: %s asked for, %s given", g.Acronym, hm(s.Duration), hm(length))})
	}
	if refused != "" {
		out = append(out, Charge{Session: s.ID, Group: s.Group, Kind: "timerange", Penalty: m.p.Penalty.Constraint["timerange"],
			Text: fmt.Sprintf("%s: cannot meet %s", g.Acronym, refused)})
	}
	return out
}
