package docs_test

import (
	"context"
	"testing"
	"time"

	"hum/internal/docs"
)

// R35: 2/3 of non-recused sitting ADs, rounded up, for standards track
// and BCP; one YES otherwise; never with an open DISCUSS.
func TestBallotPassRule(t *testing.T) {
	cases := []struct {
		level string
		t     docs.Tally
		pass  bool
		need  int
	}{
		{"ps", docs.Tally{Sitting: 15, Yes: 1, NoObj: 9}, true, 10},
		{"ps", docs.Tally{Sitting: 15, Yes: 1, NoObj: 8}, false, 10},
		{"ps", docs.Tally{Sitting: 15, Yes: 1, NoObj: 7, Recuse: 2}, false, 9},
		{"ps", docs.Tally{Sitting: 15, Yes: 1, NoObj: 8, Recuse: 2}, true, 9},
		{"ps", docs.Tally{Sitting: 15, Yes: 1, NoObj: 8, Recuse: 3}, true, 8},
		{"bcp", docs.Tally{Sitting: 14, Yes: 10}, true, 10},
		{"std", docs.Tally{Sitting: 15, Yes: 12, Discuss: 1}, false, 10},
		{"ps", docs.Tally{Sitting: 15, NoObj: 14}, false, 10},
		{"inf", docs.Tally{Sitting: 15, Yes: 1}, true, 1},
		{"exp", docs.Tally{Sitting: 15, NoObj: 5}, false, 1},
	}
	for _, c := range cases {
		pass, why := c.t.Passes(c.level)
		if pass != c.pass || c.t.Needed(c.level) != c.need {
			t.Errorf("%s %+v: pass %v (%s), need %d; want %v, %d", c.level, c.t, pass, why, c.t.Needed(c.level), c.pass, c.need)
		}
	}
}

// R02/R03: a draft expires 185 days after posting, with its authors
// warned 14 days before; one under IESG evaluation does not expire.
func TestExpiry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	e.now = e.now.Add(170 * 24 * time.Hour)
	if c, err := e.s.Expire(ctx); err != nil || c != (docs.ExpiryCounts{}) {
		t.Fatalf("day 170: %+v, %v", c, err)
	}
	e.now = e.now.Add(2 * 24 * time.Hour)
	if c, err := e.s.Expire(ctx); err != nil || c != (docs.ExpiryCounts{Warned: 1}) {
		t.Fatalf("day 172: %+v, %v", c, err)
	}
	if m := e.mails("Expiration impending"); len(m) != 1 || m[0].To[0] != "kesara@fq.nz" {
		t.Errorf("warning = %+v", m)
	}
	if c, _ := e.s.Expire(ctx); c != (docs.ExpiryCounts{}) {
		t.Errorf("warned twice: %+v", c)
	}
	e.now = e.now.Add(13 * 24 * time.Hour)
	if c, err := e.s.Expire(ctx); err != nil || c != (docs.ExpiryCounts{Expired: 1}) {
		t.Fatalf("day 185: %+v, %v", c, err)
	}
	d, _ := e.s.Get(ctx, "draft-smoke-signals")
	if d.State != "expired" {
		t.Errorf("state = %s", d.State)
	}
	// R03: under IESG evaluation, no expiry.
	e.at("2021-11-01")
	if _, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-01.txt"), e.who("kesara@fq.nz")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'iesg-eva' WHERE name = 'draft-smoke-signals'`); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(400 * 24 * time.Hour)
	if c, _ := e.s.Expire(ctx); c != (docs.ExpiryCounts{}) {
		t.Errorf("a draft in IESG evaluation was touched: %+v", c)
	}
}
