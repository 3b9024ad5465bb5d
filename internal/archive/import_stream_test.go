package archive

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
// commits it in batches bounded by messages and by bytes, one event in
// the record each; when a batch commits, the importer has read at most
// the two batches after it (one waiting, one being parsed) and the
// reader's look-ahead: memory does not grow with the input. Threads and
// duplicates still work across batches.
func TestImportStreamsInBoundedBatches(t *testing.T) {
	const n = 203
	for _, tc := range []struct {
		name string
		lim  batchLimit
		per  int // messages in a batch
	}{
		{"by messages", batchLimit{messages: 7, bytes: 1 << 30}, 7},
		// Each message has 3,500 to 4,500 bytes: a batch ends at the message
		// that reaches 10,000 bytes, the third.
		{"by bytes", batchLimit{messages: 1000, bytes: 10000}, 3},
	} {
		batches := (n + tc.per - 1) / tc.per
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
				upto := min(n, done+2*tc.per+1)
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
			if len(progress) != batches {
				t.Errorf("%d batches (progress %v); want %d", len(progress), progress, batches)
			}
			evs, err := record.List(ctx, d, "list", "stream", 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != batches {
				t.Errorf("%d events in the record; want one per batch, %d", len(evs), batches)
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
