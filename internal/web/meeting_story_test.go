package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/meetings"
)

// TestMeetingStory is issue 9's acceptance story, through the web as
// people would (on PostgreSQL too, with HUM_TEST_POSTGRES): a chair
// requests two sessions with conflicts; the secretariat places them; the
// agenda (HTML, ICS, JSON) shows them; a participant registers, marks
// their attendance and appears on the blue sheet; the chair uploads
// minutes and slides; the proceedings show all of it.
func TestMeetingStory(t *testing.T) {
	b := newBody(t)
	clock := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	b.DB.Now = func() time.Time { return clock }
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	s := serve(t, b, Config{Meetings: ms})
	if _, err := ms.Create(context.Background(), operator, meetings.NewMeeting{Number: "130", City: "Madrid", Country: "ES",
		TimeZone: "Europe/Madrid", Date: "2026-04-18", Days: 7, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 200}, {Name: "Room B", Capacity: 60}}}, ""); err != nil {
		t.Fatal(err)
	}
	chair, sec, pat := s.client(), s.client(), s.client()
	chair.login("chair@example.org")
	sec.login("sec@example.org")
	pat.login("pat@example.org")

	// The chair asks for two sessions, avoiding quic.
	code, body := chair.post("/meeting/130/requests/httpbis/", url.Values{"sessions": {"2"}, "length1": {"120"}, "length2": {"60"},
		"attendees": {"150"}, "conflict": {"quic"}, "comments": {"Not on Friday, please."}})
	want(t, "the request", code, body, 200, "Waiting for Scheduling")
	ss, _, err := ms.Sessions(context.Background(), meetings.SessionFilter{Meeting: "130", Group: "httpbis"})
	if err != nil || len(ss) != 2 {
		t.Fatalf("httpbis's sessions: %v %v", ss, err)
	}

	// The secretariat places them on Monday morning and Tuesday afternoon.
	m, _ := ms.Get(context.Background(), "130")
	slots, _ := ms.Timeslots(context.Background(), m.ID)
	pick := func(day int, clockTime string) meetings.Timeslot {
		for _, sl := range slots {
			if sl.Room == "Room A" && sl.Start.In(m.Location).Format("2006-01-02 15:04") == m.Day(day).Format("2006-01-02")+" "+clockTime {
				return sl
			}
		}
		t.Fatalf("no Room A slot on day %d at %s", day, clockTime)
		return meetings.Timeslot{}
	}
	first, second := pick(2, "09:30"), pick(3, "13:00")
	for i, sl := range []meetings.Timeslot{first, second} {
		code, body = sec.post("/meeting/130/schedule/", url.Values{"action": {"assign"}, "session": {fmt.Sprint(ss[i].ID)}, "timeslot": {fmt.Sprint(sl.ID)}})
		want(t, "placing a session", code, body, 200)
	}

	// The agenda shows them, in every format.
	code, body = s.client().get("/meeting/130/agenda/")
	want(t, "the agenda", code, body, 200, "httpbis", "Room A", "09:30", "13:00")
	code, ics := s.client().get("/meeting/130/agenda.ics?show=httpbis")
	want(t, "the agenda's ICS", code, ics, 200, "BEGIN:VTIMEZONE", "TZID:Europe/Madrid")
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != 2 {
		t.Errorf("the ICS for httpbis has %d events, want its 2 sessions", n)
	}
	if got := parseICS(t, icalendar(t), ics); len(got.Events) != 2 || got.Events[0].Start != first.Start.Format("2006-01-02T15:04:05+00:00") {
		t.Errorf("icalendar reads %+v, want 2 events, the first at %v", got.Events, first.Start)
	}
	// The Datatracker's shape: the meeting's number, then its items.
	var agenda map[string][]struct {
		Group    struct{ Acronym string } `json:"group"`
		Location string                   `json:"location"`
	}
	code, js := s.client().get("/meeting/130/agenda.json")
	if code != 200 || json.Unmarshal([]byte(js), &agenda) != nil {
		t.Fatalf("agenda.json: %d %.300s", code, js)
	}
	placed := 0
	for _, x := range agenda["130"] {
		if x.Group.Acronym == "httpbis" && x.Location == "Room A" {
			placed++
		}
	}
	if placed != 2 {
		t.Errorf("agenda.json has %d httpbis sessions in Room A, want 2\n%.500s", placed, js)
	}

	// A participant registers, then signs the blue sheet during the
	// first session.
	code, body = pat.post("/meeting/130/register/", url.Values{"name": {"Pat Participant"}, "affiliation": {"Example Labs"}, "country": {"DE"}, "type": {"onsite"}})
	want(t, "registering", code, body, 200, "Pat Participant", "Example Labs")
	clock = first.Start.Add(20 * time.Minute)
	code, body = pat.post("/meeting/130/session/httpbis/attendance/", url.Values{"session": {fmt.Sprint(ss[0].ID)}})
	want(t, "signing the blue sheet", code, body, 200)
	code, body = s.client().get("/meeting/130/session/httpbis/attendance/")
	want(t, "the blue sheet", code, body, 200, "Pat Participant", "Example Labs")

	// After the sessions, the chair uploads the minutes and slides.
	clock = second.End().Add(24 * time.Hour)
	code, body = chair.sendFile("/meeting/130/session/httpbis/materials/", map[string]string{"kind": "minutes"}, "minutes.md",
		[]byte("# httpbis minutes\n\nThe WG discussed the *cache* draft.\n"))
	want(t, "uploading minutes", code, body, 200)
	code, body = chair.sendFile("/meeting/130/session/httpbis/materials/", map[string]string{"kind": "slides", "title": "Cache status"}, "cache.pdf",
		[]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	want(t, "uploading slides", code, body, 200)

	// The proceedings show all of it.
	code, body = s.client().get("/meeting/130/proceedings/")
	want(t, "the proceedings", code, body, 200, "httpbis", "minutes-130-httpbis", "slides-130-httpbis", "Cache status", "1 (1 onsite, 0 remote)")
}
