package meetings_test

import (
	"context"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is a small standards body with a meetings service: the
// secretariat, two areas with an AD each, WGs with chairs, and a
// participant. Tests in this package (and helpers of later features)
// build on it.
type env struct {
	t    testing.TB
	ctx  context.Context
	db   *db.DB
	now  time.Time
	body *testbody.Body
	m    *meetings.Service
}

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, ctx: context.Background(), db: d, now: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, d)
	e.m = &meetings.Service{DB: d, Groups: e.body.Groups}
	e.body.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "wit", Name: "Web and Internet Transport", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "tls", Name: "Transport Layer Security", Type: "wg", Parent: "sec", ListEmail: "tls@example.org"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "wit", ListEmail: "quic@example.org"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "wit", ListEmail: "httpbis@example.org"},
	)
	e.body.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad-sec@example.org", Name: "Ada Director", Role: "ad", Group: "sec"},
		testbody.Person{Email: "ad-wit@example.org", Name: "Bea Director", Role: "ad", Group: "wit"},
		testbody.Person{Email: "chair-tls@example.org", Name: "Chris Chair", Role: "chair", Group: "tls"},
		testbody.Person{Email: "chair-quic@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	return e
}

// as is a person acting, with their roles, as web builds them.
func (e *env) as(email string) groups.Actor {
	e.t.Helper()
	id, ok := e.body.IDs[email]
	if !ok {
		e.t.Fatalf("no person %s in the test body", email)
	}
	a, err := e.body.Groups.ActorOf(e.ctx, record.Actor{ID: id, Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// meeting creates IETF 125 in Shenzhen from 2026-03-14 (a Saturday) for
// seven days, as the secretariat, with two rooms.
func (e *env) meeting() meetings.Meeting {
	e.t.Helper()
	m, err := e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN",
		TimeZone: "Asia/Shanghai", Date: "2026-03-14", Days: 7, Rooms: []meetings.NewRoom{{"Room A", 300}, {"Room B", 100}}}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// events counts the record's events, to show a refusal changed nothing.
func (e *env) events() int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM event`))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// groupEvents lists the kinds of a group's events, latest first.
func (e *env) groupEvents(acronym string) ([]string, error) {
	evs, err := record.List(e.ctx, e.db, "group", acronym, 50)
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
	}
	return kinds, err
}
