package scheduler_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/scheduler"
)

// TestRunIETF83 schedules IETF 83 and stores the result: a feasible
// schedule of every session, its cost stored as its badness, named by
// the clock; the same seed again gives the same schedule and report; a
// run from that schedule keeps what is pinned in it and in the request.
// The runs have a budget in moves (and two workers), so that they end
// the same way however loaded the machine is: a run that stops at its
// time limit may stop anywhere.
func TestRunIETF83(t *testing.T) {
	e := newEnv83(t)
	// One round of moves a worker: a feasible schedule of every session
	// already, which is what this test asks of the search (the solver's
	// own tests ask it to reach the lower bound); under -race a round
	// takes seconds.
	budget := func(r scheduler.RunRequest) scheduler.RunRequest {
		r.Moves, r.Workers, r.Time = 200_000, 2, 10*time.Minute
		return r
	}
	out, err := e.s.Run(e.ctx, e.op, "83", budget(scheduler.RunRequest{Seed: 7, Why: "first try"}))
	if err != nil {
		t.Fatal(err)
	}
	res := out.Result
	if out.Schedule.Name != "auto-20261203-041500" || out.Schedule.Official {
		t.Errorf("stored as %+v", out.Schedule)
	}
	if len(res.Report.Hard) > 0 || len(res.Report.Unplaced) > 0 || res.Report.Placed != len(out.Problem.Sessions) {
		t.Errorf("not a feasible schedule of every session: hard %v, unplaced %v, %d of %d placed",
			res.Report.Hard, res.Report.Unplaced, res.Report.Placed, len(out.Problem.Sessions))
	}
	if b := out.Schedule.Badness; b == nil || *b != res.Report.Cost {
		t.Errorf("badness %v, want the cost %d", b, res.Report.Cost)
	}
	// What is stored is what was found, and scores the same.
	sc, err := e.s.Score(e.ctx, "83", out.Schedule.Name)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(res.Placement, sc.Placement); d != "" {
		t.Errorf("stored placement (-found +stored):\n%s", d)
	}
	if sc.Report.Cost != res.Report.Cost || len(sc.Report.Hard) > 0 {
		t.Errorf("the stored schedule scores %d (hard %v), the search said %d", sc.Report.Cost, sc.Report.Hard, res.Report.Cost)
	}
	evs, _ := record.List(e.ctx, e.db, "meeting", "83", 1)
	if len(evs) != 1 || evs[0].Kind != "schedule_created" || evs[0].Why != "first try" || !strings.Contains(evs[0].Summary, "auto-20261203-041500") {
		t.Errorf("last event %+v", evs)
	}

	// The same seed: the same placement, the same report.
	again, err := e.s.Run(e.ctx, e.op, "83", budget(scheduler.RunRequest{Name: "again", Seed: 7}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(res.Placement, again.Result.Placement); d != "" {
		t.Errorf("seed 7 twice (-first +second):\n%s", d)
	}
	var r1, r2 bytes.Buffer
	scheduler.WriteReport(&r1, out.Problem, res)
	scheduler.WriteReport(&r2, again.Problem, again.Result)
	if r1.String() != r2.String() {
		t.Errorf("two reports of seed 7:\n%s\n%s", r1.String(), r2.String())
	}
	if !strings.Contains(r1.String(), "hard violations: none\n") || !strings.Contains(r1.String(), "unplaced sessions: none\n") {
		t.Errorf("report:\n%s", r1.String())
	}

	// Pin 6man's first session to the slot of another, by the request,
	// and pin v6ops's where the first run put it, in the schedule; run
	// from that schedule, made official.
	p := out.Problem
	id := func(group string, index int) int64 {
		for _, s := range p.Sessions {
			if s.Group == group && s.Index == index {
				return s.ID
			}
		}
		t.Fatalf("no session %d of %s", index, group)
		return 0
	}
	pins, err := scheduler.Pins(p, scheduler.Placement{id("6man", 0): res.Placement[id("tls", 0)]})
	if err != nil {
		t.Fatal(err)
	}
	v6ops := id("v6ops", 0)
	if err := e.m.PinSession(e.ctx, e.op, "83", "again", v6ops, true, "keep it"); err != nil {
		t.Fatal(err)
	}
	third, err := e.s.Run(e.ctx, e.op, "83", budget(scheduler.RunRequest{Name: "pinned", From: "again", Seed: 8, Pins: pins, Official: true}))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("runs: %s in %v, %s in %v, %s in %v (cost %d)", res.Stopped, res.Elapsed, again.Result.Stopped, again.Result.Elapsed, third.Result.Stopped, third.Result.Elapsed, third.Result.Report.Cost)
	got := third.Result.Placement
	if !slices.Equal(got[id("6man", 0)], res.Placement[id("tls", 0)]) || !slices.Equal(got[v6ops], again.Result.Placement[v6ops]) {
		t.Errorf("6man at %v (pinned to %v), v6ops at %v (pinned to %v)", got[id("6man", 0)], res.Placement[id("tls", 0)], got[v6ops], again.Result.Placement[v6ops])
	}
	as, err := e.m.Assignments(e.ctx, "83", "pinned")
	if err != nil {
		t.Fatal(err)
	}
	pinnedIn := map[int64]bool{}
	for _, a := range as {
		if a.Pinned {
			pinnedIn[a.SessionID] = true
		}
	}
	if d := cmp.Diff(map[int64]bool{id("6man", 0): true, v6ops: true}, pinnedIn); d != "" {
		t.Errorf("pinned in the stored schedule (-want +got):\n%s", d)
	}
	m, _ := e.m.Get(e.ctx, "83")
	if m.ScheduleID != third.Schedule.ID || !third.Schedule.Official {
		t.Errorf("the run asked to be official is not: meeting's schedule %d, run's %+v", m.ScheduleID, third.Schedule)
	}
}

// TestRunRefusals: bad input is refused with a clear error, and nothing
// is written.
func TestRunRefusals(t *testing.T) {
	e := newEnv83(t)
	// A meeting with rooms but no timeslots, and one with neither.
	if _, err := e.m.Create(e.ctx, e.op, meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN", TimeZone: "Asia/Shanghai",
		Date: "2026-03-14", NoGrid: true}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.ImportDatatracker(e.ctx, e.op, meetings.DatatrackerImport{Number: "90", Fixtures: [][]byte{[]byte(`[
		{"pk": 90, "model": "meeting.meeting", "fields": {"number": "90", "type": "ietf", "city": "Toronto", "country": "CA", "time_zone": "America/Toronto", "date": "2014-07-20", "agenda": 1}},
		{"pk": 1, "model": "meeting.schedule", "fields": {"meeting": 90, "name": "mtg:90"}}]`)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Run(e.ctx, e.op, "83", scheduler.RunRequest{Name: "mine", Moves: 1}); err != nil {
		t.Fatal(err)
	}
	p, err := e.s.Load(e.ctx, "83", "")
	if err != nil {
		t.Fatal(err)
	}
	pin := func(group string, index int, start, room string) scheduler.Pin {
		return scheduler.Pin{Group: group, SessionIndex: index, Start: start, Room: room}
	}
	before := e.state()
	for _, c := range []struct {
		name   string
		number string
		by     groups.Actor
		r      scheduler.RunRequest
		kind   fail.Kind
		want   string
	}{
		{"no rooms", "90", e.op, scheduler.RunRequest{Name: "x"}, fail.Invalid, "IETF 90 has no rooms"},
		{"no slots", "125", e.op, scheduler.RunRequest{Name: "x"}, fail.Invalid, "IETF 125 has no session slots"},
		{"no such meeting", "84", e.op, scheduler.RunRequest{Name: "x"}, fail.NotFound, "no meeting"},
		{"name taken", "83", e.op, scheduler.RunRequest{Name: "mine"}, fail.Invalid, `already has a schedule named "mine"`},
		// The name is refused before anything else is looked at.
		{"name taken, bad pins", "83", e.op, scheduler.RunRequest{Name: "mtg:83", Pins: []scheduler.Pin{pin("nope", 0, "", "")}}, fail.Invalid, `already has a schedule named "mtg:83"`},
		{"bad name", "83", e.op, scheduler.RunRequest{Name: "a b"}, fail.Invalid, "letters, digits"},
		{"no such start", "83", e.op, scheduler.RunRequest{Name: "x", From: "nope"}, fail.NotFound, `no schedule named "nope"`},
		{"two sessions in one slot", "83", e.op, scheduler.RunRequest{Name: "x", Pins: []scheduler.Pin{
			pin("6man", 0, "2012-03-27T09:00", "Maillot"), pin("v6ops", 0, "2012-03-27T09:00", "Maillot")}}, fail.Invalid, "a slot holds one session"},
		{"unknown session", "83", e.op, scheduler.RunRequest{Name: "x", Pins: []scheduler.Pin{pin("6man", 5, "2012-03-27T09:00", "Maillot")}}, fail.Invalid, `session 5 of "6man"`},
		{"unknown slot", "83", e.op, scheduler.RunRequest{Name: "x", Pins: []scheduler.Pin{pin("6man", 0, "2012-03-27T03:00", "Maillot")}}, fail.Invalid, "a slot at 2012-03-27T03:00"},
		{"pins not back to back", "83", e.op, scheduler.RunRequest{Name: "x", Pins: []scheduler.Pin{
			pin("6man", 0, "2012-03-27T09:00", "Maillot"), pin("6man", 0, "2012-03-28T09:00", "Maillot")}}, fail.Invalid, "not back to back"},
		{"not the secretariat", "83", groups.Actor{}, scheduler.RunRequest{Name: "x"}, fail.Forbidden, "secretariat"},
	} {
		_, err := e.s.Run(e.ctx, c.by, c.number, c.r)
		if fail.KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %s saying %q", c.name, err, c.kind, c.want)
		}
	}
	if len(p.Sessions) == 0 {
		t.Fatal("no sessions")
	}
	// A session longer than any run of back-to-back slots: a request
	// made before the secretariat shortened the grid, say.
	if _, err := e.db.ExecContext(e.ctx, `UPDATE session SET requested_duration = 36000 WHERE id = $1`, p.Sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Run(e.ctx, e.op, "83", scheduler.RunRequest{Name: "x"}); fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), "longer than any run of back-to-back slots") {
		t.Errorf("a ten-hour session: %v", err)
	}
	if d := cmp.Diff(before, e.state()); d != "" {
		t.Errorf("refused runs changed the database (events, schedules, assignments, official) (-before +after):\n%s", d)
	}
}
