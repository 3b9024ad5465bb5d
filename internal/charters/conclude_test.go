package charters_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/charters"
	"hum/internal/fail"
	"hum/internal/record"
)

// TestR14ConcludeIsTheADsDecision: only the WG's responsible AD, or the
// secretariat on their behalf, concludes it, with a reason; it is
// announced on ietf-announce and the WG's list, which stays; a
// rechartering effort under way ends with it.
func TestR14ConcludeIsTheADsDecision(t *testing.T) {
	e := newEnv(t)
	before := e.version()
	for _, who := range []string{"chair@example.org", "oad@example.org", "ic@example.org", "iab@example.org", "pat@example.org"} {
		err := e.s.Conclude(e.ctx, e.as(who), "httpbis", "Done.")
		wantRule(t, who+" concludes httpbis", err, fail.Forbidden, "R14")
	}
	err := e.s.Conclude(e.ctx, e.as("ad@example.org"), "httpbis", "  \n")
	wantRule(t, "no reason", err, fail.Invalid, "R14")
	wantRule(t, "a BOF", e.s.Conclude(e.ctx, e.as("ad@example.org"), "newbof", "Nothing came of it."), fail.Conflict, "")
	wantRule(t, "an area", e.s.Conclude(e.ctx, e.as("sec@example.org"), "art", "Gone."), fail.Conflict, "")
	wantRule(t, "no such group", e.s.Conclude(e.ctx, e.as("sec@example.org"), "nosuch", "Gone."), fail.NotFound, "")
	if e.version() != before || e.groupState("httpbis") != "active" {
		t.Fatal("a refused conclusion changed something")
	}

	// A recharter under way ends with the group.
	_, err = e.s.Submit(e.ctx, e.as("ad@example.org"), "charter-ietf-httpbis", "The HTTP WG maintains HTTP.", "")
	e.must(err)
	e.must(e.s.SetState(e.ctx, e.as("ad@example.org"), "charter-ietf-httpbis", charters.Internal, ""))
	e.later(time.Hour)
	reason := "HTTP/3 is published and the WG has no more work in its charter."
	e.must(e.s.Conclude(e.ctx, e.as("ad@example.org"), "httpbis", reason))
	if st := e.groupState("httpbis"); st != "conclude" {
		t.Errorf("httpbis is %s, want conclude", st)
	}
	if c := e.get("charter-ietf-httpbis"); c.State != charters.Approved || c.Rev != "01" {
		t.Errorf("the charter after conclusion: %s %s", c.State, c.Rev)
	}
	subject := "WG Action: Conclusion of HTTP (httpbis)"
	for _, l := range []string{"ietf-announce", "httpbis"} {
		if diff := cmp.Diff([]string{subject}, e.posts(l)); diff != "" {
			t.Errorf("posts to %s (-want +got):\n%s", l, diff)
		}
	}
	var raw string
	e.must(e.db.QueryRowContext(e.ctx, `SELECT p.raw FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = 'ietf-announce'`).Scan(&raw))
	if !strings.Contains(raw, reason[:40]) || !strings.Contains(raw, "/arch/browse/httpbis/") {
		t.Errorf("the announcement lacks the reason or the archive:\n%s", raw)
	}
	evs, _ := record.List(e.ctx, e.db, "group", "httpbis", 1)
	if len(evs) != 1 || evs[0].Summary != "State changed to Concluded from Active" || evs[0].Why != reason || evs[0].Actor != "ad@example.org" {
		t.Errorf("the group's record: %+v", evs)
	}
	// The list is still there, and still takes the announcement of the
	// list's own (R19: its archive stays public).
	l, err := e.ls.Get(e.ctx, "httpbis")
	if err != nil || !l.ArchivePublic {
		t.Errorf("the WG's list after conclusion: %+v, %v", l, err)
	}
	wantRule(t, "conclude twice", e.s.Conclude(e.ctx, e.as("sec@example.org"), "httpbis", "Again."), fail.Conflict, "")
	e.checkAddresses()
}
