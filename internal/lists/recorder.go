package lists

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"hum/internal/db"
	"hum/internal/mail"
)

// records holds the results not yet recorded, and the one marker that
// commits them. Every copy sent that has come in is marked in one
// statement (group commit), on a connection whose commits do not wait
// for the disk (db.MarksConn): a crash of hum cannot lose a mark, and the
// workers wait for each before the smarthost may take their next copy,
// which a sync at every few copies would slow to half (sendBatch).
// Failures follow in a transaction of their own, one by one. A mark
// appends the copies' ids to delivery_sent, and the folder moves them into
// delivery in bulk (see folder).
//
// Whoever needs a record commits every result waiting, and the others
// wait for that commit (flat combining): a worker that needs the mark of
// its copy before commits it itself, with the others' marks, where it
// used to wake the recorder's goroutine and sleep until that one had,
// two hand-overs between goroutines on a machine whose cores the fan-out
// keeps busy. The recorder's goroutine commits what no worker waits for:
// once every worker has a result waiting, or markerLinger after the
// first, and then until nothing waits (commitAll; committing once and
// leaving the rest to the workers measured the same). Not each copy as
// it comes in: a worker only needs its mark once the next copy's data is
// written, and meanwhile the others' marks gather. Marked as they came, the copies of a fan-out went 1.3 to a
// commit, and the commits were a third of hum's CPU on SQLite.
type records struct {
	d *Deliverer
	m *marker

	mu     sync.Mutex
	batch  []result
	active chan struct{} // closed when the commit under way ends; nil when none is
	last   time.Time     // when the last commit ended
	kick   chan struct{} // tells the recorder's goroutine that results wait
}

// add queues r for its record.
func (q *records) add(r result) {
	q.mu.Lock()
	q.batch = append(q.batch, r)
	n := len(q.batch)
	q.mu.Unlock()
	if n == 1 || n >= q.d.Workers {
		select {
		case q.kick <- struct{}{}:
		default:
		}
	}
}

func (q *records) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.batch)
}

// commit records every result waiting, unless a commit is under way,
// whose end it returns to wait for; nil once it has committed, or when
// nothing waited.
func (q *records) commit() <-chan struct{} {
	q.mu.Lock()
	if q.active != nil {
		busy := q.active
		q.mu.Unlock()
		return busy
	}
	if len(q.batch) == 0 {
		q.mu.Unlock()
		return nil
	}
	b := q.batch
	q.batch = nil
	done := make(chan struct{})
	q.active = done
	q.mu.Unlock()
	q.d.record(context.Background(), q.m, b)
	q.mu.Lock()
	q.active, q.last = nil, time.Now()
	q.mu.Unlock()
	close(done)
	return nil
}

// commitAll commits until nothing waits.
func (q *records) commitAll() {
	for {
		busy := q.commit()
		if busy == nil && q.waiting() == 0 {
			return
		}
		if busy != nil {
			<-busy
		}
	}
}

// closeIdle hands the marker's connection back to its pool when nothing
// was committed for markerIdle: through a fan-out it is kept, not
// between posts. It returns how long to wait before asking again.
func (q *records) closeIdle() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.active != nil {
		return markerIdle
	}
	if left := markerIdle - time.Since(q.last); left > 0 {
		return left
	}
	q.m.close()
	return markerIdle
}

// await waits for r's record, committing it and every result waiting if
// no commit is under way.
func (d *Deliverer) await(r *recording) error {
	for {
		select {
		case <-r.done:
			return r.err
		default:
		}
		busy := d.records.commit()
		if busy == nil {
			// Committed, or r was in a commit that has ended.
			<-r.done
			return r.err
		}
		select {
		case <-r.done:
			return r.err
		case <-busy:
		}
	}
}

// recorder commits the results that no worker waits for, until stop is
// closed, and then every result left; then it stops the folder.
func (d *Deliverer) recorder(stop <-chan struct{}, f *folder) {
	defer f.stop()
	q := d.records
	idle := time.NewTimer(markerIdle)
	defer idle.Stop()
	linger := time.NewTimer(markerLinger)
	linger.Stop()
	for {
		select {
		case <-stop:
			q.commitAll()
			q.mu.Lock()
			q.m.close()
			q.mu.Unlock()
			return
		case <-q.kick:
			if n := q.waiting(); n >= d.Workers {
				linger.Stop()
				q.commitAll()
			} else if n > 0 {
				linger.Reset(markerLinger)
			}
		case <-linger.C:
			q.commitAll()
		case <-idle.C:
			idle.Reset(q.closeIdle())
		}
	}
}

// markerIdle is how long the marker keeps its connection with nothing
// to record: through a fan-out, not between posts. markerLinger is how
// long a result may wait for its record when no worker needs it: the
// last copies of a fan-out, and failures.
const (
	markerIdle   = time.Second
	markerLinger = 5 * time.Millisecond
)

func (d *Deliverer) record(ctx context.Context, m *marker, batch []result) {
	var sent []int64
	var failed []result
	for _, r := range batch {
		if r.sent() {
			sent = append(sent, r.id)
		} else {
			failed = append(failed, r)
		}
	}
	if len(sent) > 0 {
		// Once more on a fresh connection before the workers hear of a
		// failure: each of these copies is with the smarthost, and one
		// left unmarked goes out again (a mark holds one copy of every
		// worker that waits).
		err := m.sent(ctx, sent)
		if err != nil {
			d.Log.Warn("recording deliveries, trying again", "n", len(sent), "err", err)
			err = m.sent(ctx, sent)
		}
		if err != nil {
			d.Log.Error("recording deliveries", "n", len(sent), "err", err)
		}
		for _, r := range batch {
			if r.recorded != nil && r.sent() {
				r.recorded.set(err)
			}
		}
	}
	if len(failed) == 0 {
		return
	}
	err := d.Lists.DB.Write(ctx, func(tx *db.Tx) error {
		for _, r := range failed {
			if err := d.failed(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		d.Log.Error("recording failed deliveries", "n", len(failed), "err", err)
	}
	for _, r := range failed {
		if r.recorded != nil { // a chunk's copy (sendBatch)
			r.recorded.set(err)
		}
	}
}

// marker marks copies sent over the recorder's unsynced connection,
// taken when there is something to mark and handed back when idle. Each
// mark is one statement, so one round trip, and atomic on its own.
type marker struct {
	d       *Deliverer
	folder  *folder
	conn    *sql.Conn
	stmt    *sql.Stmt // the mark, prepared once on conn
	release func()
}

func (m *marker) sent(ctx context.Context, ids []int64) error {
	if m.conn == nil {
		conn, release, err := m.d.Lists.DB.MarksConn(ctx)
		if err != nil {
			return err
		}
		m.conn, m.release = conn, release
	}
	// The text is the same for any ids, prepared once on the connection:
	// on SQLite a text of its own per mark was parsed and planned each
	// time. The ids go in as an array (PostgreSQL) or a JSON array.
	if m.stmt == nil {
		q := `INSERT INTO delivery_sent (delivery_id, sent) SELECT i.id, $1 FROM (` + m.d.Lists.DB.Dialect.SelectIDs("$2") + `) i`
		stmt, err := m.conn.PrepareContext(ctx, q)
		if err != nil {
			m.close()
			return err
		}
		m.stmt = stmt
	}
	now := m.d.Lists.DB.Now().UTC().Truncate(time.Microsecond) // as a Tx's clock
	_, err := m.stmt.ExecContext(ctx, now, m.d.Lists.DB.Dialect.IDs(ids))
	if err != nil {
		m.close() // a fresh connection for the next
		return err
	}
	m.folder.marked(len(ids))
	return nil
}

func (m *marker) close() {
	if m.stmt != nil {
		m.stmt.Close()
		m.stmt = nil
	}
	if m.conn != nil {
		m.release()
		m.conn, m.release = nil, nil
	}
}

// failed records a copy that did not go: one whose subscription is gone
// is cancelled. Only a refusal of the
// recipient is final, and counts as a hard bounce; any other failure
// (the smarthost refused our EHLO or MAIL FROM, or was unreachable) is
// retried with backoff, and after MaxTries the copy fails without
// counting against the subscriber.
func (d *Deliverer) failed(ctx context.Context, tx *db.Tx, r result) error {
	if r.gone {
		_, err := tx.ExecContext(ctx, `UPDATE delivery SET state = 'cancelled', claimed_until = NULL, claimed_by = '' WHERE id = $1 AND state = 'queued'`, r.id)
		return err
	}
	// A lease row by row counted the attempt as it leased the copy; a
	// chunk's lease writes no copy's row, so the count is written here.
	// A copy deferred leaves its chunk for the queue leased row by row,
	// where it waits for its next attempt.
	msg := r.err.Error()
	bounced := mail.RecipientRefused(r.err)
	if !bounced && r.attempts < d.MaxTries {
		backoff := d.Backoff << min(r.attempts-1, 10)
		d.Log.Info("delivery deferred", "id", r.id, "retry_in", backoff, "err", msg)
		_, err := tx.ExecContext(ctx, `UPDATE delivery SET claimed_until = NULL, claimed_by = '', next_attempt = $1, last_error = $2, attempts = $4, chunk_id = NULL WHERE id = $3`, tx.Now.Add(backoff), msg, r.id, r.attempts)
		return err
	}
	d.Log.Warn("delivery failed", "id", r.id, "err", msg)
	if _, err := tx.ExecContext(ctx, `UPDATE delivery SET state = 'failed', claimed_until = NULL, claimed_by = '', last_error = $1, attempts = $3 WHERE id = $2`, msg, r.id, r.attempts); err != nil {
		return err
	}
	if !bounced {
		return nil
	}
	sub, err := subscriptionBy(ctx, tx, `s.id = $1`, r.subID)
	if err != nil {
		return err
	}
	return d.Lists.hardBounce(ctx, tx, sub, "the smarthost refused it: "+oneLine(msg))
}
