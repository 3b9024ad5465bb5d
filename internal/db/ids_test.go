package db_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestInIDs: the ids passed as one parameter select those rows, on
// either engine, and none selects nothing.
func TestInIDs(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	q := upTo5 + `SELECT x FROM n WHERE ` + d.Dialect.InIDs("x", "$1") + ` ORDER BY x`
	for _, ids := range [][]int64{{2, 4, 9}, {}} {
		got, err := db.Query(ctx, d, db.Scalar[int64], q, d.Dialect.IDs(ids))
		if err != nil {
			t.Fatal(err)
		}
		want := []int64(nil)
		for _, id := range ids {
			if id <= 5 {
				want = append(want, id)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ids %v (-want +got):\n%s", ids, diff)
		}
	}
}
