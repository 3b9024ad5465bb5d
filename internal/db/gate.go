package db

import (
	"context"
	"database/sql/driver"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// writeGate queues the writers of one SQLite file within this process.
// SQLite has one write lock per file, and a connection that finds it
// taken polls: its busy handler sleeps 1, 2, 5, 10, 15 ms and more
// between tries, so a write that waits behind one of a fraction of a
// millisecond loses milliseconds. The list Deliverer's marks, which every
// sending worker waits for, waited so behind leases and fan-out chunks
// (a lease took 8.5 ms on average in listbench, 4.5 ms through the gate).
// Through the gate a writer waits on a channel instead, and starts the
// moment the one before lets go, in the order they came. Writers in other
// processes (hum import beside hum serve) still meet SQLite's own lock.
//
// What holds the gate: a transaction, from BEGIN (IMMEDIATE, see
// sqliteDSN) to its end, and outside one a statement that writes, until
// its result or rows are done. Reads never wait for it; WAL lets them
// run beside the writer.
type writeGate struct {
	ch      chan struct{}
	wait    time.Duration // the longest a writer waits before it goes to SQLite's lock
	waiting atomic.Int32  // writers waiting now (tests)
}

func newWriteGate(wait time.Duration) *writeGate {
	return &writeGate{ch: make(chan struct{}, 1), wait: wait}
}

// lock waits for the gate and returns the func that lets it go. A writer
// whose ctx ends, or who has waited as long as busy_timeout would have
// let it, goes on without the gate: SQLite's lock still keeps writers
// apart, and returns the error it always did, so the gate never makes a
// wait end worse than SQLite alone (a transaction that writes through
// the pool beside its own connection, which waits for itself).
func (g *writeGate) lock(ctx context.Context) (unlock func()) {
	select {
	case g.ch <- struct{}{}:
		return g.unlocker()
	default:
	}
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.ch <- struct{}{}:
		return g.unlocker()
	case <-ctx.Done():
	case <-t.C:
	}
	return func() {}
}

func (g *writeGate) unlocker() func() {
	var once sync.Once
	return func() { once.Do(func() { <-g.ch }) }
}

// writes reports whether a statement outside a transaction takes the
// write lock, by its first word. A statement that begins WITH may do
// either and is left to SQLite's lock, as are PRAGMAs.
func writes(query string) bool {
	q := query
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		if !strings.HasPrefix(q, "--") {
			break
		}
		i := strings.IndexByte(q, '\n')
		if i < 0 {
			return false
		}
		q = q[i+1:]
	}
	end := strings.IndexFunc(q, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if end < 0 {
		end = len(q)
	}
	switch strings.ToUpper(q[:end]) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER":
		return true
	}
	return false
}

// gatedConn is a connection of modernc.org/sqlite whose writers go
// through the gate of its file. It offers what the driver's connection
// offers database/sql.
type gatedConn struct {
	driver.Conn
	g    *writeGate
	inTx bool // a transaction holds the gate: its statements go straight through
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	unlock := func() {}
	if !opts.ReadOnly {
		unlock = c.g.lock(ctx)
	}
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		unlock()
		return nil, err
	}
	c.inTx = true
	return &gatedTx{Tx: tx, c: c, unlock: unlock}, nil
}

type gatedTx struct {
	driver.Tx
	c      *gatedConn
	unlock func()
}

func (t *gatedTx) Commit() error {
	defer t.end()
	return t.Tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.end()
	return t.Tx.Rollback()
}

func (t *gatedTx) end() {
	t.c.inTx = false
	t.unlock()
}

// gate takes the gate for a statement that writes (by writes) when no
// transaction holds it already.
func (c *gatedConn) gate(ctx context.Context, write bool) (unlock func(), held bool) {
	if c.inTx || !write {
		return func() {}, false
	}
	return c.g.lock(ctx), true
}

func (c *gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	unlock, _ := c.gate(ctx, writes(query))
	defer unlock()
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	unlock, held := c.gate(ctx, writes(query))
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	return gatedRows(rows, err, unlock, held)
}

// gatedRows lets the gate go when the rows of a statement that writes
// (UPDATE ... RETURNING) are closed: SQLite holds the lock until then.
func gatedRows(rows driver.Rows, err error, unlock func(), held bool) (driver.Rows, error) {
	if err != nil || !held {
		unlock()
		return rows, err
	}
	return &unlockingRows{Rows: rows, unlock: unlock}, nil
}

type unlockingRows struct {
	driver.Rows
	unlock func()
}

func (r *unlockingRows) Close() error {
	defer r.unlock()
	return r.Rows.Close()
}

func (c *gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &gatedStmt{Stmt: s, c: c, writes: writes(query)}, nil
}

func (c *gatedConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *gatedConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *gatedConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// gatedStmt is a prepared statement, whose text is read once: a kept
// statement (DB.Prepared, the Deliverer's marks) runs again and again.
type gatedStmt struct {
	driver.Stmt
	c      *gatedConn
	writes bool
}

func (s *gatedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	unlock, _ := s.c.gate(ctx, s.writes)
	defer unlock()
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *gatedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	unlock, held := s.c.gate(ctx, s.writes)
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	return gatedRows(rows, err, unlock, held)
}
