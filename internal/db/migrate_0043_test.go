package db

import (
	"context"
	"testing"
)

// TestMigration0043QueueHasNoForeignKeys: the delivery queue has no
// foreign keys on either engine (SQLite's since 0040, PostgreSQL's since
// 0043), so that queueing a copy is one row and its indexes.
func TestMigration0043QueueHasNoForeignKeys(t *testing.T) {
	d := migratedOver(t, 43, nil)
	q := `SELECT COUNT(*) FROM pragma_foreign_key_list('delivery', 'queue')`
	if d.Dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.table_constraints
			WHERE table_schema = current_schema() AND table_name = 'delivery' AND constraint_type = 'FOREIGN KEY'`
	}
	var n int
	if err := d.QueryRowContext(context.Background(), q).Scan(&n); err != nil || n != 0 {
		t.Errorf("the delivery queue's foreign keys: %d, %v; want 0", n, err)
	}
}
