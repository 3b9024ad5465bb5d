package lists

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"hum/internal/db"
	"hum/internal/mail"
)

// Deliverer sends queued copies from the delivery table to the smarthost.
// Several workers each lease a batch of rows and send them over one
// reused SMTP connection; results go to one goroutine that commits them in
// groups. Each row is one (post, address) pair, unique. A worker ends the
// data of a copy only once the copy it sent before is marked sent, so a
// crash leaves at most one copy per worker that the smarthost took and
// the table does not know of; the restart sends those again. SMTP has no
// two-phase commit, so that one cannot be ruled out (RFC 1047).
type Deliverer struct {
	Lists     *Service
	Smarthost string
	Hello     string
	Log       *slog.Logger
	Workers   int           // concurrent SMTP connections; default 8
	Batch     int           // rows leased at a time; default 100
	Poll      time.Duration // default 2s
	Backoff   time.Duration // first retry delay, doubled each time; default 30s
	MaxTries  int           // temporary failures before giving up; default 10
	DKIM      *DKIMKey      // sign copies when set
	// Digests is how often to look for digests that are due; default
	// 10 minutes, negative for never (tests call SendDigests).
	Digests time.Duration

	once   sync.Once
	hb     *heartbeat
	passes passes
	need   chan struct{} // a worker waits for the mark of its copy before (recorder)
	// Where the next lease looks from (see lease): the highest id this
	// process has leased, and when a lease last looked from the head.
	cursor   atomic.Int64
	headScan atomic.Int64 // UnixNano
}

// passes lets a test wait, without sleeping, until a lease pass that
// began after some moment has ended: then every copy the workers would
// take in that state has been taken, and shows in the table.
type passes struct {
	began atomic.Int64 // lease passes started
	ended atomic.Int64 // the highest start number of a pass that has ended
}

func (p *passes) begin() int64 { return p.began.Add(1) }

func (p *passes) end(n int64) {
	for {
		e := p.ended.Load()
		if n <= e || p.ended.CompareAndSwap(e, n) {
			return
		}
	}
}

func (d *Deliverer) init() {
	d.once.Do(func() {
		if d.Workers == 0 {
			d.Workers = 8
		}
		if d.Batch == 0 {
			d.Batch = 100
		}
		if d.Poll == 0 {
			d.Poll = 2 * time.Second
		}
		if d.Backoff == 0 {
			d.Backoff = 30 * time.Second
		}
		if d.MaxTries == 0 {
			d.MaxTries = 10
		}
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		d.hb = newHeartbeat(d)
		d.need = make(chan struct{}, 1)
	})
}

type leased struct {
	id, postID, subID int64
	address, token    string
	attempts          int
}

type result struct {
	leased
	gone     bool // the subscription is no longer active: cancelled, not sent
	err      error
	recorded chan error // for a copy sent: told once the record of it is committed, or failed
}

// Run delivers until ctx is done.
func (d *Deliverer) Run(ctx context.Context) {
	d.init()
	// Marks a crash left unfolded go into delivery first (fold.go); on
	// SQLite before the leases are released.
	if err := d.foldMarks(ctx); err != nil {
		d.Log.Error("folding the marks of copies sent", "err", err)
	}
	d.releaseLeases(ctx)
	if err := d.hb.beat(ctx); err != nil {
		d.Log.Warn("delivery heartbeat", "worker", d.hb.id, "err", err) // the workers wait for one to succeed
	}
	var beats sync.WaitGroup
	beats.Add(1)
	go func() { defer beats.Done(); d.hb.run(ctx) }()
	results := make(chan result, 1024)
	var wg sync.WaitGroup
	work := make(chan struct{}, d.Workers)
	for range d.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); d.worker(ctx, work, results) }()
	}
	done := make(chan struct{})
	go func() { d.recorder(results); close(done) }()
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	every := d.Digests
	if every == 0 {
		every = 10 * time.Minute
	}
	var digestC <-chan time.Time
	if every > 0 {
		digests := time.NewTicker(every)
		defer digests.Stop()
		digestC = digests.C
		d.digests(ctx)
	}
	kick := func() {
		for range d.Workers {
			select {
			case work <- struct{}{}:
			default:
			}
		}
	}
	// The expander queues the copies of posts taken since (fanout.go); each
	// chunk it commits wakes this loop again, which kicks the workers.
	expand := make(chan struct{}, 1)
	expanded := make(chan struct{})
	go func() { d.expander(ctx, expand); close(expanded) }()
	wake := func() {
		select {
		case expand <- struct{}{}:
		default:
		}
		kick()
	}
	wake()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			<-expanded
			close(results)
			<-done
			beats.Wait()
			d.hb.stop()
			return
		case <-t.C:
			wake()
		case <-digestC:
			d.digests(ctx)
		case <-d.Lists.woken():
			wake()
		}
	}
}

// expander expands pending fan-outs each time it is told to, until ctx is
// done. It runs beside the workers, so they send the first chunk's
// copies while the next chunk is written.
func (d *Deliverer) expander(ctx context.Context, expand <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-expand:
		}
		if _, err := d.Lists.ExpandFanouts(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("expanding fan-outs", "err", err)
		}
	}
}

func (d *Deliverer) digests(ctx context.Context) {
	if err := d.Lists.SendDigests(ctx); err != nil && ctx.Err() == nil {
		d.Log.Error("digests", "err", err)
	}
}

// worker sends leased batches until there is nothing due, keeping its
// connection open while there is work.
func (d *Deliverer) worker(ctx context.Context, work <-chan struct{}, results chan<- result) {
	posts := &posts{byID: map[int64]*prepared{}}
	var last chan error // the record of this worker's last copy sent, until it is known
	for {
		select {
		case <-ctx.Done():
			return
		case <-work:
		}
		var conn *mail.RelayConn
		for ctx.Err() == nil {
			gen, ok := d.hb.current()
			if !ok {
				break // not alive as far as other processes can tell: lease nothing
			}
			leasedAt := time.Now()
			pass := d.passes.begin()
			batch, err := d.lease(ctx)
			d.passes.end(pass)
			if err != nil {
				d.Log.Error("leasing deliveries", "err", err)
				break
			}
			if len(batch) == 0 {
				break
			}
			if conn, err = d.sendBatch(ctx, conn, posts, batch, leasedAt, gen, &last, results); err != nil {
				d.Log.Error("delivery stopped", "err", err)
				break
			}
		}
		if conn != nil {
			conn.Close()
		}
		if len(posts.byID) > 64 {
			clear(posts.byID)
		}
	}
}

// errLeaseEnded stops a batch whose lease may have run out.
var errLeaseEnded = errors.New("the lease may have run out")

// sendBatch sends the copies of one lease. The smarthost gets the end of
// a copy's data only once the copy before it is recorded as sent (last),
// so a crash can send again at most one copy per worker: the one whose
// 250 came in the instant before, which no SMTP sender can rule out. The
// copy is built and written meanwhile, so the record costs little time.
// It returns an error when the rest of the batch must not be sent.
func (d *Deliverer) sendBatch(ctx context.Context, conn *mail.RelayConn, posts *posts, batch []leased, leasedAt time.Time, gen uint64, last *chan error, results chan<- result) (*mail.RelayConn, error) {
	// Never send on a lease that may have run out: another worker could
	// have taken the row meanwhile. What is left goes back to the queue
	// when the lease ends. Nor once this process's heartbeat is late, as
	// others may take over its rows after staleAfter (heartbeat.go).
	onLease := func() bool {
		return time.Since(leasedAt) <= leaseFor-leaseMargin && d.hb.valid(gen) && ctx.Err() == nil
	}
	for _, l := range batch {
		if !onLease() {
			return conn, nil
		}
		if l.token == "" {
			// The subscriber left or was disabled after the copy was
			// queued, and the change's cancelling of it did not reach the
			// queue (a crash between the two files' commits, on SQLite):
			// cancelled, not sent.
			results <- result{leased: l, gone: true}
			continue
		}
		var stop error
		ready := func() error {
			if *last != nil {
				var err error
				select {
				case err = <-*last:
				default:
					select {
					case d.need <- struct{}{}:
					default: // said already
					}
					err = <-*last
				}
				*last = nil
				if err != nil {
					stop = fmt.Errorf("recording the copy before: %w", err)
					return stop
				}
			}
			if !onLease() {
				stop = errLeaseEnded
			}
			return stop
		}
		var err error
		conn, err = d.send(ctx, conn, posts, l, ready)
		if errors.Is(stop, errLeaseEnded) {
			return conn, nil // not sent; nothing to record
		}
		if stop != nil {
			return conn, stop
		}
		r := result{leased: l, err: err}
		if err == nil {
			r.recorded = make(chan error, 1)
			*last = r.recorded
		}
		results <- r
	}
	return conn, nil
}

// posts is a worker's: the posts it is sending copies of, each prepared
// once, and the buffer its copies' own headers are written in.
type posts struct {
	byID map[int64]*prepared
	own  []byte
}

func (d *Deliverer) send(ctx context.Context, conn *mail.RelayConn, posts *posts, l leased, ready func() error) (*mail.RelayConn, error) {
	p := posts.byID[l.postID]
	if p == nil {
		var list string
		var raw []byte
		var rewrite bool
		err := d.Lists.DB.QueryRowContext(ctx, `SELECT l.name, p.raw, p.dmarc_rewrite FROM list_post p JOIN list l ON l.id = p.list_id WHERE p.id = $1`, l.postID).Scan(&list, &raw, &rewrite)
		if err != nil {
			return conn, err
		}
		if p, err = d.Lists.prepare(list, raw, rewrite); err != nil {
			return conn, err
		}
		posts.byID[l.postID] = p
	}
	parts, err := d.Lists.copyParts(p, l.token, d.DKIM, posts.own)
	if err != nil {
		return conn, err
	}
	posts.own = parts[0]
	if conn == nil {
		if conn, err = mail.DialRelay(d.Smarthost, d.Hello); err != nil {
			return nil, err
		}
	}
	if err := conn.Send(d.Lists.verp(p.list, l.token), l.address, ready, parts...); err != nil {
		conn.Close() // a fresh connection for the next copy (see RelayConn.Send)
		return nil, err
	}
	return conn, nil
}

// A lease is short, so that rows a crashed process had claimed but not
// sent go out soon after another process (or the restarted one) looks; a
// worker stops sending on a lease leaseMargin before it ends, so a row is
// never sent on a lease that another worker may hold by then. A batch
// takes milliseconds on a local smarthost; a slow one just sends fewer
// copies per lease. The lease is the fallback: rows held by a process
// that stopped beating are taken over sooner (heartbeat.go).
const (
	leaseFor    = 20 * time.Second
	leaseMargin = 5 * time.Second
)

// minShare is the fewest copies a lease takes when more are due (see
// lease).
const minShare = 16

// releaseLeases frees every lease at start-up on SQLite, where one hum
// process serves the database: any lease there is a crashed process's.
// On PostgreSQL other processes' leases are live; they run out instead.
func (d *Deliverer) releaseLeases(ctx context.Context) {
	if d.Lists.DB.Dialect != db.SQLite {
		return
	}
	if _, err := d.Lists.DB.ExecContext(ctx, `UPDATE delivery SET claimed_until = NULL, claimed_by = '' WHERE state = 'queued' AND claimed_until IS NOT NULL`); err != nil {
		d.Log.Error("releasing leases", "err", err)
	}
}

// lease claims up to Batch due rows for leaseFor.
func (d *Deliverer) lease(ctx context.Context) ([]leased, error) {
	now := d.Lists.DB.Now().UTC()
	lock := ""
	if d.Lists.DB.Dialect == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// A row is free when nobody leased it, its lease ran out, or its
	// holder has stopped beating.
	free := freeRow("$2", "$4")
	// Look first: on SQLite even an UPDATE that finds nothing takes the
	// one write lock, which idle workers polling would keep from the
	// recorder that a sending worker waits for (sendBatch). The look
	// counts, up to a batch for every worker: when fewer are due, each
	// worker takes its share, so that the last copies of a fan-out go
	// over every connection rather than in one worker's last batch while
	// the others idle. A share is never under minShare copies, as a new
	// connection costs more than a few copies.
	//
	// Both look past the cursor, the highest id this process has leased:
	// the head of the queue holds the copies in flight, leased by the
	// other workers, and on PostgreSQL the index entries of rows leased
	// and marked since the last vacuum, which every lease from the head
	// read through and left (a lease took 19 ms there, most of
	// PostgreSQL's time in a fan-out). Rows behind the cursor (a retry
	// come due, a crashed process's, one committed late) are taken when
	// nothing is left past it, and by a look from the head at least every
	// leaseRescan.
	from := d.cursor.Load()
	if time.Duration(now.UnixNano()-d.headScan.Load()) > leaseRescan {
		from = 0
	}
	var due int
	for {
		err := d.Lists.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM delivery WHERE state = 'queued' AND next_attempt <= $1
			AND `+freeRow("$1", "$2")+` AND id > $4 LIMIT $3) q`, now, now.Add(-staleAfter), d.Batch*d.Workers, from).Scan(&due)
		if err != nil {
			return nil, err
		}
		if due > 0 || from == 0 {
			break
		}
		from = 0
	}
	if due == 0 {
		return nil, nil
	}
	if from == 0 {
		d.headScan.Store(now.UnixNano())
	}
	n := min(d.Batch, max(minShare, (due+d.Workers-1)/d.Workers))
	// Unsynced, as the marks are (recorder.go): on SQLite a commit that
	// syncs holds the one write lock through the sync, and the marks that
	// every worker waits for would wait for it. A lease that a power cut
	// undoes only frees its rows again, and the marks after it go with it.
	conn, release, err := d.Lists.DB.Unsynced(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	// The rows to take, at most n. On PostgreSQL they are picked and
	// locked in a CTE, which is computed once: as a subquery of the
	// UPDATE's WHERE, the planner could run it again for each row (a
	// nested loop), and each run, seeing the rows the one before had
	// leased as taken, picked the next n, so one lease took every row due
	// (TestLeaseTakesAtMostItsBatch). The UPDATE takes the picked rows as
	// they are: FOR UPDATE has checked each against its latest version as
	// it locked it, and no other lease can change it until this one
	// commits, so checking them again (as this statement did) only cost
	// time: 142-178 -> 69-86 ms of the server's for the 50 leases of a
	// 10,000-copy queue. SQLite runs an IN subquery once, in the one
	// writer's transaction, and its write gate knows a statement by its
	// first word (db/gate.go), which must be UPDATE.
	pick := `SELECT id FROM delivery WHERE state = 'queued' AND next_attempt <= $2
		             AND ` + free + ` AND id > $6 ORDER BY id LIMIT $3` + lock
	returning := ` RETURNING delivery.id, post_id, subscription_id, address, attempts,
		          COALESCE((SELECT s.token FROM subscription s WHERE s.id = delivery.subscription_id AND s.state = 'active'), '')`
	update := `UPDATE delivery SET claimed_until = $1, claimed_by = $5, attempts = attempts + 1
		WHERE id IN (` + pick + `)` + returning
	if d.Lists.DB.Dialect == db.Postgres {
		update = `WITH picked AS MATERIALIZED (` + pick + `)
		UPDATE delivery SET claimed_until = $1, claimed_by = $5, attempts = attempts + 1
		FROM picked WHERE delivery.id = picked.id` + returning
	}
	batch, err := db.Query(ctx, conn, func(row db.Scanner) (leased, error) {
		var l leased
		err := row.Scan(&l.id, &l.postID, &l.subID, &l.address, &l.attempts, &l.token)
		return l, err
	}, update, now.Add(leaseFor), now, n, now.Add(-staleAfter), d.hb.id, from)
	for _, l := range batch {
		for c := d.cursor.Load(); l.id > c && !d.cursor.CompareAndSwap(c, l.id); c = d.cursor.Load() {
		}
	}
	return batch, err
}

// leaseRescan is how often at most a lease looks from the head of the
// queue while there are rows past the cursor (see lease).
const leaseRescan = time.Second

// freeRow is the condition on a delivery row that another worker may
// lease it: nobody leased it, its lease ran out at now, or its holder's
// last beat is older than stale; and no mark of it waits in
// delivery_sent to be folded (fold.go). now and stale are placeholders.
func freeRow(now, stale string) string {
	return `((claimed_until IS NULL OR claimed_until < ` + now + `
		OR (claimed_by <> '' AND claimed_by NOT IN (SELECT w.id FROM delivery_worker w WHERE w.beat >= ` + stale + `)))
		AND id NOT IN (SELECT delivery_id FROM delivery_sent))`
}
