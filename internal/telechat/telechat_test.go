package telechat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/telechat"
	"hum/internal/testbody"
)

// env is a telechat service over a documents service on a fresh
// database, with a clock the test moves: the rtg area with Ada as AD,
// sec with Bea, idr chaired by Chris, and the secretariat.
type env struct {
	t   *testing.T
	db  *db.DB
	ds  *docs.Service
	s   *telechat.Service
	b   *testbody.Body
	now time.Time
	op  groups.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC), op: groups.Operator(record.Actor{Name: "test setup"})}
	d.Now = func() time.Time { return e.now }
	e.b = testbody.New(t, d)
	e.b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg"},
	)
	e.b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "ad2@example.org", Name: "Bea Director", Role: "ad", Group: "sec"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	e.ds = &docs.Service{DB: d, Groups: e.b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &telechat.Service{DB: d, Docs: e.ds}
	return e
}

func (e *env) by(email string) groups.Actor {
	e.t.Helper()
	a, err := e.b.Groups.ActorOf(context.Background(), record.Actor{ID: e.b.IDs[email], Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// post submits a draft: a draft-ietf-idr-* one as the operator, which
// makes it an idr WG document at once; another as Pat, its author.
func (e *env) post(name, category string) {
	e.t.Helper()
	x := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-00" category="%s" version="3">
  <front><title>Telechat test %s</title>
    <author fullname="Pat Participant"><address><email>pat@example.org</email></address></author>
    <abstract><t>A draft for the telechat tests.</t></abstract></front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing.</t></section></middle><back></back>
</rfc>
`, name, category, name)
	by := docs.Submitter{Actor: e.op, Email: "sec@example.org"}
	if !strings.HasPrefix(name, "draft-ietf-") {
		by = docs.Submitter{Actor: e.by("pat@example.org"), Email: "pat@example.org", Emails: []string{"pat@example.org"}}
	}
	_, err := e.ds.Submit(context.Background(), docs.Upload{XML: []byte(x), XMLName: name + "-00.xml"}, by)
	e.must(err)
}

// toEvaluation takes a posted draft through publication request and a
// Last Call into IESG Evaluation, with Ada as its AD.
func (e *env) toEvaluation(name string) {
	e.t.Helper()
	ctx := context.Background()
	e.must(e.ds.SetWriteup(ctx, name, e.op, testbody.Writeup()))
	e.must(e.ds.SetAD(ctx, name, e.op, e.b.IDs["ad@example.org"], ""))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "pub-req", ""))
	e.must(e.ds.SetIESGState(ctx, name, e.op, "lc-req", ""))
	e.must(e.ds.IssueLastCall(ctx, name, e.op, 28, ""))
	e.now = e.now.Add(29 * 24 * time.Hour)
	_, err := e.ds.Tick(ctx)
	e.must(err)
	e.must(e.ds.SetIESGState(ctx, name, e.op, "iesg-eva", ""))
}

func refused(t *testing.T, what string, err error, k fail.Kind, rule string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok || fe.Kind != k || fe.Rule != rule {
		t.Errorf("%s: got %v, want %s citing %q", what, err, k, rule)
	}
}

func (e *env) events(subjectType, subject, kind string) []string {
	e.t.Helper()
	evs, err := record.List(context.Background(), e.db, subjectType, subject, 100)
	e.must(err)
	var out []string
	for _, ev := range evs {
		if ev.Kind == kind {
			out = append(out, ev.Summary)
		}
	}
	return out
}

// The secretariat sets the telechats, every other Thursday; no one else.
func TestTelechatDates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	series, err := telechat.Series(date("2021-06-03"), 4)
	e.must(err)
	refused(t, "an AD", func() error { _, err := e.s.AddDates(ctx, e.by("ad@example.org"), series, ""); return err }(), fail.Forbidden, "")
	if _, err := telechat.Series(date("2021-06-04"), 4); fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), "Friday") {
		t.Errorf("a Friday: %v", err)
	}
	if _, err := telechat.Series(date("2021-06-03"), 61); fail.KindOf(err) != fail.Invalid {
		t.Errorf("61 telechats: %v", err)
	}
	refused(t, "the past", func() error {
		_, err := e.s.AddDates(ctx, e.op, []time.Time{date("2021-05-27")}, "")
		return err
	}(), fail.Invalid, "")
	if n, err := e.s.AddDates(ctx, e.by("sec@example.org"), series, "The IESG's calendar for the summer"); err != nil || n != 4 {
		t.Fatalf("added %d: %v", n, err)
	}
	// Dates set already are left; one new one is added.
	if n, err := e.s.AddDates(ctx, e.op, []time.Time{date("2021-06-17"), date("2021-07-29")}, ""); err != nil || n != 1 {
		t.Fatalf("added %d: %v", n, err)
	}
	refused(t, "all there", func() error { _, err := e.s.AddDates(ctx, e.op, series[:2], ""); return err }(), fail.Conflict, "")
	got, err := e.s.Upcoming(ctx, 0)
	e.must(err)
	var s []string
	for _, d := range got {
		s = append(s, d.Format("2006-01-02"))
	}
	if strings.Join(s, " ") != "2021-06-03 2021-06-17 2021-07-01 2021-07-15 2021-07-29" {
		t.Errorf("dates %v", s)
	}
	if next, ok, _ := e.s.Next(ctx); !ok || !next.Equal(date("2021-06-03")) {
		t.Errorf("next %v %v", next, ok)
	}
	e.now = date("2021-06-04").Add(time.Hour)
	if next, _, _ := e.s.Next(ctx); !next.Equal(date("2021-06-17")) {
		t.Errorf("next after the 3rd: %v", next)
	}
	// Management items, and removing a date.
	e.must(e.s.AddItem(ctx, e.op, date("2021-06-17"), "IESG statement on interim meetings", "Text to review."))
	refused(t, "item for a day with no telechat", e.s.AddItem(ctx, e.op, date("2021-06-18"), "x", ""), fail.Invalid, "")
	refused(t, "item without title", e.s.AddItem(ctx, e.op, date("2021-06-17"), " ", ""), fail.Invalid, "")
	refused(t, "AD adds item", e.s.AddItem(ctx, e.by("ad@example.org"), date("2021-06-17"), "x", ""), fail.Forbidden, "")
	refused(t, "date with an item", e.s.RemoveDate(ctx, e.op, date("2021-06-17"), ""), fail.Conflict, "")
	items, _ := e.s.Items(ctx, date("2021-06-17"))
	if len(items) != 1 {
		t.Fatalf("items %+v", items)
	}
	refused(t, "AD removes item", e.s.RemoveItem(ctx, e.by("ad@example.org"), items[0].ID), fail.Forbidden, "")
	e.must(e.s.RemoveItem(ctx, e.op, items[0].ID))
	refused(t, "gone", e.s.RemoveItem(ctx, e.op, items[0].ID), fail.NotFound, "")
	e.must(e.s.RemoveDate(ctx, e.op, date("2021-06-17"), "Moved for the holiday"))
	refused(t, "not a date", e.s.RemoveDate(ctx, e.op, date("2021-06-17"), ""), fail.NotFound, "")
	want := []string{
		"IESG telechat date removed: 2021-06-17",
		"Management item removed from the 2021-06-17 telechat: IESG statement on interim meetings",
		"Management item for the 2021-06-17 telechat: IESG statement on interim meetings",
		"IESG telechat date added: 2021-07-29",
		"IESG telechat dates added: 2021-06-03, 2021-06-17, 2021-07-01, 2021-07-15",
	}
	evs, _ := record.List(ctx, e.db, "group", "iesg", len(want))
	var all []string
	for _, ev := range evs {
		all = append(all, ev.Summary)
	}
	if strings.Join(all, "\n") != strings.Join(want, "\n") {
		t.Errorf("IESG record:\n%s\nwant\n%s", strings.Join(all, "\n"), strings.Join(want, "\n"))
	}
}

// R42: the responsible AD (or the secretariat) places a document on a
// telechat; the agenda groups it as the IESG's does, with its ballot;
// back on a later telechat under the same ballot, it returns.
func TestR42PlaceOnTelechat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	series, _ := telechat.Series(date("2021-07-01"), 6)
	_, err := e.s.AddDates(ctx, e.op, series, "")
	e.must(err)
	const wg, indiv = "draft-ietf-idr-telechat", "draft-pat-telechat"
	e.post(wg, "std")
	e.post(indiv, "info")
	refused(t, "I-D Exists", e.s.Place(ctx, wg, e.op, date("2021-07-01"), ""), fail.Conflict, "")
	e.must(e.ds.SetIntendedStatus(ctx, wg, e.by("chair@example.org"), "ps", ""))
	e.toEvaluation(wg) // now 2021-06-30
	e.must(e.ds.SetAD(ctx, indiv, e.op, e.b.IDs["ad@example.org"], ""))
	e.must(e.ds.SetWriteup(ctx, indiv, e.op, testbody.Writeup()))
	e.must(e.ds.SetIESGState(ctx, indiv, e.op, "pub-req", ""))

	refused(t, "another area's AD", e.s.Place(ctx, wg, e.by("ad2@example.org"), date("2021-07-01"), ""), fail.Forbidden, "R42")
	refused(t, "the WG's chair", e.s.Place(ctx, wg, e.by("chair@example.org"), date("2021-07-01"), ""), fail.Forbidden, "R42")
	refused(t, "not a telechat", e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-07-02"), ""), fail.Invalid, "")
	refused(t, "a telechat that is over", e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-06-03"), ""), fail.Invalid, "")
	if n := e.events("doc", wg, "telechat"); len(n) != 0 {
		t.Fatalf("refusals recorded: %q", n)
	}
	e.must(e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-07-01"), "Ready for the IESG"))
	e.must(e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-07-01"), "")) // no change
	e.must(e.s.Place(ctx, indiv, e.by("sec@example.org"), date("2021-07-15"), ""))
	e.must(e.ds.SetPosition(ctx, wg, e.by("ad2@example.org"), docs.PositionChange{Pos: "discuss", Discuss: "Section 3 contradicts RFC 4271."}))

	a, err := e.s.Agenda(ctx, date("2021-07-01"))
	e.must(err)
	got := map[string][]string{}
	var nums []string
	for _, s := range a.Sections {
		nums = append(nums, s.Num)
		for _, en := range s.Entries {
			got[s.Num] = append(got[s.Num], en.Doc.Name)
		}
	}
	if len(got) != 1 || len(got["2.1.1"]) != 1 || got["2.1.1"][0] != wg || a.Docs != 1 {
		t.Errorf("agenda of 2021-07-01: %v", got)
	}
	if e := a.Sections[7]; e.Num != "2.1.1" || e.Title != "New items" || e.Entries[0].Ballot.Tally.Discuss != 1 || e.Entries[0].Ballot.Passes {
		t.Errorf("2.1.1: %+v", e)
	}
	want := "1 1.1 1.2 1.3 1.4 2 2.1 2.1.1 2.1.2 2.2 2.2.1 2.2.2 2.3 2.3.1 2.3.2 3 3.1 3.1.1 3.1.2 3.2 3.2.1 3.2.2 3.3 3.3.1 3.3.2 3.4 3.4.1 3.4.2 4 4.1 4.1.1 4.1.2 4.2 4.2.1 4.2.2 5 6 7"
	if strings.Join(nums, " ") != want {
		t.Errorf("sections %s\nwant %s", strings.Join(nums, " "), want)
	}
	// An individual Informational draft before its ballot: 3.2.3, for action.
	a, _ = e.s.Agenda(ctx, date("2021-07-15"))
	for _, s := range a.Sections {
		if len(s.Entries) > 0 && (s.Num != "3.2.3" || s.Title != "For action" || s.Entries[0].Doc.Name != indiv) {
			t.Errorf("2021-07-15: %s %s %v", s.Num, s.Title, s.Entries[0].Doc.Name)
		}
	}

	// The telechat passes without a decision; the AD puts it on the next
	// but one: a returning item.
	e.now = date("2021-07-02").Add(9 * time.Hour)
	d, _ := e.ds.Get(ctx, wg)
	if p, err := e.s.PlacementOf(ctx, d.ID); err != nil || p.On() {
		t.Errorf("after the telechat the placement still counts: %+v %v", p, err)
	}
	e.must(e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-07-29"), ""))
	if p, _ := e.s.PlacementOf(ctx, d.ID); !p.Returning || !p.Date.Equal(date("2021-07-29")) {
		t.Errorf("placement %+v", p)
	}
	a, _ = e.s.Agenda(ctx, date("2021-07-29"))
	for _, s := range a.Sections {
		if len(s.Entries) > 0 && (s.Num != "2.1.2" || s.Entries[0].Doc.Name != wg) {
			t.Errorf("2021-07-29: %s %v", s.Num, s.Entries[0].Doc.Name)
		}
	}
	e.must(e.s.Place(ctx, wg, e.by("ad@example.org"), date("2021-08-12"), ""))
	e.must(e.s.Place(ctx, wg, e.by("ad@example.org"), time.Time{}, "Waiting for a revision"))
	refused(t, "a date with a document", e.s.RemoveDate(ctx, e.op, date("2021-07-15"), ""), fail.Conflict, "")
	want2 := []string{
		"Removed from agenda for telechat",
		"Telechat date has been changed to 2021-08-12 from 2021-07-29 (returning item)",
		"Telechat date has been changed to 2021-07-29 from 2021-07-01 (returning item)",
		"Placed on agenda for telechat - 2021-07-01",
	}
	if got := e.events("doc", wg, "telechat"); strings.Join(got, "\n") != strings.Join(want2, "\n") {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want2, "\n"))
	}
}

func TestSectionOf(t *testing.T) {
	for _, c := range []struct {
		d         docs.Document
		returning bool
		want      string
	}{
		{docs.Document{StdLevel: "ps", GroupType: "wg", IESGState: "iesg-eva"}, false, "2.1.1"},
		{docs.Document{StdLevel: "bcp", GroupType: "wg", IESGState: "defer"}, true, "2.1.2"},
		{docs.Document{StdLevel: "std", IESGState: "lc"}, false, "2.2.1"},
		{docs.Document{StdLevel: "ps", GroupType: "area", IESGState: "ad-eval"}, false, "2.2.3"},
		{docs.Document{StdLevel: "inf", GroupType: "wg", IESGState: "writeupw"}, true, "3.1.2"},
		{docs.Document{StdLevel: "exp", IESGState: "iesg-eva"}, false, "3.2.1"},
		{docs.Document{StdLevel: "inf", GroupType: "rg", Stream: "irtf", IESGState: "iesg-eva"}, false, "3.4.1"},
		{docs.Document{StdLevel: "inf", Stream: "ise", IESGState: "pub-req"}, false, "3.4.3"},
	} {
		if got := telechat.SectionOf(c.d, c.returning); got != c.want {
			t.Errorf("%+v returning %v: %s, want %s", c.d, c.returning, got, c.want)
		}
	}
}

// A returning item is one that was on the agenda of the telechat it was
// last placed on, that telechat is over, and it comes back under the same
// ballot (the Datatracker's update_telechat); a placement moved away
// before its telechat met does not make it one.
func TestReturningItemMeansOnThePreviousTelechat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	series, _ := telechat.Series(date("2021-07-01"), 6)
	_, err := e.s.AddDates(ctx, e.op, series, "")
	e.must(err)
	const wg = "draft-ietf-idr-returning"
	e.post(wg, "std")
	e.must(e.ds.SetIntendedStatus(ctx, wg, e.by("chair@example.org"), "ps", ""))
	e.toEvaluation(wg) // now 2021-06-30, the ballot open
	ada := e.by("ad@example.org")
	d, _ := e.ds.Get(ctx, wg)
	returning := func(what string, want bool) {
		t.Helper()
		p, err := e.s.LatestPlacement(ctx, d.ID)
		e.must(err)
		if p.Returning != want {
			t.Errorf("%s: returning %v, want %v", what, p.Returning, want)
		}
	}
	e.must(e.s.Place(ctx, wg, ada, date("2021-07-01"), ""))
	e.must(e.s.Place(ctx, wg, ada, date("2021-07-15"), "")) // moved before 07-01 met
	returning("moved before the telechat", false)
	e.now = date("2021-07-02").Add(9 * time.Hour)
	e.must(e.s.Place(ctx, wg, ada, date("2021-07-29"), ""))
	returning("never on a telechat that met", false)
	e.now = date("2021-07-30").Add(9 * time.Hour)
	e.must(e.s.Place(ctx, wg, ada, date("2021-08-12"), ""))
	returning("on 07-29's agenda, back on 08-12's", true)
	e.must(e.s.Place(ctx, wg, ada, date("2021-08-26"), ""))
	returning("a returning item moved stays one", true)
}
