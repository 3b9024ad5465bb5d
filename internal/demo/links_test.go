package demo

import (
	"context"
	"testing"

	"hum/internal/groups"
)

// TestDemoMilestoneLinksResolve: every document a demo milestone names
// is a document the demo holds, so its link on the group page resolves.
func TestDemoMilestoneLinksResolve(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	gs, _, err := dm.gs.List(ctx, groups.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, g := range gs {
		ms, err := dm.gs.Milestones(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			for _, name := range m.Docs {
				linked++
				if _, err := dm.ds.Get(ctx, name); err != nil {
					t.Errorf("%s milestone %q links to %s: %v", g.Acronym, m.Description, name, err)
				}
			}
		}
	}
	if linked == 0 {
		t.Error("no demo milestone links to a document")
	}
}
