package implementations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Test is an interoperability test, recorded on one report, with another
// implementation of the same draft.
type Test struct {
	ID         int64
	ReportID   int64  // the report it is recorded on
	OtherID    int64  // the implementation tested with
	Other      string // its name
	Doc        string // the draft
	Date       string // YYYY-MM-DD
	Result     string // a Results slug
	Notes      string
	RecordedBy int64
	Recorded   time.Time
}

// Results are the outcomes of a test.
var Results = []string{"pass", "partial", "fail"}

// NewTest is what a person writes about a test.
type NewTest struct {
	Other  int64 // the report of the other implementation
	Date   string
	Result string
	Notes  string
}

// AddTest records a test of report id's implementation with another
// implementation of the same draft. Those who may change the report may.
func (s *Service) AddTest(ctx context.Context, id int64, by groups.Actor, n NewTest, why string) (t Test, err error) {
	defer fail.Wrap(&err, "implementations.AddTest(%d)", id)
	r, d, err := s.editable(ctx, id, by)
	if err != nil {
		return t, err
	}
	n.Result, n.Notes = strings.ToLower(strings.TrimSpace(n.Result)), strings.TrimSpace(n.Notes)
	ok := false
	for _, v := range Results {
		ok = ok || v == n.Result
	}
	if !ok {
		return t, fail.Field("result", "%q is not a result; say %s.", n.Result, strings.Join(Results, ", "))
	}
	if n.Other == r.ID {
		return t, fail.Field("other", "An implementation is not tested for interoperability with itself; choose another one.")
	}
	if err := text("notes", n.Notes, maxLong); err != nil {
		return t, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if n.Date, err = date("date", strings.TrimSpace(n.Date), tx.Now); err != nil {
			return err
		}
		docID, other, err := reportDoc(ctx, tx, n.Other)
		if fail.KindOf(err) == fail.NotFound || (err == nil && docID != r.DocID) {
			return fail.Field("other", "The other implementation must be one reported for %s.", d.Name)
		} else if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO interop_test (report_id, other_id, tested, result, notes, recorded_by, recorded)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.ID, n.Other, n.Date, n.Result, n.Notes, personID(by), tx.Now).Scan(&t.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "interop_added",
			fmt.Sprintf("Interoperability test of %s with %s on %s: %s", r.Name, other, n.Date, n.Result), why)
	})
	if err != nil {
		return Test{}, err
	}
	ts, _, err := s.Tests(ctx, Filter{ID: t.ID})
	if err != nil || len(ts) == 0 {
		return Test{}, err
	}
	return ts[0], nil
}

// RemoveTest deletes test tid of report id.
func (s *Service) RemoveTest(ctx context.Context, id, tid int64, by groups.Actor, why string) (err error) {
	defer fail.Wrap(&err, "implementations.RemoveTest(%d, %d)", id, tid)
	r, d, err := s.editable(ctx, id, by)
	if err != nil {
		return err
	}
	var t *Test
	for i := range r.Tests {
		if r.Tests[i].ID == tid {
			t = &r.Tests[i]
		}
	}
	if t == nil {
		return fail.New(fail.NotFound, "The report of %q has no interoperability test %d.", r.Name, tid)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM interop_test WHERE id = $1 AND report_id = $2`, tid, id)
		if err := one(res, err, r); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "interop_removed",
			fmt.Sprintf("Interoperability test of %s with %s on %s (%s) removed", r.Name, t.Other, t.Date, t.Result), why)
	})
}

// Matrix is a draft's implementations by implementations. The matrix is
// symmetric: a test is a fact about a pair, whichever report it was
// recorded on, so cell (i, j) and (j, i) both hold the latest test
// between the two in either direction, latest by the date tested and,
// on one day, by the order recorded. The diagonal and untested pairs are
// nil.
type Matrix struct {
	Reports []Report
	Cells   [][]*Test
}

// MatrixOf builds the matrix of a draft's reports (ForDoc's, with their
// tests).
func MatrixOf(rs []Report) Matrix {
	m := Matrix{Reports: rs, Cells: make([][]*Test, len(rs))}
	at := map[int64]int{}
	for i, r := range rs {
		at[r.ID] = i
		m.Cells[i] = make([]*Test, len(rs))
	}
	for _, r := range rs {
		for k := range r.Tests {
			t := &r.Tests[k]
			i, ok1 := at[t.ReportID]
			j, ok2 := at[t.OtherID]
			if !ok1 || !ok2 || i == j {
				continue
			}
			if cur := m.Cells[i][j]; cur == nil || later(t, cur) {
				m.Cells[i][j], m.Cells[j][i] = t, t
			}
		}
	}
	return m
}

func later(a, b *Test) bool {
	if a.Date != b.Date {
		return a.Date > b.Date
	}
	return a.ID > b.ID
}
