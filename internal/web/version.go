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
// Concurrent requests share one query.
type versions struct {
	db    *db.DB
	stale atomic.Bool

	mu sync.Mutex
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
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if !vs.stale.Load() && time.Since(vs.at) < staleAfter {
		return vs.v, nil
	}
	// Clear the mark before reading, so a commit that lands during the
	// query marks it stale again.
	vs.stale.Store(false)
	v, err := record.Version(ctx, vs.db)
	if err != nil {
		vs.stale.Store(true)
		return 0, err
	}
	vs.v, vs.at = v, time.Now()
	return v, nil
}
