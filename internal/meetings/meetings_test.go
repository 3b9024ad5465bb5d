package meetings_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/meetings"
)

func TestCreateLaysOutTheGrid(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	if m.Title() != "IETF 125" || m.Location.String() != "Asia/Shanghai" || m.Date.Format(time.DateOnly) != "2026-03-14" || m.ScheduleID == 0 {
		t.Fatalf("meeting = %+v", m)
	}
	slots, err := e.m.Timeslots(e.ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, s := range slots {
		count[s.Type]++
		if s.Type == "regular" && s.Room == "" {
			t.Errorf("regular slot %s has no room", s.Start)
		}
	}
	// Saturday: registration; Sunday to Thursday: four session slots in
	// each of two rooms; Friday: two.
	want := map[string]int{"reg": 1, "regular": 2 * (5*4 + 2), "break": 5*3 + 1}
	if d := cmp.Diff(want, count); d != "" {
		t.Errorf("slots by type (-want +got):\n%s", d)
	}
	first := slots[1] // after Saturday's registration
	if got := first.Start.In(m.Location).Format("Mon 15:04"); got != "Sun 09:30" || first.Start.Location() != time.UTC {
		t.Errorf("first session slot starts %s (%v), want Sun 09:30 local, stored in UTC", got, first.Start)
	}
}

func TestCreateRefusals(t *testing.T) {
	e := newEnv(t)
	before := e.events()
	_, err := e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: "12x", City: "", Country: "France",
		TimeZone: "Mars/Olympus", Date: "2026-03-14", Days: 30}, "")
	f, ok := fail.As(err)
	if !ok || f.Kind != fail.Invalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	var fields []string
	for _, p := range f.Problems {
		fields = append(fields, p.Field)
	}
	if d := cmp.Diff([]string{"number", "city", "country", "time_zone", "days"}, fields); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if _, err := e.m.Create(e.ctx, e.as("ad-sec@example.org"), meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN",
		TimeZone: "Asia/Shanghai", Date: "2026-03-14"}, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("an AD creating a meeting: %v, want forbidden", err)
	}
	e.meeting()
	after := e.events()
	if _, err := e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: "125", City: "Paris", Country: "FR",
		TimeZone: "Europe/Paris", Date: "2026-07-14"}, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("IETF 125 twice: %v, want invalid", err)
	}
	if before+1 != after || e.events() != after {
		t.Errorf("events %d → %d → %d: refusals must change nothing", before, after, e.events())
	}
}

func TestRoomsAndTimeslots(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	sec := e.as("sec@example.org")
	if _, err := e.m.AddRoom(e.ctx, sec, "125", meetings.NewRoom{Name: "Room C", Capacity: 50}, "overflow"); err != nil {
		t.Fatal(err)
	}
	slots, _ := e.m.Timeslots(e.ctx, m.ID)
	inC := 0
	for _, s := range slots {
		if s.Room == "Room C" {
			inC++
		}
	}
	if inC != 5*4+2 {
		t.Errorf("the new room has %d slots, want the grid's 22", inC)
	}
	at := func(day, hour, min int) time.Time {
		d := m.Day(day)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, min, 0, 0, m.Location)
	}
	before := e.events()
	// Sunday 10:00 overlaps Session I (09:30–11:30) in Room A.
	_, err := e.m.AddTimeslot(e.ctx, sec, "125", meetings.NewTimeslot{Room: "Room A", Type: "other", Name: "Hackathon", Start: at(1, 10, 0), Duration: time.Hour}, "")
	if f, ok := fail.As(err); !ok || f.Field != "start" {
		t.Errorf("overlapping slot: %v, want a refusal on start", err)
	}
	if _, err := e.m.AddTimeslot(e.ctx, sec, "125", meetings.NewTimeslot{Room: "Room A", Type: "regular", Start: at(9, 10, 0), Duration: time.Hour}, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("slot after the meeting: %v, want invalid", err)
	}
	if _, err := e.m.AddTimeslot(e.ctx, e.as("chair-tls@example.org"), "125", meetings.NewTimeslot{Room: "Room A", Type: "other", Start: at(1, 8, 0), Duration: time.Hour}, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a chair adding a slot: %v, want forbidden", err)
	}
	if e.events() != before {
		t.Errorf("refused timeslots changed the record")
	}
	// 08:00–09:30 fits before Session I.
	ts, err := e.m.AddTimeslot(e.ctx, sec, "125", meetings.NewTimeslot{Room: "Room A", Type: "other", Name: "Newcomers", Start: at(1, 8, 0), Duration: 90 * time.Minute}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Moving it to 09:00 would overlap.
	if err := e.m.EditTimeslot(e.ctx, sec, "125", ts.ID, meetings.NewTimeslot{Room: "Room A", Type: "other", Start: at(1, 9, 0), Duration: time.Hour}, ""); err == nil {
		t.Error("a move onto Session I was allowed")
	}
	if err := e.m.DeleteTimeslot(e.ctx, sec, "125", ts.ID, ""); err != nil {
		t.Error(err)
	}
}

func TestAssign(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	sec := e.as("sec@example.org")
	tls, _ := e.body.Groups.Get(e.ctx, "tls")
	id, err := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: m.ID, GroupID: tls.ID, Status: meetings.StatusWaiting, RequestedDuration: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := e.m.Timeslots(e.ctx, m.ID)
	var a, b, noRoom meetings.Timeslot
	for _, s := range slots {
		switch {
		case s.Type == "reg":
			noRoom = s
		case s.Type == "regular" && s.Room == "Room A" && a.ID == 0:
			a = s
		case s.Type == "regular" && s.Room == "Room B" && b.ID == 0:
			b = s
		}
	}
	if err := e.m.Assign(e.ctx, e.as("chair-tls@example.org"), "125", id, a.ID, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a chair placing: %v, want forbidden", err)
	}
	if err := e.m.Assign(e.ctx, sec, "125", id, noRoom.ID, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("placing in the registration slot: %v, want invalid", err)
	}
	if err := e.m.Assign(e.ctx, sec, "125", id, a.ID, "first draft"); err != nil {
		t.Fatal(err)
	}
	quic, _ := e.body.Groups.Get(e.ctx, "quic")
	id2, _ := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: m.ID, GroupID: quic.ID, Status: meetings.StatusWaiting})
	if err := e.m.Assign(e.ctx, sec, "125", id2, a.ID, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("two sessions in one slot: %v, want conflict", err)
	}
	if err := e.m.Assign(e.ctx, sec, "125", id2, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	items, err := e.m.Placed(e.ctx, m.ScheduleID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Session.Group+" "+it.Slot.Room+" "+it.Session.Status+" "+it.Session.Area)
	}
	if d := cmp.Diff([]string{"tls Room A sched sec", "quic Room B sched wit"}, got); d != "" {
		t.Errorf("agenda (-want +got):\n%s", d)
	}
	if err := e.m.Unassign(e.ctx, sec, "125", id, a.ID, "moved"); err != nil {
		t.Fatal(err)
	}
	s, _ := e.m.Session(e.ctx, id)
	if s.Status != meetings.StatusWaiting {
		t.Errorf("unplaced session is %q, want waiting for scheduling", s.Status)
	}
	evs, _ := e.groupEvents("tls")
	if len(evs) < 2 || evs[0] != "session_unscheduled" || evs[1] != "session_scheduled" {
		t.Errorf("tls's history = %v, want the placing and the unplacing", evs)
	}
}

func TestSessionsByStatuses(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	for _, acr := range []string{"tls", "quic", "httpbis"} {
		g, _ := e.body.Groups.Get(e.ctx, acr)
		status := meetings.StatusWaiting
		if acr == "quic" {
			status = meetings.StatusNotMeeting
		} else if acr == "httpbis" {
			status = meetings.StatusScheduled
		}
		if _, err := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: m.ID, GroupID: g.ID, Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	ss, n, err := e.m.Sessions(e.ctx, meetings.SessionFilter{MeetingID: m.ID, Status: []string{meetings.StatusWaiting, meetings.StatusScheduled}})
	if err != nil || n != 2 || len(ss) != 2 || ss[0].Group != "httpbis" || ss[1].Group != "tls" {
		t.Errorf("sessions waiting or scheduled = %d %v %v, want httpbis and tls", n, ss, err)
	}
}
