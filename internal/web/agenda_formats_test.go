package web

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

func TestAgendaJSON(t *testing.T) {
	s, _, _ := agendaSite(t, later)
	var data map[string][]map[string]any
	if code := getJSON(t, s.client(), "/meeting/99/agenda.json", &data); code != 200 {
		t.Fatalf("agenda.json: %d", code)
	}
	objs, ok := data["99"]
	if !ok || len(data) != 1 {
		t.Fatalf("agenda.json is not keyed by the meeting's number: %v", data)
	}
	kinds := map[string]int{}
	var quic map[string]any
	for _, o := range objs {
		kinds[o["objtype"].(string)]++
		if g, _ := o["group"].(map[string]any); g != nil && g["acronym"] == "quic" {
			quic = o
		}
	}
	if d := cmp.Diff(map[string]int{"session": 6, "location": 2, "parent": 2}, kinds); d != "" {
		t.Errorf("objects (-want +got):\n%s", d)
	}
	// Newest change first, as the Datatracker sorts them.
	for i := 1; i < len(objs); i++ {
		if objs[i-1]["modified"].(string) < objs[i]["modified"].(string) {
			t.Errorf("objects out of order at %d: %v before %v", i, objs[i-1]["modified"], objs[i]["modified"])
		}
	}
	for _, k := range []string{"id", "session_id", "modified", "session_res_uri"} {
		delete(quic, k)
	}
	wantQuic := map[string]any{"objtype": "session", "is_bof": false, "name": "QUIC", "start": "2012-03-26T07:00:00Z", "duration": "2:30:00",
		"location": "Salon B", "status": "sched", "agenda_note": "Room Changed From Salon B",
		"group": map[string]any{"acronym": "quic", "name": "QUIC", "type": "wg", "state": "active", "parent": "art"}}
	if d := cmp.Diff(wantQuic, quic); d != "" {
		t.Errorf("quic's session (-want +got):\n%s", d)
	}
}

func TestAgendaTextAndCSV(t *testing.T) {
	s, _, _ := agendaSite(t, later)
	c := s.client()
	code, hdr, body := c.fetch("/meeting/99/agenda.txt")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Fatalf("agenda.txt: %d %s", code, hdr.Get("Content-Type"))
	}
	for _, line := range []string{"Agenda of the 99th IETF Meeting", "March 25-27, 2012", "SUNDAY, March 25, 2012", "1100-1900  Registration",
		"MONDAY, March 26, 2012", "0900-1130  Morning Session I", "  Salon A          ART   httpbis    HTTP WG",
		"  Salon B          ART   quic       QUIC WG - Room Changed From Salon B", "  Salon B          SEC   newbof     A New Idea BOF"} {
		if !strings.Contains(body, line) {
			t.Errorf("agenda.txt lacks %q:\n%s", line, body)
		}
	}
	code, hdr, body = c.fetch("/meeting/99/agenda.csv")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("agenda.csv: %d %s", code, hdr.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Date", "Start", "End", "Session", "Room", "Area", "Acronym", "Type", "Description", "Session ID", "Agenda", "Slides"}, rows[0]); d != "" {
		t.Errorf("CSV header (-want +got):\n%s", d)
	}
	if len(rows) != 1+6+2 {
		t.Errorf("%d CSV rows, want a header, 6 sessions, registration and a break", len(rows))
	}
	if d := cmp.Diff([]string{"2012-03-26", "0900", "1130", "Morning Session I", "Salon B", "ART", "quic", "WG", "QUIC"}, rows[3][:9]); d != "" {
		t.Errorf("quic's row (-want +got):\n%s", d)
	}
	_, _, body = c.fetch("/meeting/99/agenda.csv?show=tls")
	if rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(rows) != 2 || rows[1][6] != "tls" {
		t.Errorf("agenda.csv?show=tls: %v", rows)
	}
}

// TestMeetingPages: the index, a meeting's page and the meetings ahead,
// on the day IETF 99 is over and IETF 125 ahead.
func TestMeetingPages(t *testing.T) {
	s, ms, clock := agendaSite(t, later)
	op := groups.Operator(record.Actor{Name: "(test)"})
	if _, err := ms.Create(context.Background(), op, meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN", TimeZone: "Asia/Shanghai",
		Date: "2026-03-14", Days: 7, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 300}}}, ""); err != nil {
		t.Fatal(err)
	}
	c := s.client()
	code, body := c.get("/meeting/")
	want(t, "meetings", code, body, 200, `href="/meeting/125/">IETF 125`, `href="/meeting/99/">IETF 99`, "Shenzhen, CN", "14 Mar 2026 – 20 Mar 2026")
	if up, past := strings.Index(body, "IETF 125"), strings.Index(body, "IETF 99"); up > past {
		t.Error("IETF 99 is listed before IETF 125, as if it were upcoming")
	}
	code, body = c.get("/meeting/125/")
	want(t, "IETF 125", code, body, 200, "Saturday 14 March 2026 to Friday 20 March 2026", "Asia/Shanghai", `href="/meeting/125/agenda/"`,
		`href="/meeting/125/register/"`, `href="/meeting/125/requests/"`, `href="/meeting/125/proceedings/"`, `href="/meeting/125/important-dates/"`)
	code, body = c.get("/meeting/99/")
	want(t, "IETF 99", code, body, 200, "5 on the agenda (5 requested), in 2 rooms", `href="/meeting/99/proceedings/"`)
	if strings.Contains(body, "/meeting/99/register/") {
		t.Error("a past meeting offers registration")
	}
	code, body = c.get("/meeting/upcoming/")
	want(t, "upcoming", code, body, 200, "IETF 125", `href="/meeting/upcoming.ics"`)
	if strings.Contains(body, "IETF 99") {
		t.Error("IETF 99 is upcoming in 2026")
	}
	code, hdr, body := c.fetch("/meeting/upcoming.ics")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/calendar") || !strings.Contains(body, "UID:meeting-125@hum.test") ||
		!strings.Contains(body, "DTSTART;VALUE=DATE:20260314") || !strings.Contains(body, "DTEND;VALUE=DATE:20260321") {
		t.Errorf("upcoming.ics: %d\n%s", code, body)
	}
	// After IETF 125, nothing is ahead: the cached pages follow the day.
	*clock = time.Date(2026, 3, 22, 12, 0, 0, 0, time.UTC)
	code, body = c.get("/meeting/upcoming/")
	want(t, "upcoming after IETF 125", code, body, 200, "No meeting is scheduled yet")
}

// TestAgendaIETF83 is the acceptance: IETF 83 imported from the corpus
// shows on /meeting/83/agenda/, in every format.
func TestAgendaIETF83(t *testing.T) {
	python := icalendar(t)
	s, ms, _ := agendaSite(t, later)
	import83(t, ms)
	c := s.client()
	code, body := c.get("/meeting/83/agenda/")
	want(t, "IETF 83 agenda", code, body, 200, "IETF 83 agenda", "Paris, FR", "Tuesday, 27 March 2012", "pkix", "Public-Key Infrastructure (X.509)",
		"Technical Plenary", "212/213")
	if n := strings.Count(body, `<li class="session`); n != 149 {
		t.Errorf("the agenda shows %d session placements, want 149", n)
	}
	got := parseICS(t, python, func() string { _, _, b := c.fetch("/meeting/83/agenda.ics"); return b }())
	if len(got.Events) != 149 {
		t.Errorf("agenda.ics has %d events, want 149", len(got.Events))
	}
	uids := map[string]bool{}
	for _, e := range got.Events {
		if uids[e.UID] {
			t.Errorf("UID %s twice", e.UID)
		}
		uids[e.UID] = true
	}
	var data map[string][]map[string]any
	getJSON(t, c, "/meeting/83/agenda.json", &data)
	sessions := 0
	for _, o := range data["83"] {
		if o["objtype"] == "session" {
			sessions++
		}
	}
	if sessions != 149 {
		t.Errorf("agenda.json has %d sessions, want 149", sessions)
	}
	_, body = c.get("/meeting/83/agenda.txt")
	if !strings.Contains(body, "  212/213          SEC   pkix       Public-Key Infrastructure (X.509) WG") {
		t.Errorf("agenda.txt lacks pkix's line")
	}
}
