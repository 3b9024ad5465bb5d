package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestWritersQueueAtTheGate: on SQLite, writers that find the write lock
// taken by another connection of this process wait at the gate, not in
// SQLite's busy handler, which sleeps milliseconds between tries; every
// way of writing does (a statement, a transaction, a kept statement, an
// UPDATE ... RETURNING), and reads do not wait at all. Once the holder
// commits they all go through, and the gate is free again.
func TestWritersQueueAtTheGate(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	if _, err := d.ExecContext(ctx, `CREATE TABLE gate_t (id INTEGER PRIMARY KEY, x TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO gate_t (id, x) VALUES (1, 'a')`); err != nil {
		t.Fatal(err)
	}
	held, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.ExecContext(ctx, `INSERT INTO gate_t (id, x) VALUES (2, 'held')`); err != nil {
		t.Fatal(err)
	}
	stmt, err := d.PrepareContext(ctx, `UPDATE gate_t SET x = x || '+' WHERE id = $1`)
	if err != nil {
		t.Fatal(err)
	}
	writers := []func() error{
		func() error {
			_, err := d.ExecContext(ctx, `INSERT INTO gate_t (id, x) VALUES (3, 'statement')`)
			return err
		},
		func() error {
			return d.Write(ctx, func(tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO gate_t (id, x) VALUES (4, 'transaction')`)
				return err
			})
		},
		func() error {
			_, err := stmt.ExecContext(ctx, 1)
			return err
		},
		func() error {
			rows, err := d.QueryContext(ctx, `UPDATE gate_t SET x = x || '!' WHERE id = 1 RETURNING x`)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return errors.Join(rows.Err(), rows.Close())
		},
	}
	errs := make(chan error, len(writers))
	for _, w := range writers {
		go func() { errs <- w() }()
	}
	deadline := time.Now().Add(5 * time.Second)
	for db.WritersWaiting(d) < len(writers) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := db.WritersWaiting(d); n != len(writers) {
		t.Errorf("%d writers wait at the gate while a transaction holds it, want %d", n, len(writers))
	}
	// A read goes past the writers and the holder.
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM gate_t`).Scan(&n); err != nil || n != 1 {
		t.Errorf("a read while the gate is held: %d rows, %v; want 1, nil", n, err)
	}
	if err := held.Commit(); err != nil {
		t.Fatal(err)
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Errorf("a writer after the holder let go: %v", err)
		}
	}
	// Each let the gate go: one more write takes it at once.
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := d.ExecContext(wctx, `DELETE FROM gate_t WHERE id = 2`); err != nil {
		t.Errorf("a write once the writers are done: %v", err)
	}
	var x string
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*), (SELECT x FROM gate_t WHERE id = 1) FROM gate_t`).Scan(&n, &x); err != nil || n != 3 || len(x) != 3 {
		t.Errorf("after the writers: %d rows, row 1 is %q, %v; want 3 rows and a+! in some order", n, x, err)
	}
}

// TestGateWaitEndsWithItsContext: a writer that gives up while it waits
// at the gate gets its context's error and changes nothing.
func TestGateWaitEndsWithItsContext(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	if _, err := d.ExecContext(ctx, `CREATE TABLE gate_t (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	held, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = d.ExecContext(wctx, `INSERT INTO gate_t (id) VALUES (1)`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a write whose context ended at the gate: err = %v, want the deadline", err)
	}
	if err := held.Rollback(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM gate_t`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows, %v; want none", n, err)
	}
}

// TestWritesByFirstWord: which statements outside a transaction take the
// gate. One that begins WITH may only read, and is left to SQLite.
func TestWritesByFirstWord(t *testing.T) {
	for q, want := range map[string]bool{
		`INSERT INTO t VALUES (1)`:    true,
		"\n\t  update t SET x = 1":    true,
		"-- a comment\nDELETE FROM t": true,
		`REPLACE INTO t VALUES (1)`:   true,
		`CREATE TABLE t (x)`:          true,
		`DROP TABLE t`:                true,
		`ALTER TABLE t ADD COLUMN y`:  true,
		`SELECT 1`:                    false,
		`(SELECT 1)`:                  false,
		`WITH q AS (SELECT 1) INSERT INTO t SELECT * FROM q`: false,
		`PRAGMA main.synchronous = NORMAL`:                   false,
		`UPDATED`:                                            false,
		`-- only a comment`:                                  false,
		``:                                                   false,
	} {
		if got := db.Writes(q); got != want {
			t.Errorf("writes(%q) = %v, want %v", q, got, want)
		}
	}
}
