package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"hum/internal/archive/message"
	"hum/internal/db"
)

// writer adds messages inside one transaction. An import keeps its
// statements prepared across a whole batch; list counters are summed in
// memory and written once at flush.
type writer struct {
	tx    *db.Tx
	prep  bool
	stmts map[string]*sql.Stmt
	lists map[string]*listDelta
	fts   []ftsRow // SQLite: indexed at flush
}

type ftsRow struct {
	id                    int64
	subject, author, body string
}

type listDelta struct {
	messages, threads int
	last              time.Time
}

func newWriter(tx *db.Tx, prepare bool) *writer {
	return &writer{tx: tx, prep: prepare, stmts: map[string]*sql.Stmt{}, lists: map[string]*listDelta{}}
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if !w.prep {
		return w.tx.ExecContext(ctx, q, args...)
	}
	st, err := w.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (w *writer) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if !w.prep {
		return w.tx.QueryRowContext(ctx, q, args...)
	}
	st, err := w.stmt(ctx, q)
	if err != nil {
		return w.tx.QueryRowContext(ctx, q, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (w *writer) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if !w.prep {
		return w.tx.QueryContext(ctx, q, args...)
	}
	st, err := w.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (w *writer) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	w.stmts[q] = st
	return st, nil
}

func (w *writer) delta(list string) *listDelta {
	d := w.lists[list]
	if d == nil {
		d = &listDelta{}
		w.lists[list] = d
	}
	return d
}

// add stores one parsed message, or reports it as a duplicate.
func (w *writer) add(ctx context.Context, list string, p *parsed) (Stored, error) {
	m := p.msg
	st := Stored{List: list, MessageID: m.MessageID, ID: message.Hashcode(m.MessageID, list)}
	rows, err := w.query(ctx, `SELECT hashcode, content_hash FROM arch_message WHERE list = $1 AND message_id = $2`, list, m.MessageID)
	if err != nil {
		return st, err
	}
	taken := false
	for rows.Next() {
		var hc, ch string
		if err := rows.Scan(&hc, &ch); err != nil {
			rows.Close()
			return st, err
		}
		if ch == p.contentHash {
			st.ID, st.Duplicate = hc, true
		}
		taken = taken || hc == st.ID
	}
	rows.Close()
	if err := rows.Err(); err != nil || st.Duplicate {
		return st, err
	}
	if taken {
		// Same Message-ID, different text: a second message, with an id
		// of its own. The first keeps the id derived from the Message-ID.
		st.ID = message.Hashcode(m.MessageID+"\x00"+p.contentHash, list)
	}
	date := dateOf(m, w.tx.Now)
	tid, err := w.thread(ctx, list, p, date)
	if err != nil {
		return st, err
	}
	st.ThreadID = tid
	var pos int
	err = w.queryRow(ctx, `UPDATE arch_thread SET messages = messages + 1,
		subject = CASE WHEN $2 < first_date THEN $3 ELSE subject END,
		base_subject = CASE WHEN $2 < first_date THEN $4 ELSE base_subject END,
		first_date = CASE WHEN $2 < first_date THEN $2 ELSE first_date END,
		last_date = CASE WHEN $2 > last_date THEN $2 ELSE last_date END
		WHERE id = $1 RETURNING messages`, tid, date, clip(m.Subject, 500), clip(p.base, 500)).Scan(&pos)
	if err != nil {
		return st, fmt.Errorf("thread %d: %w", tid, err)
	}
	var id int64
	err = w.queryRow(ctx, `INSERT INTO arch_message (list, hashcode, message_id, content_hash, from_name, from_addr, subject, date,
		in_reply_to, refs, thread_id, thread_pos, body, size, raw, added)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		list, st.ID, m.MessageID, p.contentHash, clip(m.From.Name, 200), clip(m.From.Email, 200), clip(m.Subject, 500), date,
		clip(m.InReplyTo, 250), strings.Join(p.refs, " "), tid, pos-1, p.body, len(p.raw), p.raw, w.tx.Now).Scan(&id)
	if err != nil {
		return st, err
	}
	if err := w.index(ctx, id, m, p); err != nil {
		return st, fmt.Errorf("search index: %w", err)
	}
	d := w.delta(list)
	d.messages++
	if date.After(d.last) {
		d.last = date
	}
	return st, nil
}

// flush writes the list counters summed since the last flush and, on
// SQLite, the search index rows. FTS5 writes its pending terms to disk at
// every statement savepoint, so interleaving its inserts with the others
// would build the index one document at a time; inserted together they
// are merged in memory first (twice the import rate).
func (w *writer) flush(ctx context.Context) error {
	for _, r := range w.fts {
		_, err := w.exec(ctx, `INSERT INTO arch_fts (rowid, subject, author, body) VALUES ($1, $2, $3, $4)`, r.id, r.subject, r.author, r.body)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	w.fts = w.fts[:0]
	for list, d := range w.lists {
		_, err := w.exec(ctx, `INSERT INTO arch_list (name, messages, threads, last_date) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO UPDATE SET messages = arch_list.messages + excluded.messages,
				threads = arch_list.threads + excluded.threads,
				last_date = CASE WHEN arch_list.last_date IS NULL OR excluded.last_date > arch_list.last_date THEN excluded.last_date ELSE arch_list.last_date END`,
			list, d.messages, d.threads, d.last)
		if err != nil {
			return err
		}
	}
	clear(w.lists)
	return nil
}

// index adds the message to the search index of the dialect.
func (w *writer) index(ctx context.Context, id int64, m *message.Message, p *parsed) error {
	if w.tx.Dialect == db.Postgres {
		_, err := w.exec(ctx, `INSERT INTO arch_fts (id, tsv) VALUES ($1,
			setweight(to_tsvector('english', $2), 'A') || setweight(to_tsvector('english', $3), 'B') || to_tsvector('english', $4))`,
			id, clip(m.Subject, 500), authorText(m.From.Name, m.From.Email), p.body)
		return err
	}
	// The text must be exactly what the arch_fts_src view gives back, or
	// snippets would point at the wrong words.
	w.fts = append(w.fts, ftsRow{id, clip(m.Subject, 500), clip(m.From.Name, 200) + " " + clip(m.From.Email, 200), p.body})
	return nil
}

// authorText is the author as PostgreSQL indexes it: the address split at
// '@' and '.', as SQLite's tokenizer does, so from:example.org matches on
// both engines.
func authorText(name, addr string) string {
	return clip(name, 200) + " " + splitWords(clip(addr, 200))
}

func splitWords(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '@' || r == '.' || r == '-' || r == '_' || r == '+' {
			return ' '
		}
		return r
	}, s)
}
