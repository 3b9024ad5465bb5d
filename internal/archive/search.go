package archive

import (
	"context"
	"fmt"
	"io"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mbox"
)

// Snippet markers around matched words. Private-use characters cannot
// occur in indexed text that matters, and survive both engines' snippet
// functions; web turns them into <mark> after escaping.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

// Hit is a search result.
type Hit struct {
	Summary
	Snippet string // plain text with MarkStart/MarkEnd around matches
}

// Results is a page of hits. More reports whether another page follows.
type Results struct {
	Hits []Hit
	More bool
}

// engine is where SQLite FTS5 and PostgreSQL full-text search differ:
// how a text query matches and ranks, and how snippets are cut.
type engine interface {
	// from returns the FROM clause and the match condition for q's text
	// terms, with its argument; the search table's id column; and how
	// to rank: an expression computed for each candidate (inner, as c.r)
	// and the ORDER BY expression over candidates c (outer), best first.
	from(q Query, f *filter) (from, id, inner, outer string)
	snippets(ctx context.Context, d *db.DB, q Query, ids []string) (map[int64]string, error)
}

func (s *Service) engine() engine {
	if s.DB.Dialect == db.Postgres {
		return pgEngine{}
	}
	return sqliteEngine{}
}

// filter builds a WHERE clause with $N placeholders in order.
type filter struct {
	conds []string
	args  []any
}

// add appends cond, whose "?" marks are numbered in turn.
func (f *filter) add(cond string, args ...any) {
	for _, a := range args {
		f.args = append(f.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(f.args)), 1)
	}
	f.conds = append(f.conds, cond)
}

func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

func (f *filter) next(v any) string {
	f.args = append(f.args, v)
	return fmt.Sprintf("$%d", len(f.args))
}

// maxRanked bounds the matches a search ranks: the newest maxRanked
// matches of the text terms and filters. Both engines read matches in id
// order cheaply, and ranking every match of a common word over a million
// messages is what made searches slow; a word that common is searched
// for recent mail.
const maxRanked = 2000

// build returns the query for q's matches with the given columns, ranked
// when rank is true and by date otherwise.
func (s *Service) build(q Query, cols string, rank bool, limit, offset int) (string, []any) {
	f := &filter{}
	from := "arch_message m"
	var id, inner, outer string
	if len(q.Terms) > 0 {
		from, id, inner, outer = s.engine().from(q, f)
	}
	if len(q.Lists) > 0 {
		ph := make([]string, len(q.Lists))
		for i, l := range q.Lists {
			ph[i] = f.next(l)
		}
		f.conds = append(f.conds, "m.list IN ("+strings.Join(ph, ", ")+")")
	}
	if !q.Since.IsZero() {
		f.add("m.date >= ?", q.Since)
	}
	if !q.Until.IsZero() {
		f.add("m.date < ?", q.Until)
	}
	var sqlq string
	if rank && len(q.Terms) > 0 {
		// The engines read their matches in id order cheaply, and
		// rank only the rows the LIMIT keeps.
		sqlq = "WITH c AS (SELECT " + id + " AS id, " + inner + " AS r FROM " + from + f.where() +
			" ORDER BY " + id + " DESC LIMIT " + itoa(maxRanked) + ") SELECT " + cols +
			" FROM c JOIN arch_message m ON m.id = c.id ORDER BY " + outer + " DESC, m.date DESC, m.id DESC"
	} else {
		sqlq = "SELECT " + cols + " FROM " + from + f.where() + " ORDER BY m.date, m.id"
	}
	sqlq += " LIMIT " + f.next(limit) + " OFFSET " + f.next(offset)
	return sqlq, f.args
}

var mCols = "m." + strings.ReplaceAll(summaryCols, ", ", ", m.")

// Search runs q, best match first, and returns one page with snippets.
func (s *Service) Search(ctx context.Context, q Query, limit, offset int) (_ Results, err error) {
	defer fail.Wrap(&err, "archive.Search(%+v)", q)
	var res Results
	if q.Empty() {
		return res, nil
	}
	sqlq, args := s.build(q, mCols, true, limit+1, offset)
	if len(q.Terms) == 0 {
		sqlq, args = s.newestFirst(q, limit+1, offset)
	}
	sums, err := s.summaries(ctx, sqlq, args...)
	if err != nil {
		return res, err
	}
	if len(sums) > limit {
		sums, res.More = sums[:limit], true
	}
	ids := make([]string, len(sums))
	for i, m := range sums {
		ids[i] = itoa(int(m.Key))
	}
	snips := map[int64]string{}
	if len(q.Terms) > 0 && len(ids) > 0 {
		if snips, err = s.engine().snippets(ctx, s.DB, q, ids); err != nil {
			return res, err
		}
	}
	for _, m := range sums {
		res.Hits = append(res.Hits, Hit{Summary: m, Snippet: snips[m.Key]})
	}
	return res, nil
}

// newestFirst lists filter-only queries (list:, since:) newest first.
func (s *Service) newestFirst(q Query, limit, offset int) (string, []any) {
	sqlq, args := s.build(q, mCols, false, limit, offset)
	return strings.Replace(sqlq, "ORDER BY m.date, m.id", "ORDER BY m.date DESC, m.id DESC", 1), args
}

// MaxExport bounds one mbox export.
const MaxExport = 50_000

// Export writes every message matching q, oldest first, as mboxrd, and
// returns how many it wrote. At most MaxExport messages are written.
func (s *Service) Export(ctx context.Context, w io.Writer, q Query) (n int, err error) {
	defer fail.Wrap(&err, "archive.Export(%+v)", q)
	if q.Empty() {
		return 0, fail.Field("q", "Say what to export: a list, a search, or dates.")
	}
	sqlq, args := s.build(q, "m.from_addr, m.date, m.raw", false, MaxExport, 0)
	rows, err := s.DB.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	mw := mbox.NewWriter(w)
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.FromAddr, &m.Date, &m.Raw); err != nil {
			return n, err
		}
		if err := mw.WriteMessage(m.FromAddr, m.Date, m.Raw); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, mw.Flush()
}

type sqliteEngine struct{}

// SQLite ranks matches of the words in the subject first, then newest
// first. bm25() was the obvious ranking, but its idf reads the whole
// list of documents of every term: 40-140 ms for a common word over a
// million messages. The subject matches among the candidates are read
// in one range-limited pass instead.
func (sqliteEngine) from(q Query, f *filter) (string, string, string, string) {
	f.add("arch_fts MATCH ?", q.fts5())
	subj := "(c.id IN (SELECT rowid FROM arch_fts WHERE arch_fts MATCH " + f.next(q.fts5Subject()) +
		" AND rowid >= (SELECT MIN(id) FROM c)))"
	return "arch_fts JOIN arch_message m ON m.id = arch_fts.rowid", "arch_fts.rowid", "0", subj
}

func (sqliteEngine) snippets(ctx context.Context, d *db.DB, q Query, ids []string) (map[int64]string, error) {
	// Row ids are our own integers, so they are safe to inline.
	rows, err := d.QueryContext(ctx, `SELECT id, subject, body FROM arch_message WHERE id IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var subject, body string
		if err := rows.Scan(&id, &subject, &body); err != nil {
			return nil, err
		}
		out[id] = snippetOf(q, subject, body)
	}
	return out, rows.Err()
}

type pgEngine struct{}

func (pgEngine) from(q Query, f *filter) (string, string, string, string) {
	ph := f.next(q.tsquery())
	f.conds = append(f.conds, "f.tsv @@ tq.q")
	return "arch_fts f JOIN arch_message m ON m.id = f.id CROSS JOIN to_tsquery('english', " + ph + ") AS tq(q)",
		"f.id", "ts_rank(f.tsv, tq.q)", "c.r"
}

func (pgEngine) snippets(ctx context.Context, d *db.DB, q Query, ids []string) (map[int64]string, error) {
	opts := `StartSel=` + MarkStart + `, StopSel=` + MarkEnd + `, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
	rows, err := d.QueryContext(ctx, `SELECT id, ts_headline('english', subject || E'\n' || body, to_tsquery('english', $1), $2)
		FROM arch_message WHERE id IN (`+strings.Join(ids, ",")+`)`, q.tsquery(), opts)
	if err != nil {
		return nil, err
	}
	return scanSnippets(rows)
}

func scanSnippets(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) (map[int64]string, error) {
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}
