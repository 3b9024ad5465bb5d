package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A small meeting whose every cost can be worked out by hand: two rooms
// (A holds 100, B 50) on Monday and Tuesday, each day a 2h slot at 9:00,
// a 1h slot at 11:15 (back to back with it) and a 2h slot at 13:00.
func tiny(groups ...Group) *Problem {
	zone, _ := time.LoadLocation("Europe/Paris")
	p := &Problem{Meeting: "999", Zone: zone, Penalty: penalties()}
	id := int64(1)
	for day := range 2 {
		for _, room := range []struct {
			name string
			cap  int
		}{{"A", 100}, {"B", 50}} {
			for _, s := range []struct{ h, m, mins int }{{9, 0, 120}, {11, 15, 60}, {13, 0, 120}} {
				p.Slots = append(p.Slots, Slot{ID: id, Room: room.name, Capacity: room.cap,
					Start: time.Date(2012, 3, 26+day, s.h, s.m, 0, 0, zone), Duration: time.Duration(s.mins) * time.Minute})
				id++
			}
		}
	}
	p.Groups = groups
	return p
}

// slot finds a tiny slot: day 0 or 1, room A or B, part 0 (9:00), 1
// (11:15) or 2 (13:00).
func slot(day int, room string, part int) int64 {
	r := 0
	if room == "B" {
		r = 1
	}
	return int64(day*6 + r*3 + part + 1)
}

func wg(acronym string) Group {
	return Group{Acronym: acronym, Type: "wg", State: "active", Area: "art"}
}

func with(g Group, f func(*Group)) Group { f(&g); return g }

func TestEveryKindIsCharged(t *testing.T) {
	at := func(day int, room string, part int) []int64 { return []int64{slot(day, room, part)} }
	one := func(g string, id int64) Session { return Session{ID: id, Group: g, Duration: time.Hour, Attendees: 10} }
	type want map[string]int // kind → count
	for _, tc := range []struct {
		name     string
		groups   []Group
		sessions []Session
		place    Placement
		want     want
		cost     int64
	}{
		{
			name:     "conflict from the side that declared it",
			groups:   []Group{with(wg("a"), func(g *Group) { g.Conflicts = []Conflict{{"conflict", "b"}} }), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"conflict": 1}, cost: 100_000,
		},
		{
			name:     "no conflict when apart",
			groups:   []Group{with(wg("a"), func(g *Group) { g.Conflicts = []Conflict{{"conflict", "b"}} }), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 1)},
			want:     want{}, cost: 0,
		},
		{
			name: "second and third level, and both sides",
			groups: []Group{with(wg("a"), func(g *Group) { g.Conflicts = []Conflict{{"conflic2", "b"}} }),
				with(wg("b"), func(g *Group) { g.Conflicts = []Conflict{{"conflic3", "a"}} })},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 2), 2: at(0, "B", 2)},
			want:     want{"conflic2": 1, "conflic3": 1}, cost: 10_000 + 100_000,
		},
		{
			name: "chair, technology and key participant conflicts",
			groups: []Group{with(wg("a"), func(g *Group) {
				g.Conflicts = []Conflict{{"chair_conflict", "b"}, {"tech_overlap", "b"}, {"key_participant", "b"}}
			}), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(1, "A", 0), 2: at(1, "B", 0)},
			want:     want{"chair_conflict": 1, "tech_overlap": 1, "key_participant": 1}, cost: 100_000 + 10_000 + 100_000,
		},
		{
			name:     "room too small and slot too short",
			groups:   []Group{wg("a")},
			sessions: []Session{{ID: 1, Group: "a", Duration: 2 * time.Hour, Attendees: 80}},
			place:    Placement{1: at(0, "B", 1)},
			want:     want{"session_requires_trim": 2}, cost: 200_000,
		},
		{
			name:     "two slots back to back are long enough",
			groups:   []Group{wg("a")},
			sessions: []Session{{ID: 1, Group: "a", Duration: 150 * time.Minute, Attendees: 80}},
			place:    Placement{1: {slot(0, "A", 0), slot(0, "A", 1)}},
			want:     want{}, cost: 0,
		},
		{
			name:     "a person who must be in two places, charged from both",
			groups:   []Group{with(wg("a"), func(g *Group) { g.BeThere = []int64{7} }), with(wg("b"), func(g *Group) { g.BeThere = []int64{7, 8} })},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"bethere": 2}, cost: 20_000,
		},
		{
			name:     "a time range the group cannot meet in",
			groups:   []Group{with(wg("a"), func(g *Group) { g.TimeRanges = []string{"monday-afternoon-early"} })},
			sessions: []Session{one("a", 1)},
			place:    Placement{1: at(0, "A", 2)},
			want:     want{"timerange": 1}, cost: 1_000_000,
		},
		{
			name:     "the time range is kept",
			groups:   []Group{with(wg("a"), func(g *Group) { g.TimeRanges = []string{"monday-afternoon-early"} })},
			sessions: []Session{one("a", 1)},
			place:    Placement{1: at(1, "A", 2)},
			want:     want{}, cost: 0,
		},
		{
			name:     "sessions out of request order: each pays",
			groups:   []Group{wg("a")},
			sessions: []Session{one("a", 1), {ID: 2, Group: "a", Index: 1, Duration: time.Hour}},
			place:    Placement{1: at(1, "A", 0), 2: at(0, "A", 0)},
			want:     want{"sessions_out_of_order": 2}, cost: 200_000,
		},
		{
			name:   "subsequent days, checked for every pair of neighbours",
			groups: []Group{with(wg("a"), func(g *Group) { g.TimeRelation = "subsequent-days" })},
			sessions: []Session{one("a", 1), {ID: 2, Group: "a", Index: 1, Duration: time.Hour},
				{ID: 3, Group: "a", Index: 2, Duration: time.Hour}},
			// 1 and 2 on Monday (0 days apart: both pay), 3 on Tuesday (1 day after 2: fine).
			place: Placement{1: at(0, "A", 0), 2: at(0, "A", 2), 3: at(1, "A", 0)},
			want:  want{"time_relation": 2}, cost: 2_000,
		},
		{
			name:     "one day of separation",
			groups:   []Group{with(wg("a"), func(g *Group) { g.TimeRelation = "one-day-separation" })},
			sessions: []Session{one("a", 1), {ID: 2, Group: "a", Index: 1, Duration: time.Hour}},
			place:    Placement{1: at(0, "A", 0), 2: at(1, "A", 0)},
			want:     want{"time_relation": 2}, cost: 2_000,
		},
		{
			name:     "adjacency kept: back to back in one room",
			groups:   []Group{with(wg("a"), func(g *Group) { g.Adjacent = []string{"b"} }), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "A", 1)},
			want:     want{}, cost: 0,
		},
		{
			name:     "adjacency missed",
			groups:   []Group{with(wg("a"), func(g *Group) { g.Adjacent = []string{"b"} }), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 1)},
			want:     want{"wg_adjacent": 1}, cost: 1_000,
		},
		{
			name: "a BOF against a BOF, a WG of its area and an area meeting",
			groups: []Group{{Acronym: "bof1", Type: "wg", State: "bof", Area: "art"}, {Acronym: "bof2", Type: "wg", State: "bof", Area: "sec"},
				wg("w")},
			sessions: []Session{one("bof1", 1), one("bof2", 2), one("w", 3)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0), 3: at(0, "A", 1)},
			want:     want{"bof_overlapping_bof": 2}, cost: 200_000,
		},
		{
			name:     "a BOF against a WG of its area: the BOF pays",
			groups:   []Group{{Acronym: "bof1", Type: "wg", State: "bof", Area: "art"}, wg("w")},
			sessions: []Session{one("bof1", 1), one("w", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"bof_overlapping_area_wg": 1}, cost: 100_000,
		},
		{
			name:     "a BOF against a proposed RG",
			groups:   []Group{{Acronym: "bof1", Type: "wg", State: "bof", Area: "art"}, {Acronym: "prg", Type: "rg", State: "proposed", Area: "irtf"}},
			sessions: []Session{one("bof1", 1), one("prg", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"bof_overlapping_prg": 1}, cost: 100_000,
		},
		{
			name: "a BOF against another area's meeting",
			groups: []Group{{Acronym: "bof1", Type: "wg", State: "bof", Area: "art"},
				{Acronym: "secarea", Type: "ag", State: "active", Area: "sec"}},
			sessions: []Session{one("bof1", 1), one("secarea", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"bof_overlapping_area_meeting": 1}, cost: 10_000,
		},
		{
			name: "area meetings against each other and against their own area",
			groups: []Group{{Acronym: "art", Type: "area", State: "active"}, {Acronym: "sec", Type: "area", State: "active"},
				with(wg("w"), func(g *Group) { g.Area = "art" })},
			sessions: []Session{one("art", 1), one("sec", 2), one("w", 3)},
			place:    Placement{1: at(0, "A", 2), 2: at(0, "B", 2), 3: at(0, "A", 1)},
			want:     want{"area_overlapping_other_area": 2}, cost: 200_000,
		},
		{
			name:     "an area meeting against a WG of its area",
			groups:   []Group{{Acronym: "art", Type: "area", State: "active"}, wg("w")},
			sessions: []Session{one("art", 1), one("w", 2)},
			place:    Placement{1: at(0, "A", 2), 2: at(0, "B", 2)},
			want:     want{"area_overlapping_in_area": 1}, cost: 10_000,
		},
		{
			name: "two WGs of one AD",
			groups: []Group{with(wg("a"), func(g *Group) { g.ADs = []int64{5} }),
				with(wg("b"), func(g *Group) { g.ADs = []int64{6, 5} })},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 2), 2: at(0, "B", 2)},
			want:     want{"session_overlap_ad": 2}, cost: 200,
		},
		{
			name:     "a joint session carries its partner's conflicts",
			groups:   []Group{wg("a"), with(wg("j"), func(g *Group) { g.Conflicts = []Conflict{{"conflict", "b"}} }), wg("b")},
			sessions: []Session{{ID: 1, Group: "a", Duration: time.Hour, Joint: []string{"j"}}, one("b", 2)},
			place:    Placement{1: at(0, "A", 0), 2: at(0, "B", 0)},
			want:     want{"conflict": 1}, cost: 100_000,
		},
		{
			name:     "a session left out",
			groups:   []Group{wg("a"), wg("b")},
			sessions: []Session{one("a", 1), one("b", 2)},
			place:    Placement{1: at(0, "A", 0)},
			want:     want{"unplaced": 1}, cost: penalties().Unplaced,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tiny(tc.groups...)
			p.Sessions = tc.sessions
			r, err := Score(p, tc.place)
			if err != nil {
				t.Fatal(err)
			}
			got := want{}
			for _, k := range r.Kinds {
				got[k.Slug] = k.Count
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("kinds charged (-want +got):\n%s\ncharges: %v", diff, r.Charges)
			}
			if r.Cost != tc.cost {
				t.Errorf("cost %d, want %d", r.Cost, tc.cost)
			}
			if len(r.Hard) > 0 {
				t.Errorf("hard violations: %v", r.Hard)
			}
			// The search's own bookkeeping must agree with Score on the
			// same placement.
			m, _ := compile(p)
			st := newState(m)
			for id, ids := range tc.place {
				s := m.sessID[id]
				c, err := m.candFor(s, ids)
				if err != nil {
					t.Fatal(err)
				}
				st.set(s, c)
			}
			st.recount()
			if st.cost != tc.cost {
				t.Errorf("the search counts %d, Score %d", st.cost, tc.cost)
			}
		})
	}
}

func TestHardViolations(t *testing.T) {
	p := tiny(wg("a"), wg("b"))
	p.Sessions = []Session{{ID: 1, Group: "a"}, {ID: 2, Group: "a", Index: 1}, {ID: 3, Group: "b"}}
	r, err := Score(p, Placement{1: {slot(0, "A", 0)}, 2: {slot(0, "B", 0)}, 3: {slot(0, "A", 0)}})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.Hard, "\n")
	for _, want := range []string{"a meets twice at once", "A at Mon 2012-03-26 09:00 holds both a and b"} {
		if !strings.Contains(got, want) {
			t.Errorf("hard violations %q lack %q", got, want)
		}
	}
	// Each violation is also under every session it involves: 1 with
	// 2 (the group twice) and with 3 (the room twice), 2 and 3 once.
	if n := [3]int{len(r.HardOf[1]), len(r.HardOf[2]), len(r.HardOf[3])}; n != [3]int{2, 1, 1} {
		t.Errorf("hard violations by session %v", r.HardOf)
	}
	r, err = Score(p, Placement{1: {slot(0, "A", 0), slot(0, "A", 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(r.Hard) != "[Session 1 of a takes slots that are not back to back in one room]" {
		t.Errorf("a broken chain: %v", r.Hard)
	}
	if len(r.HardOf) != 1 || len(r.HardOf[1]) != 1 {
		t.Errorf("a broken chain, by session: %v", r.HardOf)
	}
}
