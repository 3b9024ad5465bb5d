package lists

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestMarkedCopiesAreNeverLeasedAgain: a copy marked sent whose mark has
// not been folded into delivery yet (a crash between the two) stays sent:
// no lease takes it, even once its lease has run out, and the next fold,
// such as the one a Deliverer makes as it starts, records it as sent.
func TestMarkedCopiesAreNeverLeasedAgain(t *testing.T) {
	e, d, batch := leasedTwo(t)
	ctx := context.Background()
	// The first copy went and was marked; the process died before the
	// fold, and its lease has run out.
	f := &folder{d: d, kick: make(chan struct{}, 1)}
	m := &marker{d: d, folder: f}
	if err := m.sent(ctx, []int64{batch[0].id}); err != nil {
		t.Fatal(err)
	}
	m.close()
	if n := e.count(`SELECT COUNT(*) FROM delivery_sent WHERE delivery_id = $1`, batch[0].id); n != 1 {
		t.Fatalf("the mark is in delivery_sent %d times, want once", n)
	}
	if _, err := e.db.Exec(`UPDATE delivery SET claimed_until = $1`, e.db.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	d.headScan.Store(0)
	var took []int64
	for {
		batch, err := d.lease(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		for _, l := range batch {
			took = append(took, l.id)
		}
	}
	if len(took) != 5 {
		t.Errorf("the leases after the crash took %d copies, want the 5 not marked", len(took))
	}
	for _, id := range took {
		if id == batch[0].id {
			t.Errorf("copy %d, marked sent, was leased again: it would go out twice", id)
		}
	}
	if err := d.foldMarks(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE id = $1 AND state = 'sent' AND sent IS NOT NULL AND claimed_by = ''`, batch[0].id); n != 1 {
		t.Errorf("after the fold the marked copy is not recorded as sent")
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery_sent`); n != 0 {
		t.Errorf("%d marks left in delivery_sent after the fold", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`); n != 1 {
		t.Errorf("%d copies recorded as sent, want the one marked", n)
	}
}

// TestFolderFoldsAfterTheLastMark: marks are folded into delivery without
// anything else happening, shortly after the last one.
func TestFolderFoldsAfterTheLastMark(t *testing.T) {
	e, d, batch := leasedTwo(t)
	ctx := context.Background()
	f := d.startFolder()
	defer f.stop()
	m := &marker{d: d, folder: f}
	defer m.close()
	for _, l := range batch {
		if err := m.sent(ctx, []int64{l.id}); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == 2 })
	if n := e.count(`SELECT COUNT(*) FROM delivery_sent`); n != 0 {
		t.Errorf("%d marks left in delivery_sent after the fold", n)
	}
}

// leasedTwo is leaseEnv with its first lease taken: two copies.
func leasedTwo(t *testing.T) (*env, *Deliverer, []leased) {
	t.Helper()
	e, d := leaseEnv(t)
	batch, err := d.lease(context.Background())
	if err != nil || len(batch) != 2 {
		t.Fatalf("lease took %d copies (%v), want 2", len(batch), err)
	}
	return e, d, batch
}

// TestFoldSeeksTheMarkedRows: a fold finds the rows of its marks by
// delivery's primary key, whatever the planner knows of the tables, and
// reads no other row: delivery holds every copy ever sent.
func TestFoldSeeksTheMarkedRows(t *testing.T) {
	e, _, _ := leasedTwo(t)
	ctx := context.Background()
	// Copies of earlier posts, sent; the tables never analyzed.
	if _, err := e.db.ExecContext(ctx, `INSERT INTO delivery (post_id, subscription_id, address, state, next_attempt, sent)
		SELECT post_id + g, subscription_id, address, 'sent', next_attempt, next_attempt FROM delivery, `+series(e, 2000)); err != nil {
		t.Fatal(err)
	}
	// No mark yet: PostgreSQL's planner guesses ten pages of marks, as it
	// does for a table never analyzed, and a plan made now may serve the
	// connection's every fold (pgx prepares each statement once).
	q := foldSQLite
	if e.db.Dialect == db.Postgres {
		q = foldPostgres
	}
	var args []any
	if e.db.Dialect == db.SQLite {
		args = append(args, 1000) // the last mark to fold
	}
	plan := dbtest.Plan(t, e.db, q, args...)
	// PostgreSQL: delivery (not delivery_sent) is read through a bitmap of
	// its index, which an index condition makes, or by an index scan with
	// an index condition, the next line of its plan; a full scan, of the
	// table or of its key's index with a join filter, reads every copy
	// ever sent. SQLite: delivery is searched by its key.
	seeks := slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "SEARCH delivery USING INTEGER PRIMARY KEY") })
	if e.db.Dialect == db.Postgres {
		scan := regexp.MustCompile(`Scan.* on delivery\s+\(`)
		for i, l := range plan {
			if scan.MatchString(l) {
				seeks = strings.Contains(l, "Bitmap Heap Scan") ||
					strings.Contains(l, "Index") && i+1 < len(plan) && strings.Contains(plan[i+1], "Index Cond:")
				break
			}
		}
	}
	if !seeks {
		t.Errorf("the fold's plan reads delivery other than by its key:\n%s", strings.Join(plan, "\n"))
	}
}

// series is a FROM item of the numbers 1 to n, as g.
func series(e *env, n int) string {
	if e.db.Dialect == db.Postgres {
		return fmt.Sprintf("generate_series(1, %d) AS g", n)
	}
	nums := make([]string, n)
	for i := range nums {
		nums[i] = fmt.Sprint(i + 1)
	}
	return "(SELECT value AS g FROM json_each('[" + strings.Join(nums, ",") + "]'))"
}
