package mail

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// smarthost is a real SMTP server that records what it accepts. reply,
// when set, decides the answer to DATA, so tests can make it defer (4xx)
// or refuse (5xx).
type smarthost struct {
	mu    sync.Mutex
	got   []delivery
	reply error
	sent  chan struct{}
}

type delivery struct {
	From    string
	To      []string
	Subject string
}

func (h *smarthost) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{h: h}, nil }

func (h *smarthost) setReply(err error) {
	h.mu.Lock()
	h.reply = err
	h.mu.Unlock()
}

func (h *smarthost) deliveries() []delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]delivery(nil), h.got...)
}

type session struct {
	h    *smarthost
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	if s.h.reply != nil {
		return s.h.reply
	}
	subject := ""
	for _, line := range strings.Split(string(raw), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Subject: "); ok {
			subject = v
		}
	}
	s.h.got = append(s.h.got, delivery{s.from, s.to, subject})
	if s.h.sent != nil {
		s.h.sent <- struct{}{}
	}
	return nil
}

func startSmarthost(t *testing.T) (*smarthost, string) {
	t.Helper()
	h := &smarthost{}
	srv := smtp.NewServer(h)
	srv.Domain = "smarthost.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return h, l.Addr().String()
}

var quiet = slog.New(slog.DiscardHandler)

func msg(subject string, to ...string) Message {
	return Message{From: "noreply@hum.example", To: to, Subject: subject, Body: "Hello.\n"}
}

// state is the part of an outbox row that delivery changes.
type state struct {
	State       string
	Attempts    int
	NextAttempt time.Time
	Sent        *time.Time
	LastError   string
}

func stateOf(t *testing.T, d *db.DB, id int64) state {
	t.Helper()
	q, err := Get(context.Background(), d, id)
	if err != nil {
		t.Fatal(err)
	}
	return state{q.State, q.Attempts, q.NextAttempt, q.Sent, q.LastError}
}

func onlyID(t *testing.T, d *db.DB) int64 {
	t.Helper()
	qs, err := List(context.Background(), d, "", 10)
	if err != nil || len(qs) != 1 {
		t.Fatalf("outbox holds %v, %v; want one message", qs, err)
	}
	return qs[0].ID
}

func ptr[T any](v T) *T { return &v }

func TestSenderDelivers(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	d, _ := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Welcome", "ada@example.org", "bob@example.org"))
	id := onlyID(t, d)

	s := NewSender(d, addr, "hum.example", quiet)
	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	want := []delivery{{"noreply@hum.example", []string{"ada@example.org", "bob@example.org"}, "Welcome"}}
	if diff := cmp.Diff(want, h.deliveries()); diff != "" {
		t.Errorf("smarthost received (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state{"sent", 1, t0, ptr(t0), ""}, stateOf(t, d, id)); diff != "" {
		t.Errorf("outbox row (-want +got):\n%s", diff)
	}
	if s.sendOne(ctx) {
		t.Error("sendOne sent again after the only message was delivered")
	}
	if n := len(h.deliveries()); n != 1 {
		t.Errorf("smarthost received %d messages, want 1", n)
	}
}

func TestSenderRetriesWithBackoffOn4xx(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	h.setReply(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"})
	d, c := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Deferred", "ada@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, addr, "hum.example", quiet)

	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	first := stateOf(t, d, id)
	want := state{State: "queued", Attempts: 1, NextAttempt: t0.Add(20 * time.Second), LastError: "SMTP error 451: try again later"}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Fatalf("after a 451 (-want +got):\n%s", diff)
	}

	// Not due yet: nothing is tried.
	c.now = t0.Add(19 * time.Second)
	if s.sendOne(ctx) {
		t.Error("sendOne retried before next_attempt")
	}
	if got := stateOf(t, d, id); got.Attempts != 1 {
		t.Errorf("attempts = %d before the retry is due, want 1", got.Attempts)
	}

	// Due and deferred again: the backoff grows.
	c.now = t0.Add(20 * time.Second)
	if !s.sendOne(ctx) {
		t.Fatal("sendOne did not retry a due message")
	}
	second := stateOf(t, d, id)
	if second.State != "queued" || second.Attempts != 2 || !second.NextAttempt.After(first.NextAttempt) ||
		second.NextAttempt.Sub(c.now) <= first.NextAttempt.Sub(t0) {
		t.Errorf("after a second 451: %+v; want queued, 2 attempts and a longer wait than %v", second, first.NextAttempt.Sub(t0))
	}

	// The smarthost recovers.
	h.setReply(nil)
	c.now = second.NextAttempt
	if !s.sendOne(ctx) {
		t.Fatal("sendOne did not retry a due message")
	}
	if got := stateOf(t, d, id); got.State != "sent" || got.Attempts != 3 || got.LastError != "" {
		t.Errorf("after delivery: %+v; want sent after 3 attempts, no error", got)
	}
	if n := len(h.deliveries()); n != 1 {
		t.Errorf("smarthost received %d messages, want 1", n)
	}
}

func TestSenderFailsOn5xx(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	h.setReply(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"})
	d, c := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Refused", "nobody@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, addr, "hum.example", quiet)

	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	want := state{State: "failed", Attempts: 1, NextAttempt: t0, LastError: "SMTP error 550: no such user"}
	if diff := cmp.Diff(want, stateOf(t, d, id)); diff != "" {
		t.Errorf("after a 550 (-want +got):\n%s", diff)
	}
	h.setReply(nil)
	c.now = t0.Add(24 * time.Hour)
	if s.sendOne(ctx) {
		t.Error("a failed message was tried again")
	}
}

func TestSenderGivesUpAfterMaxTries(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	h.setReply(&smtp.SMTPError{Code: 421, Message: "busy"})
	d, c := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Busy", "ada@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, addr, "hum.example", quiet)
	s.MaxTries = 3
	for i := 1; i <= 3; i++ {
		if !s.sendOne(ctx) {
			t.Fatalf("try %d: nothing to send", i)
		}
		c.now = stateOf(t, d, id).NextAttempt
	}
	if got := stateOf(t, d, id); got.State != "failed" || got.Attempts != 3 {
		t.Errorf("after 3 temporary failures with MaxTries 3: %+v, want failed", got)
	}
}

func TestSenderDefersWhenSmarthostIsDown(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here now
	d, _ := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Down", "ada@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, addr, "hum.example", quiet)
	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	if got := stateOf(t, d, id); got.State != "queued" || got.Attempts != 1 || !got.NextAttempt.After(t0) || got.LastError == "" {
		t.Errorf("with the smarthost down: %+v; want queued for a later retry, with the error", got)
	}
}

// A smarthost that drops the connection instead of answering QUIT has
// still accepted the message: it must not be sent a second time.
func TestSenderAcceptedMessageIsNotResentWhenQuitFails(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepted := make(chan int, 4)
	go func() {
		for n := 0; ; n++ {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			rudeSMTP(conn, n, accepted)
		}
	}()
	d, c := newDB(t)
	queue(t, d, &Outbox{Name: "hum"}, msg("Once", "ada@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, l.Addr().String(), "hum.example", quiet)
	s.sendOne(ctx)
	if got := stateOf(t, d, id); got.State != "sent" {
		t.Errorf("after the smarthost accepted the message: %+v, want sent", got)
	}
	c.now = t0.Add(time.Hour)
	s.sendOne(ctx)
	close(accepted)
	n := 0
	for range accepted {
		n++
	}
	if n != 1 {
		t.Errorf("the smarthost accepted the message %d times, want 1", n)
	}
}

// rudeSMTP speaks just enough SMTP to accept one message, then hangs up
// on QUIT without the 221.
func rudeSMTP(conn net.Conn, n int, accepted chan<- int) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	fmt.Fprintf(conn, "220 rude.test ESMTP\r\n")
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if inData {
			if line == "." {
				inData = false
				accepted <- n
				fmt.Fprintf(conn, "250 2.0.0 queued\r\n")
			}
			continue
		}
		switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
		case "EHLO", "HELO":
			fmt.Fprintf(conn, "250 rude.test\r\n")
		case "MAIL", "RCPT", "RSET", "NOOP":
			fmt.Fprintf(conn, "250 2.0.0 ok\r\n")
		case "DATA":
			inData = true
			fmt.Fprintf(conn, "354 go ahead\r\n")
		case "QUIT":
			return
		default:
			fmt.Fprintf(conn, "502 5.5.1 what?\r\n")
		}
	}
}

// Two hum processes on one database each run a Sender: every message is
// delivered exactly once.
func TestTwoSendersNeverDeliverOneMessageTwice(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	dsn := dbtest.DSN(t)
	open := func() *db.DB {
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		d.Now = func() time.Time { return t0 }
		return d
	}
	d1, d2 := open(), open()
	if _, err := d1.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 30
	o := &Outbox{Name: "hum"}
	var want []string
	for i := range n {
		subject := fmt.Sprintf("message %02d", i)
		queue(t, d1, o, msg(subject, "ada@example.org"))
		want = append(want, subject)
	}

	var wg sync.WaitGroup
	for _, d := range []*db.DB{d1, d2} {
		s := NewSender(d, addr, "hum.example", quiet)
		wg.Go(func() {
			for {
				if s.sendOne(ctx) {
					continue
				}
				var left int
				if err := d.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'queued'`).Scan(&left); err != nil || left == 0 {
					return
				}
			}
		})
	}
	wg.Wait()

	var got []string
	for _, dl := range h.deliveries() {
		got = append(got, dl.Subject)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("delivered subjects (-want +got):\n%s", diff)
	}
	if sent, _ := List(ctx, d1, "sent", 100); len(sent) != n {
		t.Errorf("%d messages are marked sent, want %d", len(sent), n)
	}
}

func TestRunDeliversWhenWoken(t *testing.T) {
	h, addr := startSmarthost(t)
	h.sent = make(chan struct{}, 1)
	d, _ := newDB(t)
	s := NewSender(d, addr, "hum.example", quiet)
	s.Poll = time.Hour // only Wake can make it look again
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	// The outbox wakes the Sender once the message is committed: woken
	// earlier, it could not see the message on PostgreSQL.
	queue(t, d, &Outbox{Name: "hum", Notify: s.Wake}, msg("Woken", "ada@example.org"))
	select {
	case <-h.sent:
	case <-time.After(30 * time.Second):
		t.Fatal("a woken Sender did not deliver within 30s")
	}
	cancel()
	<-done
	if got := h.deliveries(); len(got) != 1 || got[0].Subject != "Woken" {
		t.Errorf("delivered %+v", got)
	}
}

func TestWakeWithoutRunNeverBlocks(t *testing.T) {
	s := NewSender(nil, "", "", quiet)
	for range 3 {
		s.Wake()
	}
	(&Sender{}).Wake()
}

func TestSplitAddrs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a@example.org", []string{"a@example.org"}},
		{"a@example.org,b@example.org", []string{"a@example.org", "b@example.org"}},
		{",a@example.org,,", []string{"a@example.org"}},
	} {
		if diff := cmp.Diff(tc.want, splitAddrs(tc.in)); diff != "" {
			t.Errorf("splitAddrs(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// db.DB.Now may be replaced by a clock in any zone; the outbox compares
// times in SQL, so the Sender must use the same zone as db.Tx (UTC).
func TestSenderWithAClockInAnotherZone(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	d, _ := newDB(t)
	d.Now = func() time.Time { return t0.In(time.FixedZone("EST", -5*3600)) }
	queue(t, d, &Outbox{Name: "hum"}, msg("Zoned", "ada@example.org"))
	id := onlyID(t, d)
	s := NewSender(d, addr, "hum.example", quiet)
	if !s.sendOne(ctx) {
		t.Fatal("a due message was not sent when the clock is not in UTC")
	}
	if got := stateOf(t, d, id); got.State != "sent" || got.Sent == nil || !got.Sent.Equal(t0) {
		t.Errorf("outbox row %+v, want sent at %v", got, t0)
	}
	if n := len(h.deliveries()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
}
