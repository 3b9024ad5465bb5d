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

// importBatch and importBatchBytes bound a batch: the messages that are
// parsed together and held in memory at once. A batch ends at whichever
// bound it reaches first: small enough that a failed batch is cheap to
// retry message by message and that the import's memory does not depend
// on the size of its input.
//
// importBatchesPerTx batches share a transaction, so that commits are
// fewer than batches: a commit writes every index page its messages
// changed, and the archive's indexes on keys in no order (hashcodes,
// Message-IDs, senders, references) give nearly every message a leaf of
// its own once they hold many more leaves than a transaction has
// messages, so the pages written per message grew with the archive (see
// DESIGN.md, "hum import mbox streams"). The writer holds SQLite's write
// lock through the transaction's batches.
//
// At most three batches are in memory parsed (one being written, one
// waiting, one being read and parsed), and the raw mail of the batches
// the transaction has written (in case it must write them again), so an
// import holds at most about (2 + importBatchesPerTx) × importBatchBytes
// of mail, three of them parsed (the text for the index too), whatever
// the size of the mbox.
const (
	importBatch        = 2000
	importBatchBytes   = 4 << 20
	importBatchesPerTx = 4
)

type importItem struct {
	n      int
	raw    []byte
	p      *parsed
	reject string
}

// Import reads an mbox (any variant, gzip too) into the archive of list.
// Messages are parsed while the previous batch is written, and each
// importBatchesPerTx batches are one transaction with one event in the
// record. On SQLite the search index follows a transaction behind, in its
// own file (SyncIndex), and is complete, and its segments merged
// (settleIndex), when Import returns. progress, when not nil, is called
// after each transaction with the number of messages accounted for so
// far.
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
	before, err := s.indexedHigh(ctx)
	if err != nil {
		return res, err
	}
	indexed := s.followIndex(ctx)
	perTx := max(1, s.batchLimits().perTx)
	for batch := range batches {
		held, got, err := s.writeTx(ctx, list, batch, batches, perTx)
		if err != nil && ctx.Err() == nil {
			// Undone whole: write its batches again one by one, each in
			// a transaction of its own, and message by message the one
			// that fails.
			got, err = ImportResult{}, nil
			for _, b := range held {
				parseAll(b)
				if err = s.importBatch(ctx, list, b, &got); err != nil {
					break
				}
			}
		}
		if err == nil {
			res.add(got)
			indexed(true)
			// The index follower reads beside this writer all through the
			// import, so SQLite's own checkpoints never start the WALs over;
			// this one waits for the follower's snapshot (see db.Checkpoint).
			err = s.DB.Checkpoint(ctx)
		}
		if err != nil {
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
		if err := s.settleIndex(ctx, before); err != nil {
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

// writeTx writes first, and as many more batches from batches as make
// perTx, in one transaction with one event. It returns the batches it
// took, whose parsed forms it drops once written: their raw mail stays,
// for writing them again if the transaction fails.
func (s *Service) writeTx(ctx context.Context, list string, first []importItem, batches <-chan []importItem, perTx int) (held [][]importItem, got ImportResult, err error) {
	held = [][]importItem{first}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := bulkSettings(ctx, tx); err != nil {
			return err
		}
		for batch := first; ; {
			var one ImportResult
			if err := s.writeBatch(ctx, tx, list, batch, &one); err != nil {
				return err
			}
			got.add(one)
			for i := range batch {
				batch[i].p = nil
			}
			if len(held) == perTx {
				break
			}
			var ok bool
			if batch, ok = <-batches; !ok {
				break
			}
			held = append(held, batch)
		}
		return imported(ctx, tx, list, got)
	})
	return held, got, err
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
	return cmp.Or(s.importLimit, batchLimit{importBatch, importBatchBytes, importBatchesPerTx})
}

// batchLimit bounds a batch by messages and by raw bytes.
type batchLimit struct{ messages, bytes, perTx int }

// readBatches splits the mailbox as it streams in and parses each batch
// in parallel. A batch ends after lim.messages messages or once it holds
// lim.bytes of raw mail; the send on out waits while the writer is busy
// with the one before, so reading never runs ahead of writing.
func readBatches(ctx context.Context, mr *mbox.Reader, lim batchLimit, out chan<- []importItem) error {
	n := 0
	for {
		batch := make([]importItem, 0, min(lim.messages, 1024))
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
				err = nil
				continue
			}
			if err != nil {
				n--
				break
			}
			batch = append(batch, importItem{n: n, raw: raw})
			size += len(raw)
		}
		parseAll(batch)
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
func parseAll(batch []importItem) {
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				if batch[i].raw == nil {
					continue // rejected as it was read
				}
				batch[i].reject, batch[i].p = check(batch[i].raw)
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

// bulkSettings suits tx to writing thousands of messages. On SQLite the
// default page cache (2 MB) is far smaller than the indexes a large import
// updates; it is per connection, so this sets it for the connection the
// import holds. On PostgreSQL, GIN indexes insert through a pending list,
// merged into the index when it outgrows gin_pending_list_limit (4 MB by
// default): a larger list merges several batches' terms at once. Import
// cleans the list at the end, so searches do not scan it.
func bulkSettings(ctx context.Context, tx *db.Tx) error {
	q := `PRAGMA cache_size = -32768`
	if tx.Dialect == db.Postgres {
		q = `SET LOCAL gin_pending_list_limit = 32768`
	}
	_, err := tx.ExecContext(ctx, q)
	return err
}

// importBatch writes one batch in a transaction of its own. If that
// fails, each message is tried alone, so one bad message is rejected with
// the reason and the rest still go in.
func (s *Service) importBatch(ctx context.Context, list string, batch []importItem, res *ImportResult) error {
	write := func(batch []importItem, got *ImportResult) error {
		return s.DB.Write(ctx, func(tx *db.Tx) error {
			if len(batch) > 1 {
				if err := bulkSettings(ctx, tx); err != nil {
					return err
				}
			}
			if err := s.writeBatch(ctx, tx, list, batch, got); err != nil {
				return err
			}
			return imported(ctx, tx, list, *got)
		})
	}
	var got ImportResult
	err := write(batch, &got)
	if err != nil && ctx.Err() == nil {
		got = ImportResult{}
		for _, it := range batch {
			var one ImportResult
			if err := write([]importItem{it}, &one); err != nil {
				one = ImportResult{Read: 1, Rejected: []Rejection{{N: it.n, MessageID: it.p.msg.MessageID, Reason: "could not be stored: " + err.Error()}}}
			}
			got.add(one)
		}
		err = nil
	}
	if err != nil {
		return err
	}
	res.add(got)
	return nil
}

// imported records in tx the messages it imported, if any.
func imported(ctx context.Context, tx *db.Tx, list string, got ImportResult) error {
	if got.Imported == 0 {
		return nil
	}
	return record.Add(ctx, tx, record.System, "list", list, "messages_imported",
		fmt.Sprintf("%d messages imported into the archive", got.Imported), "")
}

func (r *ImportResult) add(o ImportResult) {
	r.Read += o.Read
	r.Imported += o.Imported
	r.Duplicates += o.Duplicates
	r.Rejected = append(r.Rejected, o.Rejected...)
}

// writeBatch writes batch's messages in tx and counts them in got.
func (s *Service) writeBatch(ctx context.Context, tx *db.Tx, list string, batch []importItem, got *ImportResult) error {
	*got = ImportResult{}
	ps := make([]*parsed, 0, len(batch))
	for _, it := range batch {
		if it.reject == "" {
			ps = append(ps, it.p)
		}
	}
	w := newWriter(tx, list)
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
	return w.flush(ctx)
}
