package docs_test

import (
	"context"
	"testing"
)

// TestByAuthor: a person's documents, found by account or by address.
func TestByAuthor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	for _, c := range []struct {
		what   string
		id     int64
		emails []string
		want   int
	}{
		{"by account and address", e.ids["kesara@fq.nz"], []string{"kesara@fq.nz"}, 1},
		{"by address only", 0, []string{"KESARA@fq.nz"}, 1},
		{"someone else", e.ids["pat@example.org"], []string{"pat@example.org"}, 0},
	} {
		ds, err := e.s.ByAuthor(ctx, c.id, c.emails, 10)
		if err != nil || len(ds) != c.want || c.want == 1 && ds[0].Name != "draft-smoke-signals" {
			t.Errorf("%s: %v, %v; want %d documents", c.what, names(ds), err, c.want)
		}
	}
}
