package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"hum/internal/db"
	"hum/internal/record"
)

// versions tells the caches the record's version (the newest event id)
// without a query on every request. A commit in this process marks it
// stale at once, so a person always sees their own change; changes made
// by other hum processes on the same PostgreSQL show within staleAfter.
// Concurrent requests share one query, and a request that finds the
// version fresh takes no lock: every request asks, a kept page's first.
type versions struct {
	db    *db.DB
	stale atomic.Bool
	read  atomic.Pointer[versionRead] // the last answer; nil until one

	mu sync.Mutex // held by the one request that queries
}

// versionRead is one answer of the database and when it came.
type versionRead struct {
	v  int64
	at time.Time
}

const staleAfter = 250 * time.Millisecond

func newVersions(d *db.DB) *versions {
	vs := &versions{db: d}
	vs.stale.Store(true)
	d.OnCommit(func() { vs.stale.Store(true) })
	return vs
}

func (vs *versions) get(ctx context.Context) (int64, error) {
	if v, ok := vs.fresh(); ok {
		return v, nil
	}
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if v, ok := vs.fresh(); ok { // another request read it meanwhile
		return v, nil
	}
	// Forget the last answer, then clear the mark, before reading: a
	// commit that lands during the query marks it stale again, and a
	// request that sees the mark cleared finds no answer older than the
	// query and waits for it (fresh loads in the other order).
	vs.read.Store(nil)
	vs.stale.Store(false)
	v, err := record.Version(ctx, vs.db)
	if err != nil {
		vs.stale.Store(true)
		return 0, err
	}
	vs.read.Store(&versionRead{v: v, at: time.Now()})
	return v, nil
}

// fresh returns the version last read, if no commit in this process has
// marked it stale and it is younger than staleAfter.
func (vs *versions) fresh() (int64, bool) {
	if vs.stale.Load() {
		return 0, false
	}
	rd := vs.read.Load()
	if rd == nil || time.Since(rd.at) >= staleAfter {
		return 0, false
	}
	return rd.v, true
}
