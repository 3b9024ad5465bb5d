package docs_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
	"hum/internal/groups"
	"hum/internal/mail"
)

func readIndex(t testing.TB) []rfcindex.Entry {
	t.Helper()
	f, err := os.Open(corpustest.Path(t, "rfc/rfc-index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := rfcindex.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestImportIndex(t *testing.T) {
	ctx := context.Background()
	es := readIndex(t)
	hdb := dbtest.New(t)
	s := &docs.Service{DB: hdb, Groups: &groups.Service{DB: hdb}, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	c, err := s.ImportIndex(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(c)
	if c.Added+c.NotIssued != len(es) || c.Added < 9000 {
		t.Errorf("counts = %+v for %d entries", c, len(es))
	}
	var n int
	s.DB.QueryRow(`SELECT COUNT(*) FROM doc WHERE type = 'rfc'`).Scan(&n)
	if n != c.Added {
		t.Errorf("%d RFC rows, want %d", n, c.Added)
	}

	d, err := s.Get(ctx, "rfc2119")
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Key words for use in RFCs to Indicate Requirement Levels" || d.StdLevel != "bcp" || d.DocDate != "1997-03" || len(d.Authors) != 1 || d.Authors[0].Name != "S. Bradner" {
		t.Errorf("rfc2119 = %+v", d)
	}
	if ss, _ := s.Series(ctx, d.ID); !slices.Contains(ss, "bcp14") {
		t.Errorf("rfc2119 series = %v, want bcp14", ss)
	}
	// Both directions of a relation: 8174 updates 2119.
	_, in, err := s.Relations(ctx, "rfc2119")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(in, func(r docs.Relation) bool { return r.Source == "rfc8174" && r.Type == "updates" }) {
		t.Errorf("rfc2119 is not updated by rfc8174: %v", in)
	}
	out, _, _ := s.Relations(ctx, "rfc9110")
	if !slices.ContainsFunc(out, func(r docs.Relation) bool { return r.Target == "rfc7231" && r.Type == "obs" && r.Title != "" }) {
		t.Errorf("rfc9110 does not obsolete rfc7231: %v", out)
	}
	_, in, _ = s.Relations(ctx, "rfc7231")
	if !slices.ContainsFunc(in, func(r docs.Relation) bool { return r.Source == "rfc9110" && r.Type == "obs" }) {
		t.Errorf("rfc7231 is not obsoleted by rfc9110: %v", in)
	}
	if ms, _ := s.SeriesMembers(ctx, "std97"); len(ms) != 1 || ms[0].Name != "rfc9110" {
		t.Errorf("std97 = %v", ms)
	}

	// Again: nothing changes, nothing is written twice.
	c2, err := s.ImportIndex(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Added != 0 || c2.Updated != 0 || c2.Relations != 0 || c2.Series != 0 || c2.Unchanged != c.Added {
		t.Errorf("second import = %+v", c2)
	}
}
