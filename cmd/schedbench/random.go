package main

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"

	"hum/internal/scheduler"
)

// randomPlacement places each session in a random slot that keeps the
// schedule feasible: the slot's room is free then (IETF 83 has slots of
// one room that overlap) and none of the session's groups (its own and
// those it is held jointly with) meets then. A session takes one slot,
// whatever its length; one that finds no slot is left out, and pinned
// sessions keep their slots. This is the baseline the issue quotes
// ("random feasible schedules cost about 5.8 to 7.2 million"); it is no
// part of the solver.
//
// With fit, a session goes in a slot long and large enough for it when
// one is free, and the sessions with fewest such slots go first (in
// random order among equals), so that no session is trimmed that need
// not be: what is left to chance is when sessions meet. Without it, the
// order and the slot are both uniform, and most long sessions are
// trimmed.
func randomPlacement(p *scheduler.Problem, seed uint64, fit bool) scheduler.Placement {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	type span struct{ start, end time.Time }
	busy := map[string][]span{} // group → when it meets
	held := map[string][]span{} // room → when it is taken
	bySlot := make(map[int64]scheduler.Slot, len(p.Slots))
	for _, s := range p.Slots {
		bySlot[s.ID] = s
	}
	groupsOf := func(s scheduler.Session) []string { return append([]string{s.Group}, s.Joint...) }
	take := func(s scheduler.Session, slots []int64) {
		for _, id := range slots {
			sl := bySlot[id]
			held[sl.Room] = append(held[sl.Room], span{sl.Start, sl.End()})
			for _, g := range groupsOf(s) {
				busy[g] = append(busy[g], span{sl.Start, sl.End()})
			}
		}
	}
	clash := func(spans []span, sl scheduler.Slot) bool {
		for _, b := range spans {
			if b.start.Before(sl.End()) && sl.Start.Before(b.end) {
				return true
			}
		}
		return false
	}
	free := func(s scheduler.Session, sl scheduler.Slot) bool {
		if clash(held[sl.Room], sl) {
			return false
		}
		for _, g := range groupsOf(s) {
			if clash(busy[g], sl) {
				return false
			}
		}
		return true
	}
	fits := func(s scheduler.Session, sl scheduler.Slot) bool {
		return s.Duration <= sl.Duration && s.Attendees <= sl.Capacity
	}

	pl := scheduler.Placement{}
	var loose []scheduler.Session
	for _, s := range p.Sessions {
		if slots, ok := p.Pinned[s.ID]; ok {
			pl[s.ID] = slots
			take(s, slots)
			continue
		}
		loose = append(loose, s)
	}
	rng.Shuffle(len(loose), func(i, j int) { loose[i], loose[j] = loose[j], loose[i] })
	if fit {
		room := map[int64]int{} // session id → slots that fit it
		for _, s := range loose {
			for _, sl := range p.Slots {
				if fits(s, sl) {
					room[s.ID]++
				}
			}
		}
		slices.SortStableFunc(loose, func(a, b scheduler.Session) int { return cmp.Compare(room[a.ID], room[b.ID]) })
	}
	for _, s := range loose {
		var open, fitting []scheduler.Slot
		for _, sl := range p.Slots {
			if free(s, sl) {
				open = append(open, sl)
				if fit && fits(s, sl) {
					fitting = append(fitting, sl)
				}
			}
		}
		if len(fitting) > 0 {
			open = fitting
		}
		if len(open) == 0 {
			continue
		}
		sl := open[rng.IntN(len(open))]
		pl[s.ID] = []int64{sl.ID}
		take(s, []int64{sl.ID})
	}
	return pl
}
