package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

// requestSite is the small standards body with a meetings service the
// test holds, and an IETF meeting far enough ahead that requests are
// open.
type requestSite struct {
	*site
	ms     *meetings.Service
	number string
}

func newRequestSite(t *testing.T) *requestSite {
	t.Helper()
	b := newBody(t)
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	s := &requestSite{site: serve(t, b, Config{Meetings: ms}), ms: ms, number: "130"}
	s.meeting(s.number, time.Now().AddDate(0, 0, 100))
	return s
}

// operator acts as whoever runs hum, with the secretariat's authority.
var operator = groups.Operator(record.Actor{Name: "test"})

func (s *requestSite) meeting(number string, day time.Time) meetings.Meeting {
	s.t.Helper()
	m, err := s.ms.Create(context.Background(), operator, meetings.NewMeeting{Number: number, City: "Madrid", Country: "ES",
		TimeZone: "Europe/Madrid", Date: day.Format(time.DateOnly), Days: 6, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 100}, {Name: "Room B", Capacity: 40}}}, "")
	if err != nil {
		s.t.Fatal(err)
	}
	return m
}

func (s *requestSite) rows(query string, args ...any) int {
	s.t.Helper()
	n, err := db.Scalar[int](s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+query, args...))
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

func TestSessionRequestForm(t *testing.T) {
	s := newRequestSite(t)
	path := "/meeting/130/requests/httpbis/"
	chair, pat := s.client(), s.client()
	chair.login("chair@example.org")
	pat.login("pat@example.org")

	code, body := chair.get(path)
	want(t, "the chair's form", code, body, 200, "Session request: httpbis at IETF 130", "Number of sessions", "Monday morning", "Conflicts with (secondary)", "No request yet")
	code, body = s.client().get(path)
	want(t, "the form, logged out", code, body, 401)
	code, body = pat.get(path)
	want(t, "the form, for a participant", code, body, 403)

	good := url.Values{"sessions": {"2"}, "length1": {"60"}, "length2": {"90"}, "length3": {""}, "attendees": {"50"},
		"conflict": {"quic"}, "conflic2": {""}, "conflic3": {""}, "bethere": {"ad@example.org"}, "timeranges": {"monday-morning", "friday-morning"},
		"adjacent": {""}, "joint_with": {""}, "joint_for": {"0"}, "time_relation": {"subsequent-days"}, "comments": {"No Friday please."}}
	before := s.events("httpbis")
	code, body = pat.post(path, good)
	want(t, "a participant's request", code, body, 403)
	if s.events("httpbis") != before || s.rows(`session`) != 0 {
		t.Error("a participant's request changed something")
	}

	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("length2", "45")
	bad.Set("conflict", "httpbis nosuch")
	code, body = chair.post(path, bad)
	want(t, "a bad request", code, body, 400, "45 minutes", "itself", `&#34;nosuch&#34;`, `value="httpbis nosuch"`, "No Friday please.")
	if s.events("httpbis") != before || s.rows(`session`) != 0 {
		t.Error("a bad request changed something")
	}

	code, body = chair.post(path, good)
	want(t, "the chair's request", code, body, 200, "is saved and recorded", "Waiting for Scheduling", `value="quic"`, `value="ad@example.org"`)
	if !regexp.MustCompile(`value="monday-morning" checked`).MatchString(body) {
		t.Error("the time range asked for is not checked on the form")
	}
	if s.events("httpbis") != before+1 || s.rows(`session WHERE status = 'schedw'`) != 2 {
		t.Errorf("the request made %d events and %d sessions", s.events("httpbis")-before, s.rows(`session WHERE status = 'schedw'`))
	}

	code, body = s.client().get("/meeting/130/requests/")
	want(t, "every request", code, body, 200, "ART", `href="/meeting/130/requests/httpbis/"`, "Conflicts with: quic", "60, 90 min",
		"Must be present: Ada Director", "Monday morning", "Schedule the sessions on subsequent days", "No request received from:")
	code, body = s.client().get("/group/httpbis/meetings/")
	want(t, "the group's meetings", code, body, 200, "IETF 130", "Waiting for scheduling", `href="/meeting/130/session/httpbis/"`)

	code, body = chair.post(path+"notmeeting/", nil)
	want(t, "not meeting", code, body, 200, "will not meet at IETF 130", "has said it will not meet")
	code, body = chair.post(path+"notmeeting/", nil)
	want(t, "not meeting twice", code, body, 409, "already said")
	code, body = chair.post(path+"withdraw/", nil)
	want(t, "taking it back", code, body, 200, "withdrawn", "No request yet")
	code, body = chair.post(path+"withdraw/", nil)
	want(t, "withdrawing nothing", code, body, 404)
}

func TestSessionRequestCopyAndDeadline(t *testing.T) {
	s := newRequestSite(t)
	ctx := context.Background()
	// The last meeting, long past: the secretariat recorded httpbis's
	// request there.
	s.meeting("120", time.Now().AddDate(0, -6, 0))
	last := meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 70,
		Conflicts: map[string][]string{"conflict": {"quic"}, "conflic3": {"art"}}}
	if err := s.ms.RequestSessions(ctx, operator, "120", "httpbis", last, ""); err != nil {
		t.Fatal(err)
	}
	chair := s.client()
	chair.login("chair@example.org")
	code, body := chair.get("/meeting/130/requests/httpbis/")
	want(t, "the form", code, body, 200, "Copy the conflicts from the last request (IETF 120)", "At IETF 120 the group expected 70")
	code, body = chair.get("/meeting/130/requests/httpbis/?copy=1")
	want(t, "copied", code, body, 200, "copied from httpbis", `id="conflict" name="conflict" value="quic"`, `id="conflic3" name="conflic3" value="art"`)
	if s.rows(`session_constraint WHERE meeting_id = (SELECT id FROM meeting WHERE number = '130')`) != 0 {
		t.Error("copying saved something")
	}

	// A meeting three weeks ahead is past its deadline.
	s.meeting("131", time.Now().AddDate(0, 0, 21))
	m, _ := s.ms.Get(ctx, "131")
	code, body = chair.post("/meeting/131/requests/httpbis/", url.Values{"sessions": {"1"}, "length1": {"60"}, "attendees": {"10"}})
	want(t, "a late request", code, body, 409, "closed on "+meetings.RequestDeadline(m).Format(time.DateOnly))
	if s.rows(`session WHERE meeting_id = $1`, m.ID) != 0 {
		t.Error("a late request was saved")
	}
	sec := s.client()
	sec.login("sec@example.org")
	code, body = sec.post("/meeting/131/requests/httpbis/", url.Values{"sessions": {"1"}, "length1": {"60"}, "attendees": {"10"}})
	want(t, "the secretariat, late", code, body, 200, "is saved")
}

// slotIDs returns the ids of the free cells of the schedule page.
func freeSlots(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<td class="free" id="slot-(\d+)">`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestScheduleGrid(t *testing.T) {
	s := newRequestSite(t)
	ctx := context.Background()
	one := meetings.Request{Sessions: 1, Lengths: []time.Duration{90 * time.Minute}, Attendees: 60}
	if err := s.ms.RequestSessions(ctx, operator, "130", "httpbis", one, ""); err != nil {
		t.Fatal(err)
	}
	one.Conflicts = map[string][]string{"conflic2": {"httpbis"}}
	if err := s.ms.RequestSessions(ctx, operator, "130", "quic", one, ""); err != nil {
		t.Fatal(err)
	}
	httpbis, _ := s.ms.SessionRequest(ctx, "130", "httpbis")
	quic, _ := s.ms.SessionRequest(ctx, "130", "quic")
	sec, chair := s.client(), s.client()
	sec.login("sec@example.org")
	chair.login("chair@example.org")

	code, body := s.client().get("/meeting/130/schedule/")
	want(t, "the grid, for anyone", code, body, 200, "IETF 130 schedule", "Room A", "Room B", "2 sessions waiting")
	if strings.Contains(body, "Place") || strings.Contains(body, "Remove") {
		t.Error("the public grid offers to change the schedule")
	}
	code, body = sec.get(fmt.Sprintf("/meeting/130/schedule/?place=%d", httpbis.Sessions[0].ID))
	want(t, "placing httpbis", code, body, 200, "Place httpbis here")
	free := freeSlots(body)
	if len(free) < 2 {
		t.Fatalf("%d free slots", len(free))
	}
	// Room A's and Room B's first slots are at the same time.
	place := func(c *client, sess int64, slot string) (int, string) {
		return c.post("/meeting/130/schedule/", url.Values{"action": {"assign"}, "session": {fmt.Sprint(sess)}, "timeslot": {slot}})
	}
	before := s.events("httpbis")
	code, body = place(chair, httpbis.Sessions[0].ID, free[0])
	want(t, "a chair placing", code, body, 403)
	code, body = place(sec, httpbis.Sessions[0].ID, free[0])
	want(t, "placing", code, body, 200, "Placed the session", `href="/meeting/130/session/httpbis/"`, "1 session waiting")
	code, body = place(sec, quic.Sessions[0].ID, free[0])
	want(t, "two in one slot", code, body, 409, "already holds httpbis")
	code, body = place(sec, quic.Sessions[0].ID, free[1])
	want(t, "a conflicting placement", code, body, 200, "conflicts with httpbis (Conflicts with (secondary))", "60 expected, room holds 40", "1 broken constraint")
	if s.events("httpbis") != before+1 {
		t.Errorf("placing httpbis made %d events on its record", s.events("httpbis")-before)
	}
	code, body = s.client().get("/group/httpbis/meetings/")
	want(t, "the group's meetings", code, body, 200, "Room A", "09:30–11:30")

	code, body = sec.post("/meeting/130/schedule/", url.Values{"action": {"unassign"}, "session": {fmt.Sprint(quic.Sessions[0].ID)}, "timeslot": {free[1]}})
	want(t, "removing", code, body, 200, "waiting for scheduling again", "1 session waiting")
	if strings.Contains(body, "broken constraint") {
		t.Error("the conflict outlived the placement")
	}
	code, body = sec.post("/meeting/130/schedule/", url.Values{"action": {"assign"}, "session": {"x"}, "timeslot": {free[1]}})
	want(t, "no session", code, body, 400, "Choose a session")
	code, body = sec.get("/meeting/130/schedule/?place=99999")
	want(t, "placing nothing", code, body, 404)
}

func TestTimeslotsPage(t *testing.T) {
	s := newRequestSite(t)
	m, _ := s.ms.Get(context.Background(), "130")
	sec, chair := s.client(), s.client()
	sec.login("sec@example.org")
	chair.login("chair@example.org")
	path := "/meeting/130/timeslots/"
	code, body := s.client().get(path)
	want(t, "timeslots, for anyone", code, body, 200, "Room A", "Session I")
	if strings.Contains(body, "Add the room") {
		t.Error("the public page offers the secretariat's forms")
	}
	code, body = chair.post("/meeting/130/rooms/", url.Values{"name": {"Room C"}})
	want(t, "a chair adding a room", code, body, 403)
	code, body = sec.post("/meeting/130/rooms/", url.Values{"name": {"Room C"}, "capacity": {"25"}})
	want(t, "adding a room", code, body, 200, "Added Room C", "holds 25")

	day := m.Day(1).Format(time.DateOnly)
	before := s.rows(`timeslot`)
	code, body = sec.post(path, url.Values{"room": {"Room A"}, "type": {"other"}, "slot_name": {"Hackathon"}, "start": {day + "T10:00"}, "minutes": {"60"}})
	want(t, "an overlapping slot", code, body, 400, "overlaps another in Room A", `value="Hackathon"`)
	code, body = sec.post(path, url.Values{"room": {"Room A"}, "type": {"other"}, "slot_name": {"Newcomers"}, "start": {"tomorrow"}, "minutes": {"60"}})
	want(t, "a bad start", code, body, 400, "Give the start as a date and time in Europe/Madrid")
	if s.rows(`timeslot`) != before {
		t.Error("a refused slot was added")
	}
	code, body = sec.post(path, url.Values{"room": {"Room A"}, "type": {"other"}, "slot_name": {"Newcomers"}, "start": {day + "T08:00"}, "minutes": {"60"}})
	want(t, "adding a slot", code, body, 200, "Added the timeslot", "Newcomers")
	id := regexp.MustCompile(`<tr id="ts-(\d+)"><td data-label="Day">[^<]*</td><td data-label="Time">08:00`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("the new slot is not listed:\n%s", body)
	}
	code, body = sec.get(path + "?edit=" + id[1])
	want(t, "the edit form", code, body, 200, "Change the timeslot", `value="`+day+`T08:00"`)
	code, body = sec.post(path+id[1]+"/", url.Values{"room": {"Room A"}, "type": {"other"}, "slot_name": {"Newcomers' welcome"}, "start": {day + "T08:15"}, "minutes": {"45"}})
	want(t, "changing the slot", code, body, 200, "Changed the timeslot", html.EscapeString("Newcomers' welcome"), "08:15–09:00")
	code, body = sec.post(path+id[1]+"/delete/", nil)
	want(t, "deleting the slot", code, body, 200, "Deleted the timeslot")
	if s.rows(`timeslot`) != before+0 {
		t.Errorf("%d slots, want %d", s.rows(`timeslot`), before)
	}
}
