package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/groups"
	"hum/internal/record"
)

// during is a moment in IETF 99: Monday 26 March 2012, 10:15 in Paris.
var during = time.Date(2012, 3, 26, 8, 15, 0, 0, time.UTC)

// later is long after it.
var later = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

func TestAgendaPage(t *testing.T) {
	s, _, _ := agendaSite(t, later)
	c := s.client()
	code, body := c.get("/meeting/99/agenda/")
	want(t, "agenda", code, body, 200, "IETF 99 agenda", "Europe/Paris", "Monday, 26 March 2012",
		`href="/meeting/99/session/httpbis/"`, `href="/group/httpbis/documents/"`, `href="/arch/browse/httpbis/"`, `href="/meeting/99/agenda.ics?show=httpbis"`,
		">09:00</time>", "Salon A", "Registration", "Break", "Room Changed From Salon B", ">BOF<", ">cancelled<")
	if strings.Contains(body, `id="now"`) || strings.Contains(body, "Jump to now") {
		t.Error("a past meeting's agenda has a now marker")
	}
	// In New York, 09:00 in Paris is 03:00 (both on summer time).
	code, body = c.get("/meeting/99/agenda/?tz=America/New_York")
	want(t, "agenda in New York time", code, body, 200, "Times are shown in <strong id=\"shown-zone\">America/New_York</strong>", `class="t-start">03:00<`,
		`href="/meeting/99/agenda/">show the meeting's time`)
	if strings.Contains(body, `class="t-start">09:00<`) {
		t.Error("New York's agenda still shows Paris times")
	}
	code, body = c.get("/meeting/99/agenda/?tz=UTC")
	want(t, "agenda in UTC", code, body, 200, ">07:00</time>")
	code, body = c.get("/meeting/99/agenda/?tz=Mars/Olympus")
	want(t, "agenda in an unknown zone", code, body, 200, "not a time zone hum knows", ">09:00</time>")
	code, body = c.get("/meeting/99/agenda/?tz=Local")
	want(t, "the server's zone is not offered", code, body, 200, "not a time zone hum knows")

	shown := func(body string) []string {
		var gs []string
		for _, m := range regexp.MustCompile(`data-group="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			gs = append(gs, m[1])
		}
		return gs
	}
	for _, c2 := range []struct {
		query string
		want  []string
	}{
		{"", []string{"httpbis", "quic", "newbof", "tls", "httpbis", "httpbis"}},
		{"?show=httpbis", []string{"httpbis", "httpbis", "httpbis"}},
		{"?show=sec", []string{"newbof", "tls"}},
		{"?show=sec&show=quic", []string{"quic", "newbof", "tls"}},
		{"?show=art&hide=httpbis", []string{"quic"}},
		{"?q=transport", []string{"tls"}},
		{"?q=room+changed", []string{"quic"}},
		{"?q=avoid", []string{"httpbis"}},
		{"?q=nothing-matches-this", nil},
	} {
		code, body := c.get("/meeting/99/agenda/" + c2.query)
		if code != 200 {
			t.Fatalf("%s: %d", c2.query, code)
		}
		if d := cmp.Diff(c2.want, shown(body)); d != "" {
			t.Errorf("agenda%s (-want +got):\n%s", c2.query, d)
		}
	}
	code, body = c.get("/meeting/99/agenda/?show=sec")
	want(t, "filtered agenda", code, body, 200, "Showing 2 of 6 sessions", `href="/meeting/99/agenda.ics?show=sec"`, `value="sec" checked`)
	if strings.Contains(body, "Registration") {
		t.Error("a filtered agenda shows registration")
	}

	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(s.srv.URL + "/meeting/99/agenda?show=tls")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/meeting/99/agenda/?show=tls" {
		t.Errorf("/meeting/99/agenda: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, path := range []string{"/meeting/100/agenda/", "/meeting/100/agenda.ics", "/meeting/100/agenda.json", "/meeting/x'/agenda.txt", "/meeting/100/"} {
		code, _ := c.get(path)
		want(t, path, code, "", 404)
	}
}

// TestAgendaNow: during the meeting the agenda marks the slot on now and
// offers a jump to it; the cached page follows the clock.
func TestAgendaNow(t *testing.T) {
	s, _, clock := agendaSite(t, during)
	c := s.client()
	code, body := c.get("/meeting/99/agenda/")
	want(t, "agenda during the meeting", code, body, 200, "Jump to now", `href="#now"`)
	now := regexp.MustCompile(`(?s)id="now".*?<h3>(.*?)</h3>`).FindStringSubmatch(body)
	if now == nil || !strings.Contains(now[1], "09:00") || !strings.Contains(now[1], "Morning Session I") {
		t.Errorf("the now marker is not on Monday's first session: %q", now)
	}
	*clock = during.Add(3 * time.Hour) // 13:15 in Paris
	_, body = c.get("/meeting/99/agenda/")
	now = regexp.MustCompile(`(?s)id="now".*?<h3>(.*?)</h3>`).FindStringSubmatch(body)
	if now == nil || !strings.Contains(now[1], "13:00") {
		t.Errorf("three hours later, the now marker is on %q", now)
	}
	if n := strings.Count(body, `id="now"`); n != 1 {
		t.Errorf("%d now markers", n)
	}
}

func TestAgendaICS(t *testing.T) {
	python := icalendar(t)
	s, ms, _ := agendaSite(t, later)
	c := s.client()
	code, hdr, body := c.fetch("/meeting/99/agenda.ics")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/calendar") {
		t.Fatalf("agenda.ics: %d %s", code, hdr.Get("Content-Type"))
	}
	got := parseICS(t, python, body)
	wantEvents := []icsEvent{
		{"ietf-99-httpbis-1@hum.test", "2012-03-26T07:00:00+00:00", "2012-03-26T09:30:00+00:00", "httpbis - HTTP", "Salon A", "CONFIRMED"},
		{"ietf-99-quic-2@hum.test", "2012-03-26T07:00:00+00:00", "2012-03-26T09:30:00+00:00", "quic - QUIC", "Salon B", "CONFIRMED"},
		{"ietf-99-tls-3@hum.test", "2012-03-26T11:00:00+00:00", "2012-03-26T13:00:00+00:00", "tls - Transport Layer Security", "Salon A", "CONFIRMED"},
		{"ietf-99-newbof-4@hum.test", "2012-03-26T11:00:00+00:00", "2012-03-26T13:00:00+00:00", "newbof - A New Idea", "Salon B", "CANCELLED"},
		{"ietf-99-httpbis-5@hum.test", "2012-03-26T13:20:00+00:00", "2012-03-26T14:20:00+00:00", "httpbis - HTTP", "Salon A", "CONFIRMED"},
		{"ietf-99-httpbis-5-2@hum.test", "2012-03-27T07:00:00+00:00", "2012-03-27T09:30:00+00:00", "httpbis - HTTP", "Salon A", "CONFIRMED"},
	}
	if d := cmp.Diff(wantEvents, got.Events); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	// The VTIMEZONE describes Paris: icalendar turns it into a zone that
	// puts 09:00 on 26 March 2012 (after the clocks changed) at 07:00 UTC
	// and 09:00 on 24 March (before) at 08:00 UTC.
	if d := cmp.Diff([]string{"Europe/Paris"}, got.Zones); d != "" {
		t.Errorf("VTIMEZONEs (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"2012-03-24T08:00:00+00:00", "2012-03-26T07:00:00+00:00"}, got.ZoneCheck); d != "" {
		t.Errorf("the VTIMEZONE's offsets (-want +got):\n%s", d)
	}

	code, _, body = c.fetch("/meeting/99/agenda.ics?show=sec")
	got = parseICS(t, python, body)
	if code != 200 || len(got.Events) != 2 || got.Events[0].UID != "ietf-99-tls-3@hum.test" {
		t.Errorf("agenda.ics?show=sec: %d %+v", code, got.Events)
	}

	// Moving a session keeps its UID, so calendars update it.
	m, err := ms.Get(context.Background(), "99")
	if err != nil {
		t.Fatal(err)
	}
	op := groups.Operator(record.Actor{Name: "(test)"})
	items, _ := ms.Placed(context.Background(), m.ScheduleID)
	slots, _ := ms.Timeslots(context.Background(), m.ID)
	tls, free := items[2], slots[len(slots)-1]
	if tls.Session.Group != "tls" || free.Room != "Salon B" || free.Start.Day() != 27 {
		t.Fatalf("not the session and slot expected: %+v, %+v", tls, free)
	}
	if err := ms.Unassign(context.Background(), op, "99", tls.Session.ID, tls.Slot.ID, "moved"); err != nil {
		t.Fatal(err)
	}
	if err := ms.Assign(context.Background(), op, "99", tls.Session.ID, free.ID, "moved"); err != nil {
		t.Fatal(err)
	}
	_, _, body = c.fetch("/meeting/99/agenda.ics?show=tls")
	got = parseICS(t, python, body)
	if len(got.Events) != 1 || got.Events[0].UID != "ietf-99-tls-3@hum.test" || got.Events[0].Start != "2012-03-27T07:00:00+00:00" {
		t.Errorf("tls moved to Tuesday: %+v", got.Events)
	}
}

type icsEvent struct {
	UID, Start, End, Summary, Location, Status string
}

type icsParsed struct {
	Events    []icsEvent
	Zones     []string
	ZoneCheck []string
}

// parseICS parses an ICS body with Python's icalendar and reports its
// events in UTC, its VTIMEZONEs, and what its first VTIMEZONE makes of
// two local times either side of a change of offset.
func parseICS(t *testing.T, python, body string) icsParsed {
	t.Helper()
	f := filepath.Join(t.TempDir(), "agenda.ics")
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, datetime
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
utc = datetime.timezone.utc
out = {"Events": [], "Zones": [], "ZoneCheck": []}
for ev in cal.walk('VEVENT'):
    for p in ('UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY'):
        assert p in ev, p + ' missing'
    out["Events"].append({"UID": str(ev['UID']), "Start": ev.decoded('DTSTART').astimezone(utc).isoformat(),
        "End": ev.decoded('DTEND').astimezone(utc).isoformat(), "Summary": str(ev['SUMMARY']),
        "Location": str(ev.get('LOCATION', '')), "Status": str(ev.get('STATUS', ''))})
zones = cal.walk('VTIMEZONE')
for z in zones:
    out["Zones"].append(str(z['TZID']))
if zones:
    tz = zones[0].to_tz()
    for d in (datetime.datetime(2012, 3, 24, 9), datetime.datetime(2012, 3, 26, 9)):
        out["ZoneCheck"].append(tz.localize(d).astimezone(utc).isoformat())
print(json.dumps(out))
`
	out, err := exec.Command(python, "-c", script, f).CombinedOutput()
	if err != nil {
		t.Fatalf("icalendar could not parse the ICS: %v\n%s\n%s", err, out, body)
	}
	var p icsParsed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return p
}
