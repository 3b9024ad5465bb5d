package archive

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"hum/internal/db"
)

// subjectWindow bounds the subject fallback: a reply without references
// joins the latest thread with the same base subject only if that thread
// was active this recently, so "Re: Agenda" in May does not join March's.
const subjectWindow = 60 * 24 * time.Hour

// inChunk bounds the values of one IN (...) list.
const inChunk = 500

// load reads what adding ps will consult: the hashcodes they may take,
// the threads of every Message-ID they mention, and the recent threads
// with their base subjects. Afterwards the writer's maps answer for
// the batch, and add keeps them current.
func (w *writer) load(ctx context.Context, ps []*parsed) error {
	var ids, bases []string
	oldest := time.Time{}
	for _, p := range ps {
		ids = append(ids, p.refs...)
		ids = append(ids, p.msg.MessageID)
		if p.base != "" && (p.reply || len(p.refs) > 0) {
			bases = append(bases, clip(p.base, 500))
			if d := dateOf(p.msg, w.tx.Now); oldest.IsZero() || d.Before(oldest) {
				oldest = d
			}
		}
	}
	var tids []string
	var want map[string]bool // SQLite: the ids, as a key may find another id
	ref := func(rows *sql.Rows) error {
		var id string
		var tid int64
		if err := rows.Scan(&id, &tid); err != nil {
			return err
		}
		if want != nil && !want[id] {
			return nil
		}
		if old, ok := w.refs[id]; !ok || old != tid {
			tids = append(tids, itoa(int(tid)))
		}
		w.refs[id] = tid // SQLite: of two rows of an id, the later (see flush)
		return nil
	}
	if w.tx.Dialect == db.SQLite {
		want = make(map[string]bool, len(ids))
		keys := make([]int64, len(ids))
		for i, id := range ids {
			want[id], keys[i] = true, db.Key(w.list, id)
		}
		if err := eachIn(ctx, w, refsByKey, "", keys, ref); err != nil {
			return err
		}
	} else if err := w.each(ctx, `SELECT ref_id, thread_id FROM arch_ref WHERE list = $1 AND ref_id`, ids, ref); err != nil {
		return err
	}
	// The hashcodes the messages may take that the list holds already.
	// A stored message's Message-ID is in arch_ref (thread), so only one
	// whose Message-ID the look-up above found (or an earlier batch of
	// this writer met) can be there: a new message, most of an import,
	// costs no look-up in UNIQUE (list, hashcode), whose keys are in no
	// order and which outgrows the page cache (0.025 ms a message at
	// 200,000, issue 17 §3).
	seen := func(rows *sql.Rows) error {
		var hc, ch string
		err := rows.Scan(&hc, &ch)
		w.seen[hc] = ch
		return err
	}
	const byCode = `SELECT hashcode, content_hash FROM arch_message WHERE list = $1 AND hashcode`
	var known []*parsed
	var codes []string
	for _, p := range ps {
		if _, ok := w.refs[p.msg.MessageID]; ok {
			h1, _ := hashcodes(p, w.list)
			known, codes = append(known, p), append(codes, h1)
		}
	}
	if err := w.each(ctx, byCode, codes, seen); err != nil {
		return err
	}
	// A message whose first id another text holds may hold the second.
	var second []string
	for i, p := range known {
		if ch := w.seen[codes[i]]; ch != "" && ch != p.contentHash {
			_, h2 := hashcodes(p, w.list)
			second = append(second, h2)
		}
	}
	if err := w.each(ctx, byCode, second, seen); err != nil {
		return err
	}
	// PostgreSQL: lock the threads, so that a concurrent post to the same
	// thread waits for this transaction instead of losing its count.
	lock, byID := "", threadsByID
	if w.tx.Dialect == db.Postgres {
		lock = " FOR UPDATE"
	} else {
		byID = threadsByIDSQLite
	}
	if err := w.eachThread(ctx, byID, tids, lock); err != nil {
		return err
	}
	if len(bases) > 0 {
		// Threads last active before the window of the batch's oldest
		// reply can never be chosen by subject.
		return w.eachThread(ctx, threadCols+`list = $1 AND last_date >= $2 AND base_subject`, bases, lock, oldest.Add(-subjectWindow))
	}
	return nil
}

const threadCols = `SELECT id, subject, base_subject, first_date, last_date, messages FROM arch_thread WHERE `

// threadsByID reads threads by id. On SQLite the list's column is
// written +list, which keeps the planner from its indexes: given the
// list and a long enough IN list of ids, it read every thread of the list
// through (list, last_date) rather than each by id, 4 ms a batch on a
// list of 200,000 threads.
const (
	threadsByID       = threadCols + `list = $1 AND id`
	threadsByIDSQLite = threadCols + `+list = $1 AND id`
)

// refsByKey finds Message-IDs on SQLite by the key of the list and the
// id (db.Key), which arch_ref's index holds (migration 0042): a key is
// 8 bytes where a Message-ID is some 60, so the index on a million
// Message-IDs is 20 MB rather than 79 and stays in the page cache of an
// import, whose every look-up and insert lands in a random place of it.
// Two ids may share a key: the caller keeps only the ids it asked for.
const refsByKey = `SELECT ref_id, thread_id FROM arch_ref WHERE list = $1 AND hum_key(list, ref_id)`

// each runs q + "(...)" + suffix over vals in chunks, with the list as
// $1 and then the arguments in firsts.
func (w *writer) each(ctx context.Context, q string, vals []string, fn func(*sql.Rows) error) error {
	return eachIn(ctx, w, q, "", vals, fn)
}

// eachIn is each with a suffix after the list, for values of any type.
func eachIn[T any](ctx context.Context, w *writer, q, suffix string, vals []T, fn func(*sql.Rows) error, firsts ...any) error {
	for len(vals) > 0 {
		var sqlq string
		var args []any
		if w.tx.Dialect == db.Postgres {
			// One array parameter: PostgreSQL plans an IN list of
			// hundreds of parameters slowly, every time.
			args = append(append([]any{w.list}, firsts...), vals)
			sqlq, vals = q+" = ANY($"+itoa(len(args))+")", nil
		} else {
			chunk := vals[:min(len(vals), inChunk)]
			vals = vals[len(chunk):]
			sqlq, args = inList(q+" IN ", append([]any{w.list}, firsts...), chunk)
			sqlq = positional(sqlq)
		}
		if err := w.rows(ctx, sqlq+suffix, args, fn); err != nil {
			return err
		}
	}
	return nil
}

// rows runs q and hands fn each row.
func (w *writer) rows(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := w.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (w *writer) eachThread(ctx context.Context, q string, vals []string, suffix string, firsts ...any) error {
	return eachIn(ctx, w, q, suffix, vals, func(rows *sql.Rows) error {
		t := &threadRow{inDB: true}
		if err := rows.Scan(&t.id, &t.subject, &t.base, &t.first, &t.last, &t.messages); err != nil {
			return err
		}
		if _, ok := w.threads[t.id]; ok {
			return nil
		}
		t.first, t.last = t.first.UTC(), t.last.UTC()
		w.threads[t.id] = t
		w.byBase[t.base] = append(w.byBase[t.base], t)
		return nil
	}, firsts...)
}

// thread finds or makes the thread of a message about to be stored, the
// incremental form of JWZ: the nearest ancestor the list knows (as a
// message or as a reference of another message), else a message that
// named this one as its ancestor, else the latest recent thread with the
// same base subject when the message is a reply. When the message links
// threads that were apart (a parent arriving after replies that had found
// one another through a common reference), they are merged.
func (w *writer) thread(ctx context.Context, p *parsed, date time.Time) (*threadRow, error) {
	ids := append(append(make([]string, 0, len(p.refs)+1), p.refs...), p.msg.MessageID)
	known := map[string]int64{}
	for _, id := range ids {
		// A reference whose thread is gone (it cannot be, but a
		// reference is not a foreign key) counts as unknown.
		if tid, ok := w.refs[id]; ok && w.threads[tid] != nil {
			known[id] = tid
		}
	}
	var tid int64
	for i := len(ids) - 2; i >= 0 && tid == 0; i-- {
		tid = known[ids[i]]
	}
	if tid == 0 {
		tid = known[p.msg.MessageID]
	}
	if tid == 0 && p.base != "" && (p.reply || len(p.refs) > 0) {
		if t := w.recent(clip(p.base, 500), date.Add(-subjectWindow)); t != nil {
			tid = t.id
		}
	}
	if tid == 0 {
		id, err := w.newThreadID(ctx)
		if err != nil {
			return nil, err
		}
		t := &threadRow{id: id, subject: clip(p.msg.Subject, 500), first: date, last: date, dirty: true}
		w.threads[id] = t
		w.setBase(t, clip(p.base, 500))
		w.delta.threads++
		tid = id
	}
	for _, other := range known {
		if other != tid {
			if err := w.merge(ctx, other, tid); err != nil {
				return nil, err
			}
			for k, v := range known {
				if v == other {
					known[k] = tid
				}
			}
		}
	}
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			w.refs[id] = tid
			w.newRefs = append(w.newRefs, id)
		}
	}
	return w.threads[tid], nil
}

// recent is the latest thread with base subject base active since since.
func (w *writer) recent(base string, since time.Time) *threadRow {
	var best *threadRow
	for _, t := range w.byBase[base] {
		if t.merged || t.base != base || t.last.Before(since) {
			continue
		}
		if best == nil || t.last.After(best.last) {
			best = t
		}
	}
	return best
}

// merge moves every message and reference of thread from into thread into.
func (w *writer) merge(ctx context.Context, from, into int64) error {
	f, t := w.threads[from], w.threads[into]
	if f == nil || f.merged {
		return nil // merged already, through another reference
	}
	if f.inDB {
		// Stored messages move in the database; into must exist there.
		if err := w.flushThreads(ctx); err != nil {
			return err
		}
		stmts := []struct {
			q    string
			args []any
		}{
			{`UPDATE arch_message SET thread_id = $1, thread_pos = thread_pos + $3 WHERE thread_id = $2`, []any{into, from, t.messages}},
			{`UPDATE arch_ref SET thread_id = $1 WHERE thread_id = $2`, []any{into, from}},
			{`DELETE FROM arch_thread WHERE id = $1`, []any{from}},
		}
		for _, s := range stmts {
			if _, err := w.tx.ExecContext(ctx, s.q, s.args...); err != nil {
				return err
			}
		}
	}
	for i := range w.msgs {
		if m := &w.msgs[i]; m.thread == from {
			m.thread, m.pos = into, m.pos+t.messages
		}
	}
	for k, v := range w.refs {
		if v == from {
			w.refs[k] = into
		}
	}
	t.messages += f.messages
	if f.first.Before(t.first) {
		t.subject, t.first = f.subject, f.first
		w.setBase(t, f.base)
	}
	if f.last.After(t.last) {
		t.last = f.last
	}
	t.dirty, f.merged, f.dirty = true, true, false
	delete(w.threads, from)
	w.delta.threads--
	return nil
}

// inList appends "($n, ...)" for vals to q, after the arguments in firsts.
func inList[T any](q string, firsts []any, vals []T) (string, []any) {
	var b strings.Builder
	b.WriteString(q)
	b.WriteByte('(')
	args := make([]any, 0, len(vals)+len(firsts))
	args = append(args, firsts...)
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, v)
		b.WriteString("$" + itoa(len(args)))
	}
	b.WriteByte(')')
	return b.String(), args
}

// positional turns $1, $2, ... numbered in order into plain "?": SQLite
// looks numbered parameters up in a list, which is quadratic in the
// number of parameters, and a batch's IN lists have hundreds.
func positional(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] == '$' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
			b.WriteByte('?')
			for i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
				i++
			}
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
