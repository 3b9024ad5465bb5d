package demo

import (
	"context"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/people"
)

// TestDemoLists loads the demo with its lists: people are subscribed and
// the ietf and httpbis archives hold posts, with no mail sent.
func TestDemoLists(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	outbox := &mail.Outbox{Name: "hum"}
	ps := &people.Service{DB: d, Mail: outbox, BaseURL: "http://demo.test", From: "hum@demo.test", Argon2: people.Argon2{Memory: 64, Time: 1, Threads: 1}}
	gs := &groups.Service{DB: d}
	arch := &archive.Service{DB: d}
	ls := &lists.Service{DB: d, Groups: gs, Mail: outbox, Domain: "demo.test", BaseURL: "http://demo.test"}
	start := time.Now()
	logins, err := Load(ctx, d, ps, gs, Options{Lists: ls, Archive: arch})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo with lists loaded in %v", time.Since(start).Round(time.Millisecond))
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
