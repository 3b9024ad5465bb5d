package export

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// chunkSize is how much of a dump one public_dump_chunk row holds, and
// txChunks how many rows one transaction of Store writes: 32 MB, so that
// storing the 800 MB dump of a 1,000,000-message archive never holds
// SQLite's one write lock for long (in one transaction, posts waited past
// busy_timeout and got 451). Tests make them smaller (storeLimits).
var (
	chunkSize = 4 << 20
	txChunks  = 8
)

// Dump is a stored dump's description.
type Dump struct {
	ID      int64
	Created time.Time
	Bytes   int64  // the SQLite file's size
	SHA256  string // the SQLite file's
	Summary string
	// Gzip is the size of the stored gzip stream that holds the file, or
	// 0 for a dump stored before migration 0037, whose chunks are the file
	// itself.
	Gzip int64
}

// ErrNone is Latest's answer when no dump has been made yet.
var ErrNone = fail.New(fail.NotFound, "No public dump has been made yet: hum serve makes one at start and daily (hum export --public FILE makes one by hand).")

// Latest describes the newest stored dump.
func (s *Service) Latest(ctx context.Context) (d Dump, err error) {
	var gz sql.NullInt64
	err = s.DB.QueryRowContext(ctx, `SELECT id, created, bytes, sha256, summary, gzip_bytes FROM public_dump WHERE complete ORDER BY id DESC LIMIT 1`).
		Scan(&d.ID, &d.Created, &d.Bytes, &d.SHA256, &d.Summary, &gz)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNone
	}
	d.Created = d.Created.UTC()
	d.Gzip = gz.Int64
	return d, err
}

// Copy writes stored dump d to w as the SQLite file, decompressing the
// stored stream as it goes (never the whole file in memory).
func (s *Service) Copy(ctx context.Context, w io.Writer, d Dump) (err error) {
	defer fail.Wrap(&err, "export.Copy(%d)", d.ID)
	r := io.Reader(&chunks{ctx: ctx, db: s.DB, id: d.ID})
	if d.Gzip > 0 {
		z, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		defer z.Close()
		r = z
	}
	_, err = io.Copy(w, r)
	return err
}

// CopyGzip writes stored dump d to w as it is stored, a gzip stream of
// d.Gzip bytes; d must have one (d.Gzip > 0).
func (s *Service) CopyGzip(ctx context.Context, w io.Writer, d Dump) (err error) {
	defer fail.Wrap(&err, "export.CopyGzip(%d)", d.ID)
	if d.Gzip == 0 {
		return fmt.Errorf("dump %d was stored uncompressed", d.ID)
	}
	_, err = io.Copy(w, &chunks{ctx: ctx, db: s.DB, id: d.ID})
	return err
}

// chunks reads a stored dump's chunks in order, one row at a time.
type chunks struct {
	ctx  context.Context
	db   *db.DB
	id   int64
	seq  int
	data []byte
	done bool
}

func (c *chunks) Read(p []byte) (int, error) {
	for len(c.data) == 0 {
		if c.done {
			return 0, io.EOF
		}
		err := c.db.QueryRowContext(c.ctx, `SELECT data FROM public_dump_chunk WHERE dump_id = $1 AND seq = $2`, c.id, c.seq).Scan(&c.data)
		if errors.Is(err, sql.ErrNoRows) {
			c.done = true
			continue
		}
		if err != nil {
			return 0, err
		}
		c.seq++
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

// Store makes a dump and keeps it in the database as the latest, dropping
// the ones before it. The file is written in the system's temporary
// directory, compressed once there (gzip: a SQLite file of text shrinks
// to about a fifth), and both are removed afterwards.
func (s *Service) Store(ctx context.Context) (d Dump, err error) {
	defer fail.Wrap(&err, "export.Store")
	dir, err := os.MkdirTemp("", "hum-export-")
	if err != nil {
		return d, err
	}
	defer os.RemoveAll(dir)
	path := dir + "/hum-public.sqlite"
	st, err := s.write(ctx, path)
	if err != nil {
		return d, err
	}
	gz, err := compress(path, path+".gz")
	if err != nil {
		return d, err
	}
	f, err := os.Open(path + ".gz")
	if err != nil {
		return d, err
	}
	defer f.Close()
	d = Dump{Bytes: st.Bytes, SHA256: st.SHA256, Summary: st.Summary(), Gzip: gz}
	// The dump's row first, not complete, so not served (Latest); then its
	// chunks, txChunks to a transaction; then, in one more, it becomes the
	// one served and the ones before it go, with any a crash left
	// incomplete.
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		d.Created = tx.Now
		return tx.QueryRowContext(ctx, `INSERT INTO public_dump (created, bytes, sha256, summary, gzip_bytes, complete) VALUES ($1, $2, $3, $4, $5, FALSE) RETURNING id`,
			d.Created, d.Bytes, d.SHA256, d.Summary, d.Gzip).Scan(&d.ID)
	})
	if err != nil {
		return d, err
	}
	buf := make([]byte, chunkSize)
	for seq, end := 0, false; !end; {
		err = s.DB.Write(ctx, func(tx *db.Tx) error {
			for range txChunks {
				n, err := io.ReadFull(f, buf)
				if n > 0 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO public_dump_chunk (dump_id, seq, data) VALUES ($1, $2, $3)`, d.ID, seq, buf[:n]); err != nil {
						return err
					}
					seq++
				}
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					end = true
					return nil
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return d, err
		}
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE public_dump SET complete = TRUE WHERE id = $1`, d.ID); err != nil {
			return err
		}
		// Only the latest is served: the older ones go.
		if _, err := tx.ExecContext(ctx, `DELETE FROM public_dump_chunk WHERE dump_id < $1`, d.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM public_dump WHERE id < $1`, d.ID)
		return err
	})
	return d, err
}

// compress writes the gzip of file from to file to, and returns its size.
func compress(from, to string) (n int64, err error) {
	in, err := os.Open(from)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	b := bufio.NewWriter(out)
	z := gzip.NewWriter(b)
	if _, err := io.Copy(z, in); err != nil {
		return 0, err
	}
	if err := z.Close(); err != nil {
		return 0, err
	}
	if err := b.Flush(); err != nil {
		return 0, err
	}
	fi, err := out.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), out.Close()
}

// Refresh makes a new dump when the latest is older than Period (or there
// is none), so that several processes on one database, each running the
// job, make about one a day between them.
func (s *Service) Refresh(ctx context.Context) (made bool, err error) {
	d, err := s.Latest(ctx)
	switch {
	case errors.Is(err, ErrNone):
	case err != nil:
		return false, err
	case s.DB.Now().Sub(d.Created) < Period:
		return false, nil
	}
	_, err = s.Store(ctx)
	return err == nil, err
}
