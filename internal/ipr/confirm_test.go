package ipr_test

import (
	"context"
	"testing"
	"time"

	"hum/internal/fail"
	"hum/internal/ipr"
)

// TestR11AuthorWhoKnowsOfIPRMustDiscloseIt: an author who says they know
// of IPR covering their draft is refused, naming R11, until a disclosure
// about it is on file, and the refusal records nothing; an author who
// filed a disclosure cannot say they know of none; only the revision's
// authors answer; a new revision asks again.
func TestR11AuthorWhoKnowsOfIPRMustDiscloseIt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob := e.as("ann@example.org"), e.as("bob@example.org")

	c, err := e.s.ConfirmationsOf(ctx, wgDraft)
	if err != nil || c.Rev != "01" || len(c.Awaiting) != 2 || len(c.NoAccount) != 1 || c.NoAccount[0].Email != "carl@example.net" || c.Complete() {
		t.Fatalf("before anyone answers: %+v, %v", c, err)
	}
	err = e.s.Confirm(ctx, wgDraft, ann, ipr.AllDisclosed, "")
	if fe, ok := fail.As(err); !ok || fe.Rule != "R11" || fe.Kind != fail.Conflict {
		t.Fatalf("knows of IPR with none on file: %v, want a refusal naming R11", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM ipr_confirmation`); n != 0 {
		t.Fatalf("the refusal stored %d confirmations", n)
	}
	for _, who := range []string{"", "pat@example.org", "chris@example.org", "sec@example.org"} {
		err := e.s.Confirm(ctx, wgDraft, e.as(who), ipr.KnowsNone, "")
		if k := fail.KindOf(err); k != fail.Forbidden && k != fail.Unauthorized {
			t.Errorf("%q answers for the authors: %v", who, err)
		}
	}
	if err := e.s.Confirm(ctx, wgDraft, ann, "maybe", ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an answer that is not one: %v", err)
	}

	// Bob knows of none; Ann files a disclosure (of the draft her WG
	// draft replaced: IPR on that is about this one too) and says so.
	if err := e.s.Confirm(ctx, wgDraft, bob, ipr.KnowsNone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Submit(ctx, ann, specific("docs", oldDraft+"-00"), ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Confirm(ctx, wgDraft, ann, ipr.KnowsNone, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("knows of none, having filed a disclosure: %v, want a conflict", err)
	}
	e.now = e.now.Add(time.Hour)
	if err := e.s.Confirm(ctx, wgDraft, ann, ipr.AllDisclosed, "Disclosure filed today."); err != nil {
		t.Fatalf("knows of IPR, disclosed: %v", err)
	}
	c, _ = e.s.ConfirmationsOf(ctx, wgDraft)
	if len(c.Confirmed) != 2 || len(c.Awaiting) != 0 || c.Confirmed[1].Answer != ipr.AllDisclosed || c.Confirmed[1].Name != "Ann Author" {
		t.Errorf("after both answered: %+v", c)
	}
	if evs := e.events("doc", wgDraft); evs[len(evs)-1] != "ipr_confirmed" {
		t.Errorf("the draft's events: %v", evs)
	}
	// Revision 02 is a new contribution: asked again.
	e.submit(wgDraft, "02", "", docsAuthor(e, "ann@example.org"), "ann@example.org", "bob@example.org")
	c, _ = e.s.ConfirmationsOf(ctx, wgDraft)
	if c.Rev != "02" || len(c.Confirmed) != 0 || len(c.Awaiting) != 2 {
		t.Errorf("after revision 02: %+v", c)
	}
}
