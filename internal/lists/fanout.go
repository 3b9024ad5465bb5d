package lists

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"hum/internal/db"
	"hum/internal/fail"
)

// fanoutChunk is how many subscriptions one expansion transaction takes
// at most: small enough that the first copies go out while the rest are
// written, and that the writer lock is never held long on SQLite. The
// first chunk of an expansion is firstChunk, and each one after it twice
// the one before, up to fanoutChunk: the first copies wait for the first
// chunk's commit, and 2,000 rows took 19-40 ms to write on PostgreSQL
// before a worker could lease one (issue 17 §2).
const (
	fanoutChunk = 2000
	firstChunk  = 250
)

// chunkMost is the most copies a chunk of the queue holds: a worker
// leases a fan-out's copies a chunk at a time (Deliverer.leaseChunk).
const chunkMost = 100

// ExpandFanouts queues the copies of accepted posts whose fan-out is
// pending (see accept), a chunk of subscriptions at a time, until none is
// left; it returns how many delivery rows it wrote. A chunk is two
// transactions: the first writes the chunk's delivery rows, the second
// moves the post's fanout_after past the chunk. On SQLite the rows are in
// the queue's file and fanout_after in hum.db, which WAL does not commit
// as one, so the order is what makes a crash safe: the rows first, as
// writing them again does nothing (the queue's unique key, ON CONFLICT
// DO NOTHING), and the move second, only from where the chunk
// began. So a crash between chunks or between the two steps loses
// nothing and repeats nothing: the next run starts where the last move
// left off. Several processes may run it at once: on PostgreSQL each
// takes a different post (SKIP LOCKED), and the unique key keeps one copy
// per address even if two expand the same chunk: (post_id, address) on
// SQLite, (post_id, subscription_id) on PostgreSQL, which say the same
// as a list has one subscription per address.
func (s *Service) ExpandFanouts(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "lists.ExpandFanouts")
	// Look first: on SQLite a write transaction that finds nothing still
	// takes the one write lock, which the Deliverer's marks wait for, and
	// this runs at every wake of the Deliverer.
	var pending bool
	if err := s.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM list_post WHERE fanout_after IS NOT NULL)`).Scan(&pending); err != nil || !pending {
		return 0, err
	}
	most := s.fanoutChunk
	if most == 0 {
		most = fanoutChunk
	}
	for chunk := min(firstChunk, most); ; chunk = min(2*chunk, most) {
		k, more, err := s.expandChunk(ctx, chunk)
		n += k
		if err != nil || !more {
			return n, err
		}
	}
}

// expandChunk expands the next chunk of one pending post. more is false
// when no post was pending.
func (s *Service) expandChunk(ctx context.Context, chunk int) (n int, more bool, err error) {
	lock := ""
	if s.DB.Dialect == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var postID, after int64
	var next any // where fanout_after moves: past the chunk, or NULL when done
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		n, more = 0, false
		var listID, until int64
		var author, state string
		err := tx.QueryRowContext(ctx, `SELECT id, list_id, LOWER(author), state, fanout_after, fanout_until FROM list_post
			WHERE fanout_after IS NOT NULL ORDER BY id LIMIT 1`+lock).Scan(&postID, &listID, &author, &state, &after, &until)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		more = true
		// The last subscription of this chunk; none left means done.
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM (SELECT id FROM subscription
			WHERE list_id = $1 AND id > $2 AND id <= $3 ORDER BY id LIMIT $4) c`, listID, after, until, chunk).Scan(&last); err != nil {
			return err
		}
		if !last.Valid {
			return nil // next stays nil: done
		}
		if last.Int64 < until {
			next = last.Int64
		}
		// A post goes to the subscribers who get each message, a digest
		// (SendDigests) to those who get digests.
		mode := ModeEach
		if state == "digest" {
			mode = ModeDigest
		}
		// The copies go in chunks of consecutive subscriptions, each
		// leased whole (Deliverer.leaseChunk; migrations 0043 on SQLite,
		// 0045 on PostgreSQL): an eighth of the expansion's copies each,
		// a share for each of the Deliverer's eight workers by default,
		// at least minShare and at most chunkMost copies. The
		// queue's unique key keeps one copy per address, as a list has
		// one subscription per address (PostgreSQL's migration 0044 says
		// why the key differs). Two expanding the same subscriptions at
		// once (PostgreSQL) leave a chunk whose copies the other wrote:
		// leased, it has none, and goes.
		subs := fmt.Sprintf(`WITH s AS (
				SELECT s.id, s.address, (ROW_NUMBER() OVER (ORDER BY s.id) - 1) / (CASE
					WHEN COUNT(*) OVER () <= %[1]d * 8 THEN %[1]d
					WHEN COUNT(*) OVER () > %[2]d * 8 THEN %[2]d
					ELSE (COUNT(*) OVER () + 7) / 8 END) AS k
				FROM subscription s
				WHERE s.list_id = $3 AND s.id > $4 AND s.id <= $5
				  AND s.state = 'active' AND s.mode = $7 AND s.address <> $6)`, minShare, chunkMost)
		args := []any{postID, tx.Now, listID, after, last.Int64, author, mode}
		var res sql.Result
		if tx.Dialect == db.Postgres {
			res, err = tx.ExecContext(ctx, subs+`,
				c AS (INSERT INTO delivery_chunk (post_id, after, until)
					SELECT $1, MIN(id) - 1, MAX(id) FROM s GROUP BY k RETURNING id, after, until)
				INSERT INTO delivery (post_id, subscription_id, address, state, next_attempt, chunk_id)
				SELECT $1, s.id, s.address, 'queued', $2, c.id FROM s JOIN c ON s.id > c.after AND s.id <= c.until
				ON CONFLICT (post_id, subscription_id) DO NOTHING`, args...)
		} else {
			// SQLite has no INSERT in a WITH: the chunks' ids follow the
			// highest, which the transaction's write lock holds still.
			var base int64
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM delivery_chunk`).Scan(&base); err != nil {
				return err
			}
			args = append(args, base)
			if _, err := tx.ExecContext(ctx, subs+`
				INSERT INTO delivery_chunk (id, post_id, after, until)
				SELECT $8 + k + 1, $1, MIN(id) - 1, MAX(id) FROM s GROUP BY k`, args...); err != nil {
				return err
			}
			// WHERE before ON CONFLICT: SQLite would read ON as a join's.
			res, err = tx.ExecContext(ctx, subs+`
				INSERT INTO delivery (post_id, subscription_id, address, state, next_attempt, chunk_id)
				SELECT $1, s.id, s.address, 'queued', $2, $8 + s.k + 1 FROM s WHERE true
				ON CONFLICT (post_id, address) DO NOTHING`, args...)
		}
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		n = int(k)
		if s.expandFault != nil {
			if err := s.expandFault(postID); err != nil {
				return err
			}
		}
		if n > 0 {
			tx.AfterCommit(s.queued)
		}
		return nil
	})
	if err != nil || !more {
		return n, more, err
	}
	if s.expandBetween != nil {
		if err := s.expandBetween(postID); err != nil {
			return n, more, err
		}
	}
	// Only from where this chunk began: another process that expanded
	// the same chunk at once may have moved it already.
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if next == nil {
			_, err := tx.ExecContext(ctx, `UPDATE list_post SET fanout_after = NULL, fanout_until = NULL WHERE id = $1 AND fanout_after = $2`, postID, after)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE list_post SET fanout_after = $1 WHERE id = $2 AND fanout_after = $3`, next, postID, after)
		return err
	})
	return n, more, err
}
