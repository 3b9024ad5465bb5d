package docs_test

import (
	"context"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
)

// TestTickOnceAcrossProcesses: every hum process runs the document
// timers, so a run may read a draft as due while another process is
// moving it. The one that loses must do nothing: no second event and no
// second mail (issue 17: the periodic jobs run once, not three times).
// The other process's change is a transaction the test holds open while
// Tick runs; on PostgreSQL the test commits it once Tick waits on the
// row, after Tick has read the draft as due; on SQLite Tick's BEGIN waits
// for it, as writers there take turns.
func TestTickOnceAcrossProcesses(t *testing.T) {
	for _, c := range []struct {
		name  string
		days  int    // after posting
		setup string // the draft's state before the timers run
		other string // the other process's move
		kind  string // the event kind a run records
		mail  string // the subject of the mail a run sends, "" if none
	}{
		{"Last Call ends", 10, `UPDATE doc SET iesg_state = 'lc', lc_ends = $1 WHERE name = 'draft-smoke-signals'`,
			`UPDATE doc SET iesg_state = 'writeupw' WHERE name = 'draft-smoke-signals'`, "iesg_state", "Last Call Expired"},
		{"expiry warning", 172, ``, `UPDATE doc SET expiry_warned = TRUE WHERE name = 'draft-smoke-signals'`, "expiry_warning", "Expiration impending"},
		{"expiry", 186, ``, `UPDATE doc SET state = 'expired' WHERE name = 'draft-smoke-signals'`, "expired", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			e.postSmokeSignals(t)
			e.now = e.now.Add(time.Duration(c.days) * 24 * time.Hour)
			if c.setup != "" {
				if _, err := e.db.Exec(c.setup, e.now.Add(-time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			events := func() int {
				var n int
				if err := e.db.QueryRow(`SELECT COUNT(*) FROM event WHERE subject = 'draft-smoke-signals' AND kind = $1`, c.kind).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before, mails := events(), len(e.mails(c.mail))

			other, err := e.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Rollback()
			if _, err := other.ExecContext(ctx, c.other); err != nil {
				t.Fatal(err)
			}
			var pid int64
			if e.db.Dialect == db.Postgres {
				if err := other.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan docs.TickCounts, 1)
			go func() {
				n, err := e.s.Tick(ctx)
				if err != nil {
					t.Error(err)
				}
				done <- n
			}()
			if e.db.Dialect == db.Postgres {
				waitBlockedBy(t, e.db, pid)
			}
			if err := other.Commit(); err != nil {
				t.Fatal(err)
			}
			if n := <-done; n != (docs.TickCounts{}) {
				t.Errorf("Tick counted %+v after another process had done it", n)
			}
			if n := events(); n != before {
				t.Errorf("%d %s events recorded, want none", n-before, c.kind)
			}
			if c.mail != "" {
				if n := len(e.mails(c.mail)); n != mails {
					t.Errorf("%d %q mails queued, want none", n-mails, c.mail)
				}
			}
		})
	}
}

// waitBlockedBy waits until a PostgreSQL session waits for a lock that
// the session pid holds.
func waitBlockedBy(t *testing.T, d *db.DB, pid int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var n int
		if err := d.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("Tick never waited for the other process's row")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
