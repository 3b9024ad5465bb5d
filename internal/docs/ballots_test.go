package docs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
)

// Ballots gives each named document the view Ballot gives it: positions
// (a former AD's too), the alternate ballot, an earlier position
// replaced, a document with no ballot, and a name with its revision; an
// unknown name is an error, and no names give no views. This checks what
// Ballots returns, not how many queries it takes: nothing here counts
// queries (its doc comment's "fixed number" holds by construction, one
// query per table over all the names).
func TestBallotsAgreeWithBallot(t *testing.T) {
	e, name, ads, vote := altBallotEnv(t, 4)
	ctx := context.Background()
	holdDiscuss(t, e, name, ads)
	if err := e.s.RecordAltBallot(ctx, name, e.by("sec@example.org"), vote(map[string]string{"ad@example.org": "yes", "ad3@example.org": "yes"})); err != nil {
		t.Fatal(err)
	}
	e.at("2023-03-07") // the other draft's date
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	// One AD leaves the IESG: shown, not counted.
	if _, err := e.db.Exec(`DELETE FROM role WHERE person_id = $1 AND name = 'ad'`, e.ids[ads[3]]); err != nil {
		t.Fatal(err)
	}
	names := []string{"draft-ietf-idr-rt-derived-community", name + "-00"}
	got, err := e.s.Ballots(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(names) {
		t.Fatalf("%d views for %d names", len(got), len(names))
	}
	for i, n := range names {
		want, err := e.s.Ballot(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got[i], cmp.AllowUnexported(docs.AltBallot{})); diff != "" {
			t.Errorf("%s (-Ballot +Ballots):\n%s", n, diff)
		}
	}
	if !got[1].Exists || got[1].Tally.Discuss != 1 || got[0].Exists {
		t.Errorf("views: %+v", got)
	}
	if _, err := e.s.Ballots(ctx, []string{name, "draft-nobody-here"}); err == nil {
		t.Error("an unknown name gave no error")
	}
	if vs, err := e.s.Ballots(ctx, nil); err != nil || len(vs) != 0 {
		t.Errorf("no names: %v %v", vs, err)
	}
}
