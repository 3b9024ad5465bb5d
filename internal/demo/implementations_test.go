package demo

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"hum/internal/implementations"
)

// TestDemoRunningCode: the draft in WG Last Call has two implementation
// reports and a test between them, at reserved domains only.
func TestDemoRunningCode(t *testing.T) {
	dm := loadDemo(t, true)
	s := &implementations.Service{DB: dm.d, Docs: dm.ds}
	rs, err := s.ForDoc(context.Background(), DocInWGLastCall)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || len(rs[0].Tests) != 1 {
		t.Fatalf("reports of %s: %+v, want two with a test", DocInWGLastCall, rs)
	}
	if m := implementations.MatrixOf(rs); m.Cells[0][1] == nil || m.Cells[1][0].Result != "partial" {
		t.Errorf("the demo's matrix: %+v", m.Cells)
	}
	for _, r := range rs {
		u, err := url.Parse(r.URL)
		_, at, _ := strings.Cut(r.Contact, "@")
		if err != nil || !Reserved(u.Hostname()) || !Reserved(at) {
			t.Errorf("%s: URL %q, contact %q: not at a reserved domain", r.Name, r.URL, r.Contact)
		}
	}
}
