package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// attendSite is a site with IETF 125 (Asia/Shanghai, from 2026-03-14)
// and httpbis's session on its agenda on Sunday 09:30 local, and a clock
// the test moves.
type attendSite struct {
	*site
	m       *meetings.Service
	now     time.Time
	session int64
	start   time.Time
}

func newAttendSite(t *testing.T) *attendSite {
	t.Helper()
	b := newBody(t)
	b.AddGroups(groups.NewGroup{Acronym: "fellowship", Name: "ISOC Fellowship Committee", Type: "team"})
	b.AddPeople(testbody.Person{Email: "fc@example.org", Name: "Fay Committee", Role: "member", Group: "fellowship"})
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	a := &attendSite{m: ms, now: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	b.DB.Now = func() time.Time { return a.now }
	a.site = serve(t, b, Config{Meetings: ms})
	ctx := context.Background()
	op := groups.Operator(record.System)
	m, err := ms.Create(ctx, op, meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN", TimeZone: "Asia/Shanghai", Date: "2026-03-14", Days: 7,
		Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 100}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := b.Groups.Get(ctx, "httpbis")
	slots, _ := ms.Timeslots(ctx, m.ID)
	var slot meetings.Timeslot
	for _, s := range slots {
		if s.Type == "regular" {
			slot = s
			break
		}
	}
	// Straight into the table: session requests are another part's.
	if err := b.DB.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, status, modified) VALUES ($1, $2, 'schedw', $3) RETURNING id`,
		m.ID, g.ID, a.now).Scan(&a.session); err != nil {
		t.Fatal(err)
	}
	if err := ms.Assign(ctx, op, "125", a.session, slot.ID, ""); err != nil {
		t.Fatal(err)
	}
	a.start = slot.Start
	return a
}

// fingerprint counts what registration, attendance and the fellowship
// keep, with the record and the outbox, to show a refusal changed nothing.
func (a *attendSite) fingerprint() string {
	a.t.Helper()
	var b strings.Builder
	for _, t := range []string{"event", "outbox", "registration", "registration_pending", "attended", "fellowship_application", "fellowship_score", "fellowship_call"} {
		n, err := db.Scalar[int](a.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+t))
		if err != nil {
			a.t.Fatal(err)
		}
		b.WriteString(t + "=" + strings.Repeat("|", n) + " ")
	}
	return b.String()
}

var regConfirmRE = regexp.MustCompile(`http://hum\.test(/meeting/125/register/confirm/[A-Za-z0-9_-]+/)`)

// TestR18RegisterOnTheWeb: anyone registers, logged in in one click or
// by a mailed link, and appears on the public list; a second
// registration gets a clear error and changes nothing.
func TestR18RegisterOnTheWeb(t *testing.T) {
	a := newAttendSite(t)
	pat := a.client()
	pat.login("pat@example.org")
	code, body := pat.get("/meeting/125/register/")
	want(t, "the form", code, body, 200, "Register as Pat Participant", "R18")
	form := url.Values{"name": {"Pat Participant"}, "affiliation": {"Example Inc"}, "country": {"fr"}, "type": {"remote"}}
	code, body = pat.post("/meeting/125/register/", form)
	want(t, "registering", code, body, 200, "You are registered", "Pat Participant", "Example Inc")
	before := a.fingerprint()
	code, body = pat.post("/meeting/125/register/", form)
	want(t, "a second registration", code, body, 409, "already registered", "update", "rule R18")
	if a.fingerprint() != before {
		t.Error("a second registration changed something")
	}
	form.Set("update", "1")
	form.Set("type", "onsite")
	code, body = pat.post("/meeting/125/register/", form)
	want(t, "updating", code, body, 200, "onsite")

	// Bad input: a clear error beside the values sent, nothing changed.
	before = a.fingerprint()
	code, body = pat.post("/meeting/125/register/", url.Values{"name": {"Pat"}, "country": {"France"}, "type": {"onsite"}, "update": {"1"}})
	want(t, "a bad country", code, body, 400, "two-letter", `value="France"`)
	anon := a.client()
	code, body = anon.post("/meeting/125/register/", url.Values{"email": {"nope"}, "name": {"Nia"}, "country": {"KE"}, "type": {"remote"}})
	want(t, "a bad address", code, body, 400, "not a valid email address")
	code, body = anon.post("/meeting/999/register/", url.Values{"email": {"nia@example.net"}, "name": {"Nia"}, "country": {"KE"}, "type": {"remote"}})
	want(t, "an unknown meeting", code, body, 404)
	if a.fingerprint() != before {
		t.Error("refused registrations changed something")
	}

	// Someone without an account: a link by mail, a click to confirm.
	code, body = anon.post("/meeting/125/register/", url.Values{"email": {"nia@example.net"}, "name": {"Nia Newcomer"}, "affiliation": {"KENOG"}, "country": {"KE"}, "type": {"remote"}})
	want(t, "asking for a link", code, body, 200, "We have mailed a link to nia@example.net")
	link := a.lastRegLink("nia@example.net")
	code, body = anon.get(link)
	want(t, "the link's page", code, body, 200, "Nia Newcomer", "Confirm my registration")
	if !strings.Contains(a.fingerprint(), "registration=| ") {
		t.Error("following the link registered before the click")
	}
	code, body = anon.post(link, nil)
	want(t, "confirming", code, body, 200, "Nia Newcomer, you are registered")
	code, body = anon.post(link, nil)
	want(t, "confirming twice", code, body, 409, "already been used")

	code, body = a.client().get("/meeting/125/attendees/")
	want(t, "the public list", code, body, 200, "2 registered: 1 onsite", "1 remote", "Nia Newcomer", "KENOG", "Pat Participant")
	if strings.Contains(body, "nia@example.net") || strings.Contains(body, "Check in") {
		t.Error("the public list shows addresses or check-in buttons")
	}
	sec := a.client()
	sec.login("sec@example.org")
	code, body = sec.get("/meeting/125/attendees/?type=onsite")
	want(t, "the secretariat's list", code, body, 200, "Check in")
	var regID string
	a.db.QueryRowContext(context.Background(), `SELECT CAST(id AS TEXT) FROM registration WHERE email = 'pat@example.org'`).Scan(&regID)
	code, body = pat.post("/meeting/125/attendees/"+regID+"/checkin/", nil)
	want(t, "a participant checking in", code, body, 403)
	code, body = sec.post("/meeting/125/attendees/"+regID+"/checkin/", nil)
	want(t, "checking in", code, body, 200, "1 checked in", "Checked in: undo")
}

func (a *attendSite) lastRegLink(addr string) string {
	a.t.Helper()
	msgs, err := mail.List(context.Background(), a.db, "", 50)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To[0] == addr {
			if l := regConfirmRE.FindStringSubmatch(strings.ReplaceAll(string(m.Raw), "=\r\n", "")); l != nil {
				return l[1]
			}
		}
	}
	a.t.Fatalf("no registration link mailed to %s", addr)
	return ""
}

// TestR24BlueSheetOnTheWeb: a registered participant marks attendance
// from the session's attendance page, reached by its short link; the
// refusals (not started, not registered, proceedings final) say why and
// change nothing; the list is public; the secretariat corrects it.
func TestR24BlueSheetOnTheWeb(t *testing.T) {
	a := newAttendSite(t)
	pat, chair, sec := a.client(), a.client(), a.client()
	pat.login("pat@example.org")
	chair.login("chair@example.org")
	sec.login("sec@example.org")
	pat.post("/meeting/125/register/", url.Values{"name": {"Pat Participant"}, "affiliation": {"Example Inc"}, "country": {"FR"}, "type": {"onsite"}})
	page := "/meeting/125/session/httpbis/attendance/"
	mark := url.Values{"session": {itoa(a.session)}}

	before := a.fingerprint()
	code, body := pat.post(page, mark)
	want(t, "before the start", code, body, 409, "has not started", "rule R24")
	a.now = a.start.Add(5 * time.Minute)
	code, body = chair.post(page, mark)
	want(t, "not registered", code, body, 403, "rule R24", `href="/meeting/125/register/"`)
	code, body = a.client().post(page, mark)
	want(t, "logged out", code, body, 401)
	if a.fingerprint() != before {
		t.Error("refused attendance changed something")
	}

	// The short link and the QR code lead to the page.
	res, err := pat.c.Get(a.srv.URL + "/a/" + meetings.ShortCode(a.session) + "/")
	if err != nil || res.StatusCode != 200 || !strings.HasSuffix(res.Request.URL.Path, page) {
		t.Fatalf("short link: %v %v", res.Request.URL, err)
	}
	res.Body.Close()
	res, err = http.Get(a.srv.URL + page + "qr.png?session=" + itoa(a.session))
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR code: %v %v", res, err)
	}
	res.Body.Close()

	code, body = pat.post(page, mark)
	want(t, "marking", code, body, 200, "Your attendance is on the blue sheet", "Your attendance is marked", "1 attended: 1 onsite, 0 remote")
	code, body = a.client().get(page)
	want(t, "the public blue sheet", code, body, 200, "Pat Participant", "Example Inc", "onsite")
	if strings.Contains(body, "pat@example.org") {
		t.Error("the public blue sheet shows an address")
	}

	// The secretariat corrects, with reasons.
	chair.post("/meeting/125/register/", url.Values{"name": {"Chris Chair"}, "country": {"US"}, "type": {"remote"}})
	before = a.fingerprint()
	code, body = sec.post(page+"correct/", url.Values{"session": {itoa(a.session)}, "email": {"chair@example.org"}})
	want(t, "a correction without a reason", code, body, 400, "Say why")
	code, body = pat.post(page+"correct/", url.Values{"session": {itoa(a.session)}, "email": {"chair@example.org"}, "why": {"x"}})
	want(t, "a participant correcting", code, body, 403)
	if a.fingerprint() != before {
		t.Error("refused corrections changed something")
	}
	code, body = sec.post(page+"correct/", url.Values{"session": {itoa(a.session)}, "email": {"chair@example.org"}, "why": {"signed on paper"}})
	want(t, "adding a line", code, body, 200, "Chris Chair", "1 onsite, 1 remote", "(secretariat)")

	// Numbers and pictures.
	code, body = a.client().get("/meeting/125/attendance/")
	want(t, "the summary", code, body, 200, "httpbis", "Sun 09:30</a>: 1 + 1", `src="/meeting/125/attendance.svg"`)
	code, body = a.client().get("/meeting/125/attendance.svg")
	want(t, "the meeting's chart", code, body, 200, "<svg", "httpbis (Sun 09:30)", "onsite")
	if strings.Contains(body, "<script") {
		t.Error("the chart has script")
	}
	code, body = a.client().get("/group/httpbis/meetings/attendance/")
	want(t, "the group's history", code, body, 200, "2026-03-14", `src="/group/httpbis/meetings/attendance.svg"`)
	code, body = a.client().get("/group/httpbis/meetings/attendance.svg")
	want(t, "the group's chart", code, body, 200, "<svg", "IETF 125")

	// Final proceedings close the blue sheets.
	a.db.ExecContext(context.Background(), `UPDATE meeting SET proceedings_final = TRUE`)
	before = a.fingerprint()
	code, body = chair.post(page, mark)
	want(t, "after the proceedings", code, body, 409, "final", "rule R24")
	if a.fingerprint() != before {
		t.Error("attendance after final proceedings changed something")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestFellowshipOnTheWeb: the secretariat opens the call, a person
// applies, the committee (and only it) reads, scores and awards; the
// fellow is registered and listed publicly; a late application is
// refused and changes nothing.
func TestFellowshipOnTheWeb(t *testing.T) {
	a := newAttendSite(t)
	pat, sec, fc := a.client(), a.client(), a.client()
	pat.login("pat@example.org")
	sec.login("sec@example.org")
	fc.login("fc@example.org")
	page := "/meeting/125/fellowship/"
	code, body := pat.get(page)
	want(t, "before the call", code, body, 200, "Applications are not open")
	code, body = pat.post(page+"deadline/", url.Values{"deadline": {"2026-02-01T00:00"}})
	want(t, "a participant setting the deadline", code, body, 403)
	code, body = sec.post(page+"deadline/", url.Values{"deadline": {"soon"}})
	want(t, "a bad deadline", code, body, 400, "2026-02-01T23:59")
	code, body = sec.post(page+"deadline/", url.Values{"deadline": {"2026-02-01T00:00"}})
	want(t, "opening the call", code, body, 200, "Applications close on 2026-02-01 00:00 UTC")

	code, body = pat.post(page, url.Values{"statement": {""}, "country": {"KE"}})
	want(t, "an empty statement", code, body, 400, "5,000 characters")
	code, body = pat.post(page, url.Values{"statement": {"I organise a network operators' group."}, "country": {"ke"}, "affiliation": {"KENOG"}, "first_meeting": {"1"}})
	want(t, "applying", code, body, 200, "Your application is sent", "Change my application")
	code, body = pat.get(page)
	if strings.Contains(body, "Mean score") {
		t.Error("an applicant sees the applications")
	}
	code, body = a.client().get(page)
	if strings.Contains(body, "network operators") {
		t.Error("the public page shows an application")
	}
	code, body = fc.get(page)
	want(t, "the committee's view", code, body, 200, "Pat Participant (KE), KENOG: applied", "network operators")
	var id string
	a.db.QueryRowContext(context.Background(), `SELECT CAST(id AS TEXT) FROM fellowship_application`).Scan(&id)
	code, body = pat.post(page+id+"/decide/", url.Values{"award": {"1"}})
	want(t, "an applicant awarding themself", code, body, 403)
	code, body = fc.post(page+id+"/score/", url.Values{"score": {"5"}, "comment": {"strong"}})
	want(t, "scoring", code, body, 200, "Mean score 5.0 of 1")
	code, body = fc.post(page+id+"/decide/", url.Values{"award": {"1"}})
	want(t, "awarding", code, body, 200, "The decision is recorded")
	code, body = a.client().get(page)
	want(t, "the public list of fellows", code, body, 200, "Pat Participant, KENOG (KE)")
	code, body = a.client().get("/meeting/125/attendees/")
	want(t, "the fellow is registered", code, body, 200, "ISOC fellow")

	a.now = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	chair := a.client()
	chair.login("chair@example.org")
	before := a.fingerprint()
	code, body = chair.post(page, url.Values{"statement": {"Late."}, "country": {"US"}})
	want(t, "a late application", code, body, 409, "closed on 2026-02-01 00:00 UTC")
	if a.fingerprint() != before {
		t.Error("a late application changed something")
	}
}
