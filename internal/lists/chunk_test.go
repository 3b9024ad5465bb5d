package lists

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// chunkEnv is a quiet env with a post to 40 subscribers expanded into
// the queue, and two Deliverers beating but not running.
func chunkEnv(t *testing.T) (*env, *Deliverer, *Deliverer) {
	t.Helper()
	e := newQuietEnv(t)
	ctx := context.Background()
	addrs := []string{"alice@example.org"}
	for i := range 40 {
		addrs = append(addrs, fmt.Sprintf("c%02d@example.net", i))
	}
	e.subscribe("httpbis", addrs...)
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "chunks", "", "x")); err != nil {
		t.Fatal(err)
	}
	if n, err := e.lists.ExpandFanouts(ctx); err != nil || n != 40 {
		t.Fatalf("expansion queued %d copies (%v), want 40", n, err)
	}
	var ds []*Deliverer
	for range 2 {
		d := &Deliverer{Lists: e.lists, Workers: 1}
		d.init()
		if err := d.hb.beat(ctx); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return e, ds[0], ds[1]
}

func ids(batch []leased) []int64 {
	var out []int64
	for _, l := range batch {
		out = append(out, l.id)
	}
	return out
}

// TestExpansionWritesChunks: the expander puts each copy in a chunk of
// consecutive subscriptions, of at least minShare copies, and keeps
// every one of them out of the index of rows leased one by one.
func TestExpansionWritesChunks(t *testing.T) {
	e, _, _ := chunkEnv(t)
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE chunk_id IS NULL`); n != 0 {
		t.Errorf("%d copies in no chunk", n)
	}
	// 40 copies, the first expansion chunk (firstChunk): 40 copies in
	// chunks of minShare.
	if n := e.count(`SELECT COUNT(*) FROM delivery_chunk`); n != 3 {
		t.Errorf("%d chunks, want 3 (16, 16 and 8 copies)", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery d JOIN delivery_chunk c ON c.id = d.chunk_id
		WHERE d.post_id <> c.post_id OR d.subscription_id <= c.after OR d.subscription_id > c.until`); n != 0 {
		t.Errorf("%d copies outside their chunk's subscriptions", n)
	}
}

// TestChunkLeaseWritesNoCopy: a chunk's lease takes the chunk's row and
// writes none of its copies'; the next lease, of this process or
// another, takes the next chunk.
func TestChunkLeaseWritesNoCopy(t *testing.T) {
	e, a, b := chunkEnv(t)
	ctx := context.Background()
	first, h1, err := a.take(ctx)
	if err != nil || h1 == nil || len(first) != minShare {
		t.Fatalf("the first lease took %d copies, chunk %v (%v); want a chunk of %d", len(first), h1, err, minShare)
	}
	second, h2, err := b.take(ctx)
	if err != nil || h2 == nil || h2.id == h1.id {
		t.Fatalf("the second lease took chunk %v (%v) after chunk %d", h2, err, h1.id)
	}
	for _, id := range ids(second) {
		if slices.Contains(ids(first), id) {
			t.Errorf("copy %d leased in two chunks", id)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE claimed_until IS NOT NULL OR claimed_by <> '' OR attempts <> 0`); n != 0 {
		t.Errorf("%d copies' rows written by the chunks' leases", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery_chunk WHERE claimed_by = $1 AND id = $2`, a.hb.id, h1.id); n != 1 {
		t.Error("the first chunk is not leased to the first process")
	}
}

// TestChunkOfADeadWorkerGoesAgainWithoutItsMarks: a chunk whose holder
// stopped beating is leased again, with the copies it sent and marked
// left out; the dead holder's hand-back, should it come, leaves the
// chunk to its new holder, whose own hand-back deletes it.
func TestChunkOfADeadWorkerGoesAgainWithoutItsMarks(t *testing.T) {
	e, a, b := chunkEnv(t)
	ctx := context.Background()
	batch, h, err := a.take(ctx)
	if err != nil || h == nil {
		t.Fatalf("lease: chunk %v (%v)", h, err)
	}
	// Two copies went and were marked; then the holder stopped beating.
	m := &marker{d: a, folder: &folder{d: a, kick: make(chan struct{}, 1)}}
	if err := m.sent(ctx, ids(batch[:2])); err != nil {
		t.Fatal(err)
	}
	m.close()
	if _, err := e.db.Exec(`UPDATE delivery_worker SET beat = $1 WHERE id = $2`, e.db.Now().Add(-time.Hour), a.hb.id); err != nil {
		t.Fatal(err)
	}
	again, h2, err := b.take(ctx)
	if err != nil || h2 == nil || h2.id != h.id {
		t.Fatalf("the dead holder's chunk was not leased again: chunk %v (%v), want %d", h2, err, h.id)
	}
	if want := ids(batch[2:]); !slices.Equal(ids(again), want) {
		t.Errorf("leased again: %v; want the copies not marked, %v", ids(again), want)
	}
	if err := a.releaseChunk(ctx, h); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery_chunk WHERE id = $1 AND claimed_by = $2`, h.id, b.hb.id); n != 1 {
		t.Fatal("the dead holder's hand-back took the chunk from its new holder")
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE chunk_id IS NULL`); n != 0 {
		t.Fatalf("the dead holder's hand-back freed %d copies of the chunk", n)
	}
	if err := b.releaseChunk(ctx, h2); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery_chunk WHERE id = $1`, h.id); n != 0 {
		t.Error("the holder's hand-back left the chunk")
	}
	// Nothing of it was recorded but the two marks: its other copies go
	// to the queue leased row by row, and the marked ones never.
	free := e.count(`SELECT COUNT(*) FROM delivery WHERE chunk_id IS NULL AND state = 'queued'`)
	if free != len(batch)-2 {
		t.Errorf("%d copies of the chunk handed back to the queue leased row by row, want %d", free, len(batch)-2)
	}
	b.headScan.Store(0)
	rows, err := b.lease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids(rows) {
		if slices.Contains(ids(batch[:2]), id) {
			t.Errorf("copy %d, marked sent, was leased again", id)
		}
	}
}

// TestDeferredCopyLeavesItsChunk: a copy of a chunk that the smarthost
// refuses for now has its attempt counted and goes to the queue leased
// row by row, where it waits for its retry; the chunk, every copy of it
// recorded, goes.
func TestDeferredCopyLeavesItsChunk(t *testing.T) {
	e := newQuietEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com")
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "deferred", "", "x")); err != nil {
		t.Fatal(err)
	}
	sink := startSink(t)
	sink.refuseMail.Store(true) // a 550 to MAIL FROM: the smarthost's failure, retried
	d := &Deliverer{Lists: e.lists, Smarthost: sink.addr, Hello: domain, Poll: 50 * time.Millisecond, Backoff: time.Hour, Digests: -1}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'queued' AND attempts = 1 AND chunk_id IS NULL
			AND next_attempt > $1 AND last_error LIKE '%relaying denied%'`, e.db.Now().UTC().Add(30*time.Minute)) == 2
	})
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery_chunk`) == 0 })
}

// TestChunkWithRefusedCopiesGoesBack: a chunk whose copies the smarthost
// takes and refuses in turn, their records committed together, goes
// back once every record is in; each refused copy failed for good (a
// 550 to its recipient) and each other one sent. The records of the
// refusals were once told twice, as the marks' and as their own.
func TestChunkWithRefusedCopiesGoesBack(t *testing.T) {
	e := newEnv(t)
	addrs := []string{"alice@example.org"}
	for i := range 30 {
		a := fmt.Sprintf("r%02d@example.net", i)
		addrs = append(addrs, a)
		if i%2 == 1 {
			e.sink.mu.Lock()
			e.sink.reject[a] = true
			e.sink.mu.Unlock()
		}
	}
	e.subscribe("httpbis", addrs...)
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "refusals", "", "x")); err != nil {
		t.Fatal(err)
	}
	e.waitFor(15)
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == 15 && e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'failed'`) == 15
	})
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery_chunk`) == 0 })
}
