package lists

import (
	"context"
	"sync/atomic"
	"time"

	"hum/internal/db"
)

// A mark appends the ids of the copies sent to delivery_sent, and the
// folder moves them into delivery (state 'sent') in bulk. Every sending
// worker waits for the mark of its last copy before the smarthost may
// take the next (sendBatch), so a mark's time is the fan-out's: on
// PostgreSQL an UPDATE of the few delivery rows of one mark, each a new
// row version and an entry in two indexes, took 300-350 µs under a
// fan-out's load and held listbench at 63-75% of the sink's ceiling; an
// INSERT into a table with no index costs little more than the round
// trip (issue 17 §2). A copy is sent once its id is in either table, and
// a lease never takes a row whose id is in delivery_sent (freeRow), so a
// fold that comes late, or never (a crash), sends nothing twice.
//
// The folder folds once foldEvery ids are waiting, foldLinger after the
// last mark, and every foldPoll in any case: the marks of a process that
// crashed are folded by the next fold of any process.
const (
	foldEvery  = 512
	foldLinger = 10 * time.Millisecond
	foldPoll   = 2 * time.Second
)

type folder struct {
	d       *Deliverer
	waiting atomic.Int64 // ids marked and not folded, as far as this process knows
	kick    chan struct{}
	quit    chan struct{}
	done    chan struct{}
}

func (d *Deliverer) startFolder() *folder {
	f := &folder{d: d, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

// marked says that n more ids are in delivery_sent.
func (f *folder) marked(n int) {
	f.waiting.Add(int64(n))
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// stop folds what is left and ends the folder.
func (f *folder) stop() {
	close(f.quit)
	<-f.done
}

func (f *folder) run() {
	defer close(f.done)
	linger := time.NewTimer(foldLinger)
	linger.Stop()
	defer linger.Stop()
	poll := time.NewTicker(foldPoll)
	defer poll.Stop()
	fold := func() {
		linger.Stop()
		f.waiting.Store(0)
		if err := f.d.foldMarks(context.Background()); err != nil {
			f.d.Log.Error("folding the marks of copies sent", "err", err) // they wait for the next fold
		}
	}
	for {
		select {
		case <-f.quit:
			fold()
			return
		case <-f.kick:
			if f.waiting.Load() >= foldEvery {
				fold()
			} else {
				linger.Reset(foldLinger)
			}
		case <-linger.C:
			fold()
		case <-poll.C:
			fold()
		}
	}
}

// The fold's statements. On PostgreSQL the marks are deleted and their
// rows updated in one: two processes folding at once, the second's DELETE
// waits for the first's, then leaves out the rows it deleted. Its rows are
// found by the id's index, named as an array as well as by the join: by
// the join alone, the planner, which knows how many marks there are only
// once delivery_sent has been analyzed, read the whole of delivery, a row
// for every copy ever sent, at every fold: by a hash join over a
// sequential scan, or through the key's index in full with the join as a
// filter (TestFoldSeeksTheMarkedRows). In listbench the server's CPU rose
// with each fan-out of a run, 92 -> 134 µs a copy over five.
const (
	foldPostgres = `WITH f AS (DELETE FROM delivery_sent RETURNING delivery_id, sent)
		UPDATE delivery SET state = 'sent', sent = f.sent, claimed_until = NULL, claimed_by = ''
		FROM f WHERE delivery.id = f.delivery_id AND delivery.id = ANY(ARRAY(SELECT delivery_id FROM f))`
	foldSQLite = `UPDATE delivery SET state = 'sent', sent = f.sent, claimed_until = NULL, claimed_by = ''
		FROM (SELECT delivery_id, MAX(sent) AS sent FROM marks.delivery_sent WHERE rowid <= $1 GROUP BY delivery_id) AS f
		WHERE delivery.id = f.delivery_id`
)

// foldMarks moves every mark in delivery_sent into delivery. On
// PostgreSQL that is one statement, on a connection whose commits do not
// wait for the disk, as the marks' own. On SQLite the marks are in a file
// of their own (db.DB.Marks), written by its own connection, so the fold
// is two transactions: the queue's rows are marked sent up to the last
// mark it saw, then those marks are deleted. A crash between the two
// leaves marks of rows already sent, which the next fold folds again, to
// the same. The first commits synced: the files' logs reach the disk
// each at its own pace, and if the deletion outlived a power cut that
// the rows' change did not, the copies would go again; so a power cut
// sends again at most the copies marked since the last fold. It looks
// first: on SQLite a write takes the main file's write lock.
func (d *Deliverer) foldMarks(ctx context.Context) error {
	if d.Lists.DB.Dialect == db.Postgres {
		var any bool
		if err := d.Lists.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM delivery_sent)`).Scan(&any); err != nil || !any {
			return err
		}
		conn, release, err := d.Lists.DB.Unsynced(ctx)
		if err != nil {
			return err
		}
		defer release()
		_, err = conn.ExecContext(ctx, foldPostgres)
		return err
	}
	// The marks' rowids only grow while the table holds rows, and only
	// this fold deletes them: every mark up to upto is folded below,
	// whatever is marked meanwhile.
	var upto int64
	if err := d.Lists.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(rowid), 0) FROM marks.delivery_sent`).Scan(&upto); err != nil || upto == 0 {
		return err
	}
	if _, err := d.Lists.DB.ExecContext(ctx, foldSQLite, upto); err != nil {
		return err
	}
	_, err := d.Lists.DB.Marks.ExecContext(ctx, `DELETE FROM delivery_sent WHERE rowid <= $1`, upto)
	return err
}
