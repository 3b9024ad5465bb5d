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
	// Seven sitting ADs: the env's two and five more.
	e, name, ads, vote := altBallotEnv(t, 7)
	ctx := context.Background()
	refused(t, "alternate ballot with no DISCUSS", e.s.RecordAltBallot(ctx, name, e.by("sec@example.org"), vote(map[string]string{ads[0]: "yes"})), fail.Conflict, "R36")
	holdDiscuss(t, e, name, ads)
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

// altBallotEnv is an env with n sitting ADs (the env's two and n-2 more)
// and a draft in IESG Evaluation with an open ballot; vote turns votes by
// address into votes by person id.
func altBallotEnv(t *testing.T, n int) (e *env, name string, ads []string, vote func(map[string]string) map[int64]string) {
	t.Helper()
	e = newEnv(t)
	ads = []string{"ad@example.org", "ad2@example.org"}
	for i := range n - 2 {
		email := fmt.Sprintf("ad%d@example.org", i+3)
		e.body.AddPeople(testbody.Person{Email: email, Name: fmt.Sprintf("AD Number%d", i+3), Role: "ad", Group: []string{"rtg", "sec"}[i%2]})
		ads = append(ads, email)
	}
	e.postSmokeSignals(t)
	name = "draft-smoke-signals"
	// Straight into IESG Evaluation with an open ballot: the road there
	// is TestLifecycle's.
	d := e.doc(name)
	if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'iesg-eva', std_level = 'ps', ad_id = $1 WHERE id = $2`, e.ids["ad@example.org"], d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`INSERT INTO ballot (doc_id, opened) VALUES ($1, $2)`, d.ID, e.now); err != nil {
		t.Fatal(err)
	}
	vote = func(who map[string]string) map[int64]string {
		m := map[int64]string{}
		for email, v := range who {
			m[e.ids[email]] = v
		}
		return m
	}
	return e, name, ads, vote
}

// holdDiscuss has every AD ballot YES but the second, who holds a DISCUSS.
func holdDiscuss(t *testing.T, e *env, name string, ads []string) {
	t.Helper()
	for i, email := range ads {
		pos := docs.PositionChange{Pos: "yes"}
		if i == 1 {
			pos = docs.PositionChange{Pos: "discuss", Discuss: "Smoke is not a transport."}
		}
		if err := e.s.SetPosition(context.Background(), name, e.by(email), pos); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAltBallotCountR36 checks R36's count against the rule for every
// IESG of up to 15 sitting ADs and every split of their votes: YES from
// at least two thirds of those who have not recused, rounded up (the
// least k with 3k >= 2n), and at most two NO.
func TestAltBallotCountR36(t *testing.T) {
	for sitting := 1; sitting <= 15; sitting++ {
		for recuse := 0; recuse <= sitting; recuse++ {
			n := sitting - recuse
			needed := 0
			for 3*needed < 2*n {
				needed++
			}
			for yes := 0; yes <= n; yes++ {
				for no := 0; yes+no <= n; no++ {
					a := docs.AltTally(sitting, yes, no, recuse)
					passes := yes >= needed && no <= 2
					if a.Needed != needed || a.Passes != passes || a.Yes != yes || a.No != no || a.Recuse != recuse {
						t.Fatalf("%d sitting, %d yes, %d no, %d recused: needed %d passes %v, want %d %v (%+v)", sitting, yes, no, recuse, a.Needed, a.Passes, needed, passes, a)
					}
					if !passes && a.Missing == "" {
						t.Fatalf("%d sitting, %d yes, %d no, %d recused: fails without saying why", sitting, yes, no, recuse)
					}
				}
			}
		}
	}
}

// TestAltBallotLimitsR36 takes the alternate ballot through the service
// where the two limits bite: nine sitting ADs, so that three NO can stand
// beside enough YES, and eight who have not recused, where two thirds
// (5.33) rounds up to 6, not down to 5.
func TestAltBallotLimitsR36(t *testing.T) {
	e, name, ads, vote := altBallotEnv(t, 9)
	ctx := context.Background()
	holdDiscuss(t, e, name, ads)
	for _, c := range []struct {
		what   string
		votes  map[string]string
		needed int
		passes bool
	}{
		// 9 voting: ⌈2/3 × 9⌉ = 6 YES, which six give, but three say NO.
		{"six yes, three no", map[string]string{ads[0]: "yes", ads[2]: "yes", ads[3]: "yes", ads[4]: "yes", ads[5]: "yes", ads[6]: "yes", ads[1]: "no", ads[7]: "no", ads[8]: "no"}, 6, false},
		// 8 voting (one recused, one silent): ⌈16/3⌉ = 6; five YES are
		// not enough, whatever rounding down would say.
		{"five yes of eight, two no", map[string]string{ads[6]: "recuse", ads[8]: ""}, 6, false},
		{"six yes of eight, two no", map[string]string{ads[8]: "yes"}, 6, true},
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
		if !c.passes {
			refused(t, "approval after a failed alternate ballot ("+c.what+")", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "approved", ""), fail.Conflict, "R35")
		}
	}
}
