package db

import (
	"context"
	"testing"
)

// TestMigration0042KeysTheRefs: on SQLite the Message-IDs an older hum
// stored stay, with their threads, and are found by their key through
// the new index; the text index is gone.
func TestMigration0042KeysTheRefs(t *testing.T) {
	t.Setenv("HUM_TEST_POSTGRES", "") // SQLite's migration: PostgreSQL keeps its primary key
	d := migratedOver(t, 42, []seed{
		{sql: `INSERT INTO arch_ref (list, ref_id, thread_id) VALUES ('idr', 'a@example.org', 3), ('idr', 'b@example.org', 4), ('6man', 'a@example.org', 5)`},
	})
	ctx := context.Background()
	for _, r := range []struct {
		list, id string
		thread   int64
	}{{"idr", "a@example.org", 3}, {"idr", "b@example.org", 4}, {"6man", "a@example.org", 5}} {
		var got int64
		err := d.QueryRowContext(ctx, `SELECT thread_id FROM arch_ref INDEXED BY arch_ref_key WHERE hum_key(list, ref_id) = $1 AND list = $2 AND ref_id = $3`,
			Key(r.list, r.id), r.list, r.id).Scan(&got)
		if err != nil || got != r.thread {
			t.Errorf("%s %s: thread %d, %v; want %d", r.list, r.id, got, err, r.thread)
		}
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE tbl_name = 'arch_ref' AND type = 'index'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("arch_ref's indexes: %d, %v; want 2 (the key's, the thread's)", n, err)
	}
}
