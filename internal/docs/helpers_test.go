package docs_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

// env is a documents service on a fresh database with a clock the test
// moves, and a small standards body: an area with two ADs, WGs with a
// chair, and the secretariat.
type env struct {
	t      testing.TB
	db     *db.DB
	s      *docs.Service
	groups *groups.Service
	people *people.Service
	body   *testbody.Body // the standards body, to add to it
	now    time.Time
	ids    map[string]int64 // person ids by email
}

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	e := &env{t: t, db: d, now: time.Date(2021, 6, 19, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	b := testbody.New(t, d)
	e.body, e.groups, e.people, e.ids = b, b.Groups, b.People, b.IDs
	ls := &lists.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s = &docs.Service{DB: d, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test", Lists: ls}
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg", ListEmail: "idr@ietf.org"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "sec", ListEmail: "quic@ietf.org"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "ad2@example.org", Name: "Bea Director", Role: "ad", Group: "sec"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "kesara@fq.nz", Name: "Kesara Nanayakkara Rathnayake"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	// hum's lists of the WGs (idr@hum.test, quic@hum.test); the groups'
	// records name lists outside hum, as real groups do.
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// who is a logged-in person as the web layer builds them.
func (e *env) who(email string) docs.Submitter {
	e.t.Helper()
	id := e.ids[email]
	a, err := e.groups.ActorOf(context.Background(), record.Actor{ID: id, Name: email})
	if err != nil {
		e.t.Fatal(err)
	}
	return docs.Submitter{Actor: a, Email: email, Emails: []string{email}}
}

// postSmokeSignals posts draft-smoke-signals-00 by its author on
// 2021-06-19, as the documents' stories start.
func (e *env) postSmokeSignals(t *testing.T) {
	t.Helper()
	e.at("2021-06-19")
	if _, err := e.s.Submit(context.Background(), txt(t, "txt/draft-smoke-signals-00.txt"), e.who("kesara@fq.nz")); err != nil {
		t.Fatal(err)
	}
}

func (e *env) actor(email string) record.Actor { return record.Actor{ID: e.ids[email], Name: email} }

func (e *env) at(day string) {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		e.t.Fatal(err)
	}
	e.now = t.Add(12 * time.Hour)
}

func file(t testing.TB, path string) []byte {
	t.Helper()
	return corpustest.ReadFile(t, "drafts/"+path)
}

func txt(t testing.TB, path string) docs.Upload {
	return docs.Upload{TXT: file(t, path), TXTName: path[strings.LastIndexByte(path, '/')+1:]}
}

func xml(t testing.TB, path string) docs.Upload {
	return docs.Upload{XML: file(t, path), XMLName: path[strings.LastIndexByte(path, '/')+1:]}
}

// count returns the rows of a table, to show that nothing was stored.
func (e *env) count(table string) int {
	var n int
	if err := e.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

var confirmLink = regexp.MustCompile(`/submit/status/(\d+)/confirm/([A-Za-z0-9_-]+)/`)

// mails returns queued messages whose subject contains subj.
func (e *env) mails(subj string) []mail.Queued {
	ms, err := mail.List(context.Background(), e.db, "", 500)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []mail.Queued
	for _, m := range ms {
		if strings.Contains(m.Subject, subj) {
			out = append(out, m)
		}
	}
	return out
}

// secret is the confirmation secret in the newest mail about subj.
func (e *env) secret(subj string) string {
	e.t.Helper()
	ms := e.mails(subj)
	if len(ms) == 0 {
		e.t.Fatalf("no mail about %q", subj)
	}
	m := confirmLink.FindStringSubmatch(string(ms[0].Raw))
	if m == nil {
		e.t.Fatalf("no confirmation link in %s", ms[0].Raw)
	}
	return m[2]
}
