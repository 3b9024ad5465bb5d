package demo

import (
	"context"
	"strings"
	"testing"

	"hum/internal/ipr"
)

// TestDemoIPR: the draft in WG Last Call has a posted specific
// disclosure, a general statement is posted, and a third-party one about
// the draft in IESG Evaluation waits for the secretariat; every address
// they hold is at a reserved domain.
func TestDemoIPR(t *testing.T) {
	dm := loadDemo(t, true)
	ctx := context.Background()
	s := &ipr.Service{DB: dm.d, Docs: dm.ds, Groups: dm.gs, Lists: dm.ls, Mail: dm.ls.Router(nil), BaseURL: "http://demo.test", Domain: "demo.test"}
	ds, err := s.ForDocument(ctx, DocInWGLastCall)
	if err != nil || len(ds) != 1 || ds[0].Kind != ipr.Specific || ds[0].Licensing != "royalty-free" {
		t.Fatalf("disclosures about %s: %+v, %v", DocInWGLastCall, ds, err)
	}
	all, _, err := s.List(ctx, ipr.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, d := range all {
		states[d.Kind] = d.State
		for _, a := range []string{d.HolderContactEmail, d.IETFerContactEmail, d.SubmitterEmail} {
			if _, dom, _ := strings.Cut(a, "@"); a != "" && !Reserved(dom) {
				t.Errorf("disclosure %d: %q is not at a reserved domain", d.ID, a)
			}
		}
	}
	if states[ipr.Specific] != ipr.Posted || states[ipr.Generic] != ipr.Posted || states[ipr.ThirdParty] != ipr.Pending {
		t.Errorf("the demo's disclosures: %v", states)
	}
	if p, _, _ := s.List(ctx, ipr.Filter{Doc: DocInIESGEval}); len(p) != 1 || p[0].Kind != ipr.ThirdParty {
		t.Errorf("disclosures naming %s: %+v", DocInIESGEval, p)
	}
}
