package nomcom_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is the NomCom service on a fresh database with a small standards
// body: the IETF, the IESG with the art and ops areas and their ADs, the
// IAB, the secretariat, httpbis (art) and dnsop (ops), and people added
// as tests need them. Its clock is e.now, which tests move.
type env struct {
	t   *testing.T
	db  *db.DB
	now time.Time
	b   *testbody.Body
	gs  *groups.Service
	ms  *meetings.Service
	ds  *docs.Service
	s   *nomcom.Service
	op  groups.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2020, 1, 6, 12, 0, 0, 0, time.UTC), op: groups.Operator(record.Actor{Name: "test setup"})}
	d.Now = func() time.Time { return e.now }
	e.b = testbody.New(t, d)
	e.b.AddGroups(
		groups.NewGroup{Acronym: "ietf", Name: "IETF", Type: "ietf"},
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg", Parent: "ietf"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab", Parent: "ietf"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "ops", Name: "Operations and Management Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "dnsop", Name: "DNS Operations", Type: "wg", Parent: "ops"},
	)
	e.b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "ic@example.org", Name: "Ivan Chair", Role: "chair", Group: "ietf"},
		testbody.Person{Email: "nc@example.org", Name: "Nora Chair"},
	)
	e.gs = e.b.Groups
	out := &mail.Outbox{Name: "hum"}
	e.ms = &meetings.Service{DB: d, Groups: e.gs, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.ds = &docs.Service{DB: d, Groups: e.gs, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &nomcom.Service{DB: d, Groups: e.gs, Meetings: e.ms, Docs: e.ds, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test"}
	return e
}

func (e *env) at(s string) {
	e.t.Helper()
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
		t = t.Add(12 * time.Hour)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	e.now = t
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// person adds someone; name "" makes one up from the address.
func (e *env) person(email, name string) int64 {
	e.t.Helper()
	if name == "" {
		local, _, _ := strings.Cut(email, "@")
		name = strings.ToUpper(local[:1]) + local[1:] + " Person"
	}
	return e.b.Add(email, name).ID
}

func (e *env) id(email string) int64 { return e.b.IDs[email] }

// as is the person with that address as the web builds them.
func (e *env) as(email string) groups.Actor {
	e.t.Helper()
	a, err := e.gs.ActorOf(context.Background(), record.Actor{ID: e.id(email), Name: email})
	e.must(err)
	return a
}

// meeting creates IETF meeting number, six days from date, one room.
func (e *env) meeting(number, date string) {
	e.t.Helper()
	_, err := e.ms.Create(context.Background(), e.op, meetings.NewMeeting{Number: number, City: "Paris", Country: "FR", TimeZone: "UTC",
		Date: date, Rooms: []meetings.NewRoom{{Name: "Room", Capacity: 100}}}, "")
	e.must(err)
}

// attendOnsite registers who onsite for meeting number (the day before
// it starts) and checks them in (its first day).
func (e *env) attendOnsite(number, who string) {
	e.t.Helper()
	ctx := context.Background()
	m, err := e.ms.Get(ctx, number)
	e.must(err)
	e.now = m.Date.Add(-12 * time.Hour)
	reg, err := e.ms.Register(ctx, e.as(who), number, meetings.NewRegistration{Name: "Someone", Country: "FR", Type: meetings.Onsite})
	e.must(err)
	e.now = m.Date.Add(9 * time.Hour)
	e.must(e.ms.CheckIn(ctx, e.op, number, reg.ID, true, ""))
}

// registerOnly registers who for meeting number, remotely, and nothing
// more: they never join a session.
func (e *env) registerOnly(number, who string) {
	e.t.Helper()
	m, err := e.ms.Get(context.Background(), number)
	e.must(err)
	e.now = m.Date.Add(-12 * time.Hour)
	_, err = e.ms.Register(context.Background(), e.as(who), number, meetings.NewRegistration{Name: "Someone", Country: "FR", Type: meetings.Remote})
	e.must(err)
}

// attendRemote registers who remotely for meeting number and has them
// sign the blue sheet of httpbis's session, placed in the meeting's
// first slot (placed once per meeting).
func (e *env) attendRemote(number, who string) {
	e.t.Helper()
	ctx := context.Background()
	e.registerOnly(number, who)
	var sessionID, start int64
	_ = start
	m, err := e.ms.Get(ctx, number)
	e.must(err)
	err = e.db.QueryRowContext(ctx, `SELECT s.id FROM session s WHERE s.meeting_id = $1`, m.ID).Scan(&sessionID)
	if err != nil {
		e.must(e.ms.RequestSessions(ctx, e.op, number, "httpbis", meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 10, Conflicts: map[string][]string{}}, ""))
		e.must(e.db.QueryRowContext(ctx, `SELECT s.id FROM session s WHERE s.meeting_id = $1`, m.ID).Scan(&sessionID))
		var slot int64
		e.must(e.db.QueryRowContext(ctx, `SELECT id FROM timeslot WHERE meeting_id = $1 AND type = 'regular' AND room_id IS NOT NULL ORDER BY start, id LIMIT 1`, m.ID).Scan(&slot))
		e.must(e.ms.Assign(ctx, e.op, number, sessionID, slot, ""))
	}
	var at time.Time
	e.must(e.db.QueryRowContext(ctx, `SELECT t.start FROM assignment a JOIN timeslot t ON t.id = a.timeslot_id WHERE a.session_id = $1`, sessionID).Scan(&at))
	e.now = at.Add(10 * time.Minute)
	e.must(e.ms.Attend(ctx, e.as(who), number, sessionID))
}

// draftXML is a small valid draft by author.
func draftXML(name, author string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-00" category="std" version="3">
  <front>
    <title>NomCom test document %s</title>
    <author fullname="Some Author"><address><email>%s</email></address></author>
    <abstract><t>This document exists so that its author has written an RFC.</t></abstract>
  </front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing to see.</t></section></middle>
  <back></back>
</rfc>
`, name, name, author)
}

// toQueue posts a httpbis draft by author on day and takes it through
// the IESG into the RFC Editor queue over the month after.
func (e *env) toQueue(name, author, day string) {
	e.t.Helper()
	ctx := context.Background()
	e.at(day)
	_, err := e.ds.Submit(ctx, docs.Upload{XML: draftXML(name, author), XMLName: name + "-00.xml"}, docs.Submitter{Actor: e.op, Email: "sec@example.org"})
	e.must(err)
	e.must(e.ds.SetWriteup(ctx, name, e.op, testbody.Writeup()))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "pub-req", ""))
	e.must(e.ds.SetAD(ctx, name, e.op, e.id("ad@example.org"), ""))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "lc-req", ""))
	e.must(e.ds.IssueLastCall(ctx, name, e.op, 0, ""))
	e.now = e.now.Add(30 * 24 * time.Hour)
	_, err = e.ds.Tick(ctx)
	e.must(err)
	e.must(e.ds.SetIESGState(ctx, name, e.op, "iesg-eva", ""))
	e.must(e.ds.SetPosition(ctx, name, e.as("ad@example.org"), docs.PositionChange{Pos: "yes"}))
	e.must(e.ds.SetPosition(ctx, name, e.as("ic@example.org"), docs.PositionChange{Pos: "noobj"}))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "approved", ""))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "ann", ""))
	var st string
	e.must(e.db.QueryRow(`SELECT iesg_state FROM doc WHERE name = $1`, name).Scan(&st))
	if st != "rfcqueue" {
		e.must(e.ds.SetIESGState(ctx, name, e.op, "rfcqueue", ""))
	}
}

// rfc takes a draft by author through the IESG from day and publishes
// it a month and a day later.
func (e *env) rfc(name, author, day string, number int) {
	e.t.Helper()
	e.toQueue(name, author, day)
	e.now = e.now.Add(24 * time.Hour)
	_, err := e.ds.Publish(context.Background(), name, e.op, number)
	e.must(err)
}

func (e *env) eligibility(email, day string) nomcom.Eligibility {
	e.t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	e.must(err)
	el, err := e.s.EligibilityOf(context.Background(), e.id(email), d)
	e.must(err)
	return el
}

// ruleOf is the rule an error cites, "" if none.
func ruleOf(err error) string {
	if fe, ok := fail.As(err); ok {
		return fe.Rule
	}
	return ""
}

// count counts the rows of a query.
func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	e.must(e.db.QueryRow(q, args...).Scan(&n))
	return n
}

// outbox is the subjects of the mail queued to an address.
func (e *env) outbox(to string) []string {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT subject, rcpt_to FROM outbox ORDER BY id`)
	e.must(err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var subject, rcpt string
		e.must(rows.Scan(&subject, &rcpt))
		if strings.Contains(rcpt, to) {
			out = append(out, subject)
		}
	}
	return out
}

// nomcomYear starts NomCom year with Nora as its chair.
func (e *env) nomcomYear(year int) {
	e.t.Helper()
	_, err := e.s.Create(context.Background(), e.as("sec@example.org"), year, "nc@example.org", "")
	e.must(err)
}

func itoa(n int) string { return strconv.Itoa(n) }
