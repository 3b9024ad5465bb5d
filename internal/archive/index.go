package archive

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"hum/internal/jobs"
	"log/slog"
	"time"

	"hum/internal/db"
)

// indexChunk is how many messages one transaction of SyncIndex indexes:
// at most an import's transaction, so an import's index follows it one
// of the import's commits at a time (each transaction of the index's
// connection begins by emptying its page cache).
const indexChunk = importBatch * importBatchesPerTx

// Jobs is the archive's periodic work, for the job runner: SQLite's
// search index catches up every minute (and at start, when its file may
// be new and the whole index is built).
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "search index", Every: time.Minute, Run: func(ctx context.Context) error {
		n, err := s.SyncIndex(ctx)
		if n > 0 {
			cmp.Or(s.Log, slog.Default()).Info("search index caught up", "messages", n)
		}
		if err != nil {
			return err
		}
		return s.mergeIndex(ctx)
	}}}
}

// A search seeks each of its words in every segment of SQLite's FTS5
// index, so the fewer segments the faster: on 1,000,000 messages an index
// of 47 segments (what an import left, FTS5 merging a level only once it
// holds automerge of them, search.sql) answered in 3.1-3.3 ms at the
// median and 240-247 searches/s under 50 readers; merged into one, in 1.6
// ms and 538-572 searches/s.
//
// An import ends with settleIndex. An import as large as a quarter of
// what the index held before is merged with it into one segment (FTS5's
// optimize: 18 s at 1,000,000 messages, beside the import's 6 minutes),
// which costs at most five times the import's own indexing. A smaller
// import merges its own segments, level by level, and the archive's large
// segment is written again only when those merges reach its level, not
// for every few thousand messages: rewriting it was 39% of the CPU of
// 52,000 messages imported into 1,000,000 (issue 17 §3). Imports one
// after another then keep at most a segment a level, like a binary
// counter, the large segment going up a level each time it is merged
// (TestSmallImportKeepsTheLargeSegment). Posts add a segment each; the
// minutely job's mergeIndex merges any level that holds usermerge of them
// (FTS5's default, 4), writing at most mergePages leaf pages, so a live
// archive keeps a few segments a level.
const mergePages = 500

// optimizeShare: an import of at least 1/optimizeShare of what the index
// held merges the whole index into one segment.
const optimizeShare = 4

// indexedHigh is the highest message id in SQLite's search index (0 on
// PostgreSQL): ids only grow, so it stands for how many messages the
// index holds.
func (s *Service) indexedHigh(ctx context.Context) (int64, error) {
	if s.DB.Search == nil {
		return 0, nil
	}
	var high int64
	if err := s.DB.Search.QueryRowContext(ctx, `SELECT high FROM main.arch_fts_indexed`).Scan(&high); err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	return high, nil
}

// settleIndex merges what an import added to SQLite's search index, which
// held messages up to id before when it began: all of the index into one
// segment when the import was large beside it (FTS5's incremental
// optimize), else only the levels that hold two segments or more
// (usermerge 2 while it runs), which leaves the older, larger segments as
// they are. It merges in steps of settlePages leaf pages, each a
// transaction of its own (mergeSteps), so that a post committed meanwhile
// waits for one step, not for the whole merge, before it is indexed and
// gets its 250 (indexAfter).
func (s *Service) settleIndex(ctx context.Context, before int64) error {
	if s.DB.Search == nil {
		return nil
	}
	high, err := s.indexedHigh(ctx)
	if err != nil {
		return err
	}
	step := cmp.Or(s.settleStep, settlePages)
	if (high-before)*optimizeShare >= before {
		return s.mergeSteps(ctx, -step)
	}
	if err := s.setUsermerge(ctx, 2); err != nil {
		return err
	}
	err = s.mergeSteps(ctx, step)
	// Back to FTS5's default even when ctx has ended (hum import
	// interrupted), or the minutely merges would go on at 2.
	return cmp.Or(err, s.setUsermerge(context.WithoutCancel(ctx), 4))
}

// settlePages is how many leaf pages a step of settleIndex's merge
// writes: about 0.6 s of work, whatever the size of the index. Smaller
// steps cost more in all: merging 200,000 messages' index took 4.9-5.3 s
// of CPU in one step, 4.9-5.0 s in steps of 8,000 pages and 7.6-7.9 s in
// steps of 2,000 (each step a commit, and FTS5 trims the segments it has
// read from at each).
const settlePages = 8000

// indexedHead is what both FTS5 tables index of a message's head, as
// their subject and author columns: the subject, and the author's name
// and address.
const indexedHead = "subject, from_name || ' ' || from_addr"

// ftsTables are the FTS5 tables of SQLite's search index (search.sql):
// every message's words, and its subject's and author's alone. They are
// written and merged together.
var ftsTables = [...]string{"arch_fts", "arch_fts_head"}

// setUsermerge sets how many segments a level must hold for FTS5's merge
// command to merge it: FTS5's default is 4.
func (s *Service) setUsermerge(ctx context.Context, n int) error {
	for _, t := range ftsTables {
		if _, err := s.DB.Search.ExecContext(ctx, `INSERT INTO main.`+t+` (`+t+`, rank) VALUES ('usermerge', $1)`, n); err != nil {
			return fmt.Errorf("search index: merging: %w", err)
		}
	}
	return nil
}

// mergeSteps runs FTS5's merge command, pages pages at a time, each step
// a transaction of its own, until a step finds nothing to merge. A
// negative first step begins an incremental optimize, which the later
// steps (with pages positive) carry on: FTS5 takes up a merge begun
// before any other. A step did nothing when each table's command changed
// fewer than two rows (FTS5's documentation of merge).
func (s *Service) mergeSteps(ctx context.Context, pages int) error {
	for {
		changed, err := s.mergeStep(ctx, pages)
		if err != nil {
			return fmt.Errorf("search index: merging: %w", err)
		}
		if changed < 2 {
			return nil
		}
		pages = max(pages, -pages)
		if s.mergeStepped != nil {
			s.mergeStepped()
		}
	}
}

// mergeStep runs one merge command on each FTS5 table in a transaction
// and returns the most rows one of them changed: each command is judged
// on its own, as one that did nothing may still change a row.
func (s *Service) mergeStep(ctx context.Context, pages int) (changed int64, err error) {
	tx, err := s.DB.Search.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, t := range ftsTables {
		var before, after int64
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+t+` (`+t+`, rank) VALUES ('merge', $1)`, pages); err != nil {
			return 0, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
			return 0, err
		}
		changed = max(changed, after-before)
	}
	return changed, tx.Commit()
}

// mergeIndex merges a level of SQLite's search index that holds usermerge
// segments or more, writing at most mergePages pages; with none, FTS5
// writes nothing.
func (s *Service) mergeIndex(ctx context.Context) error {
	if s.DB.Search == nil {
		return nil
	}
	if _, err := s.mergeStep(ctx, mergePages); err != nil {
		return fmt.Errorf("search index: merging: %w", err)
	}
	return nil
}

// SyncIndex brings SQLite's search index up to date with arch_message
// and returns how many messages it indexed. The index lives in a file of
// its own (db.DB.Search) and is written after the messages commit: by Add
// right after the commit of a post, so a post is searchable when it is
// acknowledged (unless the index is far behind: postIndexed); by Import
// beside its own writer, on the other core; and by hum serve at start and
// every minute, which catches up what a crash or another process left.
// Message ids only grow, so the index is complete up to the highest id it
// holds; a higher id than the archive's means the main file was replaced
// (a restored backup), and the index is built again. On PostgreSQL
// messages are indexed in their own transaction, and SyncIndex does
// nothing.
func (s *Service) SyncIndex(ctx context.Context) (n int, err error) {
	if s.DB.Search == nil {
		return 0, nil
	}
	for {
		k, err := s.indexNext(ctx, indexChunk)
		n += k
		if err != nil || k == 0 {
			return n, err
		}
	}
}

// indexNext indexes the next limit messages in one transaction of the
// search file, whose write lock keeps two processes from indexing the
// same messages.
func (s *Service) indexNext(ctx context.Context, limit int) (n int, err error) {
	tx, err := s.DB.Search.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	defer tx.Rollback()
	var high, top int64
	err = tx.QueryRowContext(ctx, `SELECT high, (SELECT COALESCE(MAX(id), 0) FROM hum.arch_message) FROM main.arch_fts_indexed`).Scan(&high, &top)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	if high > top {
		for _, t := range ftsTables {
			if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+t+` (`+t+`) VALUES ('delete-all')`); err != nil {
				return 0, fmt.Errorf("search index: emptying: %w", err)
			}
		}
		high = 0
	}
	if high == top {
		return 0, nil
	}
	upto := top
	err = tx.QueryRowContext(ctx, `SELECT id FROM hum.arch_message WHERE id > $1 ORDER BY id LIMIT 1 OFFSET $2`, high, limit-1).Scan(&upto)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("search index: %w", err)
	}
	// One statement a table: FTS5 writes a segment at every statement, and
	// larger segments mean less merging.
	res, err := tx.ExecContext(ctx, `INSERT INTO main.arch_fts (rowid, subject, author, body)
		SELECT id, `+indexedHead+`, body FROM hum.arch_message WHERE id > $1 AND id <= $2`, high, upto)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.arch_fts_head (rowid, subject, author)
		SELECT id, `+indexedHead+` FROM hum.arch_message WHERE id > $1 AND id <= $2`, high, upto); err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE main.arch_fts_indexed SET high = $1`, upto); err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	k, err := res.RowsAffected()
	return int(k), err
}

// postIndexed bounds what a post's commit indexes before the sender gets
// 250: the post itself and any few before it. When the index is further
// behind (it is being built, or an import is under way), SyncIndex's
// callers catch up, and the post waits its turn.
const postIndexed = 64

// indexAfter indexes a post once tx has committed. The message is safe in
// arch_message by then, so a failure is only logged: hum serve's minutely
// SyncIndex indexes it.
func (s *Service) indexAfter(tx *db.Tx) {
	if s.DB.Search == nil {
		return
	}
	tx.AfterCommit(func() {
		if _, err := s.indexNext(context.Background(), postIndexed); err != nil {
			cmp.Or(s.Log, slog.Default()).Warn("archive: search index behind", "err", err)
		}
	})
}
