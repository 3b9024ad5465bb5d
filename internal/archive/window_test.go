package archive

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestCandidatesAreTheNewestMatches: each engine's candidates are the
// newest n matches below a bound, with the rank's subject flag, whatever
// windows find them. On PostgreSQL, small partitions and a first window
// of 16 ids make a year of r-devel's authors and words take several
// windows: a word with no match in the first is sparse, and the windows
// after it read all their matches and keep the newest n
// (pgEngine.candidates). Each is checked against the same match read
// without windows, newest first (Service.build, as Export reads it).
func TestCandidatesAreTheNewestMatches(t *testing.T) {
	defer SetSearchPartition(64)()
	defer SetFirstWindow(16)()
	ctx := context.Background()
	s := &Service{DB: dbtest.New(t)}
	if _, err := s.Import(ctx, "r-devel", bytes.NewReader(corpustest.ReadFile(t, "lists/r-devel-2019.mbox")), nil); err != nil {
		t.Fatal(err)
	}
	inSubject := func(q Query) map[int64]bool {
		sq := q
		sq.Terms = nil
		for _, term := range q.Terms {
			if term.Field == "" {
				term.Field = "subject"
			}
			sq.Terms = append(sq.Terms, term)
		}
		sqlq, args := s.build(sq, "m.id", "m.id DESC", 10_000, 0)
		ids, err := db.Query(ctx, s.DB, db.Scalar[int64], sqlq, args...)
		if err != nil {
			t.Fatal(err)
		}
		set := map[int64]bool{}
		for _, id := range ids {
			set[id] = true
		}
		return set
	}
	cases := 0
	for _, text := range []string{"from:therneau", "from:maechler", "vignette", `"r cmd check"`, "subject:windows", "memory", "bioconductor"} {
		q, err := ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		sqlq, args := s.build(q, "m.id", "m.id DESC", 10_000, 0)
		all, err := db.Query(ctx, s.DB, db.Scalar[int64], sqlq, args...)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 20 {
			t.Fatalf("%q: %d matches; the test needs a word with more", text, len(all))
		}
		subj := inSubject(q)
		for _, below := range []int64{0, all[len(all)/3]} {
			var older []int64
			for _, id := range all {
				if below == 0 || id < below {
					older = append(older, id)
				}
			}
			for _, n := range []int{1, 10, 40} {
				got, err := s.engine().candidates(ctx, s.DB, q, below, n, true)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, c := range got {
					ids = append(ids, c.id)
					// When every term names its field, every match
					// has the words "in its subject": the engines may
					// flag all or none.
					if q.ranksSubject() && c.subject != subj[c.id] {
						t.Errorf("%q below %d: candidate %d has subject %v", text, below, c.id, c.subject)
					}
				}
				if want := older[:min(n, len(older))]; !slices.Equal(ids, want) {
					t.Errorf("%q below %d, n %d: candidates %v, want the newest matches %v", text, below, n, ids, want)
				}
				cases++
			}
		}
	}
	t.Logf("%d cases", cases)
}
