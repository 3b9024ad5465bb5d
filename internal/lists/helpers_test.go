package lists

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

// memArchive is a tiny in-memory Archiver.
type memArchive struct {
	mu   sync.Mutex
	msgs map[string][]byte
}

func (a *memArchive) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.msgs == nil {
		a.msgs = map[string][]byte{}
	}
	id := fmt.Sprintf("m%d", len(a.msgs)+1)
	a.msgs[id] = raw
	return id, false, nil
}

// dns is a resolver with fixed answers.
type dns struct {
	txt map[string][]string
}

var errNX = &net.DNSError{Err: "no such host", IsNotFound: true}

func (d dns) LookupTXT(_ context.Context, name string) ([]string, error) {
	if v, ok := d.txt[strings.TrimSuffix(strings.ToLower(name), ".")]; ok {
		return v, nil
	}
	return nil, errNX
}
func (d dns) LookupMX(context.Context, string) ([]*net.MX, error)        { return nil, errNX }
func (d dns) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) { return nil, errNX }
func (d dns) LookupAddr(context.Context, string) ([]string, error)       { return nil, errNX }

// sink is a smarthost that keeps what it gets, and refuses addresses
// listed in reject with a 550, and every MAIL FROM while refuseMail is set.
// accepting, when set, runs at the end of each message's data, before
// the 250, with the number of messages taken so far, this one included.
type sink struct {
	mu         sync.Mutex
	got        []sunk
	begun      int // messages whose data began
	reject     map[string]bool
	refuseMail atomic.Bool
	addr       string
	conns      int
	accepting  func(n int)
}

type sunk struct {
	from, to string
	data     string
}

type sinkSession struct {
	s        *sink
	from, to string
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	return &sinkSession{s: s}, nil
}
func (ss *sinkSession) Reset()        {}
func (ss *sinkSession) Logout() error { return nil }
func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.refuseMail.Load() {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "relaying denied"}
	}
	ss.from = from
	return nil
}
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	ss.to = to
	return nil
}
func (ss *sinkSession) Data(r io.Reader) error {
	ss.s.mu.Lock()
	ss.s.begun++
	ss.s.mu.Unlock()
	b, _ := io.ReadAll(r)
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, sunk{ss.from, ss.to, string(b)})
	n, hook := len(ss.s.got), ss.s.accepting
	ss.s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}

// progress returns how many messages' data began, and how many were taken.
func (s *sink) progress() (begun, taken int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.begun, len(s.got)
}

func (s *sink) received() []sunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunk(nil), s.got...)
}

// waitFor polls until the sink holds n messages, then lets the
// Deliverer settle, so that what it returns is all the sink gets: a
// copy beyond the n-th shows here, not in a later test.
func (e *env) waitFor(n int) []sunk {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.sink.received()) < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("sink got %d messages, want %d", len(e.sink.received()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.settle()
	return e.sink.received()
}

// settle waits until the Deliverer has nothing it may send now (no copy
// in flight, none due and free), and then until a lease pass that began
// after that has ended: a copy the workers would wrongly take in this
// state is then leased, and settle fails. Copies waiting out a backoff,
// or leased by another live worker, are left where they are.
func (e *env) settle() {
	e.t.Helper()
	waitUntil(e.t, func() bool { return e.sendable() == 0 })
	began := e.deliverer.passes.began.Load()
	waitUntil(e.t, func() bool { return e.deliverer.passes.ended.Load() > began })
	if n := e.sendable(); n != 0 {
		e.t.Fatalf("%d copies leased or due after the Deliverer had settled", n)
	}
}

// sendable counts the copies the Deliverer holds or may lease now, by
// the rules of Deliverer.lease and leaseChunk, and the posts whose copies
// are still to be queued (fanout.go), which it will send. A copy a chunk
// holds has no lease of its own: it counts until it is marked sent.
func (e *env) sendable() int {
	now := e.db.Now().UTC()
	return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'queued' AND (claimed_by = $1
		OR (next_attempt <= $2 AND `+freeClaim("$2", "$3")+` AND id NOT IN (SELECT delivery_id FROM delivery_sent)))`,
		e.deliverer.hb.id, now, now.Add(-staleAfter)) + e.count(`SELECT COUNT(*) FROM list_post WHERE fanout_after IS NOT NULL`)
}

func startSink(t testing.TB) *sink {
	s := &sink{reject: map[string]bool{}}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// env is a standards body with one WG list, an endpoint on a socket and
// a Deliverer sending to a sink.
type env struct {
	t       testing.TB
	db      *db.DB
	lists   *Service
	body    *testbody.Body // the standards body, to add to it
	people  *people.Service
	groups  *groups.Service
	archive *memArchive
	sink    *sink
	smtp    string // endpoint address
	dns     dns
	chair   people.Person
	// deliverer sends to sink (or the smarthost of newEnvTo)
	deliverer *Deliverer
	smarthost string
}

const domain = "hum.test"

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvTo(t, "")
}

// newEnvTo is newEnv with the Deliverer sending to smarthost, when not "".
func newEnvTo(t *testing.T, smarthost string) *env {
	t.Helper()
	return newEnvWith(t, smarthost, true)
}

// newQuietEnv is newEnv with no Deliverer running: posts stay as the 250
// left them until the test expands or sends them.
func newQuietEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, "", false)
}

func newEnvWith(t testing.TB, smarthost string, deliver bool) *env {
	t.Helper()
	d := dbtest.New(t)
	ctx := context.Background()
	b := testbody.New(t, d)
	outbox := &mail.Outbox{Name: "hum"}
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "art", Name: "ART", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
	)
	chair := b.Add("chair@example.org", "Chris Chair")
	b.Grant("httpbis", "chair", chair.ID, "chair@example.org")
	e := &env{t: t, db: d, body: b, people: b.People, groups: b.Groups, archive: &memArchive{}, chair: chair}
	e.dns = dns{txt: map[string][]string{
		// 127.0.0.1 may send for example.org and strict.example; others not.
		"example.org":           {"v=spf1 ip4:127.0.0.1 -all"},
		"_dmarc.example.org":    {"v=DMARC1; p=none"},
		"strict.example":        {"v=spf1 ip4:127.0.0.1 -all"},
		"_dmarc.strict.example": {"v=DMARC1; p=reject"},
		"forged.example":        {"v=spf1 ip4:192.0.2.1 -all"},
		"_dmarc.forged.example": {"v=DMARC1; p=quarantine"},
		// SPF fails and there is no DMARC record: forged all the same.
		// nodmarc.example publishes nothing: not verified, not forged.
		"spffail.example": {"v=spf1 ip4:192.0.2.1 -all"},
	}}
	e.sink = startSink(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.lists = &Service{DB: d, Archive: e.archive, Mail: outbox, Domain: domain, BaseURL: "https://hum.test"}
	if smarthost == "" {
		smarthost = e.sink.addr
	}
	e.smarthost = smarthost
	if deliver {
		e.startDeliverer()
	}
	if err := e.lists.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.smtp = ln.Addr().String()
	ep := &mail.Endpoint{Hostname: domain, Target: e.lists, Checker: &mail.Checker{Hostname: domain, Resolver: e.dns}, Log: log}
	go ep.Serve(ln)
	t.Cleanup(func() { ep.Close() })
	return e
}

// startDeliverer starts the env's Deliverer, sending to its smarthost.
func (e *env) startDeliverer() {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dl := &Deliverer{Lists: e.lists, Smarthost: e.smarthost, Hello: domain, Log: log, Poll: 50 * time.Millisecond, Backoff: 10 * time.Millisecond, Digests: -1}
	e.deliverer = dl
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { dl.Run(rctx); close(done) }()
	e.t.Cleanup(func() { cancel(); <-done })
}

func (e *env) subscribe(list string, addrs ...string) {
	e.t.Helper()
	for _, a := range addrs {
		if _, err := e.lists.Subscribe(context.Background(), record.System, list, a, ModeEach); err != nil {
			e.t.Fatal(err)
		}
	}
}

// send speaks SMTP to the endpoint and returns the error of the first
// command refused (an *smtp.SMTPError), or nil after a 250 to the data.
func (e *env) send(from string, to []string, msg string, check ...func()) error {
	e.t.Helper()
	c, err := smtp.Dial(e.smtp)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example.org"); err != nil {
		return err
	}
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(msg))}); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	io.WriteString(w, strings.ReplaceAll(msg, "\n", "\r\n"))
	if err := w.Close(); err != nil {
		return err
	}
	for _, f := range check {
		f() // runs right after the 250
	}
	c.Quit()
	return nil
}

func code(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	if err != nil {
		return -1
	}
	return 250
}

func msgText(from, subject, extra, body string) string {
	return "From: " + from + "\nTo: httpbis@hum.test\nSubject: " + subject + "\nMessage-ID: <" + strings.ReplaceAll(subject, " ", "-") + "@example.org>\nDate: Thu, 26 Nov 2026 12:00:00 +0000\n" + extra + "\n" + body + "\n"
}

// as is who acting, with their roles, as web hands them to lists.
func (e *env) as(who record.Actor) groups.Actor {
	e.t.Helper()
	a, err := e.groups.ActorOf(context.Background(), who)
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

// outboxTo returns the queued mail to addr.
func (e *env) outboxTo(addr string) []mail.Queued {
	e.t.Helper()
	qs, err := mail.List(context.Background(), e.db, "", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []mail.Queued
	for _, q := range qs {
		for _, to := range q.To {
			if to == addr {
				out = append(out, q)
			}
		}
	}
	return out
}

func header(data, name string) string {
	i := strings.Index(data, "\r\n\r\n")
	if i < 0 {
		i = len(data)
	}
	for _, ln := range strings.Split(strings.ReplaceAll(data[:i], "\r\n ", " "), "\r\n") {
		if k, v, ok := strings.Cut(ln, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func waitUntil(t testing.TB, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
