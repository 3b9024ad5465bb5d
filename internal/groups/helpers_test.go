package groups_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/testbody"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	ctx   context.Context
	d     *db.DB
	g     *groups.Service
	body  *testbody.Body
	now   time.Time
	admin record.Actor // acts as the site's operator (op)
	op    groups.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), d: dbtest.New(t), now: t0}
	e.d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, e.d)
	e.g = e.body.Groups
	e.admin = e.person("Sam Secretariat")
	e.op = groups.Operator(e.admin)
	return e
}

// as is who acting with the roles they hold.
func (e *env) as(who record.Actor) groups.Actor {
	e.t.Helper()
	a, err := e.g.ActorOf(e.ctx, who)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// person adds someone and returns them as an actor.
func (e *env) person(name string) record.Actor {
	e.t.Helper()
	addr := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	p := e.body.Add(addr, name)
	return record.Actor{ID: p.ID, Name: p.Name}
}

func (e *env) create(n groups.NewGroup) groups.Group {
	e.t.Helper()
	g, err := e.g.Create(e.ctx, e.op, n, "")
	if err != nil {
		e.t.Fatalf("Create(%+v): %v", n, err)
	}
	return g
}

func (e *env) grant(acronym, role string, who record.Actor) {
	e.t.Helper()
	if err := e.g.Grant(e.ctx, e.op, acronym, role, who.ID, "", ""); err != nil {
		e.t.Fatalf("Grant(%s, %s, %s): %v", acronym, role, who.Name, err)
	}
}

// events returns the events about a group, oldest first.
func (e *env) events(acronym string) []record.Event {
	e.t.Helper()
	evs, err := record.List(e.ctx, e.d, "group", acronym, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// ev is the part of an event a test compares.
type ev struct{ Kind, Summary, Why string }

func (e *env) evs(acronym string) []ev {
	e.t.Helper()
	var out []ev
	for _, x := range e.events(acronym) {
		out = append(out, ev{x.Kind, x.Summary, x.Why})
	}
	return out
}

func (e *env) version() int64 {
	e.t.Helper()
	v, err := record.Version(e.ctx, e.d)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// wantFail checks that err is a *fail.Error of kind k about field.
func wantFail(t *testing.T, err error, k fail.Kind, field string) *fail.Error {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok {
		t.Fatalf("err = %v, want a *fail.Error of kind %s", err, k)
	}
	if fe.Kind != k || fe.Field != field {
		t.Fatalf("err = %+v, want kind %s, field %q", fe, k, field)
	}
	return fe
}

func ptr(s string) *string { return &s }
