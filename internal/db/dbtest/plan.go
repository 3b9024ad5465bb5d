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
	plan, err := db.Query(context.Background(), d, func(row db.Scanner) (string, error) {
		var line string
		dest := []any{&line}
		if d.Dialect == db.SQLite {
			var id, parent, unused int
			dest = []any{&id, &parent, &unused, &line}
		}
		err := row.Scan(dest...)
		return strings.TrimRight(line, " "), err
	}, explain+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}
