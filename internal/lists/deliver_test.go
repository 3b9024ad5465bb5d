package lists

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/mail/mailtest"
	"hum/internal/record"
)

// TestSmarthostRefusingSecondEHLO: copies share a connection to a
// smarthost that refuses a second EHLO (sendmail, Python's smtpd), and
// all go out: none is taken for a bounce.
func TestSmarthostRefusingSecondEHLO(t *testing.T) {
	picky := mailtest.StartPicky(t, nil)
	e := newEnvTo(t, picky.Addr)
	subs := []string{"bob@example.net", "carol@example.com", "dan@example.net"}
	e.subscribe("httpbis", append([]string{"alice@example.org"}, subs...)...)
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "one connection", "", "x")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state <> 'queued'`) == 3 })
	// Eight workers may share the three copies out, but at least one
	// connection must have carried a second copy past the second-EHLO trap.
	conns, to := picky.Received()
	slices.Sort(to)
	if !slices.Equal(to, subs) || conns >= len(subs) {
		t.Errorf("the smarthost got copies for %v over %d connections; want %v over fewer than %d", to, conns, subs, len(subs))
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`); n != 3 {
		t.Errorf("%d copies sent, want 3", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription WHERE bounces > 0 OR state <> 'active'`); n != 0 {
		t.Errorf("%d subscribers have bounces or lost delivery", n)
	}
}

// TestSmarthostRefusingMailFrom: a 5xx to MAIL FROM is the smarthost's
// failure, not the subscribers': it is recorded on the copies, retried,
// and counts no bounce, however often it happens.
func TestSmarthostRefusingMailFrom(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com")
	e.sink.refuseMail.Store(true)
	for _, s := range []string{"one", "two", "three"} {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "refused "+s, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM delivery WHERE attempts >= 2 AND last_error LIKE '%550%relaying denied%'`) == 6
	})
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state <> 'queued'`); n != 0 {
		t.Errorf("%d copies left the queue while the smarthost refused MAIL FROM", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription WHERE bounces > 0 OR state <> 'active'`); n != 0 {
		t.Errorf("%d subscribers were charged a bounce for the smarthost's refusal", n)
	}
	e.sink.refuseMail.Store(false)
	e.waitFor(6)
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == 6 })
}

// TestDisableNoticeSaysWhatIsCounted: bounces are counted when each comes
// within a week of the one before, not "in a row" (a copy the smarthost
// takes may still bounce later by DSN), and the notice says so.
func TestDisableNoticeSaysWhatIsCounted(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "gone@example.net")
	e.sink.reject["gone@example.net"] = true
	for _, s := range []string{"a", "b", "c"} {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "post "+s, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM subscription WHERE address = 'gone@example.net' AND state = 'disabled'`) == 1
	})
	sub, err := e.lists.Subscription(t.Context(), "httpbis", "gone@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if r := sub.DisabledReason; strings.Contains(r, "in a row") || !strings.Contains(r, "3 copies could not be delivered, each within 7 days of the one before") {
		t.Errorf("disabled because %q", r)
	}
}

// TestAcceptedCopiesRecordedBeforeTheNext: what a crash can send twice is
// what the smarthost accepted and the delivery table does not yet say was
// sent. At every copy the smarthost takes, that is at most one copy per
// worker. To make a late record show, the test holds up the Deliverer's
// writes (the SQLite write lock; on PostgreSQL, the queued rows) from the
// first copy on: a Deliverer that sends on without recording its sends
// piles them up meanwhile, and one that records each before the next
// waits in the middle of the next one's data. The hold ends when more
// copies than there are workers have gone, or when a copy's data has
// stood unfinished for half a second.
func TestAcceptedCopiesRecordedBeforeTheNext(t *testing.T) {
	e := newEnv(t)
	const n = 40
	var subs []string
	for i := range n {
		subs = append(subs, fmt.Sprintf("r%02d@example.net", i))
	}
	e.subscribe("httpbis", append([]string{"alice@example.org"}, subs...)...)
	workers := e.deliverer.Workers
	// The counts go over a connection of their own: while writes are
	// held, the Deliverer's writers wait holding the pool's others.
	conn, err := e.db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var (
		mu     sync.Mutex
		worst  int
		errs   []error
		enough = make(chan struct{})
		held   = make(chan error, 1)
	)
	hook := func(taken int) {
		mu.Lock()
		defer mu.Unlock()
		if taken == 1 {
			locked := make(chan struct{})
			go func() { held <- e.holdWrites(locked, enough) }()
			<-locked
		}
		if taken == workers+2 {
			close(enough)
		}
		var sent int
		// Recorded as sent: marked (delivery_sent), or folded (fold.go).
		if err := conn.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM delivery WHERE state = 'sent' OR id IN (SELECT delivery_id FROM delivery_sent)`).Scan(&sent); err != nil {
			errs = append(errs, err)
		}
		worst = max(worst, taken-sent)
	}
	e.sink.mu.Lock()
	e.sink.accepting = hook
	e.sink.mu.Unlock()
	defer func() { // before conn closes, and after any call of hook
		e.sink.mu.Lock()
		e.sink.accepting = nil
		e.sink.mu.Unlock()
		mu.Lock()
		mu.Unlock()
	}()
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "recorded one by one", "", "x")); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(n)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Errorf("the smarthost got %d copies, want %d", len(got), n)
	}
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == n })
	mu.Lock()
	defer mu.Unlock()
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	if worst > workers {
		t.Errorf("the smarthost had accepted %d copies that were not recorded as sent; a crash then sends them twice (want at most one per worker, %d)", worst, workers)
	}
}

// holdWrites holds up the Deliverer's writes to the delivery table, and
// closes locked once they are held. They are let go when release is
// closed, or when the sink has had a message's data begun and unfinished
// for half a second (the Deliverer waits for its record), or at most
// after two seconds: a longer hold on SQLite would keep the heartbeat
// from the database long enough to stop the workers.
func (e *env) holdWrites(locked, release chan struct{}) error {
	return e.db.Write(context.Background(), func(tx *db.Tx) error {
		// A write transaction on SQLite holds the one write lock from
		// BEGIN (_txlock=immediate).
		// On PostgreSQL the rows of the queue, and the table the marks
		// go to (fold.go).
		if tx.Dialect == db.Postgres {
			if _, err := tx.Exec(`SELECT id FROM delivery WHERE state = 'queued' FOR UPDATE`); err != nil {
				close(locked)
				return err
			}
			if _, err := tx.Exec(`LOCK TABLE delivery_sent IN EXCLUSIVE MODE`); err != nil {
				close(locked)
				return err
			}
		}
		close(locked)
		end := time.After(2 * time.Second)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var last [2]int
		moved := time.Now()
		for {
			select {
			case <-release:
				return nil
			case <-end:
				return nil
			case <-tick.C:
			}
			begun, taken := e.sink.progress()
			if now := [2]int{begun, taken}; now != last {
				last, moved = now, time.Now()
			} else if begun > taken && time.Since(moved) > 500*time.Millisecond {
				return nil
			}
		}
	})
}

// TestLeaseTakesAtMostItsBatch: a lease takes no more rows than it asks
// for. On PostgreSQL, with the rows picked in a subquery of the UPDATE,
// the planner could run the subquery again for each row, and one lease
// of 2 took all 6 copies due.
func TestLeaseTakesAtMostItsBatch(t *testing.T) {
	e, d := leaseEnv(t)
	ctx := context.Background()
	for i, want := range []int{2, 2, 2, 0} {
		batch, err := d.lease(ctx)
		if err != nil || len(batch) != want {
			t.Errorf("lease %d took %d copies (%v), want %d", i+1, len(batch), err, want)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE claimed_by = $1`, d.hb.id); n != 6 {
		t.Errorf("%d copies leased in all, want 6", n)
	}
}

// TestLeaseLooksPastItsCursorAndBehind: a lease looks past the highest
// id this process has leased, so it does not read again through the
// copies in flight at the head of the queue; a row behind that cursor
// which is free again (a retry come due, a crashed process's) is still
// taken: when nothing is left past the cursor, and by a look from the
// head at least every leaseRescan.
func TestLeaseLooksPastItsCursorAndBehind(t *testing.T) {
	e, d := leaseEnv(t)
	ctx := context.Background()
	lease := func() string {
		t.Helper()
		batch, err := d.lease(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range batch {
			got = append(got, strings.TrimSuffix(l.address, "@example.net"))
		}
		slices.Sort(got)
		return strings.Join(got, " ")
	}
	free := func(addr string) {
		t.Helper()
		if _, err := e.db.Exec(`UPDATE delivery SET claimed_until = NULL, claimed_by = '' WHERE address = $1`, addr); err != nil {
			t.Fatal(err)
		}
	}
	for i, step := range []struct {
		before func()
		want   string
	}{
		{nil, "b1 b2"},
		// b1 is free again, behind the cursor: not looked at yet.
		{func() { free("b1@example.net"); d.headScan.Store(e.db.Now().UnixNano()) }, "b3 b4"},
		// The look from the head is due: b1 first.
		{func() { d.headScan.Store(0) }, "b1 b5"},
		{func() { free("b2@example.net"); d.headScan.Store(e.db.Now().UnixNano()) }, "b6"},
		// Nothing past the cursor: from the head.
		{nil, "b2"},
		{nil, ""},
	} {
		if step.before != nil {
			step.before()
		}
		if got := lease(); got != step.want {
			t.Errorf("lease %d took %q, want %q", i+1, got, step.want)
		}
	}
}

// leaseEnv is a quiet env with six copies of one post queued (to b1 ...
// b6@example.net, after the author alice) and a Deliverer of one worker
// that leases two at a time, beating but not running.
func leaseEnv(t *testing.T) (*env, *Deliverer) {
	t.Helper()
	e := newQuietEnv(t)
	ctx := context.Background()
	e.subscribe("httpbis", "alice@example.org", "b1@example.net", "b2@example.net", "b3@example.net", "b4@example.net", "b5@example.net", "b6@example.net")
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "leases", "", "x")); err != nil {
		t.Fatal(err)
	}
	if n, err := e.lists.ExpandFanouts(ctx); err != nil || n != 6 {
		t.Fatalf("expansion queued %d copies (%v), want 6", n, err)
	}
	e.unchunk()
	d := &Deliverer{Lists: e.lists, Workers: 1, Batch: 2}
	d.init()
	if err := d.hb.beat(ctx); err != nil {
		t.Fatal(err)
	}
	return e, d
}

// unchunk hands every copy a chunk holds to the queue leased row by row,
// as a chunk handed back unsent does, for the tests of that queue.
func (e *env) unchunk() {
	e.t.Helper()
	if _, err := e.db.Exec(`UPDATE delivery SET chunk_id = NULL WHERE chunk_id IS NOT NULL`); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Exec(`DELETE FROM delivery_chunk`); err != nil {
		e.t.Fatal(err)
	}
}

// TestConcurrentLeasesTakeEachCopyOnce: processes leasing from one queue
// at once never take the same copy. On PostgreSQL the lease takes the
// rows its pick has locked (FOR UPDATE SKIP LOCKED) without checking
// them again; a pick that did not lock them would hand a copy to two.
// With 300 copies, that pick passed 8 runs in 20 (its leases did not
// meet); with 1,000, and the workers starting at once, none in 20. It
// runs twice: the copies leased row by row, and in the chunks the
// expander wrote (take), whose lease takes the chunk's row.
func TestConcurrentLeasesTakeEachCopyOnce(t *testing.T) {
	t.Run("rows", func(t *testing.T) { testConcurrentLeases(t, false) })
	t.Run("chunks", func(t *testing.T) { testConcurrentLeases(t, true) })
}

func testConcurrentLeases(t *testing.T, chunks bool) {
	e := newQuietEnv(t)
	ctx := context.Background()
	const subs = 1000
	addrs := []string{"alice@example.org"}
	for i := range subs {
		addrs = append(addrs, fmt.Sprintf("sub%05d@example.net", i))
	}
	if _, err := e.lists.Enrol(ctx, record.System, map[string][]string{"httpbis": addrs}, ModeEach); err != nil {
		t.Fatal(err)
	}
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "leases at once", "", "x")); err != nil {
		t.Fatal(err)
	}
	if n, err := e.lists.ExpandFanouts(ctx); err != nil || n != subs {
		t.Fatalf("expansion queued %d copies (%v), want %d", n, err, subs)
	}
	if !chunks {
		e.unchunk()
	}
	var mu sync.Mutex
	taken := map[int64]int{} // copy -> the process that leased it
	var wg sync.WaitGroup
	start := make(chan struct{}) // every worker leases from the same instant
	for p := range 4 {
		d := &Deliverer{Lists: e.lists, Workers: 2, Batch: 7}
		d.init()
		if err := d.hb.beat(ctx); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for empty := 0; empty < 2; {
					lease := d.lease
					if chunks {
						lease = func(ctx context.Context) ([]leased, error) {
							batch, _, err := d.take(ctx) // its chunk kept: never handed back
							return batch, err
						}
					}
					batch, err := lease(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if len(batch) == 0 {
						empty++
						d.headScan.Store(0) // look from the head again
						continue
					}
					mu.Lock()
					for _, l := range batch {
						if by, ok := taken[l.id]; ok {
							t.Errorf("copy %d (%s) leased by process %d and again by %d", l.id, l.address, by, p)
						}
						taken[l.id] = p
					}
					mu.Unlock()
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	if len(taken) != subs {
		t.Errorf("%d copies leased, want %d", len(taken), subs)
	}
}
