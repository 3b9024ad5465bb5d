package export

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// chunkSize is how much of a dump one public_dump_chunk row holds.
const chunkSize = 4 << 20

// Dump is a stored dump's description.
type Dump struct {
	ID      int64
	Created time.Time
	Bytes   int64
	SHA256  string
	Summary string
}

// ErrNone is Latest's answer when no dump has been made yet.
var ErrNone = fail.New(fail.NotFound, "No public dump has been made yet: hum serve makes one at start and daily (hum export --public FILE makes one by hand).")

// Latest describes the newest stored dump.
func (s *Service) Latest(ctx context.Context) (d Dump, err error) {
	err = s.DB.QueryRowContext(ctx, `SELECT id, created, bytes, sha256, summary FROM public_dump ORDER BY id DESC LIMIT 1`).
		Scan(&d.ID, &d.Created, &d.Bytes, &d.SHA256, &d.Summary)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNone
	}
	d.Created = d.Created.UTC()
	return d, err
}

// Copy writes stored dump d to w, chunk by chunk.
func (s *Service) Copy(ctx context.Context, w io.Writer, d Dump) (err error) {
	defer fail.Wrap(&err, "export.Copy(%d)", d.ID)
	for seq := 0; ; seq++ {
		var data []byte
		err := s.DB.QueryRowContext(ctx, `SELECT data FROM public_dump_chunk WHERE dump_id = $1 AND seq = $2`, d.ID, seq).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
}

// Store makes a dump and keeps it in the database as the latest, dropping
// the ones before it. The file is written in the system's temporary
// directory and removed afterwards.
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
	f, err := os.Open(path)
	if err != nil {
		return d, err
	}
	defer f.Close()
	d = Dump{Bytes: st.Bytes, SHA256: st.SHA256, Summary: st.Summary()}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		d.Created = tx.Now
		if err := tx.QueryRowContext(ctx, `INSERT INTO public_dump (created, bytes, sha256, summary) VALUES ($1, $2, $3, $4) RETURNING id`,
			d.Created, d.Bytes, d.SHA256, d.Summary).Scan(&d.ID); err != nil {
			return err
		}
		buf := make([]byte, chunkSize)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(f, buf)
			if n > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO public_dump_chunk (dump_id, seq, data) VALUES ($1, $2, $3)`, d.ID, seq, buf[:n]); err != nil {
					return err
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return err
			}
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
