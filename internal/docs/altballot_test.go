package docs_test

import (
	"context"
	"fmt"
	"testing"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/testbody"
)

// TestAlternateBallotR36: a held DISCUSS blocks approval (R35) until the
// alternate ballot gives YES from two thirds of the non-recused sitting
// ADs, rounded up, with at most two NO (R36). Only the secretariat
// records it, and only while a DISCUSS is held.
func TestAlternateBallotR36(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Seven sitting ADs: the env's two and five more.
	ads := []string{"ad@example.org", "ad2@example.org"}
	for i := range 5 {
		email := fmt.Sprintf("ad%d@example.org", i+3)
		e.body.AddPeople(testbody.Person{Email: email, Name: fmt.Sprintf("AD Number%d", i+3), Role: "ad", Group: []string{"rtg", "sec"}[i%2]})
		ads = append(ads, email)
	}
	e.at("2021-06-19")
	if _, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), e.who("kesara@fq.nz")); err != nil {
		t.Fatal(err)
	}
	name := "draft-smoke-signals"
	// Straight into IESG Evaluation with an open ballot: the road there
	// is TestLifecycle's.
	d := e.doc(name)
	if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'iesg-eva', std_level = 'ps', ad_id = $1 WHERE id = $2`, e.ids["ad@example.org"], d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`INSERT INTO ballot (doc_id, opened) VALUES ($1, $2)`, d.ID, e.now); err != nil {
		t.Fatal(err)
	}
	vote := func(who map[string]string) map[int64]string {
		m := map[int64]string{}
		for email, v := range who {
			m[e.ids[email]] = v
		}
		return m
	}
	refused(t, "alternate ballot with no DISCUSS", e.s.RecordAltBallot(ctx, name, e.by("sec@example.org"), vote(map[string]string{ads[0]: "yes"})), fail.Conflict, "R36")
	for i, email := range ads {
		pos := docs.PositionChange{Pos: "yes"}
		if i == 1 {
			pos = docs.PositionChange{Pos: "discuss", Discuss: "Smoke is not a transport."}
		}
		if err := e.s.SetPosition(ctx, name, e.by(email), pos); err != nil {
			t.Fatal(err)
		}
	}
	v, err := e.s.Ballot(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if v.Passes || !v.Alt.Applies || v.Alt.Recorded() {
		t.Fatalf("held DISCUSS: passes %v, alternate ballot %+v", v.Passes, v.Alt)
	}
	refused(t, "approval with a held DISCUSS", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "approved", ""), fail.Conflict, "R35")
	refused(t, "an AD records the alternate ballot", e.s.RecordAltBallot(ctx, name, e.by("ad@example.org"), vote(map[string]string{ads[0]: "yes"})), fail.Forbidden, "R36")
	refused(t, "a vote from a non-AD", e.s.RecordAltBallot(ctx, name, e.by("sec@example.org"), vote(map[string]string{"chair@example.org": "yes"})), fail.Invalid, "R36")

	for _, c := range []struct {
		what   string
		votes  map[string]string
		needed int
		passes bool
	}{
		// 7 sitting, 1 recused: ⌈2/3 × 6⌉ = 4 YES needed.
		{"three yes of six", map[string]string{ads[0]: "yes", ads[2]: "yes", ads[3]: "yes", ads[1]: "no", ads[4]: "recuse"}, 4, false},
		{"four yes of six", map[string]string{ads[5]: "yes"}, 4, true},
		// Three NO are too many, whatever the YES.
		{"three no", map[string]string{ads[5]: "", ads[4]: "no", ads[6]: "no"}, 5, false},
		{"two no, five yes", map[string]string{ads[4]: "yes", ads[5]: "yes"}, 5, true},
	} {
		if err := e.s.RecordAltBallot(ctx, name, e.by("sec@example.org"), vote(c.votes)); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		v, err := e.s.Ballot(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if v.Alt.Needed != c.needed || v.Alt.Passes != c.passes || v.Passes != c.passes || v.Overridden != c.passes {
			t.Errorf("R36 %s: needed %d passes %v (ballot passes %v, overridden %v), want %d %v; %+v", c.what, v.Alt.Needed, v.Alt.Passes, v.Passes, v.Overridden, c.needed, c.passes, v.Alt)
		}
	}
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "approved", ""); err != nil {
		t.Errorf("approval after the alternate ballot passed (R36): %v", err)
	}
}
