package db

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMigration0040MovesTheQueue: on a SQLite database an older hum left,
// the delivery rows move, whole, into the queue's file (hum.queue.db),
// and hum.db keeps no delivery table. A crash between the copy and the
// drop (SQLite in WAL mode commits the two files one by one) is
// repeated without loss: the copy runs again over rows already there,
// and the hum.db rows, the record until dropped, win.
func TestMigration0040MovesTheQueue(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hum.db")
	d, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.migrations()
	if err != nil {
		t.Fatal(err)
	}
	var before []migration
	for _, m := range ms {
		if m.version < queueMigration {
			before = append(before, m)
		}
	}
	if _, err := d.migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO list (id, name, description, created) VALUES (1, 'httpbis', '', $1)`,
		`INSERT INTO subscription (id, list_id, address, mode, state, token, created) VALUES (1, 1, 'a@example.org', 'each', 'active', 't1', $1), (2, 1, 'b@example.org', 'each', 'active', 't2', $1)`,
		`INSERT INTO list_post (id, list_id, message_id, mail_from, author, subject, state, raw, received) VALUES (1, 1, '<1@example.org>', 'a@example.org', 'a@example.org', 'Hi', 'accepted', 'x', $1)`,
		`INSERT INTO delivery (id, post_id, subscription_id, address, state, attempts, next_attempt, claimed_until, last_error, sent, claimed_by)
			VALUES (7, 1, 1, 'a@example.org', 'sent', 1, $1, NULL, '', $1, ''), (8, 1, 2, 'b@example.org', 'queued', 2, $1, $1, '451 later', NULL, 'w1')`,
	} {
		if _, err := d.ExecContext(ctx, q, t0); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows := func() string {
		t.Helper()
		var b strings.Builder
		r, err := d.QueryContext(ctx, `SELECT id, post_id, subscription_id, address, state, attempts, last_error, claimed_by, sent IS NULL FROM queue.delivery ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for r.Next() {
			var id, post, sub, attempts int64
			var addr, state, lastErr, by string
			var unsent bool
			if err := r.Scan(&id, &post, &sub, &addr, &state, &attempts, &lastErr, &by, &unsent); err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Join([]string{itoa(id), itoa(post), itoa(sub), addr, state, itoa(attempts), lastErr, by, map[bool]string{true: "unsent", false: "sent"}[unsent]}, ",") + ";")
		}
		return b.String()
	}
	// The copy commits and the process dies before the drop; meanwhile
	// (in the old hum.db table, still the record) the queued copy moved on.
	if err := d.moveQueue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `UPDATE main.delivery SET attempts = 3 WHERE id = 8`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := "7,1,1,a@example.org,sent,1,,,sent;8,1,2,b@example.org,queued,3,451 later,w1,unsent;"
	if got := rows(); got != want {
		t.Errorf("queue.delivery after the move:\n got %s\nwant %s", got, want)
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM main.sqlite_master WHERE name = 'delivery'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("hum.db still has a delivery table (%d, %v)", n, err)
	}
	// Unqualified, as the lists package writes it, delivery is the queue's.
	if _, err := d.ExecContext(ctx, `INSERT INTO delivery (post_id, subscription_id, address, next_attempt) VALUES (1, 2, 'c@example.org', $1)`, t0); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue.delivery`).Scan(&n); err != nil || n != 3 {
		t.Errorf("queue.delivery holds %d rows (%v), want 3", n, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	// hum.db without its queue: refused, not served with the queue lost.
	if err := os.Remove(QueuePath(path)); err != nil {
		t.Fatal(err)
	}
	d, err = Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "delivery queue") {
		t.Errorf("Migrate with the queue's file gone: %v, want an error naming the delivery queue", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestQueueAheadOfRestoredDB: a backup takes hum.db, then hum.queue.db
// (README), so a restored queue may hold the copies of posts accepted in
// between, which the restored hum.db does not have. They are dropped when
// hum starts, before a new post takes their post's id; the copies of the
// posts it has are kept.
func TestQueueAheadOfRestoredDB(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "hum.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO list (id, name, description, created) VALUES (1, 'httpbis', '', $1)`,
		`INSERT INTO list_post (id, list_id, message_id, mail_from, author, subject, state, raw, received) VALUES (1, 1, '<1@example.org>', 'a@example.org', 'a@example.org', 'Hi', 'accepted', 'x', $1)`,
		`INSERT INTO delivery (post_id, subscription_id, address, next_attempt) VALUES (1, 1, 'a@example.org', $1), (2, 1, 'a@example.org', $1), (2, 2, 'b@example.org', $1)`,
	} {
		if _, err := d.ExecContext(ctx, q, t0); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var kept string
	if err := d.QueryRowContext(ctx, `SELECT GROUP_CONCAT(post_id || ':' || address, ' ') FROM delivery`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != "1:a@example.org" {
		t.Errorf("copies kept: %q, want only post 1's", kept)
	}
}
