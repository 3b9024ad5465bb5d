package people_test

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	base = "https://hum.example"
	pw   = "correct horse battery"
)

// cheap keeps -race fast; one test checks DefaultArgon2 on its own.
var cheap = testbody.Cheap

type env struct {
	t   *testing.T
	ctx context.Context
	d   *db.DB
	s   *people.Service
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), d: dbtest.New(t), now: t0}
	e.d.Now = func() time.Time { return e.now }
	e.s = testbody.New(t, e.d).People
	e.s.BaseURL, e.s.From = base, "noreply@hum.example"
	return e
}

// sent is a queued message as its recipient reads it.
type sent struct {
	To      string
	Subject string
	Body    string
}

// outbox returns every queued message, oldest first.
func (e *env) outbox() []sent {
	e.t.Helper()
	qs, err := mail.List(e.ctx, e.d, "", 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []sent
	for i := len(qs) - 1; i >= 0; i-- {
		m, err := message.Read(bytes.NewReader(qs[i].Raw))
		if err != nil {
			e.t.Fatal(err)
		}
		h := gomail.Header{Header: m.Header}
		subject, _ := h.Subject()
		body, _ := io.ReadAll(m.Body)
		out = append(out, sent{To: qs[i].To[0], Subject: subject, Body: string(body)})
	}
	return out
}

// lastMail returns the newest queued message, which must go to addr.
func (e *env) lastMail(addr string) sent {
	e.t.Helper()
	all := e.outbox()
	if len(all) == 0 {
		e.t.Fatalf("no mail was queued (want one to %s)", addr)
	}
	m := all[len(all)-1]
	if m.To != addr {
		e.t.Fatalf("the last mail went to %s, want %s", m.To, addr)
	}
	return m
}

var linkRE = regexp.MustCompile(regexp.QuoteMeta(base) + `(/accounts/[a-z]+/confirm/)([A-Za-z0-9_-]+)/`)

// secret extracts the secret of the link in m, checking its path.
func (e *env) secret(m sent, path string) string {
	e.t.Helper()
	all := linkRE.FindAllStringSubmatch(m.Body, -1)
	if len(all) != 1 {
		e.t.Fatalf("mail %q has %d confirmation links, want 1:\n%s", m.Subject, len(all), m.Body)
	}
	if all[0][1] != path {
		e.t.Fatalf("link path %s, want %s", all[0][1], path)
	}
	return all[0][2]
}

// account makes an account through the mailed link and returns it.
func (e *env) account(addr, name string) people.Person {
	e.t.Helper()
	if err := e.s.StartAccount(e.ctx, addr); err != nil {
		e.t.Fatal(err)
	}
	secret := e.secret(e.lastMail(addr), "/accounts/create/confirm/")
	p, err := e.s.FinishAccount(e.ctx, secret, name, pw)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// kinds lists the kinds of the events about a person, oldest first.
func (e *env) kinds(personID int64) []string {
	e.t.Helper()
	evs, err := record.List(e.ctx, e.d, "person", record.SubjectID(personID), 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var ks []string
	for i := len(evs) - 1; i >= 0; i-- {
		ks = append(ks, evs[i].Kind)
	}
	return ks
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
