package consensus_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/consensus"
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

// env is the consensus service on a fresh database with the real lists,
// archive and documents services behind it, a clock the test moves, and
// a small standards body: WGs idr and quic with chairs, the secretariat,
// and a participant.
type env struct {
	t       *testing.T
	db      *db.DB
	s       *consensus.Service
	docs    *docs.Service
	archive *archive.Service
	body    *testbody.Body
	now     time.Time
	replies int
}

type archiver struct{ s *archive.Service }

func (a archiver) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	b := testbody.New(t, d)
	e.body = b
	b.AddGroups(
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "rtg"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "qchair@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	e.archive = &archive.Service{DB: d}
	ls := &lists.Service{DB: d, Archive: archiver{e.archive}, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	ctx := context.Background()
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	router := ls.Router(&mail.Outbox{Name: "hum"})
	e.docs = &docs.Service{DB: d, Groups: b.Groups, Mail: router, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &consensus.Service{DB: d, Groups: b.Groups, Docs: e.docs, Archive: e.archive, Mail: router, BaseURL: "http://hum.test", Domain: "hum.test"}
	return e
}

// by is a person acting, as the web layer builds them.
func (e *env) by(email string) groups.Actor {
	e.t.Helper()
	a, err := e.body.Groups.ActorOf(context.Background(), record.Actor{ID: e.body.IDs[email], Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// draft stores an individual draft with revisions 00..last.
func (e *env) draft(name string, last int) {
	e.t.Helper()
	var id int64
	if err := e.db.QueryRow(`INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ($1, 'draft', $2, $3, 'active', $4, $4) RETURNING id`,
		name, fmt.Sprintf("%02d", last), "A draft", e.now).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	for r := 0; r <= last; r++ {
		if _, err := e.db.Exec(`INSERT INTO doc_rev (doc_id, rev, title, posted) VALUES ($1, $2, 'A draft', $3)`, id, fmt.Sprintf("%02d", r), e.now); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *env) doc(name string) docs.Document {
	e.t.Helper()
	d, err := e.docs.Get(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// reply archives a reply to the call on its list, as a plain mail would
// arrive, and returns its Message-Id.
func (e *env) reply(c consensus.Call, from, body string) string {
	e.t.Helper()
	e.replies++
	id := fmt.Sprintf("reply-%d", e.replies)
	raw := fmt.Sprintf("From: %s\r\nTo: %s@hum.test\r\nSubject: Re: call\r\nMessage-ID: <%s@example.com>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nDate: %s\r\n\r\n%s\r\n",
		from, c.List, id, c.MessageID, c.MessageID, e.now.Format(time.RFC1123Z), body)
	if err := e.db.Write(context.Background(), func(tx *db.Tx) error {
		_, err := e.archive.Add(context.Background(), tx, c.List, []byte(raw))
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return id + "@example.com"
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// unchanged runs f and checks that it changed no table people act on.
func (e *env) unchanged(what string, f func() error) error {
	e.t.Helper()
	tables := []string{"event", "consensus_call", "consensus_note", "consensus_issue", "list_post", "outbox", "arch_message"}
	before := map[string]int{}
	for _, t := range tables {
		before[t] = e.count(t)
	}
	var wg []string
	rows, _ := e.db.Query(`SELECT name, wg_state, COALESCE(group_id, 0) FROM doc ORDER BY name`)
	for rows.Next() {
		var n, s string
		var g int64
		rows.Scan(&n, &s, &g)
		wg = append(wg, fmt.Sprint(n, s, g))
	}
	rows.Close()
	err := f()
	for _, t := range tables {
		if n := e.count(t); n != before[t] {
			e.t.Errorf("%s: %s went from %d to %d rows", what, t, before[t], n)
		}
	}
	var after []string
	rows, _ = e.db.Query(`SELECT name, wg_state, COALESCE(group_id, 0) FROM doc ORDER BY name`)
	for rows.Next() {
		var n, s string
		var g int64
		rows.Scan(&n, &s, &g)
		after = append(after, fmt.Sprint(n, s, g))
	}
	rows.Close()
	if fmt.Sprint(wg) != fmt.Sprint(after) {
		e.t.Errorf("%s: documents moved: %v -> %v", what, wg, after)
	}
	return err
}

// refused checks that err is a failure of kind k citing rule (or, when
// rule is "", of kind k at all).
func refused(t *testing.T, what string, err error, k fail.Kind, rule string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok || fe.Kind != k || (rule != "" && !strings.Contains(fe.Rule, rule)) {
		t.Errorf("%s: got %v, want %s citing %q", what, err, k, rule)
	}
}
