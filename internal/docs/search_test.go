package docs_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
)

// someRFCs imports the index entries of the given RFC numbers.
func someRFCs(t *testing.T, e *env, nums ...int) {
	t.Helper()
	var es []rfcindex.Entry
	for _, x := range readIndex(t) {
		if slices.Contains(nums, x.Number) {
			es = append(es, x)
		}
	}
	if _, err := e.s.ImportIndex(context.Background(), es); err != nil {
		t.Fatal(err)
	}
}

func names(ds []docs.Document) []string {
	var ns []string
	for _, d := range ds {
		ns = append(ns, d.Name)
	}
	slices.Sort(ns)
	return ns
}

// TestSearchNameOrTitle: ?name= finds text anywhere in a name or title,
// whatever its case, through the name/title index of each engine
// (migration 0008), and shorter texts than a trigram too.
func TestSearchNameOrTitle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	someRFCs(t, e, 2119, 8174, 9000, 9001, 9110)
	e.at("2023-03-07")
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"quic", []string{"rfc9000", "rfc9001"}},
		{"QUIC", []string{"rfc9000", "rfc9001"}},
		{"ey word", []string{"rfc2119", "rfc8174"}}, // inside a word of the title
		{"rfc9001", []string{"rfc9001"}},
		{"RFC 9110", []string{"rfc9110"}},
		{"draft-ietf-idr-rt-derived-community-00", []string{"draft-ietf-idr-rt-derived-community"}}, // a revision is dropped
		{"ietf-idr-rt", []string{"draft-ietf-idr-rt-derived-community"}},
		{"tl", []string{"rfc9001"}}, // shorter than a trigram
		{"100%", nil},
		{`"quic"`, nil},
		{"zzz-nothing", nil},
	} {
		ds, total, err := e.s.Search(ctx, docs.Query{Name: c.q})
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		if diff := cmp.Diff(c.want, names(ds)); diff != "" || total != len(c.want) {
			t.Errorf("search %q: total %d (-want +got):\n%s", c.q, total, diff)
		}
	}
	// A page of one still counts every match, and full rows come back.
	ds, total, err := e.s.Search(ctx, docs.Query{Name: "quic", Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(ds) != 1 || ds[0].Name != "rfc9000" || !strings.Contains(ds[0].Title, "QUIC") {
		t.Errorf("second page of quic: %d of %d, %+v, %v", len(ds), total, ds, err)
	}
	// The index follows a changed title.
	if _, err := e.db.Exec(`UPDATE doc SET title = 'Zebra crossings' WHERE name = 'rfc9110'`); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"ebra cross": {"rfc9110"}, "http semantics": nil} {
		ds, _, err := e.s.Search(ctx, docs.Query{Name: q})
		if err != nil || !slices.Equal(names(ds), want) {
			t.Errorf("after the new title, %q finds %v (%v), want %v", q, names(ds), err, want)
		}
	}
}

// TestSearchWordFallback: on PostgreSQL without pg_trgm, the word index
// finds texts that start words, and nothing else (migration 0008).
func TestSearchWordFallback(t *testing.T) {
	e := newEnv(t)
	if e.db.Dialect != "postgres" {
		t.Skip("the word index is PostgreSQL's fallback")
	}
	docs.UseWordIndex(e.s)
	someRFCs(t, e, 2119, 8174, 9000, 9001)
	for q, want := range map[string][]string{"quic": {"rfc9000", "rfc9001"}, "key words": {"rfc2119", "rfc8174"}, "ey word": nil, "rfc9001": {"rfc9001"}, "'&|!": nil} {
		ds, _, err := e.s.Search(context.Background(), docs.Query{Name: q})
		if err != nil || !slices.Equal(names(ds), want) {
			t.Errorf("%q finds %v (%v), want %v", q, names(ds), err, want)
		}
	}
}
