package ipr_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hum/internal/aliases"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/ipr"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is the IPR service on a fresh database with a small standards
// body: the secretariat (Sam), the General Area's AD (Gina), the wgx WG
// of the art area with its chair (Chris), its AD (Ada), and its list;
// draft-ietf-wgx-thing (revisions 00 and 01, by Ann and Bob, who have
// accounts, and Carl, who has none), which replaced Ann's individual
// draft-ann-wgx-thing; draft-ann-solo (Ann's individual draft); and Pat
// and Tom, participants.
type env struct {
	t   *testing.T
	db  *db.DB
	s   *ipr.Service
	gs  *groups.Service
	ds  *docs.Service
	ids map[string]int64
	now time.Time
}

const (
	wgDraft   = "draft-ietf-wgx-thing" // replaces oldDraft
	oldDraft  = "draft-ann-wgx-thing"
	soloDraft = "draft-ann-solo"
)

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	b := testbody.New(t, d)
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "wgx", Name: "Example WG", Type: "wg", Parent: "art"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "gina@example.org", Name: "Gina General", Role: "ad", Group: "gen"},
		testbody.Person{Email: "ada@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "chris@example.org", Name: "Chris Chair", Role: "chair", Group: "wgx"},
		testbody.Person{Email: "ann@example.org", Name: "Ann Author"},
		testbody.Person{Email: "bob@example.org", Name: "Bob Author"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "tom@example.org", Name: "Tom Third"},
	)
	e.gs, e.ids = b.Groups, b.IDs
	outbox := &mail.Outbox{Name: "hum"}
	ls := &lists.Service{DB: d, Mail: outbox, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.ds = &docs.Service{DB: d, Groups: b.Groups, Mail: ls.Router(outbox), BaseURL: "http://hum.test", Domain: "hum.test"}
	as := &aliases.Service{DB: d, Lists: ls, Outbox: outbox, Domain: "hum.test"}
	e.s = &ipr.Service{DB: d, Docs: e.ds, Groups: b.Groups, Lists: ls, Aliases: as, Mail: as.Router(ls.Router(outbox)), BaseURL: "http://hum.test", Domain: "hum.test"}
	op := docsOperator(e)
	ann := docsAuthor(e, "ann@example.org")
	e.submit(oldDraft, "00", "", ann, "ann@example.org")
	e.submit(soloDraft, "00", "", ann, "ann@example.org")
	e.submit(wgDraft, "00", oldDraft, op, "ann@example.org", "bob@example.org", "carl@example.net")
	e.submit(wgDraft, "01", "", ann, "ann@example.org", "bob@example.org", "carl@example.net")
	return e
}

// docsOperator submits as the secretariat's operator, who posts at once.
func docsOperator(*env) docs.Submitter {
	return docs.Submitter{Actor: groups.Operator(record.Actor{Name: "test setup"}), Email: "sec@example.org"}
}

// docsAuthor submits as a logged-in author, whose later revisions post
// at once.
func docsAuthor(e *env, email string) docs.Submitter {
	return docs.Submitter{Actor: e.as(email), Email: email, Emails: []string{email}}
}

func (e *env) submit(name, rev, replaces string, by docs.Submitter, authors ...string) {
	e.t.Helper()
	var as strings.Builder
	for _, a := range authors {
		local, _, _ := strings.Cut(a, "@")
		fmt.Fprintf(&as, `<author fullname="%s Author"><address><email>%s</email></address></author>`, strings.ToUpper(local[:1])+local[1:], a)
	}
	x := fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-%s" category="std" version="3">
  <front>
    <title>IPR test document %s</title>
    %s
    <abstract><t>This document exists so that IPR can be disclosed about it.</t></abstract>
  </front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing to see.</t></section></middle>
  <back></back>
</rfc>
`, name, rev, name, as.String())
	if _, err := e.ds.Submit(context.Background(), docs.Upload{XML: x, XMLName: name + "-" + rev + ".xml", Replaces: replaces}, by); err != nil {
		e.t.Fatalf("submit %s-%s: %v", name, rev, err)
	}
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

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events are the kinds of the events about a subject, oldest first.
func (e *env) events(typ, subject string) []string {
	e.t.Helper()
	evs, err := record.List(context.Background(), e.db, typ, subject, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range slices.Backward(evs) {
		out = append(out, ev.Kind)
	}
	return out
}

// outbox is the recipients of each queued message with this subject.
func (e *env) outbox(subject string) [][]string {
	e.t.Helper()
	ms, err := mail.List(context.Background(), e.db, "", 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out [][]string
	for _, m := range slices.Backward(ms) {
		if m.Subject == subject {
			out = append(out, m.To)
		}
	}
	return out
}

// specific is a good specific disclosure about the WG draft.
func specific(kv ...string) ipr.Fields {
	f := ipr.Fields{Kind: ipr.Specific, HolderLegalName: "Example Networks", HolderContactName: "Lee Licensing",
		HolderContactEmail: "licensing@networks.example", Patent: ipr.Patent{Number: "US62/123456", Inventor: "Ivy Inventor",
			Title: "Method for deriving things from other things", Date: "2025-11-03"},
		Licensing: "royalty-free", Compliant: true, SubmitterName: "Pat Participant", SubmitterEmail: "pat@example.org",
		Docs: []ipr.DocInput{{Name: wgDraft, Revisions: "00-01", Sections: "3"}}}
	for i := 0; i+1 < len(kv); i += 2 {
		switch kv[i] {
		case "docs":
			f.Docs = nil
			if kv[i+1] != "" {
				f.Docs = []ipr.DocInput{{Name: kv[i+1]}}
			}
		case "revisions":
			f.Docs[0].Revisions = kv[i+1]
		case "number":
			f.Patent.Number = kv[i+1]
		case "licensing":
			f.Licensing = kv[i+1]
		case "holder":
			f.HolderLegalName = kv[i+1]
		default:
			panic("specific: no field " + kv[i])
		}
	}
	return f
}
