package lists

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"hum/internal/record"
)

// TestFanoutAfter250 is the contract of a post's fan-out (issue 17): the
// 250 comes once the post is one durable row with its fan-out pending,
// not after a row per subscriber; who gets it is decided at the 250; an
// expansion that dies half-way leaves nothing of itself; and however
// many expanders run at once, each subscriber is queued exactly once.
func TestFanoutAfter250(t *testing.T) {
	e := newQuietEnv(t)
	ctx := context.Background()
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com", "dave@example.net", "erin@example.org")
	if err := e.lists.SetMode(ctx, record.System, "httpbis", "dave@example.net", ModeDigest); err != nil {
		t.Fatal(err)
	}
	msg := msgText("Alice <alice@example.org>", "pending fan-out", "", "Hello, list.")
	err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msg, func() {
		if n := e.count(`SELECT COUNT(*) FROM list_post WHERE state = 'accepted' AND fanout_after = 0`); n != 1 {
			t.Errorf("at 250 %d accepted posts with their fan-out pending, want 1", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 0 {
			t.Errorf("at 250 there are %d delivery rows, want none yet", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM event WHERE kind = 'post_accepted'`); n != 1 {
			t.Errorf("at 250 %d post_accepted events, want 1", n)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Joined after the 250: not a recipient of this post.
	e.subscribe("httpbis", "frank@example.net")

	// An expansion that dies after writing its rows, before its commit.
	crash := errors.New("killed mid-expansion")
	e.lists.expandFault = func(int64) error { return crash }
	if _, err := e.lists.ExpandFanouts(ctx); !errors.Is(err, crash) {
		t.Fatalf("expansion with a fault: %v, want the fault", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 0 {
		t.Errorf("a failed expansion left %d delivery rows", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE fanout_after = 0`); n != 1 {
		t.Error("a failed expansion moved the post's fan-out on")
	}
	// One chunk of one subscription (alice, the author: no copy) and a
	// second that dies: the first stays done, the second leaves nothing.
	e.lists.expandFault = nil
	if _, more, err := e.lists.expandChunk(ctx, 1); err != nil || !more {
		t.Fatalf("first chunk: more %v, %v", more, err)
	}
	e.lists.expandFault = func(int64) error { return crash }
	if _, _, err := e.lists.expandChunk(ctx, 1); !errors.Is(err, crash) {
		t.Fatalf("second chunk with a fault: %v", err)
	}
	e.lists.expandFault = nil
	if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 0 {
		t.Errorf("after the author's chunk and a failed one: %d delivery rows, want 0", n)
	}
	// A chunk (bob, carol) whose rows commit and whose move of
	// fanout_after does not, as a crash between the queue's commit and
	// hum.db's would leave it on SQLite: the rows stay, the post is still
	// pending from where the chunk began, and expanding again (below)
	// queues nobody twice.
	e.lists.expandBetween = func(int64) error { return crash }
	if _, _, err := e.lists.expandChunk(ctx, 2); !errors.Is(err, crash) {
		t.Fatalf("a chunk that dies between its two commits: %v", err)
	}
	e.lists.expandBetween = nil
	if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 2 {
		t.Errorf("after a chunk died between its commits: %d delivery rows, want 2", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE fanout_after = (SELECT id FROM subscription WHERE address = 'alice@example.org')`); n != 1 {
		t.Error("a chunk that died before its move of fanout_after moved it")
	}

	// Several expanders at once, as several processes would: one chunk
	// of one subscription at a time, so they race on every step.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		s := &Service{DB: e.db, Domain: domain, BaseURL: "https://hum.test"}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, more, err := s.expandChunk(ctx, 1)
				if err != nil {
					errs <- err
					return
				}
				if !more {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var got []string
	rows, err := e.db.Query(`SELECT address FROM delivery ORDER BY address`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		rows.Scan(&a)
		got = append(got, a)
	}
	rows.Close()
	if want := []string{"bob@example.net", "carol@example.com", "erin@example.org"}; !slices.Equal(got, want) {
		t.Errorf("copies queued for %v, want %v, once each", got, want)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE fanout_after IS NOT NULL`); n != 0 {
		t.Errorf("%d posts still pending after the expansion", n)
	}
	if n, err := e.lists.ExpandFanouts(ctx); err != nil || n != 0 {
		t.Errorf("a second expansion wrote %d rows (%v), want none", n, err)
	}
}

// TestFanoutDelivered: a post to a list of many chunks reaches every
// subscriber once through a running Deliverer.
func TestFanoutDelivered(t *testing.T) {
	e := newQuietEnv(t)
	e.lists.fanoutChunk = 3
	e.startDeliverer()
	const subs = 20
	addrs := []string{"alice@example.org"}
	for i := range subs {
		addrs = append(addrs, fmt.Sprintf("sub%05d@example.net", i))
	}
	if _, err := e.lists.Enrol(context.Background(), record.System, map[string][]string{"httpbis": addrs}, ModeEach); err != nil {
		t.Fatal(err)
	}
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "big list", "", "x")); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(subs)
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.to] {
			t.Errorf("%s got the post twice", m.to)
		}
		seen[m.to] = true
	}
	if len(got) != subs || seen["alice@example.org"] {
		t.Errorf("%d copies, to the author: %v; want %d, not to the author", len(got), seen["alice@example.org"], subs)
	}
}

// TestCopyToLeaverCancelled: a copy queued for a subscriber who has left
// since, whose cancelling did not reach the queue (on SQLite the queue is
// a file of its own, and a crash between the two files' commits would
// leave it queued), is cancelled when leased, not sent; the others go.
func TestCopyToLeaverCancelled(t *testing.T) {
	e := newQuietEnv(t)
	ctx := context.Background()
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com", "dave@example.net")
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "before bob left", "", "x")); err != nil {
		t.Fatal(err)
	}
	if n, err := e.lists.ExpandFanouts(ctx); err != nil || n != 3 {
		t.Fatalf("expansion queued %d copies (%v), want 3", n, err)
	}
	// hum.db's half of two changes, without the queue's: bob left, and
	// dave's delivery was disabled.
	if _, err := e.db.Exec(`UPDATE subscription SET state = 'gone' WHERE address = 'bob@example.net'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`UPDATE subscription SET state = 'disabled' WHERE address = 'dave@example.net'`); err != nil {
		t.Fatal(err)
	}
	e.startDeliverer()
	got := e.waitFor(1)
	if len(got) != 1 || got[0].to != "carol@example.com" {
		t.Errorf("copies went to %v, want carol's alone", got)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'cancelled' AND address IN ('bob@example.net', 'dave@example.net')`); n != 2 {
		t.Errorf("%d of the leavers' copies cancelled, want 2", n)
	}
}

// BenchmarkPost10kSubscribers times a post to a list of 10,000
// subscribers from its DATA to its 250 (issue 17: within 100 ms on both
// engines). No Deliverer runs: the time is the 250's alone.
//
//	go test -run '^$' -bench Post10k ./internal/lists/
func BenchmarkPost10kSubscribers(b *testing.B) {
	e := newEnvWith(b, "", false)
	addrs := []string{"alice@example.org"}
	for i := range 10000 {
		addrs = append(addrs, fmt.Sprintf("sub%05d@example.net", i))
	}
	if _, err := e.lists.Enrol(context.Background(), record.System, map[string][]string{"httpbis": addrs}, ModeEach); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", fmt.Sprintf("post %d", i), "", "Hello, list.")); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFanoutFirstChunkIsSmall: an expansion's first chunk is firstChunk
// subscriptions, so the first copies go out after a short write, and
// each chunk after it is twice the one before, up to the most a chunk
// may hold.
func TestFanoutFirstChunkIsSmall(t *testing.T) {
	e := newQuietEnv(t)
	ctx := context.Background()
	addrs := []string{"alice@example.org"}
	for i := range 2000 {
		addrs = append(addrs, fmt.Sprintf("sub%05d@example.net", i))
	}
	if _, err := e.lists.Enrol(ctx, record.System, map[string][]string{"httpbis": addrs}, ModeEach); err != nil {
		t.Fatal(err)
	}
	e.lists.fanoutChunk = 600
	// The queue's size at each chunk's commit.
	var sizes []int
	e.lists.expandBetween = func(int64) error {
		sizes = append(sizes, e.count(`SELECT COUNT(*) FROM delivery`))
		return nil
	}
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "chunks", "", "x")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lists.ExpandFanouts(ctx); err != nil {
		t.Fatal(err)
	}
	// Chunks of 250, 500, then 600 subscriptions. alice, the author,
	// gets no copy: the first chunk holds her and 249 others.
	if want := []int{249, 749, 1349, 1949, 2000}; !slices.Equal(sizes, want) {
		t.Errorf("the queue at each chunk: %v, want %v", sizes, want)
	}
}
