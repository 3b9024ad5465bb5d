package lists

import (
	"context"
	"database/sql"
	"time"

	"hum/internal/db"
	"hum/internal/mail"
)

// recorder commits results. Every copy sent that has arrived is marked in
// one statement (group commit), on a connection whose commits do not wait
// for the disk (db.Unsynced): a crash of hum cannot lose a mark, and the
// workers wait for each before the smarthost may take their next copy,
// which a sync at every few copies would slow to half (sendBatch).
// Failures follow in a transaction of their own, one by one. A mark
// appends the copies' ids to delivery_sent, and the folder moves them into
// delivery in bulk (see folder).
//
// It commits when a worker waits for a mark (need), when every worker has
// a copy to mark, or markerLinger after the first copy it holds, not at
// each copy that comes in: a worker only needs its mark once the next
// copy's data is written, and meanwhile the others' marks gather. Marked
// as they came, the copies of a fan-out went 1.3 to a commit, and the
// commits were a third of hum's CPU on SQLite.
func (d *Deliverer) recorder(results <-chan result) {
	ctx := context.Background()
	f := d.startFolder()
	defer f.stop()
	m := &marker{d: d, folder: f}
	defer m.close()
	idle := time.NewTimer(markerIdle)
	defer idle.Stop()
	linger := time.NewTimer(markerLinger)
	linger.Stop()
	var batch []result
	// take adds what has come in to batch without waiting. It returns
	// false once results is closed.
	take := func() bool {
		for len(batch) < 500 {
			select {
			case r, ok := <-results:
				if !ok {
					return false
				}
				batch = append(batch, r)
			default:
				return true
			}
		}
		return true
	}
	flush := func() {
		linger.Stop()
		if len(batch) > 0 {
			d.record(ctx, m, batch)
			batch = batch[:0]
		}
		idle.Reset(markerIdle)
	}
	for {
		select {
		case r, ok := <-results:
			if !ok {
				flush()
				return
			}
			if len(batch) == 0 {
				linger.Reset(markerLinger)
			}
			batch = append(batch, r)
			open := take()
			if !open || len(batch) >= d.Workers {
				flush()
			}
			if !open {
				return
			}
		case <-d.need:
			// The waiting worker sent its copy's result before it said so:
			// it is in results, if not in batch already.
			open := take()
			flush()
			if !open {
				return
			}
		case <-linger.C:
			flush()
		case <-idle.C:
			m.close()
		}
	}
}

// markerIdle is how long the recorder keeps its connection with nothing
// to record: through a fan-out, not between posts. markerLinger is how
// long a copy sent may wait for its mark when no worker needs it: the
// last copies of a fan-out, and failures.
const (
	markerIdle   = time.Second
	markerLinger = 5 * time.Millisecond
)

func (d *Deliverer) record(ctx context.Context, m *marker, batch []result) {
	var sent []int64
	var failed []result
	for _, r := range batch {
		if r.err == nil && !r.gone {
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
			if r.recorded != nil && r.err == nil && !r.gone {
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
