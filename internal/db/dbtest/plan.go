package dbtest

import (
	"context"
	"strings"
	"testing"

	"hum/internal/db"
)

// Plan is the plan of q on d, a line a step: the detail column of
// SQLite's EXPLAIN QUERY PLAN, or the lines of PostgreSQL's EXPLAIN
// (without ANALYZE: a statement that writes is planned, not run).
func Plan(t testing.TB, d *db.DB, q string, args ...any) []string {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if d.Dialect == db.Postgres {
		explain = "EXPLAIN "
	}
	rows, err := d.QueryContext(context.Background(), explain+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		var dest []any
		if d.Dialect == db.Postgres {
			dest = []any{&line}
		} else {
			var id, parent, unused int
			dest = []any{&id, &parent, &unused, &line}
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, strings.TrimRight(line, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
