package implementations_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/implementations"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is the implementations service on a fresh database, with a draft
// (draft-example-impl, revisions 00 and 01, by Ann), another draft, and
// people: Pat and Tom (participants), Ann (the draft's author) and Sam
// (the secretariat).
type env struct {
	t   *testing.T
	db  *db.DB
	s   *implementations.Service
	gs  *groups.Service
	ids map[string]int64
	now time.Time
}

const draft = "draft-example-impl"

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	b := testbody.New(t, d)
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ann@example.org", Name: "Ann Author"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "tom@example.org", Name: "Tom Third"},
	)
	e.gs, e.ids = b.Groups, b.IDs
	ds := &docs.Service{DB: d, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &implementations.Service{DB: d, Docs: ds}
	ann := docs.Submitter{Actor: e.as("ann@example.org"), Email: "ann@example.org", Emails: []string{"ann@example.org"}}
	for _, x := range []struct{ name, rev string }{{draft, "00"}, {draft, "01"}, {"draft-example-other", "00"}} {
		u := docs.Upload{XML: draftXML(x.name, x.rev, "ann@example.org"), XMLName: x.name + "-" + x.rev + ".xml"}
		if _, err := ds.Submit(context.Background(), u, ann); err != nil {
			t.Fatalf("submit %s-%s: %v", x.name, x.rev, err)
		}
	}
	return e
}

func draftXML(name, rev, author string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-%s" category="std" version="3">
  <front>
    <title>Implementation test document %s</title>
    <author fullname="Ann Author"><address><email>%s</email></address></author>
    <abstract><t>This document exists so that implementations can be reported on it.</t></abstract>
  </front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing to see.</t></section></middle>
  <back></back>
</rfc>
`, name, rev, name, author)
}

// as is a logged-in person as the web builds them; "" is nobody.
func (e *env) as(email string) groups.Actor {
	e.t.Helper()
	if email == "" {
		return groups.Actor{}
	}
	a, err := e.gs.ActorOf(context.Background(), record.Actor{ID: e.ids[email], Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events are the draft's events of the implementation kinds, newest first.
func (e *env) events(name string) []record.Event {
	e.t.Helper()
	evs, err := record.List(context.Background(), e.db, "doc", name, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []record.Event
	for _, ev := range evs {
		switch ev.Kind {
		case "impl_added", "impl_changed", "impl_removed", "interop_added", "interop_removed":
			out = append(out, ev)
		}
	}
	return out
}

func (e *env) add(who, name string, f implementations.Fields) implementations.Report {
	e.t.Helper()
	r, err := e.s.Add(context.Background(), draft, e.as(who), f, "")
	if err != nil {
		e.t.Fatalf("%s adds %q: %v", who, name, err)
	}
	return r
}

func fields(name string) implementations.Fields {
	return implementations.Fields{Rev: "01", Name: name, Organization: "Example Org", URL: "https://impl.example/" + name,
		Description: "An implementation.", Coverage: "All of it.", Maturity: "beta", Licence: "MIT", Contact: "impl@example.org", Date: "2026-03-01"}
}
