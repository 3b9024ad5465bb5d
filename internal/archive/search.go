package archive

import (
	"cmp"
	"context"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

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
// how a text query matches, and how its newest matches are found.
type engine interface {
	// from adds q's text terms to f as match conditions, and returns the
	// FROM clause they select from (arch_message m joined) and the prefix
	// of the list and date columns that filters use.
	from(q Query, w *db.Where) (from, alias string)
	// candidates returns the newest n matches of q (by message id) whose
	// ids are below below (0: any), and with rank whether each has the
	// words in its subject.
	candidates(ctx context.Context, d *db.DB, q Query, below int64, n int, rank bool) ([]candidate, error)
}

// candidate is a match to be ranked.
type candidate struct {
	id      int64
	subject bool // the subject has the words
	date    time.Time
}

func (s *Service) engine() engine {
	if s.DB.Dialect == db.Postgres {
		return pgEngine{newest: s.newestID}
	}
	return sqliteEngine{}
}

// maxRanked is how many matches a search ranks: the newest maxRanked,
// those whose subject has the words first, then newest first; older
// matches follow, newest first. Neither engine's relevance function
// scales: bm25() and ts_rank read every match of a common word, which over
// a million messages is half of them.
const maxRanked = 100

// filters adds q's list and date filters to w, on the columns with the
// given prefix.
func filters(q Query, w *db.Where, alias string) {
	if len(q.Lists) > 0 {
		w.Raw(alias + "list IN " + w.In(q.Lists))
	}
	if len(q.Hidden) > 0 {
		w.Raw(alias + "list NOT IN " + w.In(q.Hidden))
	}
	if !q.Since.IsZero() {
		w.Add(alias+"date >= $?", q.Since)
	}
	if !q.Until.IsZero() {
		w.Add(alias+"date < $?", q.Until)
	}
}

// build returns the query for q's matches with the given columns, in the
// given order of m.
func (s *Service) build(q Query, cols, order string, limit, offset int) (string, []any) {
	w := &db.Where{}
	from, alias := "arch_message m", "m."
	if len(q.Terms) > 0 {
		from, alias = s.engine().from(q, w)
	}
	filters(q, w, alias)
	return "SELECT " + cols + " FROM " + from + w.SQL() + " ORDER BY " + order + " LIMIT " + w.Arg(limit) + " OFFSET " + w.Arg(offset), w.Args
}

// Search runs q, best match first, and returns one page with snippets.
// Words rank as maxRanked says; lists and dates alone list newest first.
func (s *Service) Search(ctx context.Context, q Query, limit, offset int) (_ Results, err error) {
	defer fail.Wrap(&err, "archive.Search(%+v)", q)
	var res Results
	if q.Empty() {
		return res, nil
	}
	if err := s.enter(ctx); err != nil {
		return res, err
	}
	defer s.leave()
	var sums []withBody
	if len(q.Terms) == 0 {
		sqlq, args := s.build(q, s.cols("m."), "m.date DESC, m.id DESC", limit+1, offset)
		var list []Summary
		// Prepared, as the ranked searches' statements are: the text
		// differs only by which filters the query has.
		list, err = db.Query(ctx, s.DB.Prepared(), scanSummaryRow, sqlq, args...)
		for _, m := range list {
			sums = append(sums, withBody{Summary: m})
		}
	} else {
		sums, err = s.ranked(ctx, q, limit+1, offset)
	}
	if err != nil {
		return res, err
	}
	if len(sums) > limit {
		sums, res.More = sums[:limit], true
	}
	if len(sums) > 0 {
		res.Hits = make([]Hit, 0, len(sums))
	}
	stems := q.stems()
	for _, m := range sums {
		h := Hit{Summary: m.Summary}
		if len(q.Terms) > 0 {
			h.Snippet = snippetOf(stems, m.Subject, m.body)
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// A search is CPU work in SQLite or in PostgreSQL's server, and one
// with no core to run on only slows the others: under 50 readers on 2
// cores, 32 searches at once in PostgreSQL ran at 409 a second with a
// p99 of 687 ms, and 2 at once at 526 a second with a p99 of 138 ms
// (SQLite: p99 99 -> 40 ms), as searches queue in turn rather than
// share the cores (issue 17 §3). So a process runs as many searches at
// once as it has cores, at least two, and the rest wait their turn.
func (s *Service) enter(ctx context.Context) error {
	s.slotsOnce.Do(func() { s.slots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0))) })
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) leave() { <-s.slots }

// withBody is a summary with the indexed text that snippets come from.
type withBody struct {
	Summary
	body string
}

// ranked returns the page [offset, offset+limit) of q's matches.
func (s *Service) ranked(ctx context.Context, q Query, limit, offset int) ([]withBody, error) {
	e := s.engine()
	if se, ok := e.(sqliteEngine); ok && offset+limit <= maxRanked {
		return se.page(ctx, s.DB, q, limit, offset)
	}
	cands, err := e.candidates(ctx, s.DB, q, 0, maxRanked, true)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.subject != b.subject {
			if a.subject {
				return -1
			}
			return 1
		}
		return cmp.Or(b.date.Compare(a.date), cmp.Compare(b.id, a.id))
	})
	end := offset + limit
	var ids []int64
	for _, c := range cands[min(offset, len(cands)):min(end, len(cands))] {
		ids = append(ids, c.id)
	}
	if len(cands) == maxRanked && end > maxRanked {
		oldest := slices.MinFunc(cands, func(a, b candidate) int { return cmp.Compare(a.id, b.id) }).id
		older, err := e.candidates(ctx, s.DB, q, oldest, end-maxRanked, false)
		if err != nil {
			return nil, err
		}
		for _, c := range older[min(max(0, offset-maxRanked), len(older)):] {
			ids = append(ids, c.id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	// The ids go in as one parameter, so the text is the same for every
	// search and stays prepared (db.Prepared).
	d := s.DB.Dialect
	ms, err := db.Query(ctx, s.DB.Prepared(), func(row db.Scanner) (m withBody, err error) {
		m.Summary, err = scanSummary(row, &m.body)
		return m, err
	}, `SELECT `+s.cols("")+`, body FROM arch_message WHERE `+d.InIDs("id", "$1"), d.IDs(ids))
	if err != nil {
		return nil, err
	}
	out := make([]withBody, len(ids))
	for _, m := range ms {
		out[at[m.Key]] = m
	}
	return out, nil
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
	sqlq, args := s.build(q, "m.from_addr, m.date, m.raw", "m.date, m.id", MaxExport, 0)
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

// ftsTable is the FTS5 table that q's match reads (search.sql): the
// subject's and author's when every term names its field, whose words
// are found there without reading past the bodies' entries, else every
// message's words.
func (q Query) ftsTable() string {
	if q.ranksSubject() {
		return "arch_fts"
	}
	return "arch_fts_head"
}

// match adds q's match on its FTS5 table, aliased f, to w.
func (q Query) match(w *db.Where) {
	w.Add("f."+q.ftsTable()+" MATCH $?", q.fts5())
}

func (sqliteEngine) from(q Query, w *db.Where) (string, string) {
	q.match(w)
	return q.ftsTable() + " f JOIN arch_message m ON m.id = f.rowid", "m."
}

// newest adds q's match and filters, and with below > 0 the bound on
// ids, to w, and returns the FROM ... ORDER BY of q's matches newest
// first; a LIMIT follows it. SQLite reads FTS5's matches newest first and
// stops at the limit, reading each one's date and list from
// arch_message_id_date (migration 0039) rather than from its row, which
// fills a page of its own.
func (sqliteEngine) newest(q Query, w *db.Where, below int64) string {
	q.match(w)
	filters(q, w, "m.")
	if below > 0 {
		w.Add("f.rowid < $?", below)
	}
	return " FROM " + q.ftsTable() + " f JOIN arch_message m INDEXED BY arch_message_id_date ON m.id = f.rowid" + w.SQL() +
		" ORDER BY f.rowid DESC"
}

// inSubject is the query of the ids from lo to hi whose subject matches
// the FTS5 query match; each argument is a placeholder or an expression.
// It reads arch_fts, not arch_fts_head, though it names only the subject
// and author: to reach lo, FTS5 skips through a word's entries by the
// index it keeps of a long list of them, and a word's list in the
// subjects alone is often too short to have one, so it reads it from the
// start (on 1,000,000 messages, 'rcpp compile error' took 2.2 ms there
// against 0.19 ms here).
func inSubject(match, lo, hi string) string {
	return "SELECT rowid FROM arch_fts WHERE arch_fts MATCH " + match + " AND rowid BETWEEN " + lo + " AND " + hi
}

// ranksSubject reports whether a match may or may not have q's words in
// its subject. When every term names its field, the subject's query is
// the search itself, and every match has the words "in its subject":
// ranking them all alike is ranking by date.
func (q Query) ranksSubject() bool {
	return slices.ContainsFunc(q.Terms, func(t Term) bool { return t.Field == "" })
}

// candidates reads the newest n matches (newest), and with rank finds
// the subject matches among them by a second query over the subject's
// matches in the candidates' range of ids.
func (e sqliteEngine) candidates(ctx context.Context, d *db.DB, q Query, below int64, n int, rank bool) ([]candidate, error) {
	w := &db.Where{}
	from := e.newest(q, w, below)
	cands, err := db.Query(ctx, d.Prepared(), scanCandidate, "SELECT f.rowid, 0, m.date"+from+" LIMIT "+w.Arg(n), w.Args...)
	if err != nil || !rank || len(cands) == 0 || !q.ranksSubject() {
		return cands, err
	}
	subj, err := db.Query(ctx, d.Prepared(), db.Scalar[int64], inSubject("$1", "$2", "$3"),
		q.fts5Subject(), cands[len(cands)-1].id, cands[0].id)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(cands))
	for i, c := range cands {
		at[c.id] = i
	}
	for _, id := range subj {
		if i, ok := at[id]; ok {
			cands[i].subject = true
		}
	}
	return cands, nil
}

// page returns a page of q's ranked matches, within the first
// maxRanked, in one statement: the newest maxRanked matches as
// candidates reads them, ranked as ranked does, and the page's rows.
// Ranked in Go, the hundred candidates each went through the driver,
// their dates parsed, and the subject's matches and the page's rows were
// statements of their own: together about a sixth of a search's CPU
// (issue 17 §3). Dates are stored in UTC, to the second, so their text
// sorts as they do.
func (e sqliteEngine) page(ctx context.Context, d *db.DB, q Query, limit, offset int) ([]withBody, error) {
	w := &db.Where{}
	from := e.newest(q, w, 0)
	c := "WITH c AS MATERIALIZED (SELECT f.rowid AS id, m.date AS date" + from + " LIMIT " + w.Arg(maxRanked) + "),"
	subj := "0"
	if q.ranksSubject() {
		subj = "c.id IN (" + inSubject(w.Arg(q.fts5Subject()), "(SELECT MIN(id) FROM c)", "(SELECT MAX(id) FROM c)") + ")"
	}
	return db.Query(ctx, d.Prepared(), func(row db.Scanner) (m withBody, err error) {
		m.Summary, err = scanSummary(row, &m.body)
		return m, err
	}, c+" r AS MATERIALIZED (SELECT c.id AS id, "+subj+" AS subj, c.date AS date FROM c"+
		" ORDER BY subj DESC, date DESC, id DESC LIMIT "+w.Arg(limit)+" OFFSET "+w.Arg(offset)+")"+
		" SELECT "+summaryCols(d.Dialect, "m.")+", m.body FROM r JOIN arch_message m ON m.id = r.id ORDER BY r.subj DESC, r.date DESC, r.id DESC", w.Args...)
}

func scanCandidate(row db.Scanner) (candidate, error) {
	var c candidate
	err := row.Scan(&c.id, &c.subject, &c.date)
	return c, err
}

type pgEngine struct {
	// newest returns the highest message id, as of a moment ago at most
	// (Service.newestID).
	newest func(ctx context.Context) (int64, error)
}

// newestRead is the highest message id a search on PostgreSQL has read,
// and when it read it.
type newestRead struct {
	mu sync.Mutex
	id int64
	at time.Time
}

// newestFor is how long a search on PostgreSQL goes by the highest
// message id that an earlier one read (a variable for tests).
var newestFor = 250 * time.Millisecond

// newestID returns the archive's highest message id, read again when the
// last reading is older than newestFor. The first window of a search
// reaches down from it and has no bound above (pgEngine.candidates), so a
// message added since is in the window all the same: the reading only
// sizes the window. Read at every search, it was one of a search's three
// round trips to the server (issue 17 §3).
func (s *Service) newestID(ctx context.Context) (int64, error) {
	n := &s.newest
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.at.IsZero() && time.Since(n.at) < newestFor {
		return n.id, nil
	}
	var top int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM arch_message`).Scan(&top); err != nil {
		return 0, err
	}
	n.id, n.at = top, time.Now()
	return top, nil
}

// PostgreSQL matches in the partitions of arch_fts (migration 0009):
// words anywhere in the whole text's GIN index, subject: and from: terms
// in the small indexes of their own columns. The conditions are written
// out, so that the planner sees the words and estimates how many rows
// match.
func (pgEngine) from(q Query, w *db.Where) (string, string) {
	for _, c := range []struct{ col, field string }{{"tsv", ""}, {"subject", "subject"}, {"author", "author"}} {
		if e := q.tsquery(w, c.field); e != "" {
			w.Raw("f." + c.col + " @@ " + e)
		}
	}
	return "arch_fts f JOIN arch_message m ON m.id = f.id", "f."
}

// firstWindow is how many of the newest message ids pgSearch looks at
// first (a variable for tests).
var firstWindow int64 = 1024

// PostgreSQL has no index that reads a word's matches newest first: GIN
// yields them all at once, and each is a visit to the table. So matches
// are sought in a window of the newest ids, then in one sized by how
// dense matches were in it, until there are n of them or the window
// holds every message: a common word is answered from the newest thousand
// messages, a rare one reads every partition's index. The message id's
// B-tree keeps each window's table visits to the rows inside it. The
// rank's query is parsed once, in a subquery: a function in a filter
// runs for every row.
//
// Given ORDER BY id DESC LIMIT n, the planner reads a window by the id's
// B-tree backward, testing each row, whenever it expects n matches
// within it: right for the first window, and for a word in every few
// messages, but a window sized for a sparse word holds tens of thousands
// of rows, and the planner does not count what testing each one costs
// (from:hadley, one message in a hundred, visited 10,406 rows for its
// 100 matches: 6.2 ms, against 2.8 ms through the author's GIN indexes).
// So a window after one where matches were sparse selects all of its
// matches, in a materialized CTE that the LIMIT does not reach, and the
// planner reads them as their number says, by the GIN indexes when they
// are few; such a window grows at most sparseGrowth times, as all of it
// is read.
func (e pgEngine) candidates(ctx context.Context, d *db.DB, q Query, below int64, n int, rank bool) ([]candidate, error) {
	top := below - 1
	if below <= 0 {
		var err error
		if top, err = e.newest(ctx); err != nil {
			return nil, err
		}
	}
	sparse := false
	for w := firstWindow; ; {
		wh := &db.Where{}
		e.from(q, wh)
		filters(q, wh, "f.")
		lo := top - w
		if lo > 0 {
			wh.Add("f.id > $?", lo)
		}
		if below > 0 {
			wh.Add("f.id < $?", below)
		}
		subj := "false"
		if rank {
			if x := q.tsquery(wh, "rank"); x != "" {
				subj = "f.subject @@ (SELECT " + x + ")"
			}
		}
		sel := "SELECT f.id, " + subj + " AS in_subject, f.date FROM arch_fts f" + wh.SQL()
		order := " ORDER BY f.id DESC LIMIT " + itoa(n)
		if sparse {
			sel, order = "WITH g AS MATERIALIZED ("+sel+") SELECT id, in_subject, date FROM g", " ORDER BY id DESC LIMIT "+itoa(n)
		}
		cands, err := db.Query(ctx, d, scanCandidate, sel+order, wh.Args...)
		if err != nil || len(cands) == n || lo <= 0 {
			return cands, err
		}
		// The next window should hold n matches, going by how many
		// this one held, with half as many again to spare; sixteen
		// times larger when it held none.
		sparse = int64(len(cands))*sparseIDs < w
		next := 16 * w
		if len(cands) > 0 {
			next = max(2*w, int64(n)*w*3/2/int64(len(cands)))
		}
		if sparse {
			next = min(next, sparseGrowth*w)
		}
		w = next
	}
}

// A window's matches are sparse when there are fewer than one in
// sparseIDs ids; the next window, read whole, is at most sparseGrowth
// times larger.
const (
	sparseIDs    = 50
	sparseGrowth = 16
)
