package demo

import (
	"context"
	"strings"
	"testing"

	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
)

// TestRealIndexLeavesDemoRFC: importing the RFC index, whose RFC 9999 is
// a real RFC, over the demo leaves the demo's RFC its own title and
// authors, and says it did.
func TestRealIndexLeavesDemoRFC(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	name := docs.RFCName(DemoRFC)
	before, err := dm.ds.Get(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	es, err := rfcindex.ReadAll(strings.NewReader(`9999 Remote ATtestation procedureS (RATS) Conceptual Message Wrapper
     (CMW). H. Birkholz, N. Smith, T. Fossati, H. Tschofenig. July 2026.
     (Format: HTML, TXT, PDF, XML) (Status: PROPOSED STANDARD) (DOI:
     10.17487/RFC9999)
`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := dm.ds.ImportIndex(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), "RFC 9999") {
		t.Errorf("the import did not say it left RFC 9999 alone: %s", c)
	}
	after, err := dm.ds.Get(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if after.Title != before.Title || after.Group != before.Group || len(after.Authors) != len(before.Authors) {
		t.Errorf("%s after importing the real index: %q (%s) by %d authors, want %q (%s) by %d", name, after.Title, after.Group, len(after.Authors), before.Title, before.Group, len(before.Authors))
	}
}
