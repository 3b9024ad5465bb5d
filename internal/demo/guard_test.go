package demo

import (
	"context"
	"slices"
	"testing"

	"hum/internal/groups"
	"hum/internal/record"
)

// TestExternalListsRefused: in a database whose demo groups hold real
// list addresses (as one loaded by an older hum does), the sender's check
// names those addresses, in any case, and nothing else: not reserved
// addresses, and not a real list of a group an operator created.
func TestExternalListsRefused(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, false)
	real := "ietf-http-wg@w3.org"
	if err := dm.gs.Update(ctx, operator, "httpbis", groups.Changes{ListEmail: &real}, "as an older demo loaded it"); err != nil {
		t.Fatal(err)
	}
	cli := groups.Operator(record.Actor{Name: "(hum CLI, admin)"})
	if _, err := dm.gs.Create(ctx, cli, groups.NewGroup{Acronym: "newwg", Name: "New Work", Type: "wg", Parent: "app", ListEmail: "newwg@ietf.org"}, ""); err != nil {
		t.Fatal(err)
	}
	g, err := dm.gs.Get(ctx, "trill")
	if err != nil {
		t.Fatal(err)
	}
	to := []string{"i-d-announce@localhost", real, "IETF-HTTP-WG@W3.ORG", "newwg@ietf.org", g.ListEmail, "someone@ietf.org"}
	refused, err := ExternalLists(dm.d)(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{real, "IETF-HTTP-WG@W3.ORG"}; !slices.Equal(refused, want) {
		t.Errorf("refused %q of %q, want %q", refused, to, want)
	}
	if !Reserved(g.ListEmail[len("trill@"):]) {
		t.Errorf("the demo's trill list is %q, not at a reserved domain", g.ListEmail)
	}
}
