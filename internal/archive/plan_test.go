package archive

import (
	"strings"
	"testing"

	"hum/internal/db"
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

// A search whose every term names its field reads the FTS5 table of the
// subjects and authors alone; in the table of every message's words, FTS5
// reads the bodies' entries of those words to find the column: on
// 1,000,000 messages 'subject:note from:gmail.com' took 2.7 ms there, 0.5
// ms here (issue 17 §3).
func TestFieldsReadTheirOwnIndex(t *testing.T) {
	d := dbtest.SQLite(t)
	for _, c := range []struct{ q, table string }{
		{"subject:note from:gmail.com", "arch_fts_head"},
		{"from:hadley list:r-devel", "arch_fts_head"},
		{"vignette from:hadley", "arch_fts"},
		{"vignette", "arch_fts"},
	} {
		q, err := ParseQuery(c.q)
		if err != nil {
			t.Fatal(err)
		}
		w := &db.Where{}
		from := sqliteEngine{}.newest(q, w, 0)
		if want := " FROM " + c.table + " f "; !strings.HasPrefix(from, want) {
			t.Errorf("%q reads %q, want %q", c.q, from, want)
		}
		plan := dbtest.Plan(t, d, "SELECT f.rowid, m.date"+from+" LIMIT 100", w.Args...)
		if len(plan) == 0 || !strings.HasPrefix(plan[0], "SCAN f VIRTUAL TABLE") {
			t.Errorf("%q: plan %q, want the FTS5 table first", c.q, plan)
		}
	}
}
