package web

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"hum/internal/db"
)

// versions tells the caches the record's version (the newest event id)
// without a query on every request. A commit in this process marks it
// stale at once, so a person always sees their own change; changes made
// by other hum processes on the same PostgreSQL show within staleAfter.
// Concurrent requests share one query.
type versions struct {
	db    *db.DB
	stmt  *sql.Stmt
	stale atomic.Bool

	mu sync.Mutex
	v  int64
	at time.Time
}

const staleAfter = 250 * time.Millisecond

func newVersions(d *db.DB) (*versions, error) {
	stmt, err := d.Prepare(`SELECT COALESCE(MAX(id), 0) FROM event`)
	if err != nil {
		return nil, err
	}
	vs := &versions{db: d, stmt: stmt}
	vs.stale.Store(true)
	d.OnCommit(func() { vs.stale.Store(true) })
	return vs, nil
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
	var v int64
	if err := vs.stmt.QueryRowContext(ctx).Scan(&v); err != nil {
		vs.stale.Store(true)
		return 0, err
	}
	vs.v, vs.at = v, time.Now()
	return v, nil
}
