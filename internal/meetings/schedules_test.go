package meetings_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/meetings"
	"hum/internal/record"
)

// schedFixture is IETF 125 with three sessions (tls, quic, httpbis) and
// its regular slots in Room A and Room B.
type schedFixture struct {
	m        meetings.Meeting
	sessions map[string]int64 // by group
	a, b     []meetings.Timeslot
	noRoom   meetings.Timeslot
}

func (e *env) schedFixture() schedFixture {
	e.t.Helper()
	f := schedFixture{m: e.meeting(), sessions: map[string]int64{}}
	for _, acr := range []string{"tls", "quic", "httpbis"} {
		g, _ := e.body.Groups.Get(e.ctx, acr)
		id, err := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: f.m.ID, GroupID: g.ID, Status: meetings.StatusWaiting})
		if err != nil {
			e.t.Fatal(err)
		}
		f.sessions[acr] = id
	}
	slots, err := e.m.Timeslots(e.ctx, f.m.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, t := range slots {
		switch {
		case t.Type == "regular" && t.Room == "Room A":
			f.a = append(f.a, t)
		case t.Type == "regular" && t.Room == "Room B":
			f.b = append(f.b, t)
		case t.RoomID == 0:
			f.noRoom = t
		}
	}
	return f
}

func TestSchedules(t *testing.T) {
	e := newEnv(t)
	f := e.schedFixture()
	sec := e.as("sec@example.org")
	cost := int64(12000)
	sc, err := e.m.CreateSchedule(e.ctx, sec, "125", meetings.NewSchedule{Name: "auto-1", Badness: &cost, Assignments: []meetings.Assignment{
		{SessionID: f.sessions["tls"], TimeslotID: f.a[0].ID, Pinned: true},
		{SessionID: f.sessions["tls"], TimeslotID: f.a[1].ID, Pinned: true},
		{SessionID: f.sessions["quic"], TimeslotID: f.b[0].ID},
	}}, "a first try")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "auto-1" || sc.Official || sc.Badness == nil || *sc.Badness != 12000 || sc.Assignments != 3 || sc.Sessions != 2 || !sc.Created.Equal(e.now) {
		t.Errorf("created %+v", sc)
	}
	list, err := e.m.Schedules(e.ctx, "125")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
		if s.Name == "official" && (!s.Official || s.Badness != nil || s.Owner != "sec@example.org" && s.OwnerID == 0) {
			t.Errorf("official schedule listed as %+v", s)
		}
	}
	if d := cmp.Diff([]string{"official", "auto-1"}, names); d != "" {
		t.Errorf("schedules (-want +got):\n%s", d)
	}
	placed := func(name string) []string {
		t.Helper()
		as, err := e.m.Assignments(e.ctx, "125", name)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			s := "-"
			if a.Pinned {
				s = "pinned"
			}
			for g, id := range f.sessions {
				if id == a.SessionID {
					s = g + " " + s
				}
			}
			for i, x := range append(f.a, f.b...) {
				if x.ID == a.TimeslotID {
					s += " " + x.Room + " " + string(rune('0'+i%len(f.a)))
				}
			}
			out = append(out, s)
		}
		return out
	}
	if d := cmp.Diff([]string{"tls pinned Room A 0", "quic - Room B 0", "tls pinned Room A 1"}, placed("auto-1")); d != "" {
		t.Errorf("auto-1 (-want +got):\n%s", d)
	}

	// Pin, move (a pinned session stays pinned), score, make official.
	if err := e.m.PinSession(e.ctx, sec, "125", "auto-1", f.sessions["quic"], true, "keep it"); err != nil {
		t.Fatal(err)
	}
	if err := e.m.PinSession(e.ctx, sec, "125", "auto-1", f.sessions["tls"], false, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.m.MoveSession(e.ctx, sec, "125", "auto-1", f.sessions["quic"], []int64{f.b[2].ID}, "by hand"); err != nil {
		t.Fatal(err)
	}
	if err := e.m.MoveSession(e.ctx, sec, "125", "auto-1", f.sessions["httpbis"], []int64{f.b[0].ID}, "into the freed slot"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"tls - Room A 0", "httpbis - Room B 0", "tls - Room A 1", "quic pinned Room B 2"}, placed("auto-1")); d != "" {
		t.Errorf("auto-1 after the changes (-want +got):\n%s", d)
	}
	if err := e.m.SetBadness(e.ctx, sec, "125", "auto-1", 0, "rescored"); err != nil {
		t.Fatal(err)
	}
	if err := e.m.MakeOfficial(e.ctx, sec, "125", "auto-1", "the final one"); err != nil {
		t.Fatal(err)
	}
	m, _ := e.m.Get(e.ctx, "125")
	sc, _ = e.m.Schedule(e.ctx, "125", "auto-1")
	if m.ScheduleID != sc.ID || !sc.Official || *sc.Badness != 0 {
		t.Errorf("after MakeOfficial: meeting's schedule %d, auto-1 %+v", m.ScheduleID, sc)
	}
	for g, id := range f.sessions {
		if s, _ := e.m.Session(e.ctx, id); s.Status != meetings.StatusScheduled {
			t.Errorf("%s is %q once the schedule placing it is official", g, s.Status)
		}
	}
	items, _ := e.m.Placed(e.ctx, m.ScheduleID)
	if len(items) != 4 || !items[len(items)-1].Pinned {
		t.Errorf("the agenda's items = %+v, want 4 with quic's pinned", items)
	}
	// Out of the official schedule: the session waits again.
	if err := e.m.MoveSession(e.ctx, sec, "125", "auto-1", f.sessions["httpbis"], nil, "dropped"); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.m.Session(e.ctx, f.sessions["httpbis"]); s.Status != meetings.StatusWaiting {
		t.Errorf("httpbis out of the official schedule is %q", s.Status)
	}
	evs, _ := record.List(e.ctx, e.db, "meeting", "125", 20)
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
		if ev.Actor != "sec@example.org" && ev.Actor != "Sam Secretariat" {
			t.Errorf("event %s by %q", ev.Kind, ev.Actor)
		}
	}
	want := []string{"schedule_session_moved", "schedule_official", "schedule_scored", "schedule_session_moved", "schedule_session_moved",
		"schedule_unpinned", "schedule_pinned", "schedule_created", "meeting_created"}
	if d := cmp.Diff(want, kinds); d != "" {
		t.Errorf("the meeting's record (-want +got):\n%s", d)
	}
	if !strings.Contains(evs[len(evs)-2].Summary, `"auto-1"`) || evs[len(evs)-2].Why != "a first try" {
		t.Errorf("creation event %+v", evs[len(evs)-2])
	}
}

// TestScheduleRefusals: each refusal says what is wrong and writes
// nothing.
func TestScheduleRefusals(t *testing.T) {
	e := newEnv(t)
	f := e.schedFixture()
	sec := e.as("sec@example.org")
	if _, err := e.m.CreateSchedule(e.ctx, sec, "125", meetings.NewSchedule{Name: "mine", Assignments: []meetings.Assignment{
		{SessionID: f.sessions["tls"], TimeslotID: f.a[0].ID}}}, ""); err != nil {
		t.Fatal(err)
	}
	other := e.meetingOn("126", "2026-07-18")
	otherSlots, _ := e.m.Timeslots(e.ctx, other.ID)
	before, rows := e.events(), e.rows(`assignment`)
	tls, quic := f.sessions["tls"], f.sessions["quic"]
	create := func(name string, as ...meetings.Assignment) error {
		_, err := e.m.CreateSchedule(e.ctx, sec, "125", meetings.NewSchedule{Name: name, Assignments: as}, "")
		return err
	}
	for _, c := range []struct {
		name string
		err  error
		kind fail.Kind
		want string
	}{
		{"name taken", create("mine", meetings.Assignment{SessionID: tls, TimeslotID: f.a[1].ID}), fail.Invalid, `already has a schedule named "mine"`},
		{"official name taken", create("official"), fail.Invalid, `"official"`},
		{"bad name", create("my schedule"), fail.Invalid, "letters, digits"},
		{"two in a slot", create("x", meetings.Assignment{SessionID: tls, TimeslotID: f.a[1].ID}, meetings.Assignment{SessionID: quic, TimeslotID: f.a[1].ID}), fail.Invalid, "a slot holds one session"},
		{"slot of another meeting", create("x", meetings.Assignment{SessionID: tls, TimeslotID: otherSlots[0].ID}), fail.Invalid, "has no timeslot"},
		{"no such session", create("x", meetings.Assignment{SessionID: 999999, TimeslotID: f.a[1].ID}), fail.Invalid, "has no session 999999"},
		{"slot without a room", create("x", meetings.Assignment{SessionID: tls, TimeslotID: f.noRoom.ID}), fail.Invalid, "has no room"},
		{"a chair", func() error {
			_, err := e.m.CreateSchedule(e.ctx, e.as("chair-tls@example.org"), "125", meetings.NewSchedule{Name: "x"}, "")
			return err
		}(), fail.Forbidden, "secretariat"},
		{"no such schedule", e.m.PinSession(e.ctx, sec, "125", "nope", tls, true, ""), fail.NotFound, `no schedule named "nope"`},
		{"pin an unplaced session", e.m.PinSession(e.ctx, sec, "125", "mine", quic, true, ""), fail.Invalid, "only a placed session"},
		{"move into a held slot", e.m.MoveSession(e.ctx, sec, "125", "mine", quic, []int64{f.a[0].ID}, ""), fail.Conflict, "already holds session"},
		{"move another meeting's session", e.m.MoveSession(e.ctx, sec, "126", "official", quic, []int64{otherSlots[0].ID}, ""), fail.Invalid, "has no session"},
		{"make official, chair", e.m.MakeOfficial(e.ctx, e.as("chair-tls@example.org"), "125", "mine", ""), fail.Forbidden, "secretariat"},
		{"badness, no such meeting", e.m.SetBadness(e.ctx, sec, "999", "mine", 1, ""), fail.NotFound, "no meeting"},
	} {
		if fail.KindOf(c.err) != c.kind || c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %s saying %q", c.name, c.err, c.kind, c.want)
		}
	}
	if e.events() != before || e.rows(`assignment`) != rows || e.rows(`schedule WHERE meeting_id = $1`, f.m.ID) != 2 {
		t.Errorf("refusals wrote: %d events, %d assignments, %d schedules", e.events()-before, e.rows(`assignment`)-rows, e.rows(`schedule WHERE meeting_id = $1`, f.m.ID))
	}
	if err := e.m.NameFree(e.ctx, "125", "mine"); fail.KindOf(err) != fail.Invalid {
		t.Errorf("NameFree(mine) = %v", err)
	}
	if err := e.m.NameFree(e.ctx, "125", "yours"); err != nil {
		t.Errorf("NameFree(yours) = %v", err)
	}
}
