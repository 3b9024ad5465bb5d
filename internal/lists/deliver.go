package lists

import (
	"context"
	"database/sql"
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
// reused SMTP connection; their results are committed in groups
// (records). Each row is one (post, address) pair, unique. A worker ends the
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
	Batch     int           // rows leased at a time, one by one; default 100 (a fan-out's copies go by chunks of up to chunkMost)
	Poll      time.Duration // default 2s
	Backoff   time.Duration // first retry delay, doubled each time; default 30s
	MaxTries  int           // temporary failures before giving up; default 10
	DKIM      *DKIMKey      // sign copies when set
	// Digests is how often to look for digests that are due; default
	// 10 minutes, negative for never (tests call SendDigests).
	Digests time.Duration

	once    sync.Once
	hb      *heartbeat
	passes  passes
	records *records // the results not yet recorded (recorder.go)
	// handingBack counts the chunks whose records are awaited before they
	// go back (sendBatch); Run waits for them before the recorder's end.
	handingBack sync.WaitGroup
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
		d.records = &records{d: d, kick: make(chan struct{}, 1)}
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
	recorded *recording // for a copy sent, or any copy of a chunk: done once its record is committed, or failed
}

// sent reports whether the smarthost took the copy: it is marked, not
// recorded as failed or cancelled.
func (r result) sent() bool { return r.err == nil && !r.gone }

// recording is what the recorder tells of a result's record: done is
// closed once it is committed or has failed (err), so that any number
// may wait for it.
type recording struct {
	done chan struct{}
	err  error
}

func newRecording() *recording { return &recording{done: make(chan struct{})} }

// set tells the waiters; the recorder calls it once.
func (r *recording) set(err error) {
	r.err = err
	close(r.done)
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
	// The marker, before any worker may commit through it (records).
	f := d.startFolder()
	d.records.m = &marker{d: d, folder: f}
	var wg sync.WaitGroup
	work := make(chan struct{}, d.Workers)
	for range d.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); d.worker(ctx, work) }()
	}
	done := make(chan struct{})
	stop := make(chan struct{})
	go func() { d.recorder(stop, f); close(done) }()
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
			d.handingBack.Wait()
			close(stop)
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
func (d *Deliverer) worker(ctx context.Context, work <-chan struct{}) {
	posts := &posts{byID: map[int64]*prepared{}}
	var last *recording // the record of this worker's last copy sent, until it is known
	for {
		select {
		case <-ctx.Done():
			return
		case <-work:
		}
		var conn *mail.RelayConn
		// The next lease is taken while the batch before it is sent: on
		// SQLite a lease waits for the one writer, a fan-out's chunk among
		// them, and taking it in turn with the sending cost a worker
		// about a tenth of its time in listbench.
		next := d.prefetch(ctx)
		for ctx.Err() == nil {
			l := <-next
			if l.err != nil {
				d.Log.Error("leasing deliveries", "err", l.err)
				break
			}
			if len(l.batch) == 0 {
				break
			}
			next = d.prefetch(ctx)
			var err error
			if conn, err = d.sendBatch(ctx, conn, posts, l.batch, l.held, l.at, l.gen, &last); err != nil {
				d.Log.Error("delivery stopped", "err", err)
				// The lease taken meanwhile, if any, runs out unused, as
				// the rest of this one does.
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

// taken is what a worker leased, and when, under which beat.
type taken struct {
	batch []leased
	held  *held
	at    time.Time
	gen   uint64
	err   error
}

// prefetch leases the next copies to send, on a goroutine of its own,
// and hands them over on the channel it returns: none when this process
// is not alive as far as others can tell (its heartbeat is late).
func (d *Deliverer) prefetch(ctx context.Context) <-chan taken {
	ch := make(chan taken, 1)
	go func() {
		gen, ok := d.hb.current()
		if !ok || ctx.Err() != nil {
			ch <- taken{}
			return
		}
		l := taken{at: time.Now(), gen: gen}
		pass := d.passes.begin()
		l.batch, l.held, l.err = d.take(ctx)
		d.passes.end(pass)
		ch <- l
	}()
	return ch
}

// errLeaseEnded stops a batch whose lease may have run out.
var errLeaseEnded = errors.New("the lease may have run out")

// sendBatch sends the copies of one lease. The smarthost gets the end of
// a copy's data only once the copy before it is recorded as sent (last),
// so a crash can send again at most one copy per worker: the one whose
// 250 came in the instant before, which no SMTP sender can rule out. The
// copy is built and written meanwhile, so the record costs little time.
// It returns an error when the rest of the batch must not be sent.
//
// A batch of a chunk (h, PostgreSQL) is handed back once every copy of it
// went to the recorder and the record of each is committed: the chunk is
// deleted, and any copy of it neither marked nor recorded as failed goes
// to the queue leased row by row (releaseChunk). A batch stopped before
// its end keeps its chunk until the lease runs out.
func (d *Deliverer) sendBatch(ctx context.Context, conn *mail.RelayConn, posts *posts, batch []leased, h *held, leasedAt time.Time, gen uint64, last **recording) (*mail.RelayConn, error) {
	// Never send on a lease that may have run out: another worker could
	// have taken the row meanwhile. What is left goes back to the queue
	// when the lease ends. Nor once this process's heartbeat is late, as
	// others may take over its rows after staleAfter (heartbeat.go).
	onLease := func() bool {
		return time.Since(leasedAt) <= leaseFor-leaseMargin && d.hb.valid(gen) && ctx.Err() == nil
	}
	var failures []*recording // the records of a chunk's copies not sent
	// queue hands r to the records: a copy sent becomes last, whose mark
	// the next copy's end waits for; one not sent, of a chunk, is among
	// the failures the chunk's hand-back waits for.
	queue := func(r result) {
		if r.sent() {
			r.recorded = newRecording()
			*last = r.recorded
		} else if h != nil {
			r.recorded = newRecording()
			failures = append(failures, r.recorded)
		}
		d.records.add(r)
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
			queue(result{leased: l, gone: true})
			continue
		}
		var stop error
		ready := func() error {
			if *last != nil {
				err := d.await(*last)
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
		queue(result{leased: l, err: err})
	}
	if h != nil {
		// The chunk goes back once the last copy's record and those of
		// the copies not sent are in, meanwhile the worker sends on.
		// Those of the copies sent before the last are in: each was
		// before the next one's data ended.
		if *last != nil {
			failures = append(failures, *last)
		}
		d.handingBack.Add(1)
		go func() {
			defer d.handingBack.Done()
			for _, f := range failures {
				if err := d.await(f); err != nil {
					d.Log.Warn("a chunk kept until its lease runs out", "chunk", h.id, "err", err)
					return
				}
			}
			if err := d.releaseChunk(context.WithoutCancel(ctx), h); err != nil {
				d.Log.Warn("handing back a chunk", "chunk", h.id, "err", err)
			}
		}()
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
		if p, err = d.Lists.prepare(list, raw, rewrite, d.DKIM != nil); err != nil {
			return conn, err
		}
		posts.byID[l.postID] = p
	}
	head, rest, err := d.Lists.copyParts(p, l.token, d.DKIM, posts.own)
	if err != nil {
		return conn, err
	}
	posts.own = head
	if conn == nil {
		if conn, err = mail.DialRelay(d.Smarthost, d.Hello); err != nil {
			return nil, err
		}
	}
	if err := conn.Send(d.Lists.verp(p.list, l.token), l.address, ready, head, rest); err != nil {
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
	if _, err := d.Lists.DB.ExecContext(ctx, `UPDATE delivery_chunk SET claimed_until = NULL, claimed_by = '' WHERE claimed_until IS NOT NULL`); err != nil {
		d.Log.Error("releasing the chunks leased", "err", err)
	}
}

// lease claims up to Batch due rows for leaseFor.
func (d *Deliverer) lease(ctx context.Context) ([]leased, error) {
	now := d.Lists.DB.Now().UTC()
	lock := ""
	if d.Lists.DB.Dialect == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// A row is free when no chunk holds it (leaseChunk), and nobody
	// leased it, its lease ran out, or its holder has stopped beating.
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
// lease it row by row: no chunk holds it (leaseChunk), which is also the
// condition of the index of such rows (delivery_due); it is free
// (freeClaim); and no mark of it waits in delivery_sent to be folded
// (fold.go). now and stale are placeholders.
func freeRow(now, stale string) string {
	return `(chunk_id IS NULL AND ` + freeClaim(now, stale) + ` AND id NOT IN (SELECT delivery_id FROM delivery_sent))`
}

// freeClaim is the condition on a row with a lease (a delivery row or a
// chunk) that another worker may take it: nobody leased it, its lease
// ran out at now, or its holder's last beat is older than stale.
func freeClaim(now, stale string) string {
	return `(claimed_until IS NULL OR claimed_until < ` + now + `
		OR (claimed_by <> '' AND claimed_by NOT IN (SELECT w.id FROM delivery_worker w WHERE w.beat >= ` + stale + `)))`
}

// held is a chunk of the queue that a worker leased: the chunk and the
// end of its lease, which the hand-back names so that it never deletes a
// chunk whose lease has passed to another.
type held struct {
	id    int64
	until time.Time
}

// take leases the next copies to send: a chunk, if one is free, else
// rows one by one (lease): the retries and the copies of chunks handed
// back unsent.
func (d *Deliverer) take(ctx context.Context) ([]leased, *held, error) {
	for {
		batch, h, err := d.leaseChunk(ctx)
		if err != nil {
			return nil, nil, err
		}
		if h == nil {
			break
		}
		if len(batch) > 0 {
			return batch, h, nil
		}
		// Every copy of it is sent or gone: the chunk goes.
		if err := d.releaseChunk(ctx, h); err != nil {
			return nil, nil, err
		}
	}
	batch, err := d.lease(ctx)
	return batch, nil, err
}

// leaseChunk leases the free chunk of the queue with the lowest id, and
// returns its copies still to go: those queued and not marked sent. It
// writes the chunk's row and no copy's: leasing copies one by one
// rewrote each copy's row, which took 44 µs of PostgreSQL's a copy in
// listbench's fan-out, and on SQLite held the one write lock, which
// every worker's mark waits for, 2.1 ms a lease of 100 (migrations 0045
// and 0043). A copy's attempts are counted where it fails
// (recorder.go). h is nil when no chunk is free.
func (d *Deliverer) leaseChunk(ctx context.Context) (batch []leased, h *held, err error) {
	now := d.Lists.DB.Now().UTC()
	until := now.Add(leaseFor).Truncate(time.Microsecond) // as stored
	stale := now.Add(-staleAfter)
	pg := d.Lists.DB.Dialect == db.Postgres
	if !pg {
		// Look first, as lease does: on SQLite an UPDATE that finds
		// nothing still takes the one write lock.
		var free bool
		if err := d.Lists.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM delivery_chunk WHERE `+freeClaim("$1", "$2")+`)`, now, stale).Scan(&free); err != nil || !free {
			return nil, nil, err
		}
	}
	conn, release, err := d.Lists.DB.Unsynced(ctx) // as lease's
	if err != nil {
		return nil, nil, err
	}
	defer release()
	// The copies' columns, the chunk's id first. On PostgreSQL the chunk
	// is picked and locked in a CTE (as lease's rows are) and its copies
	// read by the queue's unique key, in one statement; on SQLite the
	// pick is in the one writer's UPDATE, and the copies are read after
	// it, through delivery_chunk_rows.
	const cols = `d.id, d.post_id, d.subscription_id, d.address, d.attempts + 1,
			COALESCE((SELECT s.token FROM subscription s WHERE s.id = d.subscription_id AND s.state = 'active'), '')`
	scan := func(s db.Scanner) (leased, error) {
		var l leased
		var id, postID, subID, attempts sql.NullInt64
		var address sql.NullString
		err := s.Scan(&h.id, &id, &postID, &subID, &address, &attempts, &l.token)
		l.id, l.postID, l.subID, l.address, l.attempts = id.Int64, postID.Int64, subID.Int64, address.String, int(attempts.Int64)
		return l, err
	}
	h = &held{until: until}
	var rows []leased
	if pg {
		rows, err = db.Query(ctx, conn, scan, `WITH c AS MATERIALIZED (SELECT id FROM delivery_chunk WHERE `+freeClaim("$2", "$3")+`
				ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED),
			u AS (UPDATE delivery_chunk SET claimed_until = $1, claimed_by = $4 FROM c WHERE delivery_chunk.id = c.id
				RETURNING delivery_chunk.id, post_id, after, until)
			SELECT u.id, `+cols+`
			FROM u LEFT JOIN delivery d ON d.post_id = u.post_id AND d.subscription_id > u.after AND d.subscription_id <= u.until
				AND d.chunk_id = u.id AND d.state = 'queued' AND d.id NOT IN (SELECT delivery_id FROM delivery_sent)
			ORDER BY d.id`, until, now, stale, d.hb.id)
		if err != nil || len(rows) == 0 {
			return nil, nil, err
		}
	} else {
		err := conn.QueryRowContext(ctx, `UPDATE delivery_chunk SET claimed_until = $1, claimed_by = $4
			WHERE id = (SELECT id FROM delivery_chunk WHERE `+freeClaim("$2", "$3")+` ORDER BY id LIMIT 1) RETURNING id`,
			until, now, stale, d.hb.id).Scan(&h.id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, nil // another worker took the last
		}
		if err != nil {
			return nil, nil, err
		}
		if rows, err = db.Query(ctx, conn, scan, `SELECT $1, `+cols+` FROM delivery d
			WHERE d.chunk_id = $1 AND d.state = 'queued' AND d.id NOT IN (SELECT delivery_id FROM delivery_sent)
			ORDER BY d.id`, h.id); err != nil {
			return nil, nil, err
		}
	}
	for _, l := range rows {
		if l.id != 0 { // not the empty side of PostgreSQL's LEFT JOIN
			batch = append(batch, l)
		}
	}
	return batch, h, nil
}

// releaseChunk hands back a chunk whose copies have all been recorded:
// the chunk goes, and a copy of it still queued and not marked (none
// when every record was committed) to the queue leased row by row. A
// chunk whose lease has passed to another is left to that one.
func (d *Deliverer) releaseChunk(ctx context.Context, h *held) error {
	conn, release, err := d.Lists.DB.Unsynced(ctx)
	if err != nil {
		return err
	}
	defer release()
	if d.Lists.DB.Dialect == db.Postgres {
		_, err = conn.ExecContext(ctx, `WITH c AS (DELETE FROM delivery_chunk WHERE id = $1 AND claimed_by = $2 AND claimed_until = $3
				RETURNING id, post_id, after, until)
			UPDATE delivery SET chunk_id = NULL FROM c
			WHERE delivery.post_id = c.post_id AND delivery.subscription_id > c.after AND delivery.subscription_id <= c.until
				AND delivery.chunk_id = c.id AND delivery.state = 'queued' AND delivery.id NOT IN (SELECT delivery_id FROM delivery_sent)`,
			h.id, d.hb.id, h.until)
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM delivery_chunk WHERE id = $1 AND claimed_by = $2 AND claimed_until = $3`, h.id, d.hb.id, h.until)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if _, err := tx.ExecContext(ctx, `UPDATE delivery SET chunk_id = NULL
			WHERE chunk_id = $1 AND state = 'queued' AND id NOT IN (SELECT delivery_id FROM delivery_sent)`, h.id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
