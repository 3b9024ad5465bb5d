package appeals_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/appeals"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is a small standards body with the appeals service: the IESG, the
// IAB, the IETF and its Chair, the secretariat, the sec area with its AD,
// the tls WG with its chair, an IAB member and two participants; lists
// exist, so announcements are list posts.
type env struct {
	t    testing.TB
	ctx  context.Context
	db   *db.DB
	now  time.Time
	body *testbody.Body
	s    *appeals.Service
}

const facts = "The chairs declared consensus to adopt the draft although three participants objected on the list and none of the objections was answered."

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, ctx: context.Background(), db: d, now: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, d)
	e.body.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "ietf", Name: "Internet Engineering Task Force", Type: "ietf"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "tls", Name: "Transport Layer Security", Type: "wg", Parent: "sec"},
	)
	e.body.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "sec"},
		testbody.Person{Email: "oad@example.org", Name: "Otto Otherad", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "tls"},
		testbody.Person{Email: "ic@example.org", Name: "Ivan Chair", Role: "chair", Group: "ietf"},
		testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "kim@example.org", Name: "Kim Other"},
	)
	outbox := &mail.Outbox{Name: "hum"}
	ls := &lists.Service{DB: d, Mail: outbox, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(e.ctx); err != nil {
		t.Fatal(err)
	}
	ds := &docs.Service{DB: d, Groups: e.body.Groups, Mail: ls.Router(outbox), BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &appeals.Service{DB: d, Groups: e.body.Groups, Docs: ds, Mail: ls.Router(outbox), BaseURL: "http://hum.test", Domain: "hum.test"}
	return e
}

// as is a person acting, with their roles.
func (e *env) as(email string) groups.Actor {
	e.t.Helper()
	a, err := e.body.Groups.ActorOf(e.ctx, record.Actor{ID: e.body.IDs[email], Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// decision records a decision on the record: the document (made in tls
// if new) gets an event of kind by who, and its id is returned.
func (e *env) decision(doc, kind, who, summary string) int64 {
	e.t.Helper()
	var id int64
	err := e.db.Write(e.ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(e.ctx, `INSERT INTO doc (name, type, title, group_id, state, created, updated)
			VALUES ($1, 'draft', 'A draft', (SELECT id FROM grp WHERE acronym = 'tls'), 'active', $2, $2) ON CONFLICT (name) DO NOTHING`, doc, tx.Now); err != nil {
			return err
		}
		if err := record.Add(e.ctx, tx, record.Actor{ID: e.body.IDs[who], Name: who}, "doc", doc, kind, summary, ""); err != nil {
			return err
		}
		return tx.QueryRowContext(e.ctx, `SELECT MAX(id) FROM event`).Scan(&id)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// file files an appeal of event ev by pat.
func (e *env) file(ev int64, f appeals.Filing) (int64, error) {
	if f.Decision == "" {
		f.Decision = "http://hum.test/doc/draft-x/history/#event-" + strconv.FormatInt(ev, 10)
	}
	if f.Facts == "" {
		f.Facts = facts
	}
	if f.Remedy == "" {
		f.Remedy = "Reopen the call for adoption."
	}
	return e.s.File(e.ctx, e.as("pat@example.org"), f)
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// refused checks err is a fail.Error citing rule (when given) whose
// message holds each of texts.
func refused(t *testing.T, err error, rule string, texts ...string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok {
		t.Fatalf("want a refusal citing %q, got %v", rule, err)
	}
	if rule != "" && fe.Rule != rule {
		t.Fatalf("refusal cites %q, want %q: %v", fe.Rule, rule, err)
	}
	for _, s := range texts {
		if !strings.Contains(err.Error(), s) {
			t.Fatalf("refusal %q lacks %q", err.Error(), s)
		}
	}
}

// count is the number of rows q counts.
func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	e.must(e.db.QueryRowContext(e.ctx, q, args...).Scan(&n))
	return n
}

// posts is the number of posts to list whose subject holds s.
func (e *env) posts(list, s string) int {
	return e.count(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = $1 AND p.subject LIKE $2`, list, "%"+s+"%")
}
