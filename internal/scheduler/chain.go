package scheduler

import (
	"slices"
	"time"
)

// Chain lists the slots a session of length d takes when it starts in
// slot first: first, then as many back-to-back slots after it in its
// room as it takes to reach d, as the solver places a long session. The
// chain stops short where the room's day has no more back-to-back slots
// (the session is then trimmed). It is nil if first is none of p's
// slots. The secretariat's pages move a session by hand with it.
func (p *Problem) Chain(first int64, d time.Duration) []int64 {
	i := slices.IndexFunc(p.Slots, func(s Slot) bool { return s.ID == first })
	if i < 0 {
		return nil
	}
	cur := p.Slots[i]
	var room []Slot
	for _, s := range p.Slots {
		if s.Room == cur.Room {
			room = append(room, s)
		}
	}
	// Ordered as compile orders them, so "the next slot" is the same one.
	slices.SortStableFunc(room, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	zone := zoneOf(p)
	out := []int64{first}
	run := cur.Duration
	for j := slices.IndexFunc(room, func(s Slot) bool { return s.ID == first }) + 1; j < len(room) && run < d; j++ {
		next := room[j]
		if !sameDay(cur.Start, next.Start, zone) || next.Start.Before(cur.End()) || next.Start.Sub(cur.End()) > adjacentGap {
			break
		}
		out = append(out, next.ID)
		run += next.Duration
		cur = next
	}
	return out
}

func sameDay(a, b time.Time, zone *time.Location) bool {
	ay, am, ad := a.In(zone).Date()
	by, bm, bd := b.In(zone).Date()
	return ay == by && am == bm && ad == bd
}
