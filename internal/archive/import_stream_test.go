package archive

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/record"
)

// mboxSource is an mbox made one message at a time as the importer reads
// it: the file never exists whole, and served says how far the importer
// has read. Message i (from 0) starts a thread when i%5 == 0, and else
// replies to the message before it, so every thread of five crosses the
// batch bounds of the tests below.
type mboxSource struct {
	n, next int
	pending []byte

	mu     sync.Mutex // the importer reads on a goroutine of its own
	served int
	ends   []int // ends[i]: the offset just after message i
}

// read returns how many bytes were served, and where message i ends
// (0 when it was not made yet).
func (m *mboxSource) read(i int) (served, end int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i < len(m.ends) {
		end = m.ends[i]
	}
	return m.served, end
}

func (m *mboxSource) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.pending) == 0 {
		if m.next == m.n {
			return 0, io.EOF
		}
		i := m.next
		m.next++
		var refs, subject string
		if i%5 == 0 {
			subject = fmt.Sprintf("Topic %d", i/5)
		} else {
			subject = fmt.Sprintf("Re: Topic %d", i/5)
			refs = fmt.Sprintf("In-Reply-To: <m%d@example.org>\n", i-1)
		}
		m.pending = fmt.Appendf(nil, "From a@example.org Mon Mar  2 10:00:00 2026\nFrom: a@example.org\nSubject: %s\n"+
			"Date: Mon, 2 Mar 2026 10:%02d:%02d +0000\nMessage-ID: <m%d@example.org>\n%s\nText of message %d, padded to size: %04000d\n\n",
			subject, i/60%60, i%60, i, refs, i, 0)
		prev := 0
		if len(m.ends) > 0 {
			prev = m.ends[len(m.ends)-1]
		}
		m.ends = append(m.ends, prev+len(m.pending))
	}
	k := copy(p, m.pending)
	m.pending = m.pending[k:]
	m.served += k
	return k, nil
}

// TestImportStreamsInBoundedBatches: Import reads the mbox as a stream and
// parses it in batches bounded by messages and by bytes, and commits them
// perTx batches at a time, one event in the record each; when a
// transaction commits, the importer has read at most the two batches
// after it (one waiting, one being parsed) and the reader's look-ahead:
// memory does not grow with the input. Threads and duplicates still work
// across batches.
func TestImportStreamsInBoundedBatches(t *testing.T) {
	const n = 203
	for _, tc := range []struct {
		name string
		lim  batchLimit
		per  int // messages in a transaction
	}{
		{"by messages", batchLimit{messages: 7, bytes: 1 << 30}, 7},
		// Each message has 3,500 to 4,500 bytes: a batch ends at the message
		// that reaches 10,000 bytes, the third.
		{"by bytes", batchLimit{messages: 1000, bytes: 10000}, 3},
		{"batches share a transaction", batchLimit{messages: 7, bytes: 1 << 30, perTx: 3}, 21},
	} {
		batch := tc.lim.messages
		if tc.lim.bytes < 1<<30 {
			batch = tc.per
		}
		txs := (n + tc.per - 1) / tc.per
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.New(t)
			d.Now = func() time.Time { return time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC) }
			s := &Service{DB: d, importLimit: tc.lim}
			src := &mboxSource{n: n}
			var progress []int
			res, err := s.Import(ctx, "stream", src, func(done int) {
				progress = append(progress, done)
				// Read so far: up to the end of the batch after next,
				// one message more (the reader finds a message's end at
				// the next From_ line) and the reader's 64 KiB buffer.
				upto := min(n, done+2*batch+1)
				served, end := src.read(upto - 1)
				if end == 0 {
					end = served // message upto-1 not made yet
				}
				if limit := end + 64<<10; served > limit {
					t.Errorf("after %d messages committed, the importer had read %d bytes; want at most %d", done, served, limit)
				}
			})
			if err != nil || res.Read != n || res.Imported != n {
				t.Fatalf("Import = %+v, %v; want %d imported", res, err, n)
			}
			if len(progress) != txs {
				t.Errorf("%d transactions (progress %v); want %d", len(progress), progress, txs)
			}
			evs, err := record.List(ctx, d, "list", "stream", 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != txs {
				t.Errorf("%d events in the record; want one per transaction, %d", len(evs), txs)
			}
			l, err := s.GetList(ctx, "stream")
			if err != nil || l.Messages != n || l.Threads != (n+4)/5 {
				t.Errorf("list = %+v, %v; want %d messages in %d threads (every reply in its parent's thread, across batches)", l, err, n, (n+4)/5)
			}
			again, err := s.Import(ctx, "stream", &mboxSource{n: n}, nil)
			if err != nil || again.Duplicates != n || again.Imported != 0 {
				t.Errorf("second import = %+v, %v; want %d duplicates", again, err, n)
			}
		})
	}
}

// TestImportKeepsTheWALSmall: on SQLite a long import checkpoints now and
// then, so its WAL files do not grow with the input. The index follower
// reads beside the writer all through an import, which keeps SQLite's own
// checkpoints from starting the WAL over (it grew to 2 GB over 1,000,000
// messages), and a longer WAL makes every page read slower.
func TestImportKeepsTheWALSmall(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	s := &Service{DB: d, importLimit: batchLimit{messages: 25, bytes: 1 << 30}}
	const n = 2500 // 2,500 messages of about 4 KB: 10 MB of mail in 100 batches
	walOf := func(p *sql.DB) string {
		var seq int
		var name, file string
		if err := p.QueryRowContext(ctx, `PRAGMA main.database_list`).Scan(&seq, &name, &file); err != nil {
			t.Fatal(err)
		}
		return file + "-wal"
	}
	wals := []string{walOf(d.DB), walOf(d.Search)}
	largest := make([]int64, len(wals))
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			for i, w := range wals {
				if fi, err := os.Stat(w); err == nil {
					largest[i] = max(largest[i], fi.Size())
				}
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	res, err := s.Import(ctx, "big", &mboxSource{n: n}, nil)
	close(done)
	wg.Wait()
	if err != nil || res.Imported != n {
		t.Fatalf("Import = %+v, %v; want %d imported", res, err, n)
	}
	// A batch of 25 messages (100 KB of mail) writes well under 4 MB of
	// pages, indexes included.
	for i, w := range wals {
		if limit := int64(4 << 20); largest[i] > limit {
			t.Errorf("%s grew to %d bytes during the import; want at most %d", filepath.Base(w), largest[i], limit)
		}
	}
	t.Logf("largest WALs during the import: %d and %d bytes", largest[0], largest[1])
}

// TestImportRejectsWhatTheDatabaseRefuses: when the database refuses one
// message of a batch that shares its transaction with others, the
// transaction is undone and its batches are written again, each in a
// transaction of its own, and the refused one message by message: that
// message is rejected with the database's reason, and every other
// message, in its batch and in the batches before and after it in the
// same transaction, goes in.
func TestImportRejectsWhatTheDatabaseRefuses(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	poison := []string{`CREATE TRIGGER poison BEFORE INSERT ON arch_message
		WHEN NEW.message_id = 'm30@example.org' BEGIN SELECT RAISE(ABORT, 'poisoned message'); END`}
	if d.Dialect == db.Postgres {
		poison = []string{`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.message_id = 'm30@example.org' THEN RAISE EXCEPTION 'poisoned message'; END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER poison BEFORE INSERT ON arch_message FOR EACH ROW EXECUTE FUNCTION poison()`}
	}
	for _, q := range poison {
		if _, err := d.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		d.ExecContext(ctx, `DROP TRIGGER poison ON arch_message`)
		if d.Dialect == db.Postgres {
			d.ExecContext(ctx, `DROP FUNCTION poison()`)
		}
	})
	// Seven batches of 7, three to a transaction: message 31 (m30) is in
	// the fifth batch, the second of the second transaction, which is
	// undone with the fourth.
	const n = 49
	s := &Service{DB: d, importLimit: batchLimit{messages: 7, bytes: 1 << 30, perTx: 3}}
	res, err := s.Import(ctx, "poison", &mboxSource{n: n}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != n || res.Imported != n-1 || res.Duplicates != 0 || len(res.Rejected) != 1 {
		t.Fatalf("Import = %+v; want %d read, %d imported, 1 rejected", res, n, n-1)
	}
	if r := res.Rejected[0]; r.N != 31 || r.MessageID != "m30@example.org" ||
		!strings.Contains(r.Reason, "could not be stored") || !strings.Contains(r.Reason, "poisoned message") {
		t.Errorf("rejected %+v; want message 31, m30@example.org, with the database's reason", r)
	}
	l, err := s.GetList(ctx, "poison")
	if err != nil || l.Messages != n-1 {
		t.Errorf("list = %+v, %v; want %d messages", l, err, n-1)
	}
	// What the refused batch wrote before the refusal (its threads) was
	// undone: its threads count each of their messages once.
	var counted int
	if err := d.QueryRowContext(ctx, `SELECT SUM(messages) FROM arch_thread WHERE list = 'poison'`).Scan(&counted); err != nil || counted != n-1 {
		t.Errorf("threads count %d messages (%v); want %d", counted, err, n-1)
	}
	var stored int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM arch_message WHERE list = 'poison' AND message_id <> 'm30@example.org'`).Scan(&stored); err != nil || stored != n-1 {
		t.Errorf("%d other messages stored (%v); want %d", stored, err, n-1)
	}
	evs, err := record.List(ctx, d, "list", "poison", 100)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: the last two batches (a transaction), the refused
	// batch's six others, the batch before it, and the first transaction.
	var want []string
	for _, k := range []int{14, 1, 1, 1, 1, 1, 1, 7, 21} {
		want = append(want, fmt.Sprintf("%d messages imported into the archive", k))
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.Summary)
	}
	if !slices.Equal(got, want) {
		t.Errorf("events %q; want %q", got, want)
	}
}
