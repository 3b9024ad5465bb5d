package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/google/go-cmp/cmp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/fail"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable db.DB.Now.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newDB(t *testing.T) (*db.DB, *clock) {
	t.Helper()
	d := dbtest.New(t)
	c := &clock{now: t0}
	d.Now = c.Now
	return d, c
}

func queue(t *testing.T, d *db.DB, o *Outbox, m Message) {
	t.Helper()
	err := d.Write(context.Background(), func(tx *db.Tx) error { return o.Queue(context.Background(), tx, m) })
	if err != nil {
		t.Fatalf("Queue(%q): %v", m.Subject, err)
	}
}

// parsed is what a test checks of a rendered message.
type parsed struct {
	From, To, Subject, Date, ContentType, Body string
	MessageIDDomain                            string
	Extra                                      map[string]string
}

func parse(t *testing.T, raw []byte, extra ...string) parsed {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	h := gomail.Header{Header: e.Header}
	var p parsed
	from, _ := h.AddressList("From")
	if len(from) == 1 {
		p.From = from[0].String()
	}
	to, _ := h.AddressList("To")
	var tos []string
	for _, a := range to {
		tos = append(tos, a.Address)
	}
	p.To = strings.Join(tos, ",")
	p.Subject, _ = h.Subject()
	if d, err := h.Date(); err == nil {
		p.Date = d.UTC().Format(time.RFC3339)
	}
	p.ContentType = h.Get("Content-Type")
	if id, err := h.MessageID(); err == nil {
		_, p.MessageIDDomain, _ = strings.Cut(id, "@")
	}
	for _, k := range extra {
		if p.Extra == nil {
			p.Extra = map[string]string{}
		}
		p.Extra[k] = h.Get(k)
	}
	b, _ := io.ReadAll(e.Body)
	p.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return p
}

func TestQueueListGet(t *testing.T) {
	ctx := context.Background()
	d, c := newDB(t)
	pokes := 0
	o := &Outbox{Name: "hum", Notify: func() { pokes++ }}

	queue(t, d, o, Message{From: "noreply@hum.example", To: []string{"ada@example.org"}, Subject: "First", Body: "one\r\ntwo\n",
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	c.now = t0.Add(time.Minute)
	queue(t, d, o, Message{From: "noreply@hum.example", To: []string{"bob@example.org", "eve@example.net"}, Subject: "Second", Body: "hi"})
	if pokes != 2 {
		t.Errorf("Notify was called %d times for 2 messages", pokes)
	}

	all, err := List(ctx, d, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("List returned %d messages, want 2", len(all))
	}
	type row struct {
		From        string
		To          []string
		Subject     string
		State       string
		Attempts    int
		Created     time.Time
		NextAttempt time.Time
		Sent        *time.Time
	}
	var got []row
	for _, q := range all {
		got = append(got, row{q.From, q.To, q.Subject, q.State, q.Attempts, q.Created, q.NextAttempt, q.Sent})
	}
	want := []row{
		{"noreply@hum.example", []string{"bob@example.org", "eve@example.net"}, "Second", "queued", 0, t0.Add(time.Minute), t0.Add(time.Minute), nil},
		{"noreply@hum.example", []string{"ada@example.org"}, "First", "queued", 0, t0, t0, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}

	gotMsg := parse(t, all[1].Raw, "Auto-Submitted")
	wantMsg := parsed{
		From: `"hum" <noreply@hum.example>`, To: "ada@example.org", Subject: "First", Date: t0.Format(time.RFC3339),
		ContentType: "text/plain; charset=utf-8", Body: "one\ntwo\n", MessageIDDomain: "hum.example",
		Extra: map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if diff := cmp.Diff(wantMsg, gotMsg); diff != "" {
		t.Errorf("rendered message (-want +got):\n%s", diff)
	}

	if got, _ := List(ctx, d, "queued", 1); len(got) != 1 || got[0].Subject != "Second" {
		t.Errorf("List(queued, 1) = %v, want only the newest", got)
	}
	if got, _ := List(ctx, d, "sent", 10); len(got) != 0 {
		t.Errorf("List(sent) = %v, want none", got)
	}

	one, err := Get(ctx, d, all[1].ID)
	if err != nil || one.Subject != "First" || !bytes.Equal(one.Raw, all[1].Raw) {
		t.Errorf("Get(%d) = %v, %v", all[1].ID, one, err)
	}
	if _, err := Get(ctx, d, all[0].ID+100); fail.KindOf(err) != fail.NotFound {
		t.Errorf("Get of a missing message: %v, want kind not_found", err)
	}
}

func TestQueueIsPartOfTheTransaction(t *testing.T) {
	ctx := context.Background()
	d, _ := newDB(t)
	o := &Outbox{Name: "hum"}
	boom := errors.New("boom")
	err := d.Write(ctx, func(tx *db.Tx) error {
		if err := o.Queue(ctx, tx, Message{From: "a@hum.example", To: []string{"b@example.org"}, Subject: "x", Body: "y"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v", err)
	}
	if got, _ := List(ctx, d, "", 10); len(got) != 0 {
		t.Errorf("a message queued in a rolled-back transaction is in the outbox: %v", got)
	}
}

func TestRenderKeepsHeadersIntact(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Message
		from string
	}{
		{"subject with CRLF", Message{From: "a@hum.example", To: []string{"b@example.org"}, Subject: "Hi\r\nBcc: evil@example.net"}, "hum"},
		{"subject with LF", Message{From: "a@hum.example", To: []string{"b@example.org"}, Subject: "Hi\nBcc: evil@example.net"}, "hum"},
		{"name with CRLF", Message{From: "a@hum.example", To: []string{"b@example.org"}, Subject: "Hi"}, "hum\r\nBcc: evil@example.net"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := Render(tc.m, tc.from, t0)
			if err != nil {
				t.Fatal(err)
			}
			e, err := message.Read(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if e.Header.Has("Bcc") {
				t.Errorf("a CR or LF injected a header:\n%s", raw)
			}
			to := e.Header.Get("To")
			if to != "<b@example.org>" {
				t.Errorf("To = %q", to)
			}
		})
	}
}

func TestQueuedString(t *testing.T) {
	q := Queued{ID: 7, Subject: "Hi", To: []string{"a@example.org"}, State: "queued"}
	if got, want := q.String(), `outbox #7 "Hi" to [a@example.org] (queued)`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// A message sent for a person carries their name, and the thread headers
// it is given: a consensus call's post knows its own Message-Id, and its
// outcome replies to it.
func TestRenderFromNameAndThreadHeaders(t *testing.T) {
	m := Message{From: "chair@example.org", FromName: "Chris Chair", To: []string{"idr@hum.example"}, Subject: "Re: Call",
		Headers: map[string]string{"Message-Id": "<call-1.x@hum.example>", "In-Reply-To": "<call-0@hum.example>", "References": "<call-0@hum.example>"}}
	raw, err := Render(m, "hum", t0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"From": `"Chris Chair" <chair@example.org>`, "Message-Id": "<call-1.x@hum.example>",
		"In-Reply-To": "<call-0@hum.example>", "References": "<call-0@hum.example>"} {
		if got := e.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if n := bytes.Count(bytes.ToLower(raw), []byte("\nmessage-id:")); n != 1 {
		t.Errorf("%d Message-Id headers:\n%s", n, raw)
	}
	// Without a name, the sender's.
	m.FromName = ""
	raw, _ = Render(m, "hum", t0)
	if e, _ := message.Read(bytes.NewReader(raw)); e.Header.Get("From") != `"hum" <chair@example.org>` && e.Header.Get("From") != `hum <chair@example.org>` {
		t.Errorf("From without a name = %q", e.Header.Get("From"))
	}
}
