package lists

import (
	"context"
	"database/sql"
	"errors"

	"hum/internal/db"
	"hum/internal/fail"
)

// fanoutChunk is how many subscriptions one expansion transaction takes:
// small enough that the first copies go out while the rest are written,
// and that the writer lock is never held long on SQLite.
const fanoutChunk = 2000

// ExpandFanouts queues the copies of accepted posts whose fan-out is
// pending (see accept), a chunk of subscriptions per transaction, until
// none is left; it returns how many delivery rows it wrote. Each chunk
// writes its rows and moves the post's fanout_after in one transaction,
// so a crash between chunks loses nothing and repeats nothing: the next
// run starts where the last commit left off. Several processes may run
// it at once: on PostgreSQL each takes a different post (SKIP LOCKED),
// and UNIQUE (post_id, address) would keep one copy per address even if
// two expanded the same chunk.
func (s *Service) ExpandFanouts(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "lists.ExpandFanouts")
	// Look first: on SQLite a write transaction that finds nothing still
	// takes the one write lock, which the Deliverer's marks wait for, and
	// this runs at every wake of the Deliverer.
	var pending bool
	if err := s.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM list_post WHERE fanout_after IS NOT NULL)`).Scan(&pending); err != nil || !pending {
		return 0, err
	}
	for {
		chunk := s.fanoutChunk
		if chunk == 0 {
			chunk = fanoutChunk
		}
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
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		n, more = 0, false
		var postID, listID, after, until int64
		var author string
		err := tx.QueryRowContext(ctx, `SELECT id, list_id, LOWER(author), fanout_after, fanout_until FROM list_post
			WHERE fanout_after IS NOT NULL ORDER BY id LIMIT 1`+lock).Scan(&postID, &listID, &author, &after, &until)
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
			_, err := tx.ExecContext(ctx, `UPDATE list_post SET fanout_after = NULL, fanout_until = NULL WHERE id = $1`, postID)
			return err
		}
		// WHERE before ON CONFLICT: SQLite would read ON as a join's.
		res, err := tx.ExecContext(ctx, `INSERT INTO delivery (post_id, subscription_id, address, state, next_attempt)
			SELECT $1, s.id, s.address, 'queued', $2 FROM subscription s
			WHERE s.list_id = $3 AND s.id > $4 AND s.id <= $5
			  AND s.state = 'active' AND s.mode = 'each' AND s.address <> $6
			ON CONFLICT (post_id, address) DO NOTHING`, postID, tx.Now, listID, after, last.Int64, author)
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
		next := any(last.Int64)
		if last.Int64 >= until {
			next = nil // the last chunk: done
		}
		if _, err := tx.ExecContext(ctx, `UPDATE list_post SET fanout_after = $1 WHERE id = $2`, next, postID); err != nil {
			return err
		}
		if n > 0 {
			tx.AfterCommit(s.queued)
		}
		return nil
	})
	return n, more, err
}
