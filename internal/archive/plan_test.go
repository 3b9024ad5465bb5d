package archive

import (
	"context"
	"strings"
	"testing"

	"hum/internal/db/dbtest"
)

// A batch reads the threads its references found by id. Given the list
// and a long IN list, SQLite's planner read every thread of the list
// through an index on list instead: 4 ms a batch at 200,000 threads.
func TestThreadsByIDSeeksEachID(t *testing.T) {
	d := dbtest.SQLite(t)
	q, args := inList(threadsByIDSQLite+" IN ", []any{"idr"}, strings.Split(strings.Repeat("1,", 40)+"1", ","))
	rows, err := d.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+positional(q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !strings.Contains(plan[0], "INTEGER PRIMARY KEY") {
		t.Errorf("threads by id: plan %q, want one search by the INTEGER PRIMARY KEY", plan)
	}
}
