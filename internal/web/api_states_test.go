package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAPIDocStatesReadAsJoined: doc/document's and doc/dochistory's
// states are read a page at a time in Go (Link.Read, issue 12); on the
// demo's documents (drafts in every state, RFCs, charters) each object's
// states are those the link's join, which filters use, gives.
func TestAPIDocStatesReadAsJoined(t *testing.T) {
	ctx := context.Background()
	body, ls, ds, _ := demoBody(t)
	od, err := OpenData(Config{DB: body.DB, People: body.People, Groups: body.Groups, Lists: ls, Docs: ds})
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{"document", "dochistory"} {
		r, _ := od.Resource("doc", model)
		l := r.Field("states").Link
		if l.Read == nil {
			t.Fatalf("doc/%s's states have no Read", model)
		}
		joined := map[string][]string{}
		rows, err := body.DB.QueryContext(ctx, "SELECT "+l.Owner+", "+l.Key+" FROM "+l.From+" ORDER BY "+l.Owner+", "+l.Key)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var owner string
			var id int64
			if err := rows.Scan(&owner, &id); err != nil {
				t.Fatal(err)
			}
			joined[owner] = append(joined[owner], "/api/v1/doc/state/"+fmt.Sprint(id)+"/")
		}
		rows.Close()
		p, err := od.List(ctx, r, url.Values{"limit": {"1000"}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, o := range p.Objects {
			k := fmt.Sprint(o[r.Key])
			got, _ := o["states"].([]string)
			if diff := cmp.Diff(joined[k], got); diff != "" && (len(got) > 0 || len(joined[k]) > 0) {
				t.Errorf("doc/%s %s: states (-joined +read):\n%s", model, k, diff)
			}
			for _, u := range got {
				seen[u] = true
			}
		}
		// Drafts active, in WG Last Call, in IESG evaluation and published,
		// RFCs and charters: states of every type.
		if model == "document" && (len(p.Objects) < 20 || len(seen) < 6) {
			t.Errorf("doc/document: %d objects in %d states: too few to tell", len(p.Objects), len(seen))
		}
	}
}
