package lists

import (
	"context"
	"testing"
	"time"
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
