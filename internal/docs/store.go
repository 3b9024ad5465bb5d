package docs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

const docCols = `d.id, d.name, d.type, d.rev, d.title, d.abstract, COALESCE(d.group_id, 0), COALESCE(g.acronym, ''),
	COALESCE(g.name, ''), COALESCE(g.type, ''), COALESCE(a.acronym, ''), d.std_level, d.stream, d.state, d.wg_state,
	d.iesg_state, COALESCE(d.ad_id, 0), COALESCE(pa.name, ''), COALESCE(d.shepherd_id, 0), COALESCE(ps.name, ''),
	d.writeup, (d.writeup <> '' OR EXISTS (SELECT 1 FROM doc_writeup_answer w WHERE w.doc_id = d.id)), d.lc_ends, COALESCE(d.rfc_number, 0), d.pages, d.doc_date, d.posted, d.expires, d.created, d.updated`

const docFrom = ` FROM doc d` + docJoins

const docJoins = ` LEFT JOIN group_ref g ON g.id = d.group_id LEFT JOIN group_ref a ON a.id = g.parent_id
	LEFT JOIN person_name pa ON pa.id = d.ad_id LEFT JOIN person_name ps ON ps.id = d.shepherd_id `

func scanDoc(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	var lc, posted, expires sql.NullTime
	err := row.Scan(&d.ID, &d.Name, &d.Type, &d.Rev, &d.Title, &d.Abstract, &d.GroupID, &d.Group, &d.GroupName,
		&d.GroupType, &d.Area, &d.StdLevel, &d.Stream, &d.State, &d.WGState, &d.IESGState, &d.ADID, &d.AD,
		&d.ShepherdID, &d.Shepherd, &d.Writeup, &d.HasWriteup, &lc, &d.RFCNumber, &d.Pages, &d.DocDate, &posted, &expires,
		&d.Created, &d.Updated)
	d.LCEnds, d.Posted, d.Expires = timePtr(lc), timePtr(posted), timePtr(expires)
	return d, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// Get returns a document with its authors. A name with a revision
// ("draft-foo-03") finds the draft.
func (s *Service) Get(ctx context.Context, name string) (Document, error) {
	return s.get(ctx, s.DB, name)
}

func (s *Service) get(ctx context.Context, q db.Querier, name string) (d Document, err error) {
	defer fail.Wrap(&err, "docs.Get(%q)", name)
	base := BaseName(name)
	d, err = scanDoc(q.QueryRowContext(ctx, `SELECT `+docCols+docFrom+`WHERE d.name = $1`, base))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fail.New(fail.NotFound, "There is no document called %q.", name)
	}
	if err != nil {
		return d, err
	}
	d.Authors, err = authors(ctx, q, d.ID)
	return d, err
}

func authors(ctx context.Context, q db.Querier, docID int64) ([]Author, error) {
	return db.Query(ctx, q, func(row db.Scanner) (Author, error) {
		var a Author
		err := row.Scan(&a.Name, &a.ASCIIName, &a.Organization, &a.Email, &a.PersonID)
		return a, err
	}, `SELECT name, ascii_name, organization, email, COALESCE(person_id, 0)
		FROM doc_author WHERE doc_id = $1 ORDER BY ord`, docID)
}

// Revisions lists a draft's posted revisions, oldest first.
func (s *Service) Revisions(ctx context.Context, docID int64) ([]Revision, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Revision, error) {
		var r Revision
		var as string
		if err := row.Scan(&r.ID, &r.Rev, &r.Title, &r.DocDate, &r.Pages, &as, &r.SubmissionID, &r.Posted); err != nil {
			return r, err
		}
		if as != "" {
			json.Unmarshal([]byte(as), &r.Authors)
		}
		return r, nil
	}, `SELECT id, rev, title, doc_date, pages, authors, COALESCE(submission_id, 0), posted
		FROM doc_rev WHERE doc_id = $1 ORDER BY rev`, docID)
}

// Files returns the stored sources of one revision: the XML and the
// text, either of which may be nil.
func (s *Service) Files(ctx context.Context, name, rev string) (xml, txt []byte, err error) {
	defer fail.Wrap(&err, "docs.Files(%q, %q)", name, rev)
	err = s.DB.QueryRowContext(ctx, `SELECT s.xml, s.txt FROM doc_rev r JOIN doc d ON d.id = r.doc_id
		JOIN submission s ON s.id = r.submission_id WHERE d.name = $1 AND r.rev = $2`, name, rev).Scan(&xml, &txt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fail.New(fail.NotFound, "%s has no stored file for revision %s.", name, rev)
	}
	return xml, txt, err
}

// Relations returns what name obsoletes, updates and replaces (Out), and
// what does so to it (In), with the other document's title.
func (s *Service) Relations(ctx context.Context, name string) (out, in []Relation, err error) {
	defer fail.Wrap(&err, "docs.Relations(%q)", name)
	load := func(q string) ([]Relation, error) {
		return db.Query(ctx, s.DB, func(row db.Scanner) (Relation, error) {
			var r Relation
			err := row.Scan(&r.Source, &r.Type, &r.Target, &r.Title)
			return r, err
		}, q, name)
	}
	out, err = load(`SELECT r.source, r.type, r.target, COALESCE(d.title, '') FROM doc_relation r
		LEFT JOIN doc d ON d.name = r.target WHERE r.source = $1 ORDER BY r.type, LENGTH(r.target), r.target`)
	if err != nil {
		return nil, nil, err
	}
	in, err = load(`SELECT r.source, r.type, r.target, COALESCE(d.title, '') FROM doc_relation r
		LEFT JOIN doc d ON d.name = r.source WHERE r.target = $1 ORDER BY r.type, LENGTH(r.source), r.source`)
	return out, in, err
}

// Series lists the sub-series an RFC belongs to, e.g. ["bcp14"].
func (s *Service) Series(ctx context.Context, docID int64) ([]string, error) {
	return db.Query(ctx, s.DB, db.Scalar[string], `SELECT series FROM doc_series WHERE doc_id = $1 ORDER BY series`, docID)
}

// SeriesMembers returns the RFCs that make up a sub-series ("bcp14").
func (s *Service) SeriesMembers(ctx context.Context, series string) ([]Document, error) {
	return db.Query(ctx, s.DB, scanDoc, `SELECT `+docCols+docFrom+`JOIN doc_series x ON x.doc_id = d.id
		WHERE x.series = $1 ORDER BY d.rfc_number`, strings.ToLower(series))
}

// RFCOf returns the RFC a draft became, or the draft an RFC came from.
func (s *Service) Counterpart(ctx context.Context, d Document) (string, bool) {
	if d.RFCNumber == 0 {
		return "", false
	}
	other := "rfc"
	if d.IsRFC() {
		other = "draft"
	}
	var name string
	err := s.DB.QueryRowContext(ctx, `SELECT name FROM doc WHERE rfc_number = $1 AND type = $2`, d.RFCNumber, other).Scan(&name)
	return name, err == nil
}
