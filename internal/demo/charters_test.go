package demo

import (
	"context"
	"testing"
	"time"

	"hum/internal/charters"
	"hum/internal/record"
)

// TestDemoBOFInChartering: the demo's BOF has a charter in internal
// review, begun over a week ago with the demo AD's YES, so the AD login
// may send it to external review now (R13), and nothing was mailed to
// people.
func TestDemoBOFInChartering(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	c, b, err := dm.cs.Ballot(ctx, BOFCharter)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != charters.Internal || c.Rev != "00-00" || c.Group.State != "bof" || c.Group.Parent != "app" {
		t.Fatalf("the demo BOF's charter: %s %s, group %s in %s", c.State, c.Rev, c.Group.State, c.Group.Parent)
	}
	if from := c.ExternalFrom(); from.IsZero() || !from.Before(time.Now()) || !b.Passes {
		t.Errorf("external review may start from %v (now %v), ballot passes %v: %+v", from, time.Now(), b.Passes, b)
	}
	var ad record.Actor
	for _, p := range b.Positions {
		if p.Pos == charters.PosYes {
			ad = record.Actor{ID: p.PersonID, Name: p.Name}
		}
	}
	by, err := dm.gs.ActorOf(ctx, ad)
	if err != nil {
		t.Fatal(err)
	}
	if err := dm.cs.SetState(ctx, by, BOFCharter, charters.External, "from the demo's test"); err != nil {
		t.Errorf("the demo AD sends the BOF's charter to external review: %v", err)
	}
	var n int
	if err := dm.d.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject LIKE '%New Idea%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d mails about the BOF to people (%v)", n, err)
	}
}
