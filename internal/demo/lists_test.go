package demo

import (
	"context"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/people"
)

// loadedDemo is a fresh database with the demo loaded, and the services
// that loaded it.
type loadedDemo struct {
	d      *db.DB
	gs     *groups.Service
	arch   *archive.Service
	ls     *lists.Service
	ds     *docs.Service     // nil unless the documents were loaded
	ms     *meetings.Service // likewise the meetings
	cs     *charters.Service // likewise chartering
	ns     *nomcom.Service   // and the NomComs
	logins []Login
}

// loadDemo is a copy of the demo loaded with its lists and, when
// withDocs, with its documents and meetings, whose announcements the
// lists archive as cmd/hum does. The demo is loaded once per test binary
// (demoTemplates); each test gets a database of its own.
func loadDemo(t *testing.T, withDocs bool) loadedDemo {
	t.Helper()
	tmpl := demoTemplates[0]
	if withDocs {
		tmpl = demoTemplates[1]
	}
	d, logins := tmpl.New(t)
	dm := demoServices(d, withDocs)
	dm.logins = logins
	return dm
}

// demoServices are the services loadDemo loads the demo with, on d.
func demoServices(d *db.DB, withDocs bool) loadedDemo {
	outbox := &mail.Outbox{Name: "hum"}
	dm := loadedDemo{d: d, gs: &groups.Service{DB: d}, arch: &archive.Service{DB: d}}
	dm.ls = &lists.Service{DB: d, Mail: outbox, Domain: "demo.test", BaseURL: "http://demo.test"}
	if withDocs {
		dm.ls.Archive = archiveFor{dm.arch}
		dm.ds = &docs.Service{DB: d, Groups: dm.gs, Mail: dm.ls.Router(outbox), BaseURL: "http://demo.test", Domain: "demo.test", Lists: dm.ls}
		dm.ms = &meetings.Service{DB: d, Groups: dm.gs, Mail: dm.ls.Router(outbox), BaseURL: "http://demo.test", Domain: "demo.test"}
		dm.cs = &charters.Service{DB: d, Groups: dm.gs, Lists: dm.ls, Mail: dm.ls.Router(outbox), BaseURL: "http://demo.test", Domain: "demo.test"}
		dm.ns = &nomcom.Service{DB: d, Groups: dm.gs, Meetings: dm.ms, Docs: dm.ds, Mail: dm.ls.Router(outbox), BaseURL: "http://demo.test", Domain: "demo.test"}
	}
	return dm
}

// demoTemplates are the demo loaded with its lists, and with its
// documents, meetings and a charter too.
var demoTemplates = [2]*dbtest.Template[[]Login]{
	{Name: "demo with lists", Build: func(t testing.TB, d *db.DB) []Login { return buildDemo(t, d, false) }},
	{Name: "demo with lists, documents, meetings and a charter", Build: func(t testing.TB, d *db.DB) []Login { return buildDemo(t, d, true) }},
}

func buildDemo(t testing.TB, d *db.DB, withDocs bool) []Login {
	dm := demoServices(d, withDocs)
	ps := &people.Service{DB: d, Mail: dm.ls.Mail, BaseURL: "http://demo.test", From: "hum@demo.test", Argon2: people.Argon2{Memory: 64, Time: 1, Threads: 1}}
	start := time.Now()
	logins, err := Load(context.Background(), d, ps, dm.gs, Options{Lists: dm.ls, Archive: dm.arch, Docs: dm.ds, Meetings: dm.ms, Charters: dm.cs, NomCom: dm.ns})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo loaded in %v (withDocs %v)", time.Since(start).Round(time.Millisecond), withDocs)
	return logins
}

// TestDemoLists loads the demo with its lists: people are subscribed and
// the ietf and httpbis archives hold posts, with no mail sent.
func TestDemoLists(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, false)
	d, arch, ls, logins := dm.d, dm.arch, dm.ls, dm.logins
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for list, want := range map[string]int{"ietf": 24, "httpbis": 6} {
		got, err := arch.ByDate(ctx, list, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want {
			t.Errorf("the %s archive has %d messages, want %d", list, len(got), want)
		}
	}
	threads, err := arch.Threads(ctx, "httpbis", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(threads) != 2 {
		t.Errorf("httpbis has %d threads, want 2", len(threads))
	}
	ietf, err := ls.Get(ctx, "ietf")
	if err != nil {
		t.Fatal(err)
	}
	if ietf.Subscribers < 100 {
		t.Errorf("ietf has %d subscribers", ietf.Subscribers)
	}
	if n := count(`SELECT COUNT(DISTINCT list_id) FROM subscription`); n < 50 {
		t.Errorf("only %d lists have subscribers", n)
	}
	var participant string
	for _, l := range logins {
		if l.What == "Participant: no roles" {
			participant = l.Email
		}
	}
	if sub, err := ls.Subscription(ctx, "httpbis", participant); err != nil || sub.State != "active" {
		t.Errorf("the participant login is not on httpbis: %+v %v", sub, err)
	}
	if n := count(`SELECT COUNT(*) FROM outbox`); n != 0 {
		t.Errorf("loading the demo queued %d messages", n)
	}
}
