package db

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestMigration0044QueueKeyOnPostgresIsTheSubscription: the delivery
// queue has one unique key besides its id: (post_id, subscription_id) on
// PostgreSQL since 0044, where the expander's copies come in the key's
// order; (post_id, address) on SQLite, whose table keeps the key it was
// made with (the migration says why).
func TestMigration0044QueueKeyOnPostgresIsTheSubscription(t *testing.T) {
	d := migratedOver(t, 44, nil)
	// Each unique key but the id's, as its columns in order.
	q := `SELECT group_concat(c.name, ',') FROM pragma_index_list('delivery', 'queue') l
		JOIN pragma_index_info(l.name, 'queue') c WHERE l."unique" AND l.origin <> 'pk' GROUP BY l.name`
	if d.Dialect == Postgres {
		q = `SELECT string_agg(a.attname, ',' ORDER BY k.n)
			FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
			WHERE i.indrelid = 'delivery'::regclass AND i.indisunique AND NOT i.indisprimary
			GROUP BY i.indexrelid`
	}
	keys, err := Query(context.Background(), d, Scalar[string], q)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"post_id,address"}
	if d.Dialect == Postgres {
		want = []string{"post_id,subscription_id"}
	}
	if !slices.Equal(keys, want) {
		t.Errorf("the delivery queue's unique keys: %s; want %s", strings.Join(keys, " "), strings.Join(want, " "))
	}
}
