package db

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestMigration0044MarksLeftAreFolded: on SQLite, migration 0044 folds
// the marks of copies sent that the queue's file still held into the
// queue, and drops their table there, as the marks now have a file of
// their own (MarksPath), empty. On PostgreSQL, whose 0044 is another
// change, the marks stay where they are, for the Deliverer's fold.
func TestMigration0044MarksLeftAreFolded(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	queue := "queue."
	if os.Getenv("HUM_TEST_POSTGRES") != "" {
		queue = ""
	}
	d := migratedOver(t, 44, []seed{
		{`INSERT INTO ` + queue + `delivery (id, post_id, subscription_id, address, state, next_attempt)
			VALUES (1, 1, 1, 'a@example.net', 'queued', $1), (2, 1, 2, 'b@example.net', 'queued', $1)`, []any{now}},
		{`INSERT INTO ` + queue + `delivery_sent (delivery_id, sent) VALUES (1, $1)`, []any{now}},
	})
	ctx := context.Background()
	state := func(id int) string {
		var s string
		if err := d.QueryRowContext(ctx, `SELECT state FROM delivery WHERE id = $1`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	var marks int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM delivery_sent`).Scan(&marks); err != nil {
		t.Fatal(err)
	}
	if d.Dialect == Postgres {
		if state(1) != "queued" || marks != 1 {
			t.Errorf("PostgreSQL: copy 1 %s with %d marks; want queued with its mark, for the fold", state(1), marks)
		}
		return
	}
	if state(1) != "sent" || state(2) != "queued" {
		t.Errorf("copies 1 and 2 are %s and %s, want sent (marked) and queued", state(1), state(2))
	}
	var tables int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue.sqlite_master WHERE name = 'delivery_sent'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the queue's file still has delivery_sent (%d, %v)", tables, err)
	}
	if marks != 0 {
		t.Errorf("%d marks in hum.marks.db, want none", marks)
	}
}
