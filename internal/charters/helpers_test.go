package charters_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"hum/internal/aliases"
	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is a small standards body with the chartering service: the IESG,
// the IAB and the IETF with its Chair (the General AD), the secretariat,
// the art and rtg areas with their ADs, httpbis (an active WG of art
// with an approved charter, chaired by Chris) and newbof (a BOF in art);
// its lists exist, so announcements are list posts.
type env struct {
	t    testing.TB
	ctx  context.Context
	db   *db.DB
	now  time.Time
	body *testbody.Body
	ls   *lists.Service
	s    *charters.Service
}

var t0 = time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, ctx: context.Background(), db: d, now: t0}
	d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, d)
	e.body.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "ietf", Name: "Internet Engineering Task Force", Type: "ietf"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "newbof", Name: "A New Idea", Type: "wg", Parent: "art", State: "bof"},
		groups.NewGroup{Acronym: "irtfrg", Name: "A Research Group", Type: "rg"},
	)
	e.body.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "oad@example.org", Name: "Otto Otherad", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "ic@example.org", Name: "Ivan Chair", Role: "chair", Group: "ietf"},
		testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	if _, err := e.body.Groups.ReviseCharter(e.ctx, groups.Operator(record.System), "httpbis", "The HTTP WG maintains HTTP/1.1 and HTTP/2.", "approved long ago"); err != nil {
		t.Fatal(err)
	}
	outbox := &mail.Outbox{Name: "hum"}
	e.ls = &lists.Service{DB: d, Mail: outbox, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := e.ls.Ensure(e.ctx); err != nil {
		t.Fatal(err)
	}
	// As app.New: iesg@ and iab@ are aliases, expanded when mail is sent.
	as := &aliases.Service{DB: d, Lists: e.ls, Outbox: outbox, Domain: "hum.test"}
	e.s = &charters.Service{DB: d, Groups: e.body.Groups, Lists: e.ls, Mail: as.Router(e.ls.Router(outbox)), BaseURL: "http://hum.test", Domain: "hum.test"}
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

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) later(d time.Duration) { e.now = e.now.Add(d) }

func (e *env) get(name string) charters.Charter {
	e.t.Helper()
	c, err := e.s.Get(e.ctx, name)
	e.must(err)
	return c
}

func (e *env) groupState(acronym string) string {
	e.t.Helper()
	g, err := e.body.Groups.Get(e.ctx, acronym)
	e.must(err)
	return g.State
}

// count runs a COUNT query.
func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	e.must(e.db.QueryRowContext(e.ctx, q, args...).Scan(&n))
	return n
}

// version is the newest event's id: a refused change must not move it.
func (e *env) version() int64 {
	e.t.Helper()
	v, err := record.Version(e.ctx, e.db)
	e.must(err)
	return v
}

// posts are the subjects posted to a list, oldest first.
func (e *env) posts(list string) []string {
	e.t.Helper()
	ss, err := db.Query(e.ctx, e.db, db.Scalar[string], `SELECT p.subject FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = $1 ORDER BY p.id`, list)
	e.must(err)
	return ss
}

// outbox is the mail queued for people, oldest first; To is whom it
// is delivered to.
func (e *env) outbox() []mail.Queued {
	e.t.Helper()
	ms, err := mail.List(e.ctx, e.db, "", 1000)
	e.must(err)
	slices.Reverse(ms)
	return ms
}

// checkAddresses: every address hum queued mail to is a person's address
// hum holds, and nothing went to an address of hum's own domain, which
// would be one hum refuses (its lists take their posts directly).
func (e *env) checkAddresses() {
	e.t.Helper()
	for _, m := range e.outbox() {
		for _, to := range m.To {
			if strings.HasSuffix(to, "@hum.test") {
				e.t.Errorf("%q was queued to %s, an address of hum's that is not a list", m.Subject, to)
				continue
			}
			if e.count(`SELECT COUNT(*) FROM email WHERE address = $1`, to) != 1 {
				e.t.Errorf("%q was queued to %s, which is nobody's address", m.Subject, to)
			}
		}
	}
}

// wantRule checks err is a refusal of kind k naming rule.
func wantRule(t testing.TB, what string, err error, k fail.Kind, rule string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok || fe.Kind != k || fe.Rule != rule {
		t.Errorf("%s: %v, want %s naming %q", what, err, k, rule)
	}
}

// position takes an AD's position on the charter's open ballot.
func (e *env) position(who, name, pos string) {
	e.t.Helper()
	e.must(e.s.SetPosition(e.ctx, e.as(who), name, charters.PositionChange{Pos: pos}))
}
