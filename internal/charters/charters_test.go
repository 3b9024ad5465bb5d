package charters_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/charters"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

const bofText = "The New Idea WG will specify the new idea.\n\nMilestones: a protocol document to the IESG."

// TestR13BOFCharteredToActive walks a BOF through chartering as the IETF
// does it: a draft charter, a week of IESG and IAB review announced to
// them with the IESG's ballot, the announcement on ietf-announce and
// new-work (the BOF becomes a proposed WG), a week or more of external
// review, and the IESG's approval on a ballot, which makes the group
// active with the text as its charter. Each wait is enforced on the
// transaction's clock, each refusal names R13, and every mail goes to an
// address that exists.
func TestR13BOFCharteredToActive(t *testing.T) {
	e := newEnv(t)
	const name = "charter-ietf-newbof"
	ad := e.as("ad@example.org")

	if c := e.get(name); c.State != charters.NotReview || c.Rev != "" || len(c.Revisions) != 0 || c.ID != 0 {
		t.Fatalf("a BOF's charter before any text: %+v", c)
	}
	rev, err := e.s.Submit(e.ctx, ad, name, "A first try.", "")
	if err != nil || rev != "00-00" {
		t.Fatalf("first text: %q, %v; want 00-00", rev, err)
	}
	e.later(time.Hour)
	if rev, err = e.s.Submit(e.ctx, ad, name, bofText+"\r\n", "after the BOF"); err != nil || rev != "00-01" {
		t.Fatalf("second text: %q, %v; want 00-01", rev, err)
	}
	if c := e.get(name); c.State != charters.Draft || c.Rev != "00-01" || c.Text() != bofText || c.Recharter() {
		t.Fatalf("after two texts: state %s rev %s text %q", c.State, c.Rev, c.Text())
	}

	// Internal review: the IESG and the IAB are told, the ballot opens.
	e.must(e.s.SetState(e.ctx, ad, name, charters.Internal, "ready for the IESG"))
	internal := e.outbox()
	if len(internal) != 1 || internal[0].Subject != "Internal WG Review: A New Idea (newbof)" {
		t.Fatalf("internal review mail: %v", internal)
	}
	wantTo := []string{"ad@example.org", "iab@example.org", "ic@example.org", "oad@example.org"}
	if diff := cmp.Diff(wantTo, internal[0].To); diff != "" {
		t.Errorf("internal review went to (-want +got):\n%s", diff)
	}
	if raw := string(internal[0].Raw); !strings.Contains(raw, "To: <iesg@hum.test>, <iab@hum.test>") || !strings.Contains(raw, "The New Idea WG will specify the new idea.") {
		t.Errorf("the internal review mail lacks the charter text:\n%s", internal[0].Raw)
	}
	_, b, err := e.s.Ballot(e.ctx, name)
	if err != nil || b.Kind != charters.ReadyForExternal || !b.Open() || b.Sitting != 3 || b.Passes {
		t.Fatalf("ballot in internal review: %+v, %v", b, err)
	}

	// R13: a week of internal review first.
	e.later(6 * 24 * time.Hour)
	e.position("ad@example.org", name, charters.PosYes)
	before := e.version()
	wantRule(t, "external review after six days", e.s.SetState(e.ctx, ad, name, charters.External, ""), fail.Conflict, "R13")
	if e.version() != before || e.get(name).State != charters.Internal {
		t.Error("a refused move changed the charter")
	}
	e.later(24 * time.Hour)
	e.must(e.s.SetPosition(e.ctx, e.as("oad@example.org"), name, charters.PositionChange{Pos: charters.PosBlock, Block: "Say what the new idea is."}))
	wantRule(t, "external review with a BLOCK", e.s.SetState(e.ctx, ad, name, charters.External, ""), fail.Conflict, "R13")
	e.position("oad@example.org", name, charters.PosNoObj)

	// External review: announced on ietf-announce and new-work, and the
	// BOF becomes a proposed WG.
	e.must(e.s.SetState(e.ctx, ad, name, charters.External, "the IESG agreed on the telechat"))
	if st := e.groupState("newbof"); st != "proposed" {
		t.Errorf("in external review the BOF is %s, want proposed", st)
	}
	for _, l := range []string{"ietf-announce", "new-work"} {
		if diff := cmp.Diff([]string{"WG Review: A New Idea (newbof)"}, e.posts(l)); diff != "" {
			t.Errorf("posts to %s (-want +got):\n%s", l, diff)
		}
	}
	c := e.get(name)
	if c.State != charters.External || c.ExtText != "00-01" || !c.ApproveFrom().Equal(e.now.Add(charters.ReviewWeek)) {
		t.Errorf("in external review: %+v", c)
	}
	if _, b, _ := e.s.Ballot(e.ctx, name); b.Open() {
		t.Errorf("the ready-for-external-review ballot is still open: %+v", b)
	}

	// IESG review at once, but no approval before another week.
	e.later(time.Hour)
	e.must(e.s.SetState(e.ctx, ad, name, charters.IESGReview, ""))
	e.later(3 * 24 * time.Hour)
	e.position("ad@example.org", name, charters.PosYes)
	before = e.version()
	_, err = e.s.Approve(e.ctx, ad, name, "")
	wantRule(t, "approval after four days of external review", err, fail.Conflict, "R13")
	if e.version() != before || e.groupState("newbof") != "proposed" {
		t.Error("a refused approval changed something")
	}
	e.later(4 * 24 * time.Hour)
	e.position("ad@example.org", name, charters.PosNoRecord)
	_, err = e.s.Approve(e.ctx, ad, name, "")
	wantRule(t, "approval with no YES", err, fail.Conflict, "R13")
	e.position("ic@example.org", name, charters.PosYes)

	rev, err = e.s.Approve(e.ctx, e.as("sec@example.org"), name, "approved on the telechat")
	if err != nil || rev != "01" {
		t.Fatalf("Approve = %q, %v; want 01", rev, err)
	}
	c = e.get(name)
	var revs []string
	for _, r := range c.Revisions {
		revs = append(revs, r.Rev)
	}
	if c.State != charters.Approved || c.Rev != "01" || c.Text() != bofText || strings.Join(revs, " ") != "00-00 00-01 01" {
		t.Errorf("approved: state %s rev %s revisions %v text %q", c.State, c.Rev, revs, c.Text())
	}
	if st := e.groupState("newbof"); st != "active" {
		t.Errorf("after approval newbof is %s, want active", st)
	}
	g, _ := e.body.Groups.Get(e.ctx, "newbof")
	if cur, ok, _ := e.body.Groups.Charter(e.ctx, g.ID); !ok || cur.Text != bofText || cur.Rev != 1 {
		t.Errorf("the group's charter: %+v", cur)
	}
	if diff := cmp.Diff([]string{"WG Review: A New Idea (newbof)", "WG Action: Formed A New Idea (newbof)"}, e.posts("ietf-announce")); diff != "" {
		t.Errorf("ietf-announce (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"WG Action: Formed A New Idea (newbof)"}, e.posts("newbof")); diff != "" {
		t.Errorf("the WG's list (-want +got):\n%s", diff)
	}
	var subjects []string
	for _, m := range e.outbox() {
		subjects = append(subjects, m.Subject)
	}
	if diff := cmp.Diff([]string{"Internal WG Review: A New Idea (newbof)", "Charter ballot: A New Idea (newbof)"}, subjects); diff != "" {
		t.Errorf("mail to people (-want +got):\n%s", diff)
	}
	e.checkAddresses()

	// The record: every step on the charter's, the group's moves on the
	// group's.
	docEvents, _ := record.List(e.ctx, e.db, "doc", name, 100)
	kinds := map[string]int{}
	for _, ev := range docEvents {
		kinds[ev.Kind]++
	}
	want := map[string]int{"new_revision": 3, "charter_state": 5, "ballot_opened": 2, "ballot_closed": 2, "ballot_position": 6, "iesg_approved": 1}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("the charter's events (-want +got):\n%s", diff)
	}
	groupEvents, _ := record.List(e.ctx, e.db, "group", "newbof", 100)
	var summaries []string
	for _, ev := range groupEvents {
		summaries = append(summaries, ev.Summary)
	}
	for _, s := range []string{"Charter approved, group active", "State changed to Proposed from BOF: its charter (charter-ietf-newbof-00-01) is out for external review", "Charter revision 01"} {
		if !strings.Contains(strings.Join(summaries, "\n"), s) {
			t.Errorf("the group's record lacks %q:\n%s", s, strings.Join(summaries, "\n"))
		}
	}
}

// TestR13SkippingStepsRefused: no move skips internal review, external
// review or the IESG's ballot, whoever asks; each refusal names R13 and
// changes nothing.
func TestR13SkippingStepsRefused(t *testing.T) {
	const name = "charter-ietf-newbof"
	for _, by := range []string{"ad@example.org", "sec@example.org"} {
		e := newEnv(t)
		who := e.as(by)
		_, err := e.s.Submit(e.ctx, who, name, bofText, "")
		e.must(err)
		e.later(30 * 24 * time.Hour)
		steps := []struct {
			what string
			err  func() error
		}{
			{"draft to external review", func() error { return e.s.SetState(e.ctx, who, name, charters.External, "") }},
			{"draft to IESG review", func() error { return e.s.SetState(e.ctx, who, name, charters.IESGReview, "") }},
			{"draft approved", func() error { _, err := e.s.Approve(e.ctx, who, name, ""); return err }},
		}
		for _, s := range steps {
			before := e.version()
			wantRule(t, by+": "+s.what, s.err(), fail.Conflict, "R13")
			if e.version() != before {
				t.Errorf("%s: %s changed the record", by, s.what)
			}
		}
		e.must(e.s.SetState(e.ctx, who, name, charters.Internal, ""))
		e.later(30 * 24 * time.Hour)
		e.position("ad@example.org", name, charters.PosYes)
		for _, s := range []struct {
			what string
			err  func() error
		}{
			{"internal review to IESG review", func() error { return e.s.SetState(e.ctx, who, name, charters.IESGReview, "") }},
			{"internal review approved", func() error { _, err := e.s.Approve(e.ctx, who, name, ""); return err }},
		} {
			before := e.version()
			wantRule(t, by+": "+s.what, s.err(), fail.Conflict, "R13")
			if e.version() != before {
				t.Errorf("%s: %s changed the record", by, s.what)
			}
		}
		e.must(e.s.SetState(e.ctx, who, name, charters.External, ""))
		e.later(30 * 24 * time.Hour)
		_, err = e.s.Approve(e.ctx, who, name, "")
		wantRule(t, by+": approved in external review, with no IESG ballot", err, fail.Conflict, "R13")
		if st := e.groupState("newbof"); st != "proposed" {
			t.Errorf("%s: newbof is %s, want still proposed", by, st)
		}
	}
}

// TestChartersWhoMay: the group's responsible AD and the secretariat take
// a charter through chartering; a chair, another area's AD, an IAB member
// and a participant are refused, and change nothing. Only sitting ADs
// ballot (R42).
func TestChartersWhoMay(t *testing.T) {
	e := newEnv(t)
	const name = "charter-ietf-newbof"
	before := e.version()
	for _, who := range []string{"chair@example.org", "oad@example.org", "iab@example.org", "pat@example.org"} {
		_, err := e.s.Submit(e.ctx, e.as(who), name, bofText, "")
		wantRule(t, who+" proposes a charter", err, fail.Forbidden, "")
	}
	if e.version() != before {
		t.Error("a refused proposal changed the record")
	}
	_, err := e.s.Submit(e.ctx, e.as("ad@example.org"), name, bofText, "")
	e.must(err)
	for _, who := range []string{"chair@example.org", "oad@example.org", "iab@example.org", "pat@example.org"} {
		wantRule(t, who+" starts internal review", e.s.SetState(e.ctx, e.as(who), name, charters.Internal, ""), fail.Forbidden, "")
		wantRule(t, who+" abandons", e.s.Abandon(e.ctx, e.as(who), name, ""), fail.Forbidden, "")
	}
	e.must(e.s.SetState(e.ctx, e.as("sec@example.org"), name, charters.Internal, ""))
	for _, who := range []string{"chair@example.org", "iab@example.org", "pat@example.org", "sec@example.org"} {
		err := e.s.SetPosition(e.ctx, e.as(who), name, charters.PositionChange{Pos: charters.PosYes})
		wantRule(t, who+" ballots", err, fail.Forbidden, "R42")
	}
	e.must(e.s.SetPosition(e.ctx, e.as("oad@example.org"), name, charters.PositionChange{Pos: charters.PosYes}))

	// Bad input is refused and changes nothing.
	before = e.version()
	for _, p := range []charters.PositionChange{{Pos: "discuss"}, {Pos: ""}, {Pos: charters.PosBlock, Block: "  "}} {
		err := e.s.SetPosition(e.ctx, e.as("ad@example.org"), name, p)
		wantRule(t, "position "+p.Pos, err, fail.Invalid, "")
	}
	for _, st := range []string{"", "approved", "notrev", "running"} {
		wantRule(t, "state "+st, e.s.SetState(e.ctx, e.as("ad@example.org"), name, st, ""), fail.Invalid, "")
	}
	_, err = e.s.Submit(e.ctx, e.as("ad@example.org"), name, " \n ", "")
	wantRule(t, "an empty text", err, fail.Invalid, "")
	_, err = e.s.Submit(e.ctx, e.as("ad@example.org"), name, bofText, "")
	wantRule(t, "the same text", err, fail.Invalid, "")
	for _, n := range []string{"charter-ietf-nosuch", "charter-irtf-newbof", "charter-ietf-art", "draft-ietf-newbof", "charter-"} {
		_, err := e.s.Get(e.ctx, n)
		wantRule(t, "Get("+n+")", err, fail.NotFound, "")
	}
	_, err = e.s.Submit(e.ctx, e.as("sec@example.org"), "charter-irtf-irtfrg", "An RG charter.", "")
	wantRule(t, "an RG through the IESG's chartering", err, fail.Conflict, "")
	if e.version() != before {
		t.Error("bad input changed the record")
	}
}

// TestR13Recharter: an active WG is rechartered on the same path; it
// stays active throughout, its approved charter stays current until the
// IESG approves the new one, and the approval installs it as revision 02.
// An abandoned recharter leaves the approved charter, and the next effort
// does not reuse its revision names.
func TestR13Recharter(t *testing.T) {
	e := newEnv(t)
	const name = "charter-ietf-httpbis"
	ad := e.as("ad@example.org")
	if c := e.get(name); c.State != charters.Approved || c.Rev != "01" || c.Text() != "The HTTP WG maintains HTTP/1.1 and HTTP/2." {
		t.Fatalf("httpbis's charter before: %+v", c)
	}
	rev, err := e.s.Submit(e.ctx, ad, name, "The HTTP WG maintains HTTP.", "")
	if err != nil || rev != "01-00" {
		t.Fatalf("recharter text: %q, %v", rev, err)
	}
	e.must(e.s.Abandon(e.ctx, ad, name, "not now"))
	if c := e.get(name); c.State != charters.Approved || c.Rev != "01" || e.groupState("httpbis") != "active" {
		t.Fatalf("after abandoning: %+v, group %s", c, e.groupState("httpbis"))
	}
	rev, err = e.s.Submit(e.ctx, ad, name, "The HTTP WG maintains HTTP, all versions.", "")
	if err != nil || rev != "01-01" {
		t.Fatalf("second recharter text: %q, %v; want 01-01", rev, err)
	}
	e.must(e.s.SetState(e.ctx, ad, name, charters.Internal, ""))
	e.later(charters.ReviewWeek)
	e.position("ad@example.org", name, charters.PosYes)
	e.must(e.s.SetState(e.ctx, ad, name, charters.External, ""))
	if st := e.groupState("httpbis"); st != "active" {
		t.Errorf("a rechartering WG is %s, want active", st)
	}
	if diff := cmp.Diff([]string{"WG Review: Recharter of HTTP (httpbis)"}, e.posts("new-work")); diff != "" {
		t.Errorf("new-work (-want +got):\n%s", diff)
	}
	g, _ := e.body.Groups.Get(e.ctx, "httpbis")
	if cur, _, _ := e.body.Groups.Charter(e.ctx, g.ID); cur.Rev != 1 {
		t.Errorf("in review, the current charter is revision %d, want 1", cur.Rev)
	}
	e.must(e.s.SetState(e.ctx, ad, name, charters.IESGReview, ""))
	e.later(charters.ReviewWeek)
	e.position("ad@example.org", name, charters.PosYes)
	if rev, err = e.s.Approve(e.ctx, ad, name, ""); err != nil || rev != "02" {
		t.Fatalf("Approve = %q, %v; want 02", rev, err)
	}
	if cur, _, _ := e.body.Groups.Charter(e.ctx, g.ID); cur.Rev != 2 || cur.Text != "The HTTP WG maintains HTTP, all versions." {
		t.Errorf("after approval the current charter is %+v", cur)
	}
	if diff := cmp.Diff([]string{"WG Action: Rechartered HTTP (httpbis)"}, e.posts("httpbis")); diff != "" {
		t.Errorf("the WG's list (-want +got):\n%s", diff)
	}
	e.checkAddresses()
}

// TestAbandonBOF: abandoning a BOF's chartering abandons the group, as
// the Datatracker does; its ballot closes.
func TestAbandonBOF(t *testing.T) {
	e := newEnv(t)
	const name = "charter-ietf-newbof"
	ad := e.as("ad@example.org")
	_, err := e.s.Submit(e.ctx, ad, name, bofText, "")
	e.must(err)
	e.must(e.s.SetState(e.ctx, ad, name, charters.Internal, ""))
	e.must(e.s.Abandon(e.ctx, ad, name, "no energy"))
	if c := e.get(name); c.State != charters.NotReview || e.groupState("newbof") != "abandon" {
		t.Errorf("abandoned: charter %s, group %s", c.State, e.groupState("newbof"))
	}
	if n := e.count(`SELECT COUNT(*) FROM charter_ballot WHERE closed IS NULL`); n != 0 {
		t.Errorf("%d ballots still open", n)
	}
	wantRule(t, "abandon twice", e.s.Abandon(e.ctx, ad, name, ""), fail.Conflict, "")
	_, err = e.s.Submit(e.ctx, ad, name, "Try again.", "")
	wantRule(t, "charter an abandoned group", err, fail.Conflict, "")
}

// TestCharterMailNamesOnlyAListHumHas: the group block of a chartering
// announcement gives hum's list address and archive only when hum has
// that list (a BOF made after the lists were last ensured has none yet),
// and names the chairs and ADs as the change's transaction reads them.
func TestCharterMailNamesOnlyAListHumHas(t *testing.T) {
	e := newEnv(t)
	ad := e.as("ad@example.org")
	if _, err := e.body.Groups.Create(e.ctx, groups.Operator(record.System), groups.NewGroup{Acronym: "lately", Name: "Late Idea", Type: "wg", Parent: "art", State: "bof"}, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		acronym string
		list    bool
	}{{"newbof", true}, {"lately", false}} {
		name := "charter-ietf-" + c.acronym
		if _, err := e.s.Submit(e.ctx, ad, name, bofText, ""); err != nil {
			t.Fatal(err)
		}
		e.must(e.s.SetState(e.ctx, ad, name, charters.Internal, ""))
		ms := e.outbox()
		body := string(ms[len(ms)-1].Raw)
		if has := strings.Contains(body, c.acronym+"@hum.test"); has != c.list {
			t.Errorf("%s: the mail names %s@hum.test: %v, want %v (hum has the list: %v)\n%s", c.acronym, c.acronym, has, c.list, c.list, body)
		}
		if !strings.Contains(body, "Ada Director") {
			t.Errorf("%s: the mail does not name the area's AD:\n%s", c.acronym, body)
		}
	}
}

// TestCharterNoObjectionAsDocsTakeIt: a charter ballot takes "No
// Objection" spelt as a document's ballot takes it (noobj, no-objection,
// noobjection), and counts it as NO OBJECTION.
func TestCharterNoObjectionAsDocsTakeIt(t *testing.T) {
	e := newEnv(t)
	ad := e.as("ad@example.org")
	const name = "charter-ietf-newbof"
	if _, err := e.s.Submit(e.ctx, ad, name, bofText, ""); err != nil {
		t.Fatal(err)
	}
	e.must(e.s.SetState(e.ctx, ad, name, charters.Internal, ""))
	for _, spelt := range []string{"no-objection", "NoObjection", "noobj"} {
		if err := e.s.SetPosition(e.ctx, ad, name, charters.PositionChange{Pos: spelt}); err != nil {
			t.Errorf("%q: %v", spelt, err)
			continue
		}
		_, b, err := e.s.Ballot(e.ctx, name)
		e.must(err)
		if b.NoObj != 1 {
			t.Errorf("%q: %d NO OBJECTION counted, want 1", spelt, b.NoObj)
		}
	}
}
