package scheduler

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hum/internal/corpustest"
)

// flatSession is a session of the corpus's joined IETF 83 file.
type flatSession struct {
	PK        int64               `json:"session_pk"`
	Acronym   string              `json:"acronym"`
	Type      string              `json:"group_type"`
	State     string              `json:"group_state"`
	Area      string              `json:"area"`
	Status    string              `json:"status"`
	Minutes   *int                `json:"requested_duration_min"`
	Attendees *int                `json:"attendees"`
	Conflicts map[string][]string `json:"conflicts"`
	Placed    []struct {
		Slot int64 `json:"timeslot_pk"`
	} `json:"official_placement"`
}

// corpus83 builds IETF 83's Problem straight from the corpus's joined
// file, without a database, so the solver's tests need nothing else.
// The service's Load builds the same from an imported meeting; its own
// test checks the two agree in size.
func corpus83(t testing.TB) (*Problem, Placement) {
	t.Helper()
	var flat struct {
		Timeslots []struct {
			PK       int64   `json:"pk"`
			Room     *string `json:"room"`
			Time     string  `json:"time"`
			Duration int64   `json:"duration"`
			Type     string  `json:"type"`
		} `json:"timeslots"`
		Rooms []struct {
			Name     string `json:"name"`
			Capacity int    `json:"capacity"`
		} `json:"rooms"`
		Sessions []flatSession `json:"sessions"`
	}
	if err := json.Unmarshal(corpustest.ReadFile(t, "meetings/ietf83/ietf83-sessions-flat.DERIVED.json"), &flat); err != nil {
		t.Fatal(err)
	}
	// The group list of the time names each group's responsible AD (a
	// person id the corpus does not resolve further): enough for the
	// same-AD business constraint.
	var list []struct {
		Fields struct {
			Acronym string `json:"acronym"`
			AD      *int64 `json:"ad"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(corpustest.ReadFile(t, "groups/workinggroups-2013.json"), &list); err != nil {
		t.Fatal(err)
	}
	ads := map[string][]int64{}
	for _, g := range list {
		if g.Fields.AD != nil {
			ads[g.Fields.Acronym] = []int64{*g.Fields.AD}
		}
	}
	zone, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	capacity := map[string]int{}
	for _, r := range flat.Rooms {
		capacity[r.Name] = r.Capacity
	}
	p := &Problem{Meeting: "83", Zone: zone, Penalty: penalties()}
	regular := map[int64]bool{}
	for _, ts := range flat.Timeslots {
		if ts.Type != "session" || ts.Room == nil {
			continue
		}
		start, err := time.ParseInLocation("2006-01-02 15:04:05", ts.Time, zone)
		if err != nil {
			t.Fatal(err)
		}
		regular[ts.PK] = true
		p.Slots = append(p.Slots, Slot{ID: ts.PK, Room: *ts.Room, Capacity: capacity[*ts.Room], Start: start, Duration: time.Duration(ts.Duration) * time.Second})
	}
	groups := map[string]*Group{}
	official := Placement{}
	slices.SortFunc(flat.Sessions, func(a, b flatSession) int {
		return cmp.Or(strings.Compare(a.Acronym, b.Acronym), cmp.Compare(a.PK, b.PK))
	})
	index := map[string]int{}
	for _, s := range flat.Sessions {
		if s.Status == "notmeet" {
			continue
		}
		elsewhere := false
		for _, pl := range s.Placed {
			elsewhere = elsewhere || !regular[pl.Slot]
		}
		if elsewhere {
			continue
		}
		g := groups[s.Acronym]
		if g == nil {
			g = &Group{Acronym: s.Acronym, Type: s.Type, State: s.State, Area: s.Area, ADs: ads[s.Acronym]}
			for _, level := range []string{"conflict", "conflic2", "conflic3"} {
				for _, target := range s.Conflicts[level] {
					g.Conflicts = append(g.Conflicts, Conflict{Kind: level, Target: target})
				}
			}
			groups[s.Acronym] = g
		}
		ses := Session{ID: s.PK, Group: s.Acronym, Index: index[s.Acronym]}
		index[s.Acronym]++
		if s.Minutes != nil {
			ses.Duration = time.Duration(*s.Minutes) * time.Minute
		}
		if s.Attendees != nil {
			ses.Attendees = *s.Attendees
		}
		p.Sessions = append(p.Sessions, ses)
		for _, pl := range s.Placed {
			official[s.PK] = append(official[s.PK], pl.Slot)
		}
	}
	// Conflicts name groups that meet elsewhere or not at all; they are
	// groups all the same.
	for _, g := range slices.Collect(func(yield func(*Group) bool) {
		for _, g := range groups {
			if !yield(g) {
				return
			}
		}
	}) {
		for _, c := range g.Conflicts {
			if groups[c.Target] == nil {
				groups[c.Target] = &Group{Acronym: c.Target, Type: "wg", State: "active"}
			}
		}
	}
	for _, a := range slices.Sorted(func(yield func(string) bool) {
		for a := range groups {
			if !yield(a) {
				return
			}
		}
	}) {
		p.Groups = append(p.Groups, *groups[a])
	}
	return p, official
}

// penalties reads the vocabulary, as the service does.
func penalties() Penalties { return vocabPenalties() }

func TestOfficialIETF83Score(t *testing.T) {
	p, official := corpus83(t)
	if len(p.Sessions) != 133 {
		t.Errorf("IETF 83 has %d schedulable sessions, want 133 (132 placed and mext)", len(p.Sessions))
	}
	r, err := Score(p, official)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range r.Kinds {
		t.Logf("%-28s %4d × %9d = %10d", k.Slug, k.Count, k.Penalty, k.Total)
	}
	for _, h := range r.Hard {
		t.Logf("hard: %s", h)
	}
	want := map[string]int{"conflict": 10, "conflic2": 18, "conflic3": 5, "session_requires_trim": 4, "sessions_out_of_order": 2,
		"bof_overlapping_area_wg": 1, "session_overlap_ad": 10, "unplaced": 1}
	got := map[string]int{}
	for _, k := range r.Kinds {
		got[k.Slug] = k.Count
	}
	if !maps_equal(got, want) {
		t.Errorf("official IETF 83 charges %v, want %v", got, want)
	}
	if c := r.Cost - p.Penalty.Unplaced; c != 2_381_000 {
		t.Errorf("official IETF 83 costs %d without its unplaced session, want 2,381,000", c)
	}
	if len(r.Hard) != 3 {
		t.Errorf("official IETF 83 has %d hard violations, want the 3 double-booked rooms: %v", len(r.Hard), r.Hard)
	}
}

func maps_equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
