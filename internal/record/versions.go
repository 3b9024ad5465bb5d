package record

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"hum/internal/db"
)

// Versions tells the caches the record's version (the newest event id)
// without a query on every request. A commit in this process marks it
// stale at once, so a person always sees their own change; changes made
// by other hum processes on the same PostgreSQL show within StaleAfter.
// Concurrent requests share one query, and a request that finds the
// version fresh takes no lock: every request asks, a kept page's first.
// A process keeps one for its database, which web's pages and the API
// (opendata) share.
type Versions struct {
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

// StaleAfter is how long a version read stays fresh when no commit in
// this process marks it stale: how late another process's change shows.
const StaleAfter = 250 * time.Millisecond

// NewVersions reads d's version, and is marked stale by every commit of
// d's Write.
func NewVersions(d *db.DB) *Versions {
	vs := &Versions{db: d}
	vs.stale.Store(true)
	d.OnCommit(func() { vs.stale.Store(true) })
	return vs
}

// Get returns the record's version: the last one read, while fresh, or a
// new read.
func (vs *Versions) Get(ctx context.Context) (int64, error) {
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
	v, err := Version(ctx, vs.db)
	if err != nil {
		vs.stale.Store(true)
		return 0, err
	}
	vs.read.Store(&versionRead{v: v, at: time.Now()})
	return v, nil
}

// fresh returns the version last read, if no commit in this process has
// marked it stale and it is younger than StaleAfter.
func (vs *Versions) fresh() (int64, bool) {
	if vs.stale.Load() {
		return 0, false
	}
	rd := vs.read.Load()
	if rd == nil || time.Since(rd.at) >= StaleAfter {
		return 0, false
	}
	return rd.v, true
}
