package scheduler

import (
	"slices"
	"sort"
)

// lowerBound is a cost no placement can beat. It is a simple bound, the
// costs that follow from counting alone:
//
//   - each session needs a slot, so with more sessions than slots the
//     difference must be left out;
//   - a session pays at least the cheapest of its own costs wherever it
//     goes (a group that fits no room pays a trim everywhere);
//   - Hall's condition on room sizes: if the sessions that expect at
//     least c people outnumber the slots in rooms that hold c, the
//     difference must sit in rooms too small, each paying a trim.
//
// Pairs and group costs are left out of it: a placement that meets the
// bound has no conflict a search could still remove.
func (m *model) lowerBound() int64 {
	n, slots := len(m.sess), len(m.slots)
	out := max(0, n-slots)
	var own int64
	ownLeast := make([]int64, n)
	for s := range m.sess {
		least := int64(-1)
		for _, c := range m.cands[s] {
			if least < 0 || c.own < least {
				least = c.own
			}
		}
		ownLeast[s] = least
	}
	// The sessions left out are the ones that would cost most: they pay
	// the unplaced penalty instead.
	slices.Sort(ownLeast)
	for _, c := range ownLeast[:n-out] {
		own += c
	}
	caps := make([]int, slots)
	for i, s := range m.slots {
		caps[i] = s.Capacity
	}
	slices.Sort(caps)
	att := make([]int, n)
	for i, s := range m.sess {
		att[i] = s.Attendees
	}
	slices.Sort(att)
	hall := 0
	for i, a := range att {
		if a == 0 {
			continue
		}
		sessions := n - i                        // expecting at least a (at the first of equals)
		room := slots - sort.SearchInts(caps, a) // slots in rooms that hold a
		hall = max(hall, sessions-room-out)
	}
	return int64(out)*m.unplcd + max(own, int64(hall)*m.trim)
}
