package archive

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// subjectWindow bounds the subject fallback: a reply without references
// joins the latest thread with the same base subject only if that thread
// was active this recently, so "Re: Agenda" in May does not join March's.
const subjectWindow = 60 * 24 * time.Hour

// thread finds or makes the thread of a message about to be stored, the
// incremental form of JWZ: the nearest ancestor the list knows (as a
// message or as a reference of another message), else a message that
// named this one as its ancestor, else the latest recent thread with the
// same base subject when the message is a reply. When the message links
// threads that were apart (a parent arriving after replies that had found
// one another through a common reference), they are merged.
func (w *writer) thread(ctx context.Context, list string, p *parsed, date time.Time) (int64, error) {
	ids := append(append(make([]string, 0, len(p.refs)+1), p.refs...), p.msg.MessageID)
	known, err := w.refThreads(ctx, list, ids)
	if err != nil {
		return 0, err
	}
	var tid int64
	for i := len(ids) - 1; i >= 0 && tid == 0; i-- {
		if i == len(ids)-1 {
			continue // own id: only when no ancestor is known
		}
		tid = known[ids[i]]
	}
	if tid == 0 {
		tid = known[p.msg.MessageID]
	}
	if tid == 0 && p.base != "" && (p.reply || len(p.refs) > 0) {
		err := w.queryRow(ctx, `SELECT id FROM arch_thread WHERE list = $1 AND base_subject = $2 AND last_date >= $3
			ORDER BY last_date DESC LIMIT 1`, list, clip(p.base, 500), date.Add(-subjectWindow)).Scan(&tid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	if tid == 0 {
		err := w.queryRow(ctx, `INSERT INTO arch_thread (list, subject, base_subject, first_date, last_date, messages)
			VALUES ($1, $2, $3, $4, $4, 0) RETURNING id`, list, clip(p.msg.Subject, 500), clip(p.base, 500), date).Scan(&tid)
		if err != nil {
			return 0, err
		}
		w.delta(list).threads++
	}
	for _, other := range known {
		if other != tid {
			if err := w.merge(ctx, list, other, tid); err != nil {
				return 0, err
			}
			for k, v := range known {
				if v == other {
					known[k] = tid
				}
			}
		}
	}
	var missing []string
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			missing = append(missing, id)
		}
	}
	return tid, w.addRefs(ctx, list, missing, tid)
}

// refThreads looks up the threads of ids on list.
func (w *writer) refThreads(ctx context.Context, list string, ids []string) (map[string]int64, error) {
	q, args := inList(`SELECT ref_id, thread_id FROM arch_ref WHERE list = $1 AND ref_id IN `, list, ids)
	rows, err := w.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[string]int64{}
	for rows.Next() {
		var id string
		var tid int64
		if err := rows.Scan(&id, &tid); err != nil {
			return nil, err
		}
		known[id] = tid
	}
	return known, rows.Err()
}

func (w *writer) addRefs(ctx context.Context, list string, ids []string, tid int64) error {
	if len(ids) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO arch_ref (list, ref_id, thread_id) VALUES `)
	args := []any{list, tid}
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		b.WriteString("($1, $" + itoa(len(args)) + ", $2)")
	}
	b.WriteString(` ON CONFLICT (list, ref_id) DO NOTHING`)
	_, err := w.exec(ctx, b.String(), args...)
	return err
}

// merge moves every message and reference of thread from into thread into.
func (w *writer) merge(ctx context.Context, list string, from, into int64) error {
	var n int
	var first, last time.Time
	var subj, base string
	err := w.queryRow(ctx, `SELECT messages, first_date, last_date, subject, base_subject FROM arch_thread WHERE id = $1`, from).
		Scan(&n, &first, &last, &subj, &base)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // merged already, through another reference
	}
	if err != nil {
		return err
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`UPDATE arch_message SET thread_id = $1, thread_pos = thread_pos + (SELECT messages FROM arch_thread WHERE id = $1) WHERE thread_id = $2`, []any{into, from}},
		{`UPDATE arch_ref SET thread_id = $1 WHERE thread_id = $2`, []any{into, from}},
		{`UPDATE arch_thread SET messages = messages + $2,
			subject = CASE WHEN $3 < first_date THEN $5 ELSE subject END,
			base_subject = CASE WHEN $3 < first_date THEN $6 ELSE base_subject END,
			first_date = CASE WHEN $3 < first_date THEN $3 ELSE first_date END,
			last_date = CASE WHEN $4 > last_date THEN $4 ELSE last_date END
			WHERE id = $1`, []any{into, n, first, last, subj, base}},
		{`DELETE FROM arch_thread WHERE id = $1`, []any{from}},
	}
	for _, s := range stmts {
		if _, err := w.exec(ctx, s.q, s.args...); err != nil {
			return err
		}
	}
	w.delta(list).threads--
	return nil
}

// inList appends "($2, $3, ...)" for vals to q, after the first argument.
func inList(q string, first any, vals []string) (string, []any) {
	var b strings.Builder
	b.WriteString(q)
	b.WriteByte('(')
	args := make([]any, 0, len(vals)+1)
	args = append(args, first)
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

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
