package scheduler_test

import (
	"context"
	"testing"
	"time"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/scheduler"
	"hum/internal/testbody"
)

// env is a scheduler service on a test database of its own (SQLite, or
// PostgreSQL when HUM_TEST_POSTGRES is set), with a clock the test sets.
type env struct {
	t    testing.TB
	ctx  context.Context
	db   *db.DB
	now  time.Time
	m    *meetings.Service
	s    *scheduler.Service
	op   groups.Actor
	body *testbody.Body
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return envOn(t, dbtest.New(t))
}

// newEnv83 is newEnv with IETF 83 imported (import83): a copy of the
// import, made once per test binary (dbtest.Template).
func newEnv83(t testing.TB) *env {
	t.Helper()
	d, _ := ietf83.New(t)
	return envOn(t, d)
}

var ietf83 = &dbtest.Template[struct{}]{Name: "IETF 83 imported", Build: func(t testing.TB, d *db.DB) struct{} {
	envOn(t, d).import83()
	return struct{}{}
}}

func envOn(t testing.TB, d *db.DB) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), db: d, now: time.Date(2026, 12, 3, 4, 15, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, d)
	e.m = &meetings.Service{DB: d, Groups: e.body.Groups}
	e.s = &scheduler.Service{Meetings: e.m}
	e.op = groups.Operator(record.Actor{Name: "(scheduler test)"})
	return e
}

// import83 imports IETF 83 from the corpus, as hum import meeting does.
func (e *env) import83() {
	e.t.Helper()
	in := meetings.DatatrackerImport{Number: "83"}
	for _, f := range []string{"meetings/ietf83/meeting83.json", "meetings/ietf83/constraint83.json", "groups/workinggroups-2013.json"} {
		in.Fixtures = append(in.Fixtures, corpustest.ReadFile(e.t, f))
	}
	if _, err := e.m.ImportDatatracker(e.ctx, e.op, in); err != nil {
		e.t.Fatal(err)
	}
}

// count runs a COUNT(*) query.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+query, args...))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// state is what a refused call must leave as it was: the record and the
// tables the scheduler writes.
func (e *env) state() [4]int {
	e.t.Helper()
	return [4]int{e.count(`event`), e.count(`schedule`), e.count(`assignment`), e.count(`meeting WHERE schedule_id IS NOT NULL`)}
}
