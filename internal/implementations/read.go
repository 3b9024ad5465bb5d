package implementations

import (
	"context"
	"database/sql"

	"hum/internal/db"
	"hum/internal/fail"
)

const reportCols = `r.id, r.doc_id, d.name, r.rev, r.name, r.organization, r.url, r.description, r.coverage, r.maturity, r.licence,
	r.contact, r.info_date, COALESCE(r.author_id, 0), COALESCE(p.name, ''), r.created, r.updated`

const reportFrom = ` FROM impl_report r JOIN doc d ON d.id = r.doc_id LEFT JOIN person p ON p.id = r.author_id`

func scanReport(row db.Scanner) (Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.DocID, &r.Doc, &r.Rev, &r.Name, &r.Organization, &r.URL, &r.Description, &r.Coverage, &r.Maturity, &r.Licence,
		&r.Contact, &r.Date, &r.AuthorID, &r.Author, &r.Created, &r.Updated)
	return r, err
}

// Filter chooses reports or tests for the API; zero values choose all.
type Filter struct {
	ID            int64
	Doc           string // the draft's name
	Limit, Offset int    // a Limit of 0 is every row
}

// List returns the reports f chooses, by draft and then in the order
// they were added, each with its tests, and how many match in all.
func (s *Service) List(ctx context.Context, f Filter) (rs []Report, total int, err error) {
	defer fail.Wrap(&err, "implementations.List")
	l := db.Listing{Cols: reportCols, From: reportFrom, Order: `d.name, r.id`, Limit: f.Limit, Offset: f.Offset}
	if f.ID != 0 {
		l.Where.Add(`r.id = $?`, f.ID)
	}
	if f.Doc != "" {
		l.Where.Add(`d.name = $?`, f.Doc)
	}
	if rs, total, err = db.QueryPage(ctx, s.DB, l, scanReport); err != nil {
		return nil, 0, err
	}
	return rs, total, s.withTests(ctx, rs)
}

// Get returns one report with its tests.
func (s *Service) Get(ctx context.Context, id int64) (Report, error) {
	rs, _, err := s.List(ctx, Filter{ID: id})
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, fail.New(fail.NotFound, "There is no implementation report %d.", id)
	}
	return rs[0], nil
}

// ForDoc returns a draft's reports, in the order they were added.
func (s *Service) ForDoc(ctx context.Context, name string) ([]Report, error) {
	rs, _, err := s.List(ctx, Filter{Doc: name})
	return rs, err
}

// Count is how many reports a draft has, for its page.
func (s *Service) Count(ctx context.Context, docID int64) (n int, err error) {
	err = s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM impl_report WHERE doc_id = $1`, docID).Scan(&n)
	return n, err
}

const testCols = `t.id, t.report_id, t.other_id, o.name, d.name, t.tested, t.result, t.notes, COALESCE(t.recorded_by, 0), t.recorded`

const testFrom = ` FROM interop_test t JOIN impl_report r ON r.id = t.report_id JOIN impl_report o ON o.id = t.other_id JOIN doc d ON d.id = r.doc_id`

func scanTest(row db.Scanner) (Test, error) {
	var t Test
	err := row.Scan(&t.ID, &t.ReportID, &t.OtherID, &t.Other, &t.Doc, &t.Date, &t.Result, &t.Notes, &t.RecordedBy, &t.Recorded)
	return t, err
}

// Tests returns the interoperability tests f chooses (f.ID is a test's
// id), oldest first, and how many match in all.
func (s *Service) Tests(ctx context.Context, f Filter) (ts []Test, total int, err error) {
	defer fail.Wrap(&err, "implementations.Tests")
	l := db.Listing{Cols: testCols, From: testFrom, Order: `t.id`, Limit: f.Limit, Offset: f.Offset}
	if f.ID != 0 {
		l.Where.Add(`t.id = $?`, f.ID)
	}
	if f.Doc != "" {
		l.Where.Add(`d.name = $?`, f.Doc)
	}
	return db.QueryPage(ctx, s.DB, l, scanTest)
}

// withTests fills in the tests recorded on each report.
func (s *Service) withTests(ctx context.Context, rs []Report) error {
	if len(rs) == 0 {
		return nil
	}
	var w db.Where
	ids := make([]any, len(rs))
	at := map[int64]int{}
	for i, r := range rs {
		ids[i], at[r.ID] = r.ID, i
	}
	in := "("
	for i, id := range ids {
		if i > 0 {
			in += ", "
		}
		in += w.Arg(id)
	}
	w.Raw(`t.report_id IN ` + in + `)`)
	ts, err := db.Query(ctx, s.DB, scanTest, `SELECT `+testCols+testFrom+w.SQL()+` ORDER BY t.id`, w.Args...)
	if err != nil {
		return err
	}
	for _, t := range ts {
		rs[at[t.ReportID]].Tests = append(rs[at[t.ReportID]].Tests, t)
	}
	return nil
}

// reportDoc is the draft a report belongs to, read in tx.
func reportDoc(ctx context.Context, tx *db.Tx, id int64) (docID int64, name string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT doc_id, name FROM impl_report WHERE id = $1`, id).Scan(&docID, &name)
	if err == sql.ErrNoRows {
		return 0, "", fail.New(fail.NotFound, "There is no implementation report %d.", id)
	}
	return docID, name, err
}
