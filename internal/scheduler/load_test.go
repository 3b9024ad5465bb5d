package scheduler_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/fail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/scheduler"
)

// corpus83 counts in the fixtures themselves what Load should find:
// the session slots, the sessions the scheduler may place (not "not
// meeting", not placed by the official schedule in a slot of another
// kind), the conflicts by level and each group's responsible AD.
type corpus83 struct {
	slots, sessions int
	placed          int // of those, placed by the official schedule
	conflicts       map[string]int
	ads             map[string]int64
}

func readCorpus83(t *testing.T) corpus83 {
	t.Helper()
	type object struct {
		PK     int64           `json:"pk"`
		Model  string          `json:"model"`
		Fields json.RawMessage `json:"fields"`
	}
	var objs []object
	for _, f := range []string{"meetings/ietf83/meeting83.json", "meetings/ietf83/constraint83.json", "groups/workinggroups-2013.json"} {
		var part []object
		if err := json.Unmarshal(corpustest.ReadFile(t, f), &part); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, part...)
	}
	c := corpus83{conflicts: map[string]int{}, ads: map[string]int64{}}
	slotType := map[int64]string{}
	status := map[int64]string{}
	var assigned []struct {
		Schedule int64  `json:"schedule"`
		Session  *int64 `json:"session"`
		Timeslot int64  `json:"timeslot"`
	}
	for _, o := range objs {
		var f struct {
			Type, Status, Name, Acronym string
			Schedule                    int64
			Session                     *int64
			Timeslot                    int64
			AD                          *int64 `json:"ad"`
		}
		if err := json.Unmarshal(o.Fields, &f); err != nil {
			t.Fatal(err)
		}
		switch o.Model {
		case "meeting.timeslot":
			slotType[o.PK] = f.Type
			if f.Type == "session" {
				c.slots++
			}
		case "meeting.session":
			status[o.PK] = f.Status
		case "meeting.scheduledsession":
			if f.Schedule == 24 && f.Session != nil {
				assigned = append(assigned, struct {
					Schedule int64  `json:"schedule"`
					Session  *int64 `json:"session"`
					Timeslot int64  `json:"timeslot"`
				}{f.Schedule, f.Session, f.Timeslot})
			}
		case "meeting.constraint":
			c.conflicts[f.Name]++
		case "group.group":
			if f.AD != nil {
				c.ads[f.Acronym] = *f.AD
			}
		}
	}
	elsewhere, placed := map[int64]bool{}, map[int64]bool{}
	for _, a := range assigned {
		if slotType[a.Timeslot] != "session" {
			elsewhere[*a.Session] = true
		}
		placed[*a.Session] = true
	}
	for id, st := range status {
		if st != "notmeet" && !elsewhere[id] {
			c.sessions++
			if placed[id] {
				c.placed++
			}
		}
	}
	return c
}

// TestLoadIETF83: Load of the imported IETF 83 holds what the corpus
// says: 145 session slots, 133 sessions to place (132 the official
// schedule put in session slots, and mext, which it left out), 1,456
// conflicts, the ADs of the time, the vocabulary's penalties; and the
// official schedule scored through the service costs what the issue
// says, 2,381,000 besides its unplaced session.
func TestLoadIETF83(t *testing.T) {
	e := newEnv83(t)
	want := readCorpus83(t)
	if want.sessions != 133 || want.placed != 132 || want.slots != 145 {
		t.Fatalf("the corpus is not IETF 83 as the issue describes it: %+v", want)
	}
	p, err := e.s.Load(e.ctx, "83", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Meeting != "83" || p.Zone.String() != "Europe/Paris" || len(p.Start) != 0 || len(p.Pinned) != 0 {
		t.Errorf("problem %q in %v, start %v, pinned %v", p.Meeting, p.Zone, p.Start, p.Pinned)
	}
	if len(p.Slots) != want.slots || len(p.Sessions) != want.sessions {
		t.Errorf("%d slots and %d sessions, want %d and %d", len(p.Slots), len(p.Sessions), want.slots, want.sessions)
	}
	for _, s := range p.Slots {
		if s.Capacity <= 0 || s.Room == "" || s.Start.Location() != p.Zone {
			t.Errorf("slot %+v", s)
		}
	}
	// By group, then id; each group's sessions indexed from 0.
	sorted := slices.IsSortedFunc(p.Sessions, func(a, b scheduler.Session) int {
		if a.Group != b.Group {
			return map[bool]int{true: -1, false: 1}[a.Group < b.Group]
		}
		return int(a.ID - b.ID)
	})
	if !sorted {
		t.Errorf("sessions are not in group and id order")
	}
	next := map[string]int{}
	for _, s := range p.Sessions {
		if s.Index != next[s.Group] {
			t.Errorf("%s session %d has index %d, want %d", s.Group, s.ID, s.Index, next[s.Group])
		}
		next[s.Group]++
	}
	if next["mext"] != 1 || next["v6ops"] != 2 || next["iesg"] != 0 || next["edu"] != 0 || next["ntp"] != 0 {
		t.Errorf("sessions per group: mext %d, v6ops %d, iesg %d, edu %d, ntp %d; want 1, 2 and none for the plenary, tutorials and a group not meeting",
			next["mext"], next["v6ops"], next["iesg"], next["edu"], next["ntp"])
	}
	conflicts := map[string]int{}
	known := map[string]scheduler.Group{}
	for _, g := range p.Groups {
		known[g.Acronym] = g
	}
	for _, g := range p.Groups {
		for _, c := range g.Conflicts {
			conflicts[c.Kind]++
			if _, ok := known[c.Target]; !ok {
				t.Errorf("%s's conflict names %s, which is not among the groups", g.Acronym, c.Target)
			}
		}
		if want.ads[g.Acronym] != 0 && !slices.Equal(g.ADs, []int64{want.ads[g.Acronym]}) {
			t.Errorf("%s's ADs = %v, want %d", g.Acronym, g.ADs, want.ads[g.Acronym])
		}
	}
	if d := cmp.Diff(want.conflicts, conflicts); d != "" || conflicts["conflict"]+conflicts["conflic2"]+conflicts["conflic3"] != 1456 {
		t.Errorf("conflicts by level (-corpus +loaded):\n%s", d)
	}
	if g := known["6man"]; g.Type != "wg" || g.State != "active" || g.Area != "int" {
		t.Errorf("6man = %+v", g)
	}
	var heaviest int64
	for _, c := range meetings.Vocab().ConstraintNames {
		heaviest = max(heaviest, int64(c.Penalty))
		if p.Penalty.Constraint[c.Slug] != int64(c.Penalty) {
			t.Errorf("penalty of %s = %d, want %d", c.Slug, p.Penalty.Constraint[c.Slug], c.Penalty)
		}
	}
	for _, b := range meetings.Vocab().BusinessConstraints {
		heaviest = max(heaviest, int64(b.Penalty))
		if p.Penalty.Business[b.Slug] != int64(b.Penalty) {
			t.Errorf("penalty of %s = %d, want %d", b.Slug, p.Penalty.Business[b.Slug], b.Penalty)
		}
	}
	if p.Penalty.Unplaced != heaviest || heaviest == 0 {
		t.Errorf("an unplaced session costs %d, want the heaviest penalty, %d", p.Penalty.Unplaced, heaviest)
	}
	if err := scheduler.Check(p); err != nil {
		t.Errorf("the solver refuses the loaded problem: %v", err)
	}

	// From the official schedule: where it put 132 of them, none pinned.
	from, err := e.s.Load(e.ctx, "83", "mtg:83")
	if err != nil {
		t.Fatal(err)
	}
	if len(from.Start) != want.placed || len(from.Pinned) != 0 {
		t.Errorf("from mtg:83: %d sessions placed, %d pinned; want %d and none", len(from.Start), len(from.Pinned), want.placed)
	}
	if _, err := e.s.Load(e.ctx, "83", "nope"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("from a schedule that does not exist: %v, want not found", err)
	}
	if _, err := e.s.Load(e.ctx, "84", ""); fail.KindOf(err) != fail.NotFound {
		t.Errorf("a meeting that does not exist: %v, want not found", err)
	}

	sc, err := e.s.Score(e.ctx, "83", "mtg:83")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, k := range sc.Report.Kinds {
		got[k.Slug] = k.Count
	}
	wantKinds := map[string]int{"conflict": 10, "conflic2": 18, "conflic3": 5, "session_requires_trim": 4, "sessions_out_of_order": 2,
		"bof_overlapping_area_wg": 1, "session_overlap_ad": 10, "unplaced": 1}
	if d := cmp.Diff(wantKinds, got); d != "" {
		t.Errorf("the official schedule's charges (-want +got):\n%s", d)
	}
	if c := sc.Report.Cost - p.Penalty.Unplaced; c != 2_381_000 {
		t.Errorf("the official schedule costs %d besides its unplaced session, want 2,381,000", c)
	}
	if len(sc.Report.Hard) != 3 || len(sc.Report.Unplaced) != 1 || sc.Report.Unplaced[0].Group != "mext" {
		t.Errorf("hard %v, unplaced %v; want the three double-booked rooms and mext", sc.Report.Hard, sc.Report.Unplaced)
	}
	if sc.Schedule.Badness != nil {
		t.Errorf("the imported schedule has a badness, %d, before it was scored", *sc.Schedule.Badness)
	}

	// Rescore stores the cost; nothing else changes.
	if _, err := e.s.Rescore(e.ctx, e.op, "83", "mtg:83", "scored once"); err != nil {
		t.Fatal(err)
	}
	stored, err := e.m.Schedule(e.ctx, "83", "mtg:83")
	if err != nil || stored.Badness == nil || *stored.Badness != sc.Report.Cost || !stored.Official {
		t.Errorf("after Rescore: %+v, %v", stored, err)
	}
	evs, _ := record.List(e.ctx, e.db, "meeting", "83", 1)
	if len(evs) != 1 || evs[0].Kind != "schedule_scored" || evs[0].Why != "scored once" {
		t.Errorf("Rescore recorded %+v", evs)
	}
}
