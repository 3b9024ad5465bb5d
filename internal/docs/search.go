package docs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
)

// Query is a document search, as the Datatracker's /doc/search/ takes it.
type Query struct {
	Name   string   // text in the name or title; "draft-foo-03" finds draft-foo
	Group  string   // group acronym
	Area   string   // area acronym
	States []string // draft, WG or IESG state slugs; any may match
	AD     string   // the responsible AD: person id, email or name
	Author string   // author name or email, in part
	// Which documents: active drafts, expired and replaced ones, RFCs.
	// With none set, active drafts and RFCs.
	Active, Expired, Replaced, RFCs bool
	Limit, Offset                   int
}

// Search returns one page of matching documents (without authors) and
// how many match in all.
func (s *Service) Search(ctx context.Context, q Query) (ds []Document, total int, err error) {
	defer fail.Wrap(&err, "docs.Search(%+v)", q)
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if !q.Active && !q.Expired && !q.Replaced && !q.RFCs {
		q.Active, q.RFCs = true, true
	}
	// With a text to find, the text index is the selective one: "d.type
	// || ''" keeps the planner from starting with doc_type_state instead
	// (SQLite did, and read every document).
	typ := "d.type"
	if strings.TrimSpace(q.Name) != "" {
		typ = "(d.type || '')"
	}
	var kinds []string
	if q.Active {
		kinds = append(kinds, "("+typ+" = 'draft' AND d.state = 'active')")
	}
	if q.Expired {
		kinds = append(kinds, "("+typ+" = 'draft' AND d.state = 'expired')")
	}
	if q.Replaced {
		kinds = append(kinds, "("+typ+" = 'draft' AND d.state = 'repl')")
	}
	if q.RFCs {
		kinds = append(kinds, typ+" = 'rfc'")
	}
	where = append(where, "("+strings.Join(kinds, " OR ")+")")
	if t := strings.ToLower(strings.TrimSpace(q.Name)); t != "" {
		t = BaseName(t)
		if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(t, "rfc"))); err == nil && strings.HasPrefix(t, "rfc") {
			t = RFCName(n)
		}
		idx, err := s.textIndex(ctx)
		if err != nil {
			return nil, 0, err
		}
		where = append(where, idx.cond(t, arg))
	}
	if q.Group != "" {
		where = append(where, "g.acronym = "+arg(strings.ToLower(q.Group)))
	}
	if q.Area != "" {
		where = append(where, "(a.acronym = "+arg(strings.ToLower(q.Area))+" OR g.acronym = "+arg(strings.ToLower(q.Area))+")")
	}
	if len(q.States) > 0 {
		var ors []string
		for _, st := range q.States {
			p := arg(st)
			ors = append(ors, fmt.Sprintf("d.state = %s OR d.wg_state = %s OR d.iesg_state = %s", p, p, p))
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if q.AD != "" {
		if id, err := strconv.ParseInt(q.AD, 10, 64); err == nil {
			where = append(where, "d.ad_id = "+arg(id))
		} else {
			p := arg(strings.ToLower(q.AD))
			where = append(where, fmt.Sprintf("(LOWER(pa.name) = %s OR d.ad_id IN (SELECT person_id FROM person_address WHERE address = %s))", p, p))
		}
	}
	if q.Author != "" {
		p := arg("%" + likeEscape(strings.ToLower(q.Author)) + "%")
		where = append(where, fmt.Sprintf("d.id IN (SELECT doc_id FROM doc_author WHERE LOWER(name) LIKE %s ESCAPE '\\' OR email LIKE %s ESCAPE '\\')", p, p))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	// One scan of the matches gives the page and, by a window, their
	// number; only the page's rows are then read in full, so long
	// abstracts are not carried through the sort of every match.
	order := ` ORDER BY CASE WHEN d.type = 'draft' THEN 0 ELSE 1 END, d.rfc_number DESC, d.posted DESC, d.name`
	scan := func(row db.Scanner) (Document, error) { return scanDoc(withTotal{row, &total}) }
	ds, err = db.Query(ctx, s.DB, scan, `WITH m AS (SELECT d.id, COUNT(*) OVER () AS total`+
		docFrom+cond+order+` LIMIT `+arg(q.Limit)+` OFFSET `+arg(q.Offset)+`)
		SELECT `+docCols+`, m.total FROM m JOIN doc d ON d.id = m.id`+docJoins+order, args...)
	if err != nil {
		return nil, 0, err
	}
	if len(ds) == 0 && q.Offset > 0 { // past the end: the window saw no rows
		err = s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+docFrom+cond, args[:len(args)-2]...).Scan(&total)
	}
	return ds, total, err
}

// withTotal scans a document row followed by its window count.
type withTotal struct {
	row   db.Scanner
	total *int
}

func (w withTotal) Scan(dest ...any) error { return w.row.Scan(append(dest, w.total)...) }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
