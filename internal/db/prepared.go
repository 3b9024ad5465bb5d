package db

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxPrepared bounds how many query texts a DB keeps prepared. Each is
// prepared on every connection of the pool that runs it, so this many
// texts hold up to eight times as many SQLite statements.
const maxPrepared = 64

// prepared is a DB's statements kept by their text (Prepared).
type prepared struct {
	mu     sync.Mutex
	byText map[string]*sql.Stmt
	closed bool
}

// Prepared is d's pool with each query text prepared once and kept, for
// the queries a page or a search runs again and again with other
// arguments: SQLite spent a tenth of a search parsing and planning the
// same texts each time (issue 17 §3). A text is kept once it is run; past
// maxPrepared texts, a new one is run as d runs it. Only SQLite keeps
// statements here: pgx keeps its own per connection, and on PostgreSQL
// this is d itself. Writes belong in Write, not here.
func (d *DB) Prepared() Querier {
	if d.Dialect != SQLite || d.stmts == nil {
		return d.DB
	}
	return preparedQuerier{d}
}

type preparedQuerier struct{ d *DB }

func (p preparedQuerier) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c := p.d.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.byText[query]; st != nil {
		return st, nil
	}
	if c.closed || len(c.byText) >= maxPrepared {
		return nil, nil
	}
	st, err := p.d.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.byText == nil {
		c.byText = map[string]*sql.Stmt{}
	}
	c.byText[query] = st
	return st, nil
}

func (p preparedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		if err != nil {
			return nil, err
		}
		return p.d.DB.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (p preparedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		// A text that does not prepare fails the same way here, and
		// *sql.Row carries the error.
		return p.d.DB.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p preparedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.d.DB.ExecContext(ctx, query, args...)
}

// close closes the statements kept, before the pool closes.
func (c *prepared) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.byText {
		err = errors.Join(err, st.Close())
	}
	c.byText, c.closed = nil, true
	return err
}
