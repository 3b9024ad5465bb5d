package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
)

// meetingSite serves newBody with a meetings service on a clock fixed at
// 2026-01-10 noon UTC.
func meetingSite(t *testing.T) (*site, *meetings.Service) {
	t.Helper()
	b := newBody(t)
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	b.DB.Now = func() time.Time { return now }
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	return serve(t, b, Config{Meetings: ms}), ms
}

func TestInterimPages(t *testing.T) {
	s, _ := meetingSite(t)
	chair := s.client()
	chair.login("chair@example.org")
	code, body := chair.get("/meeting/interim/request/")
	want(t, "the request form", code, body, 200, "Request an interim meeting", `value="httpbis"`, "R26")

	form := url.Values{"group": {"httpbis"}, "mode": {"online"}, "time_zone": {"Europe/Paris"},
		"date_0": {"2026-01-20"}, "time_0": {"15:00"}, "minutes_0": {"60"}, "remote_0": {"https://meet.example.org/httpbis"}}
	before := s.events("httpbis")
	code, body = chair.post("/meeting/interim/request/", form)
	want(t, "an online interim ten days ahead", code, body, 400, "two weeks", "rule R26")
	if s.events("httpbis") != before {
		t.Error("a refused request was recorded")
	}
	form.Set("date_0", "2026-02-02")
	code, body = chair.post("/meeting/interim/request/", form)
	want(t, "an online interim three weeks ahead", code, body, 200, "interim-2026-httpbis-01", "Scheduled", "meet.example.org/httpbis", "scheduled and announced")

	// Anyone may read it.
	code, body = s.client().get("/meeting/interim/request/interim-2026-httpbis-01/")
	want(t, "the interim's page", code, body, 200, "Monday 2026-02-02 15:00", "14:00–15:00 UTC")
	if strings.Contains(body, "Cancel this interim") {
		t.Error("an anonymous reader is offered to cancel")
	}

	// A hybrid one waits for the AD, who approves it on its page.
	form.Set("mode", "hybrid")
	form.Set("city", "Paris")
	form.Set("country", "FR")
	form.Set("date_0", "2026-03-30")
	code, body = chair.post("/meeting/interim/request/", form)
	want(t, "a hybrid interim", code, body, 200, "interim-2026-httpbis-02", "Waiting for Approval")
	code, body = chair.post("/meeting/interim/request/interim-2026-httpbis-02/", url.Values{"action": {"approve"}})
	want(t, "the chair approving", code, body, 403, "R27")
	ad := s.client()
	ad.login("ad@example.org")
	code, body = ad.post("/meeting/interim/request/interim-2026-httpbis-02/", url.Values{"action": {"approve"}})
	want(t, "the AD approving", code, body, 200, "Approved and announced", "Ada Director", "Scheduled")
	code, body = chair.post("/meeting/interim/request/interim-2026-httpbis-01/", url.Values{"action": {"cancel"}, "why": {"no drafts"}})
	want(t, "the chair cancelling", code, body, 200, "Cancelled")
	code, body = chair.post("/meeting/interim/request/interim-2026-httpbis-01/", url.Values{"action": {"explode"}})
	want(t, "an unknown action", code, body, 400, "Unknown action")
	code, _ = s.client().get("/meeting/interim/request/interim-2026-nosuch-01/")
	want(t, "an unknown interim", code, "", 404)
	code, body = s.client().get("/meeting/interim/request/")
	want(t, "the form, logged out", code, body, 401)
}

func TestImportantDatesPages(t *testing.T) {
	s, ms := meetingSite(t)
	op := groups.Operator(record.Actor{Name: "test"})
	if _, err := ms.Create(context.Background(), op, meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN", TimeZone: "Asia/Shanghai", Date: "2026-03-14"}, ""); err != nil {
		t.Fatal(err)
	}
	anon := s.client()
	code, body := anon.get("/meeting/125/important-dates/")
	want(t, "the dates", code, body, 200, "ID Cutoff", "Mon 2026-03-02", "Proceedings Submission Cut-off", "Thu 2026-04-09")
	code, body = anon.get("/meeting/important-dates/")
	want(t, "upcoming dates", code, body, 200, "IETF 125", "2026-03-02")
	code, body = anon.get("/meeting/125/important-dates.ics")
	want(t, "the ICS", code, body, 200, "BEGIN:VCALENDAR", "DTSTART;VALUE=DATE:20260302", "UID:ietf-125-idcutoff@hum.test", "SUMMARY:IETF 125: ID Cutoff")
	code, _ = anon.get("/meeting/999/important-dates/")
	want(t, "an unknown meeting", code, "", 404)

	chair := s.client()
	chair.login("chair@example.org")
	code, body = chair.post("/meeting/125/important-dates/", url.Values{"idcutoff": {"2026-03-01"}})
	want(t, "a chair moving a date", code, body, 403)
	sec := s.client()
	sec.login("sec@example.org")
	code, body = sec.post("/meeting/125/important-dates/", url.Values{"finalagenda": {"2026-02-19"}, "idcutoff": {"first of March"}})
	want(t, "a malformed date", code, body, 400, "YYYY-MM-DD")
	if code, body = anon.get("/meeting/125/important-dates/"); !strings.Contains(body, "Fri 2026-02-20") {
		t.Error("a refused form moved the final agenda date")
	}
	code, body = sec.post("/meeting/125/important-dates/", url.Values{"finalagenda": {"2026-02-19"}, "idcutoff": {"2026-03-02"}})
	want(t, "the secretariat moving a date", code, body, 200, "Important dates saved", `value="2026-02-19"`, "set by the secretariat")
}
