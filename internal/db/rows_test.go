package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// upTo5 counts from 1 to 5 on both engines; fail5 fails at its third row,
// when the first two have been sent.
const (
	upTo5 = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) `
	fail5 = upTo5 + `SELECT CASE WHEN x < 3 THEN x ELSE ABS(x - x - 9223372036854775807 - 1) END FROM n`
)

func TestQuery(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	errThree := errors.New("three")
	failAtThree := func(row db.Scanner) (int, error) {
		x, err := db.Scalar[int](row)
		if x == 3 {
			return 0, errThree
		}
		return x, err
	}
	for _, tc := range []struct {
		name    string
		scan    func(db.Scanner) (int, error)
		query   string
		args    []any
		want    []int
		wantErr error // nil: none; errAny: some error
	}{
		{"every row", db.Scalar[int], upTo5 + `SELECT x FROM n WHERE x > $1`, []any{1}, []int{2, 3, 4, 5}, nil},
		{"no rows is nil", db.Scalar[int], upTo5 + `SELECT x FROM n WHERE x > $1`, []any{5}, nil, nil},
		{"bad query", db.Scalar[int], `SELECT nothing FROM nowhere`, nil, nil, errAny},
		{"scan fails", failAtThree, upTo5 + `SELECT x FROM n`, nil, nil, errThree},
		{"scan into the wrong type", db.Scalar[int], `SELECT 'x'`, nil, nil, errAny},
		{"rows fail after two", db.Scalar[int], fail5, nil, []int{1, 2}, errAny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Query(ctx, d, tc.scan, tc.query, tc.args...)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr == errAny && err == nil, tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			// A read that fails in the rows' error returns what it read,
			// as the loops Query replaced did.
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if tc.want == nil && got != nil {
				t.Errorf("got %#v, want nil", got)
			}
			if n := d.Stats().InUse; n != 0 {
				t.Errorf("%d connections still in use: the rows were not closed", n)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestQueryPage(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	if _, err := d.ExecContext(ctx, `CREATE TABLE paged (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO paged (id, name) VALUES (5, 'e'), (2, 'b'), (4, 'd'), (1, 'a'), (3, 'c'), (6, 'x')`); err != nil {
		t.Fatal(err)
	}
	listing := func(limit, offset int) db.Listing {
		l := db.Listing{Cols: `name`, From: ` FROM paged`, Order: `id`, Limit: limit, Offset: offset}
		l.Where.Add("name < $?", "x")
		return l
	}
	for _, tc := range []struct {
		name  string
		l     db.Listing
		want  []string
		total int
	}{
		{"every row", listing(0, 0), []string{"a", "b", "c", "d", "e"}, 5},
		{"no limit ignores offset", listing(-1, 2), []string{"a", "b", "c", "d", "e"}, 5},
		{"a page", listing(2, 1), []string{"b", "c"}, 5},
		{"the last page", listing(2, 4), []string{"e"}, 5},
		{"past the end", listing(2, 9), nil, 5},
		{"no filter", db.Listing{Cols: `name`, From: ` FROM paged`, Order: `id DESC`, Limit: 1}, []string{"x"}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := db.QueryPage(ctx, d, tc.l, db.Scalar[string])
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" || total != tc.total {
				t.Errorf("total %d, want %d; rows (-want +got):\n%s", total, tc.total, diff)
			}
		})
	}
	l := listing(2, 0)
	l.Cols = "nothing"
	if _, _, err := db.QueryPage(ctx, d, l, db.Scalar[string]); err == nil {
		t.Error("a bad column gave no error")
	}
	l.From = " FROM nowhere"
	if _, _, err := db.QueryPage(ctx, d, l, db.Scalar[string]); err == nil {
		t.Error("a bad table gave no error from the count")
	}
}
