package archive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mbox"
	"hum/internal/record"
)

// ImportResult accounts for every message of an import:
// Read == Imported + Duplicates + len(Rejected).
type ImportResult struct {
	Read       int
	Imported   int
	Duplicates int
	Rejected   []Rejection
}

// Rejection is a message the archive did not take, and why.
type Rejection struct {
	N         int    // position in the mailbox, from 1
	MessageID string // when one could be read
	Reason    string
}

// importBatch and importBatchBytes bound a batch: the messages that share
// a transaction, are parsed together and are held in memory at once. A
// batch ends at whichever bound it reaches first: large enough that
// commits do not dominate, small enough that a failed batch is cheap to
// retry message by message and that the import's memory does not depend
// on the size of its input. At most three batches are in memory at once
// (one being written, one waiting, one being read and parsed), so an
// import holds at most about 3 × importBatchBytes of mail, parsed twice
// over (raw, and the text for the index), whatever the size of the mbox.
const (
	importBatch      = 2000
	importBatchBytes = 4 << 20
)

type importItem struct {
	n      int
	p      *parsed
	reject string
}

// Import reads an mbox (any variant, gzip too) into the archive of list.
// Messages are parsed while the previous batch is written, and each batch
// of importBatch messages is one transaction with one event in the
// record. On SQLite the search index follows a batch behind, in its own
// file (SyncIndex), and is complete, and merged into one segment
// (optimizeIndex), when Import returns. progress, when
// not nil, is called after each batch with the number of messages
// accounted for so far.
func (s *Service) Import(ctx context.Context, list string, r io.Reader, progress func(done int)) (res ImportResult, err error) {
	defer fail.Wrap(&err, "archive.Import(%q)", list)
	if err := checkList(list); err != nil {
		return res, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []importItem, 1)
	var readErr error
	go func() {
		defer close(batches)
		readErr = readBatches(ctx, mbox.NewReader(r), s.batchLimits(), batches)
	}()
	indexed := s.followIndex(ctx)
	for batch := range batches {
		if err := s.importBatch(ctx, list, batch, &res); err != nil {
			cancel()
			for range batches {
			}
			indexed(false)
			return res, err
		}
		indexed(true)
		// The index follower reads beside this writer all through the
		// import, so SQLite's own checkpoints never start the WALs over;
		// this one waits for the follower's snapshot (see db.Checkpoint).
		if err := s.DB.Checkpoint(ctx); err != nil {
			cancel()
			for range batches {
			}
			indexed(false)
			return res, err
		}
		if progress != nil {
			progress(res.Read)
		}
	}
	if err := indexed(false); err != nil {
		return res, err
	}
	if readErr == nil && res.Imported > 0 {
		if err := s.optimizeIndex(ctx); err != nil {
			return res, err
		}
	}
	if readErr == nil && res.Imported > 0 && s.DB.Dialect == db.Postgres {
		_, err = s.DB.ExecContext(ctx, `SELECT gin_clean_pending_list(inhrelid) FROM pg_inherits WHERE inhparent IN ('arch_fts_tsv'::regclass, 'arch_fts_subject'::regclass, 'arch_fts_author'::regclass)`)
		if err == nil {
			err = s.DB.Analyze(ctx)
		}
	}
	return res, cmp.Or(readErr, err)
}

// followIndex starts indexing beside the import's writer, on SQLite. The
// function it returns says that another batch committed (more true), or
// that the import is over (more false): then it waits for the index to
// hold every committed message, and reports the first error.
func (s *Service) followIndex(ctx context.Context) func(more bool) error {
	if s.DB.Search == nil {
		return func(bool) error { return nil }
	}
	kick := make(chan struct{}, 1)
	var err error
	var wg sync.WaitGroup
	wg.Go(func() {
		for range kick {
			if err == nil {
				_, err = s.SyncIndex(ctx)
			}
		}
	})
	return func(more bool) error {
		if more {
			select {
			case kick <- struct{}{}:
			default: // the indexer has yet to start on the last kick
			}
			return nil
		}
		close(kick)
		wg.Wait()
		if err == nil {
			_, err = s.SyncIndex(ctx)
		}
		return err
	}
}

// batchLimits are the bounds of an import batch: importBatch and
// importBatchBytes, unless a test set smaller ones.
func (s *Service) batchLimits() batchLimit {
	return cmp.Or(s.importLimit, batchLimit{importBatch, importBatchBytes})
}

// batchLimit bounds a batch by messages and by raw bytes.
type batchLimit struct{ messages, bytes int }

// readBatches splits the mailbox as it streams in and parses each batch
// in parallel. A batch ends after lim.messages messages or once it holds
// lim.bytes of raw mail; the send on out waits while the writer is busy
// with the one before, so reading never runs ahead of writing.
func readBatches(ctx context.Context, mr *mbox.Reader, lim batchLimit, out chan<- []importItem) error {
	n := 0
	for {
		batch := make([]importItem, 0, min(lim.messages, 1024))
		var raws [][]byte
		var err error
		size := 0
		for len(batch) < lim.messages && size < lim.bytes {
			var raw []byte
			raw, err = mr.Next()
			if err == io.EOF {
				break
			}
			n++
			if errors.Is(err, mbox.ErrMessageTooLarge) {
				batch = append(batch, importItem{n: n, reject: fmt.Sprintf("larger than the mailbox reader's limit (%d bytes)", mbox.DefaultMaxMessageSize)})
				raws = append(raws, nil)
				err = nil
				continue
			}
			if err != nil {
				n--
				break
			}
			batch = append(batch, importItem{n: n})
			raws = append(raws, raw)
			size += len(raw)
		}
		parseAll(batch, raws)
		if len(batch) > 0 {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the mailbox after message %d: %w", n, err)
		}
	}
}

// parseAll parses a batch on every core but one: the writer, which
// bounds the import rate, keeps a core to itself.
func parseAll(batch []importItem, raws [][]byte) {
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				if batch[i].reject != "" {
					continue
				}
				batch[i].reject, batch[i].p = check(raws[i])
			}
		})
	}
	wg.Wait()
}

// check parses raw, or says why the archive will not take it.
func check(raw []byte) (string, *parsed) {
	if len(raw) > MaxMessageBytes {
		return fmt.Sprintf("%d bytes, more than the archive's limit of %d", len(raw), MaxMessageBytes), nil
	}
	p := prepare(raw)
	if len(p.msg.Header) == 0 {
		return "no header fields: not a mail message", nil
	}
	return "", p
}

// importBatch writes one batch in one transaction. If the transaction
// fails, each message is tried alone, so one bad message is rejected with
// the reason and the rest still go in.
func (s *Service) importBatch(ctx context.Context, list string, batch []importItem, res *ImportResult) error {
	var got ImportResult
	err := s.writeBatch(ctx, list, batch, &got)
	if err != nil && ctx.Err() == nil {
		got = ImportResult{}
		for _, it := range batch {
			var one ImportResult
			if err := s.writeBatch(ctx, list, []importItem{it}, &one); err != nil {
				one = ImportResult{Read: 1, Rejected: []Rejection{{N: it.n, MessageID: it.p.msg.MessageID, Reason: "could not be stored: " + err.Error()}}}
			}
			got.Read += one.Read
			got.Imported += one.Imported
			got.Duplicates += one.Duplicates
			got.Rejected = append(got.Rejected, one.Rejected...)
		}
		err = nil
	}
	if err != nil {
		return err
	}
	res.Read += got.Read
	res.Imported += got.Imported
	res.Duplicates += got.Duplicates
	res.Rejected = append(res.Rejected, got.Rejected...)
	return nil
}

func (s *Service) writeBatch(ctx context.Context, list string, batch []importItem, got *ImportResult) error {
	*got = ImportResult{}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		w := newWriter(tx, list)
		if tx.Dialect == db.SQLite && len(batch) > 1 {
			// The default page cache (2 MB) is far smaller than the
			// indexes a large import updates; it is per connection, so
			// this sets it for the connection the import holds.
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -32768`); err != nil {
				return err
			}
		}
		if tx.Dialect == db.Postgres && len(batch) > 1 {
			// GIN indexes insert through a pending list, merged into the
			// index when it outgrows this limit (4 MB by default): a
			// larger list merges several batches' terms at once. Import
			// cleans the list at the end, so searches do not scan it.
			if _, err := tx.ExecContext(ctx, `SET LOCAL gin_pending_list_limit = 32768`); err != nil {
				return err
			}
		}
		ps := make([]*parsed, 0, len(batch))
		for _, it := range batch {
			if it.reject == "" {
				ps = append(ps, it.p)
			}
		}
		if err := w.load(ctx, ps); err != nil {
			return err
		}
		for _, it := range batch {
			got.Read++
			if it.reject != "" {
				r := Rejection{N: it.n, Reason: it.reject}
				if it.p != nil {
					r.MessageID = it.p.msg.MessageID
				}
				got.Rejected = append(got.Rejected, r)
				continue
			}
			st, err := w.add(ctx, it.p)
			if err != nil {
				return fmt.Errorf("message %d <%s>: %w", it.n, it.p.msg.MessageID, err)
			}
			if st.Duplicate {
				got.Duplicates++
			} else {
				got.Imported++
			}
		}
		if got.Imported == 0 {
			return nil
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		return record.Add(ctx, tx, record.System, "list", list, "messages_imported",
			fmt.Sprintf("%d messages imported into the archive", got.Imported), "")
	})
}
