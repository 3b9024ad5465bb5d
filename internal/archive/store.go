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

// writer adds messages to one list inside one transaction. An import
// hands it a whole batch: load reads what the batch needs in a few
// queries (which hashcodes exist, which thread each mentioned Message-ID
// belongs to, those threads, recent threads with the same base subjects),
// add threads each message in memory in arrival order, and flush writes
// the result with multi-row statements. A live post is a batch of one.
// Per-message statements made the import a round trip per message on
// PostgreSQL and a B-tree search per statement on SQLite.
type writer struct {
	tx   *db.Tx
	list string

	seen    map[string]string    // hashcode → content hash, for hashcodes the batch may use
	refs    map[string]int64     // Message-ID → thread, for every id the batch mentions
	threads map[int64]*threadRow // threads the batch may touch
	byBase  map[string][]*threadRow
	newRefs []string // keys of refs to insert at flush
	msgs    []msgRow
	delta   listDelta

	threadIDs []int64 // allocated, unused thread ids
	maxThread int64   // SQLite: the last thread id handed out

	// stmts are the statements run more than once in this transaction,
	// prepared at their second run: an import batch runs each multi-row
	// INSERT and IN (...) look-up, hundreds of parameters long, a dozen
	// times. once holds those run once so far.
	stmts map[string]*sql.Stmt
	once  map[string]bool
}

type threadRow struct {
	id                  int64
	subject, base       string
	first, last         time.Time
	messages            int
	inDB, dirty, merged bool
}

type msgRow struct {
	st     Stored
	p      *parsed
	date   time.Time
	thread int64
	pos    int
}

type listDelta struct {
	messages, threads int
	last              time.Time
}

func newWriter(tx *db.Tx, list string) *writer {
	return &writer{tx: tx, list: list, seen: map[string]string{}, refs: map[string]int64{},
		threads: map[int64]*threadRow{}, byBase: map[string][]*threadRow{},
		stmts: map[string]*sql.Stmt{}, once: map[string]bool{}}
}

// stmt returns q prepared when it runs for the second time or more, else
// nil. The transaction closes the statements when it ends.
func (w *writer) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := w.stmts[q]; st != nil {
		return st, nil
	}
	if !w.once[q] {
		w.once[q] = true
		return nil, nil
	}
	st, err := w.tx.PrepareContext(ctx, q)
	if err == nil {
		w.stmts[q] = st
	}
	return st, err
}

// exec runs q, prepared when it runs again.
func (w *writer) exec(ctx context.Context, q string, args ...any) error {
	st, err := w.stmt(ctx, q)
	if err == nil && st != nil {
		_, err = st.ExecContext(ctx, args...)
	} else if err == nil {
		_, err = w.tx.ExecContext(ctx, q, args...)
	}
	return err
}

// query runs q, prepared when it runs again.
func (w *writer) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return w.tx.QueryContext(ctx, q, args...)
}

// hashcodes are the ids a message may be stored under: the one derived
// from its Message-ID, and, when another text already holds that one, the
// one derived from the Message-ID and the text.
func hashcodes(p *parsed, list string) (string, string) {
	id := p.msg.MessageID
	return message.Hashcode(id, list), message.Hashcode(id+"\x00"+p.contentHash, list)
}

// add stores one parsed message, or reports it as a duplicate. The
// message must have been passed to load.
func (w *writer) add(ctx context.Context, p *parsed) (Stored, error) {
	m := p.msg
	h1, h2 := hashcodes(p, w.list)
	st := Stored{List: w.list, MessageID: m.MessageID, ID: h1}
	if ch, ok := w.seen[h1]; ok {
		if ch == p.contentHash {
			st.Duplicate = true
			return st, nil
		}
		// Same Message-ID, different text: a second message, with an id
		// of its own. The first keeps the id derived from the Message-ID.
		st.ID = h2
		if _, ok := w.seen[h2]; ok {
			st.Duplicate = true
			return st, nil
		}
	}
	w.seen[st.ID] = p.contentHash
	date := dateOf(m, w.tx.Now)
	t, err := w.thread(ctx, p, date)
	if err != nil {
		return st, err
	}
	st.ThreadID = t.id
	t.messages++
	if date.Before(t.first) {
		t.subject, t.first = clip(m.Subject, 500), date
		w.setBase(t, clip(p.base, 500))
	}
	if date.After(t.last) {
		t.last = date
	}
	t.dirty = true
	w.msgs = append(w.msgs, msgRow{st: st, p: p, date: date, thread: t.id, pos: t.messages - 1})
	w.delta.messages++
	if date.After(w.delta.last) {
		w.delta.last = date
	}
	return st, nil
}

func (w *writer) setBase(t *threadRow, base string) {
	if t.base != base || w.byBase[base] == nil {
		t.base = base
		w.byBase[base] = append(w.byBase[base], t)
	}
}

// flush writes the batch: threads first (messages refer to them), then
// messages, references, the search index (on PostgreSQL: SQLite's is
// written after the commit, see SyncIndex) and the list counters.
func (w *writer) flush(ctx context.Context) error {
	if err := w.flushThreads(ctx); err != nil {
		return err
	}
	if len(w.msgs) > 0 {
		ids, err := w.allocIDs(ctx, "arch_message", len(w.msgs))
		if err != nil {
			return err
		}
		if err := w.insertMessages(ctx, ids); err != nil {
			return err
		}
		if err := w.index(ctx, ids); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if len(w.newRefs) > 0 {
		// On SQLite, arch_ref has no unique index (see refsByKey): the
		// writer holds the database's one write lock and has read every
		// id it adds (load), so none is there already, unless its thread
		// is gone (thread), when the second row is the one that counts.
		conflict := ` ON CONFLICT (list, ref_id) DO NOTHING`
		if w.tx.Dialect == db.SQLite {
			conflict = ""
		}
		err := w.insertRows(ctx, `INSERT INTO arch_ref (list, ref_id, thread_id) VALUES `, conflict,
			"(?, ?, ?)", len(w.newRefs), func(i int) []any { return []any{w.list, w.newRefs[i], w.refs[w.newRefs[i]]} })
		if err != nil {
			return err
		}
	}
	if d := w.delta; d.messages != 0 || d.threads != 0 {
		_, err := w.tx.ExecContext(ctx, `INSERT INTO arch_list (name, messages, threads, last_date) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO UPDATE SET messages = arch_list.messages + excluded.messages,
				threads = arch_list.threads + excluded.threads,
				last_date = CASE WHEN arch_list.last_date IS NULL OR excluded.last_date > arch_list.last_date THEN excluded.last_date ELSE arch_list.last_date END`,
			w.list, d.messages, d.threads, d.last)
		if err != nil {
			return err
		}
	}
	w.msgs, w.newRefs, w.delta = nil, nil, listDelta{}
	return nil
}

// flushThreads writes every thread changed since the last flush.
func (w *writer) flushThreads(ctx context.Context) error {
	var dirty []*threadRow
	for _, t := range w.threads {
		if t.dirty {
			dirty = append(dirty, t)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	err := w.insertRows(ctx, `INSERT INTO arch_thread (id, list, subject, base_subject, first_date, last_date, messages) VALUES `,
		` ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, base_subject = excluded.base_subject,
			first_date = excluded.first_date, last_date = excluded.last_date, messages = excluded.messages`,
		"(?, ?, ?, ?, ?, ?, ?)", len(dirty), func(i int) []any {
			t := dirty[i]
			return []any{t.id, w.list, t.subject, t.base, t.first, t.last, t.messages}
		})
	if err != nil {
		return err
	}
	for _, t := range dirty {
		t.dirty, t.inDB = false, true
	}
	return nil
}

func (w *writer) insertMessages(ctx context.Context, ids []int64) error {
	return w.insertRows(ctx, `INSERT INTO arch_message (id, list, hashcode, message_id, content_hash, from_name, from_addr, subject, date,
		in_reply_to, refs, thread_id, thread_pos, body, size, raw, added) VALUES `, "",
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(w.msgs), func(i int) []any {
			r := &w.msgs[i]
			m := r.p.msg
			return []any{ids[i], w.list, r.st.ID, m.MessageID, r.p.contentHash, clip(m.From.Name, 200), clip(strings.ToLower(m.From.Email), 200),
				clip(m.Subject, 500), r.date, clip(m.InReplyTo, 250), strings.Join(r.p.refs, " "), r.thread, r.pos,
				r.p.body, len(r.p.raw), r.p.raw, w.tx.Now}
		})
}

// index adds the batch's messages to PostgreSQL's search index. SQLite's
// is a file of its own, written after the commit (SyncIndex).
func (w *writer) index(ctx context.Context, ids []int64) error {
	if w.tx.Dialect == db.SQLite {
		return nil
	}
	if err := w.ensurePartitions(ctx, ids); err != nil {
		return err
	}
	// Text is split at '.', '/', '@', ':' and '_' as SQLite's tokenizer
	// does, so that "packages" finds install.packages and
	// from:example.org matches on both engines (PostgreSQL's parser keeps
	// host names, paths and addresses whole). Ids are our own integers,
	// safe to inline. Migration 0009 does the same.
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = itoa(int(id))
	}
	_, err := w.tx.ExecContext(ctx, `INSERT INTO arch_fts (id, list, date, subject, author, tsv)
		SELECT id, list, date, s, a, s || a || to_tsvector('english', translate(body, './@:_', '     '))
		FROM (SELECT id, list, date, body, to_tsvector('english', translate(subject, './@:_', '     ')) AS s,
				to_tsvector('english', from_name || ' ' || translate(from_addr, '@.-_+', '     ')) AS a
			FROM arch_message WHERE id IN (`+strings.Join(in, ",")+`)) m`)
	return err
}

// maxParams bounds the placeholders of one statement, below both
// engines' limits (SQLite 32766, PostgreSQL 65535).
const maxParams = 16000

// insertRows runs head, n copies of row (whose "?" marks are numbered in
// turn on PostgreSQL) and tail, in as few statements as maxParams allows.
func (w *writer) insertRows(ctx context.Context, head, tail, row string, n int, args func(i int) []any) error {
	per := max(1, min(500, maxParams/strings.Count(row, "?")))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		var b strings.Builder
		b.WriteString(head)
		var all []any
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			for _, r := range row {
				if r != '?' {
					b.WriteRune(r)
					continue
				}
				all = append(all, nil)
				if w.tx.Dialect == db.SQLite {
					// Plain "?": SQLite looks numbered parameters up
					// in a list, which is quadratic in a long VALUES.
					b.WriteByte('?')
				} else {
					b.WriteString("$" + itoa(len(all)))
				}
			}
			all = append(all[:len(all)-strings.Count(row, "?")], args(i)...)
		}
		b.WriteString(tail)
		if err := w.exec(ctx, b.String(), all...); err != nil {
			return err
		}
	}
	return nil
}

// allocIDs returns n fresh ids for table. SQLite's write transaction
// excludes every other writer, so the ids after the largest are free;
// PostgreSQL hands them out from the identity column's sequence.
func (w *writer) allocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if w.tx.Dialect == db.Postgres {
		return db.Query(ctx, w.tx, db.Scalar[int64], `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	}
	ids := make([]int64, 0, n)
	var last int64
	if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// newThreadID hands out thread ids, taken from the database a few at a
// time on PostgreSQL.
func (w *writer) newThreadID(ctx context.Context) (int64, error) {
	if w.tx.Dialect == db.SQLite {
		if w.maxThread == 0 {
			if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM arch_thread`).Scan(&w.maxThread); err != nil {
				return 0, err
			}
		}
		w.maxThread++
		return w.maxThread, nil
	}
	if len(w.threadIDs) == 0 {
		ids, err := w.allocIDs(ctx, "arch_thread", 32)
		if err != nil {
			return 0, err
		}
		w.threadIDs = ids
	}
	id := w.threadIDs[0]
	w.threadIDs = w.threadIDs[1:]
	return id, nil
}
