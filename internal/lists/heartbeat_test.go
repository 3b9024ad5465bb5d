package lists

import (
	"context"
	"testing"
	"time"
)

// TestStaleWorkerLeasesAreTakenOver: rows leased by a process that
// stopped beating (killed) go out at once; rows leased by a live process
// are left to it.
func TestStaleWorkerLeasesAreTakenOver(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.subscribe("httpbis", "bob@example.net", "carol@example.com")
	l, _ := e.lists.Get(ctx, "httpbis")
	// Once the Deliverer beats, it has released (SQLite) the leases it
	// found at start: the rows below are leased after that.
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery_worker`) > 0 })
	now := e.db.Now().UTC()
	_, err := e.db.Exec(`INSERT INTO delivery_worker (id, started, beat) VALUES ('dead', $1, $1), ('alive', $2, $2)`,
		now.Add(-time.Minute), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var postID int64
	raw := "From: alice@example.org\r\nSubject: leased\r\nMessage-ID: <leased@example.org>\r\n\r\nx\r\n"
	err = e.db.QueryRow(`INSERT INTO list_post (list_id, message_id, mail_from, author, subject, state, raw, received)
		VALUES ($1, '<leased@example.org>', 'alice@example.org', 'alice@example.org', 'leased', 'accepted', $2, $3) RETURNING id`,
		l.ID, []byte(raw), now).Scan(&postID)
	if err != nil {
		t.Fatal(err)
	}
	for addr, holder := range map[string]string{"bob@example.net": "dead", "carol@example.com": "alive"} {
		sub, err := e.lists.Subscription(ctx, "httpbis", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Exec(`INSERT INTO delivery (post_id, subscription_id, address, state, attempts, next_attempt, claimed_until, claimed_by)
			VALUES ($1, $2, $3, 'queued', 1, $4, $5, $6)`, postID, sub.ID, addr, now, now.Add(leaseFor), holder); err != nil {
			t.Fatal(err)
		}
	}
	got := e.waitFor(1) // and settled: a lease pass has seen carol's row since
	if got[0].to != "bob@example.net" {
		t.Fatalf("the copy that went out is %s's, want bob's (the dead worker's)", got[0].to)
	}
	if n := len(got); n != 1 {
		t.Errorf("%d copies sent; the live worker's row was taken from it", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE address = 'carol@example.com' AND state = 'queued' AND claimed_by = 'alive'`); n != 1 {
		t.Error("the live worker's lease on carol's row was taken")
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM delivery WHERE address = 'bob@example.net' AND state = 'sent' AND claimed_by = ''`) == 1
	})
}

// TestHeartbeatGaps: a worker stops sending when its beats are late, and
// never resumes a batch leased before a gap.
func TestHeartbeatGaps(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d := &Deliverer{Lists: e.lists}
	d.init()
	h := d.hb
	if _, ok := h.current(); ok {
		t.Fatal("a worker that never beat may lease")
	}
	if err := h.beat(ctx); err != nil {
		t.Fatal(err)
	}
	gen, ok := h.current()
	if !ok || !h.valid(gen) {
		t.Fatal("a worker that just beat may not send")
	}
	h.mu.Lock()
	h.last = time.Now().Add(-(staleAfter - beatMargin) - time.Millisecond)
	h.mu.Unlock()
	if h.valid(gen) {
		t.Error("a worker whose beat is late may still send")
	}
	if err := h.beat(ctx); err != nil {
		t.Fatal(err)
	}
	if h.valid(gen) {
		t.Error("a batch leased before a gap in the beats may be sent after it")
	}
	if g, ok := h.current(); !ok || g == gen {
		t.Errorf("after the gap: gen %d (was %d), ok %v", g, gen, ok)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery_worker WHERE id = $1`, h.id); n != 1 {
		t.Fatalf("%d rows for the worker", n)
	}
	h.stop()
	if n := e.count(`SELECT COUNT(*) FROM delivery_worker WHERE id = $1`, h.id); n != 0 {
		t.Errorf("the worker's row outlived it")
	}
}
