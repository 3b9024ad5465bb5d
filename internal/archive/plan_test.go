package archive

import (
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
	plan := dbtest.Plan(t, d, positional(q), args...)
	if len(plan) != 1 || !strings.Contains(plan[0], "INTEGER PRIMARY KEY") {
		t.Errorf("threads by id: plan %q, want one search by the INTEGER PRIMARY KEY", plan)
	}
}
