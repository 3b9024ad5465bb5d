package notices_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hum/internal/app"
	"hum/internal/consensus"
	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/notices"
	"hum/internal/record"
	"hum/internal/testbody"
)

const name = "draft-smoke-signals"

// env is hum as app.New builds it, with a WG draft under way and three
// followers: fay tracks the draft and gus its WG, each change; dan tracks
// the WG, daily.
type env struct {
	t    testing.TB
	a    *app.App
	d    *db.DB
	b    *testbody.Body
	now  time.Time
	mark int64 // the outbox's newest id when the test last looked
}

// sent is a message in the outbox: whom it goes to, and what.
type sent struct {
	To, Rcpt, Subject, Body string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, d: d, now: time.Date(2021, 6, 19, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	a, err := app.New(d, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.a = a
	ctx := context.Background()
	b := testbody.New(t, d)
	e.b = b
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "kesara@fq.nz", Name: "Kesara Nanayakkara Rathnayake"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "fay@example.org", Name: "Fay Follower"},
		testbody.Person{Email: "gus@example.org", Name: "Gus Groupie"},
		testbody.Person{Email: "dan@example.org", Name: "Dan Daily"},
	)
	e.must("lists", a.Lists.Ensure(ctx))
	_, err = a.Docs.Submit(ctx, docs.Upload{TXT: corpustest.ReadFile(t, "drafts/txt/draft-smoke-signals-00.txt"), TXTName: "draft-smoke-signals-00.txt"},
		docs.Submitter{Actor: e.as("kesara@fq.nz"), Email: "kesara@fq.nz", Emails: []string{"kesara@fq.nz"}})
	e.must("submit", err)
	chair := e.as("chair@example.org")
	call, err := a.Consensus.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "adoption", Doc: name})
	e.must("adoption call", err)
	e.must("close adoption", a.Consensus.Close(ctx, chair, call.ID, consensus.Closing{Outcome: "consensus", Explanation: "Support, no objection."}))
	call, err = a.Consensus.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "wglc", Doc: name})
	e.must("WG last call", err)
	e.must("close WGLC", a.Consensus.Close(ctx, chair, call.ID, consensus.Closing{Outcome: "consensus", Explanation: "Ready."}))
	e.must("fay follows", a.Notices.Follow(ctx, b.IDs["fay@example.org"], "doc", name, notices.Each))
	e.must("gus follows", a.Notices.Follow(ctx, b.IDs["gus@example.org"], "group", "idr", notices.Each))
	e.must("dan follows", a.Notices.Follow(ctx, b.IDs["dan@example.org"], "group", "idr", notices.Daily))
	// What happened so far is noticed here; the tests look at what
	// follows.
	e.run()
	e.outbox()
	return e
}

func (e *env) must(what string, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

func (e *env) as(email string) groups.Actor {
	e.t.Helper()
	who, err := e.a.Groups.ActorOf(context.Background(), record.Actor{ID: e.b.IDs[email], Name: email})
	e.must("actor "+email, err)
	return who
}

// run runs the notices' job as the runner does.
func (e *env) run() int {
	e.t.Helper()
	n, err := e.a.Notices.SendNotices(context.Background())
	e.must("notices", err)
	return n
}

// outbox returns the messages queued since the last look.
//
// The publication request's own mail to the AD and the secretariat
// (docs/iesgmail.go) is the IESG process's, not a notice: left out.
func (e *env) outbox() []sent {
	e.t.Helper()
	type row struct {
		id  int64
		msg sent
	}
	rows, err := db.Query(context.Background(), e.d, func(r db.Scanner) (row, error) {
		var x row
		var raw []byte
		if err := r.Scan(&x.id, &x.msg.Rcpt, &x.msg.Subject, &raw); err != nil {
			return x, err
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			return x, err
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 {
			return x, fmt.Errorf("To: %v (%v)", to, err)
		}
		x.msg.To = to[0].Address
		var body io.Reader = m.Body
		if m.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(body)
		}
		b, err := io.ReadAll(body)
		x.msg.Body = string(b)
		return x, err
	}, `SELECT id, rcpt_to, subject, message FROM outbox WHERE id > $1 AND subject NOT LIKE 'Publication has been requested for %' ORDER BY id`, e.mark)
	e.must("outbox", err)
	var out []sent
	for _, x := range rows {
		out = append(out, x.msg)
		e.mark = x.id
	}
	return out
}

// notified checks that the change just made gives one notice to the
// draft's notify list (reaching want), one to each of fay and gus, none to
// dan, and that running again sends nothing more.
func (e *env) notified(what, subject string, want ...string) {
	e.t.Helper()
	if n := e.run(); n != 1 {
		e.t.Errorf("%s: %d changes noticed, want 1", what, n)
	}
	got := e.outbox()
	var to []string
	for _, m := range got {
		to = append(to, m.To)
		if m.Subject != name+": "+subject {
			e.t.Errorf("%s: subject %q, want %q", what, m.Subject, name+": "+subject)
		}
		if !strings.Contains(m.Body, "http://hum.test/doc/"+name+"/") {
			e.t.Errorf("%s: the notice to %s does not link the draft:\n%s", what, m.To, m.Body)
		}
		why := map[string]string{"fay@example.org": "you track the document " + name, "gus@example.org": "you track the documents of the group idr and its charter"}[m.To]
		if why != "" && !strings.Contains(m.Body, why) {
			e.t.Errorf("%s: the notice to %s does not say why (%q):\n%s", what, m.To, why, m.Body)
		}
		if m.To == name+".notify@hum.test" {
			for _, w := range want {
				if !slices.Contains(strings.Split(m.Rcpt, ","), w) {
					e.t.Errorf("%s: the notify list reached %s, not %s", what, m.Rcpt, w)
				}
			}
		}
	}
	slices.Sort(to)
	if wantTo := []string{name + ".notify@hum.test", "fay@example.org", "gus@example.org"}; !slices.Equal(to, wantTo) {
		e.t.Errorf("%s: notices to %v, want %v", what, to, wantTo)
	}
	if n := e.run(); n != 0 {
		e.t.Errorf("%s: running again noticed %d changes", what, n)
	}
	if again := e.outbox(); len(again) != 0 {
		e.t.Errorf("%s: running again queued %v", what, again)
	}
}

// TestNotices: a state change, an AD change, a shepherd change, an
// intended-status change and a ballot position each give exactly one
// notice to the draft's notify list and one to each follower in "each"
// mode; the daily follower gets one summary of them the next day.
func TestNotices(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, chair, ad, sec := e.a, e.as("chair@example.org"), e.as("ad@example.org"), e.as("sec@example.org")
	core := []string{"kesara@fq.nz", "chair@example.org"}

	e.must("shepherd", a.Docs.SetShepherd(ctx, name, chair, e.b.IDs["chair@example.org"], ""))
	e.notified("shepherd", "Document shepherd changed", core...)
	e.must("AD", a.Docs.SetAD(ctx, name, sec, e.b.IDs["ad@example.org"], ""))
	e.notified("AD", "Responsible AD changed", append(core, "ad@example.org")...)
	e.must("intended status", a.Docs.SetIntendedStatus(ctx, name, chair, "ps", "A protocol."))
	e.notified("intended status", "Intended status changed", append(core, "ad@example.org")...)

	// The chairs add an address; it is on the list from then on.
	e.must("notify", a.Docs.SetNotify(ctx, name, chair, []string{"pat@example.org"}, ""))
	e.run()
	e.outbox()
	e.must("write-up", a.Docs.SetWriteup(ctx, name, chair, testbody.Writeup()))
	e.must("publication request", a.Docs.SetIESGState(ctx, name, chair, "pub-req", ""))
	e.notified("state", "IESG state changed", append(core, "ad@example.org", "pat@example.org")...)

	e.must("AD evaluation", a.Docs.SetIESGState(ctx, name, ad, "ad-eval", ""))
	e.must("Last Call requested", a.Docs.SetIESGState(ctx, name, ad, "lc-req", ""))
	e.must("Last Call", a.Docs.IssueLastCall(ctx, name, sec, 0, ""))
	e.now = e.now.Add(30 * 24 * time.Hour)
	_, err := a.Docs.Tick(ctx)
	e.must("Last Call ends", err)
	e.must("ballot", a.Docs.SetIESGState(ctx, name, ad, "iesg-eva", ""))
	e.run()
	e.outbox()
	e.must("position", a.Docs.SetPosition(ctx, name, ad, docs.PositionChange{Pos: "yes"}))
	e.notified("ballot position", "Ballot position", append(core, "ad@example.org")...)

	// The next day, dan gets one summary, of every change to idr's
	// draft since the last one; fay and gus get none.
	e.now = e.now.Add(24 * time.Hour)
	n, err := a.Notices.SendSummaries(ctx)
	e.must("summaries", err)
	got := e.outbox()
	if n != 1 || len(got) != 1 || got[0].To != "dan@example.org" {
		t.Fatalf("summaries: %d, queued %v; want one to dan@example.org", n, got)
	}
	for _, w := range []string{name, "Document shepherd changed", "Responsible AD changed", "IESG state changed to Publication Requested", "[Ballot Position Update]"} {
		if !strings.Contains(got[0].Body, w) {
			t.Errorf("the summary does not say %q:\n%s", w, got[0].Body)
		}
	}
	if strings.Contains(got[0].Body, "New revision") {
		t.Errorf("the summary tells of changes from before dan followed idr:\n%s", got[0].Body)
	}
	if n, err := a.Notices.SendSummaries(ctx); err != nil || n != 0 {
		t.Errorf("summaries again the same day: %d, %v", n, err)
	}
	// The day after, with nothing changed, nothing is sent.
	e.now = e.now.Add(24 * time.Hour)
	if n, err := a.Notices.SendSummaries(ctx); err != nil || n != 0 || len(e.outbox()) != 0 {
		t.Errorf("summaries of a quiet day: %d, %v", n, err)
	}
}

// TestNoticesOnce: processes running the job at once tell of a change
// once.
func TestNoticesOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.must("shepherd", e.a.Docs.SetShepherd(ctx, name, e.as("chair@example.org"), e.b.IDs["chair@example.org"], ""))
	// Two services on the one database, as two hum processes have.
	other := *e.a.Notices
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		s := e.a.Notices
		if i%2 == 1 {
			s = &other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.SendNotices(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if total := counts[0] + counts[1] + counts[2] + counts[3]; total != 1 {
		t.Errorf("the change was noticed %d times (%v)", total, counts)
	}
	if got := e.outbox(); len(got) != 3 {
		t.Errorf("queued %d messages, want 3 (the notify list, fay, gus): %v", len(got), got)
	}
}

// TestSetNotify: only the chairs, the responsible AD and the secretariat
// change a draft's notify list, with addresses hum knows; a refusal
// changes nothing.
func TestSetNotify(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before, err := record.Version(ctx, e.d)
	e.must("version", err)
	err = e.a.Docs.SetNotify(ctx, name, e.as("pat@example.org"), []string{"pat@example.org"}, "")
	if fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant sets the notify list: %v, want forbidden", err)
	}
	err = e.a.Docs.SetNotify(ctx, name, e.as("chair@example.org"), []string{"stranger@example.net"}, "")
	if fail.KindOf(err) != fail.Invalid {
		t.Errorf("an address nobody has: %v, want invalid", err)
	}
	if after, _ := record.Version(ctx, e.d); after != before {
		t.Errorf("refusals wrote events (%d, then %d)", before, after)
	}
	if l, _ := e.a.Docs.NotifyList(ctx, name); len(l) != 0 {
		t.Errorf("refusals changed the list: %v", l)
	}
	e.must("chair", e.a.Docs.SetNotify(ctx, name, e.as("chair@example.org"), []string{" Pat@Example.org", "fay@example.org"}, "Asked to be told."))
	l, err := e.a.Docs.NotifyList(ctx, name)
	e.must("list", err)
	if want := []string{"pat@example.org", "fay@example.org"}; !slices.Equal(l, want) {
		t.Errorf("notify list %v, want %v", l, want)
	}
	alias, found, err := e.a.Aliases.Lookup(ctx, e.d, name+".notify@hum.test")
	e.must("alias", err)
	if reach := alias.Addresses(); !found || !slices.Contains(reach, "pat@example.org") || !slices.Contains(reach, "kesara@fq.nz") {
		t.Errorf("%s (found %v) reaches %v", alias.Address, found, reach)
	}
	evs, err := record.List(ctx, e.d, "doc", name, 1)
	e.must("record", err)
	if len(evs) != 1 || evs[0].Kind != "notify" || evs[0].Why != "Asked to be told." {
		t.Errorf("the change's event: %+v", evs)
	}
}

// TestCharterNotices: a charter has no notify list, but whoever tracks
// its group is told of its changes.
func TestCharterNotices(t *testing.T) {
	e := newEnv(t)
	_, err := e.a.Charters.Submit(context.Background(), e.as("ad@example.org"), "charter-ietf-idr",
		"The Inter-Domain Routing Working Group is chartered to standardize, develop, and support the Border Gateway Protocol Version 4.", "")
	e.must("charter", err)
	if n := e.run(); n != 1 {
		t.Errorf("%d changes noticed, want 1", n)
	}
	got := e.outbox()
	if len(got) != 1 || got[0].To != "gus@example.org" || got[0].Subject != "charter-ietf-idr: New revision; Charter state changed" {
		t.Errorf("queued %+v; want one notice to gus@example.org", got)
	}
}
