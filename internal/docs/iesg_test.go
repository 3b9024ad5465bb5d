package docs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/testbody"
)

func (e *env) by(email string) groups.Actor { return e.who(email).Actor }

// refused checks that err is a failure of kind k citing rule.
func refused(t *testing.T, what string, err error, k fail.Kind, rule string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok || fe.Kind != k || fe.Rule != rule {
		t.Errorf("%s: got %v (%#v), want %s citing %q", what, err, fe, k, rule)
	}
}

func (e *env) doc(name string) docs.Document {
	e.t.Helper()
	d, err := e.s.Get(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// The whole road of a draft: adoption by a WG (R15, R16), write-up and
// publication request (R17), IETF Last Call and its timer (R05), the
// IESG ballot (R35), approval and publication as an RFC.
func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	// The draft obsoletes an RFC, to see the relation carried over.
	if _, err := e.db.Exec(`INSERT INTO doc_relation (source, type, target) VALUES ('draft-smoke-signals', 'obs', 'rfc1149')`); err != nil {
		t.Fatal(err)
	}

	// WG states: only chairs, and adoption puts the draft in the WG.
	refused(t, "participant adopts", e.s.SetWGState(ctx, name, e.by("pat@example.org"), docs.WGChange{State: "c-adopt", Group: "idr"}), fail.Forbidden, "R15")
	refused(t, "no group", e.s.SetWGState(ctx, name, e.by("chair@example.org"), docs.WGChange{State: "c-adopt"}), fail.Invalid, "")
	if err := e.s.SetWGState(ctx, name, e.by("chair@example.org"), docs.WGChange{State: "c-adopt", Group: "idr", Why: "Asked on the list"}); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(name); d.Group != "idr" || d.WGState != "c-adopt" || d.Stream != "ietf" {
		t.Fatalf("after call for adoption: %q %q %q", d.Group, d.WGState, d.Stream)
	}
	// R16: another WG cannot take it while idr holds it.
	e.body.AddPeople(testbody.Person{Email: "qchair@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"})
	refused(t, "second WG", e.s.SetWGState(ctx, name, e.by("qchair@example.org"), docs.WGChange{State: "c-adopt", Group: "quic"}), fail.Conflict, "R16")
	refused(t, "other WG's chair", e.s.SetWGState(ctx, name, e.by("qchair@example.org"), docs.WGChange{State: "wg-doc"}), fail.Forbidden, "R15")
	// R15: any WG state to any other.
	for _, st := range []string{"wg-doc", "parked", "wg-lc", "wg-doc", "writeupw"} {
		if err := e.s.SetWGState(ctx, name, e.by("chair@example.org"), docs.WGChange{State: st}); err != nil {
			t.Fatalf("to %s: %v", st, err)
		}
	}
	if err := e.s.SetTags(ctx, name, e.by("chair@example.org"), []string{"sheph-u", "w-expert"}, ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "bad tag", e.s.SetTags(ctx, name, e.by("chair@example.org"), []string{"nope"}, ""), fail.Invalid, "")
	if tags, _ := e.s.DocTags(ctx, e.doc(name).ID); !cmp.Equal(tags, []string{"sheph-u", "w-expert"}) {
		t.Errorf("tags = %v", tags)
	}

	// R17: no publication request without the write-up.
	refused(t, "pub-req without write-up", e.s.SetIESGState(ctx, name, e.by("chair@example.org"), "pub-req", ""), fail.Conflict, "R17")
	refused(t, "participant writes", e.s.SetWriteup(ctx, name, e.by("pat@example.org"), map[int]string{1: "x"}), fail.Forbidden, "R17")
	if err := e.s.SetShepherd(ctx, name, e.by("chair@example.org"), e.ids["pat@example.org"], ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetIESGState(ctx, name, e.by("chair@example.org"), "pub-req", ""); err != nil {
		t.Fatal(err)
	}
	d := e.doc(name)
	if d.IESGState != "pub-req" || d.WGState != "sub-pub" || d.AD != "Ada Director" || d.Shepherd != "Pat Participant" {
		t.Fatalf("after publication request: %q %q AD %q shepherd %q", d.IESGState, d.WGState, d.AD, d.Shepherd)
	}

	// IESG states: the responsible AD only, and in order.
	refused(t, "other AD", e.s.SetIESGState(ctx, name, e.by("ad2@example.org"), "ad-eval", ""), fail.Forbidden, "R42")
	refused(t, "chair", e.s.SetIESGState(ctx, name, e.by("chair@example.org"), "ad-eval", ""), fail.Forbidden, "R42")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "ad-eval", ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "skip Last Call", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "iesg-eva", ""), fail.Conflict, "R07")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "lc-req", "Ready"); err != nil {
		t.Fatal(err)
	}
	refused(t, "short Last Call", e.s.IssueLastCall(ctx, name, e.by("sec@example.org"), 7, ""), fail.Invalid, "R05")
	if err := e.s.IssueLastCall(ctx, name, e.by("sec@example.org"), 0, ""); err != nil {
		t.Fatal(err)
	}
	d = e.doc(name)
	if d.IESGState != "lc" || d.LCEnds == nil || d.LCEnds.Format("2006-01-02") != "2021-07-03" {
		t.Fatalf("Last Call: %q ends %v", d.IESGState, d.LCEnds)
	}
	if m := e.mails("Last Call: <draft-smoke-signals-00.txt>"); len(m) != 1 || m[0].To[0] != "ietf-announce@hum.test" {
		t.Errorf("Last Call announcement: %+v", m)
	}
	refused(t, "cut Last Call short", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "writeupw", ""), fail.Conflict, "R05")
	e.now = e.now.Add(13 * 24 * time.Hour)
	if c, err := e.s.Tick(ctx); err != nil || c.LastCallsEnded != 0 {
		t.Fatalf("day 13: %+v %v", c, err)
	}
	e.now = e.now.Add(2 * 24 * time.Hour)
	if c, err := e.s.Tick(ctx); err != nil || c.LastCallsEnded != 1 {
		t.Fatalf("day 15: %+v %v", c, err)
	}
	if c, _ := e.s.Tick(ctx); c.LastCallsEnded != 0 {
		t.Errorf("Last Call ended twice")
	}
	if d = e.doc(name); d.IESGState != "writeupw" {
		t.Fatalf("after Last Call: %q", d.IESGState)
	}

	// The ballot. Make it a Proposed Standard: with two sitting ADs it
	// needs both (R35).
	if _, err := e.db.Exec(`UPDATE doc SET std_level = 'ps' WHERE name = $1`, name); err != nil {
		t.Fatal(err)
	}
	refused(t, "position before ballot", e.s.SetPosition(ctx, name, e.by("ad@example.org"), docs.PositionChange{Pos: "yes"}), fail.Conflict, "")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "iesg-eva", ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "chair ballots", e.s.SetPosition(ctx, name, e.by("chair@example.org"), docs.PositionChange{Pos: "yes"}), fail.Forbidden, "R42")
	refused(t, "discuss without text", e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "discuss"}), fail.Invalid, "")
	if err := e.s.SetPosition(ctx, name, e.by("ad@example.org"), docs.PositionChange{Pos: "yes", Comment: "Fine."}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "discuss", Discuss: "Rain?"}); err != nil {
		t.Fatal(err)
	}
	v, err := e.s.Ballot(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if v.Passes || v.Needed != 2 || v.Tally.Yes != 1 || v.Tally.Discuss != 1 || !strings.Contains(v.Missing, "DISCUSS") || len(v.Waiting) != 0 {
		t.Errorf("ballot = %+v", v)
	}
	refused(t, "approve with a DISCUSS", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "approved", ""), fail.Conflict, "R35")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "defer", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "iesg-eva", ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "defer twice", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "defer", ""), fail.Conflict, "")
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "noobj"}); err != nil {
		t.Fatal(err)
	}
	if v, _ = e.s.Ballot(ctx, name); !v.Passes || v.Positions[1].Discuss != "" {
		t.Fatalf("ballot = %+v", v)
	}
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "approved", ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "publish before announcement", func() error {
		_, err := e.s.Publish(ctx, name, e.by("sec@example.org"), 0)
		return err
	}(), fail.Conflict, "R07")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "ann", ""); err != nil {
		t.Fatal(err)
	}
	// To ietf-announce, the RFC Editor and hum's list of the WG, never
	// the list outside hum that the WG's record names.
	if m := e.mails("Protocol Action: 'Standard for Data Transmission via Smoke Signals' to Proposed Standard"); len(m) != 1 ||
		!slices.Equal(m[0].To, []string{"ietf-announce@hum.test", "rfc-editor@hum.test", "idr@hum.test"}) {
		t.Errorf("approval announcement: %+v", e.mails("Action"))
	}
	if d = e.doc(name); d.IESGState != "rfcqueue" {
		t.Fatalf("after announcement: %q", d.IESGState)
	}
	if _, err := e.s.Publish(ctx, name, e.by("ad@example.org"), 9999); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("AD publishes: %v", err)
	}
	rfc, err := e.s.Publish(ctx, name, e.by("sec@example.org"), 9999)
	if err != nil || rfc != "rfc9999" {
		t.Fatalf("publish: %q %v", rfc, err)
	}
	r := e.doc(rfc)
	if r.RFCNumber != 9999 || r.Title != d.Title || len(r.Authors) != 1 || r.Group != "idr" || r.StdLevel != "ps" {
		t.Errorf("rfc = %+v", r)
	}
	if other, ok := e.s.Counterpart(ctx, r); !ok || other != name {
		t.Errorf("counterpart of the RFC = %q", other)
	}
	if d = e.doc(name); d.State != "rfc" || d.IESGState != "pub" || d.RFCNumber != 9999 {
		t.Errorf("draft after publication: %q %q %d", d.State, d.IESGState, d.RFCNumber)
	}
	out, _, _ := e.s.Relations(ctx, rfc)
	if len(out) != 1 || out[0].Target != "rfc1149" || out[0].Type != "obs" {
		t.Errorf("relations of the RFC = %+v", out)
	}
	if _, err := e.s.Publish(ctx, name, e.by("sec@example.org"), 9999); fail.KindOf(err) != fail.Conflict {
		t.Errorf("published twice: %v", err)
	}
	evs, err := record.List(ctx, e.db, "doc", name, 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ev := range evs {
		kinds[ev.Kind]++
	}
	if kinds["wg_state"] != 6 || kinds["iesg_state"] < 8 || kinds["ballot_position"] != 3 || kinds["last_call"] != 1 || kinds["published"] != 1 {
		t.Errorf("record: %v", kinds)
	}
}

// An individual draft gets a four-week Last Call (R06), and an AD who
// takes it on moves it.
func TestIndividualLastCall(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	refused(t, "no AD yet", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "pub-req", ""), fail.Forbidden, "")
	refused(t, "chair names AD", e.s.SetAD(ctx, name, e.by("chair@example.org"), e.ids["ad@example.org"], ""), fail.Forbidden, "R42")
	refused(t, "AD who is not one", e.s.SetAD(ctx, name, e.by("ad@example.org"), e.ids["pat@example.org"], ""), fail.Invalid, "")
	if err := e.s.SetAD(ctx, name, e.by("ad@example.org"), e.ids["ad@example.org"], "AD-sponsored"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetWriteup(ctx, name, e.by("ad@example.org"), testbody.Writeup()); err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"pub-req", "lc-req"} {
		if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), st, ""); err != nil {
			t.Fatal(err)
		}
	}
	refused(t, "two weeks", e.s.IssueLastCall(ctx, name, e.by("ad@example.org"), 14, ""), fail.Invalid, "R06")
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "lc", ""); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(name); d.LCEnds.Format("2006-01-02") != "2021-07-17" || d.WGState != "" {
		t.Errorf("Last Call ends %v, WG state %q", d.LCEnds, d.WGState)
	}
	refused(t, "cut short", e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "writeupw", ""), fail.Conflict, "R06")
	// Expiry leaves a draft in IESG processing alone (R03).
	e.now = e.now.Add(200 * 24 * time.Hour)
	c, err := e.s.Tick(ctx)
	if err != nil || c.LastCallsEnded != 1 || c.Expired != 0 {
		t.Errorf("tick: %+v %v", c, err)
	}
	if err := e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "dead", "Abandoned"); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.s.Tick(ctx); c.Expired != 1 {
		t.Errorf("a dead draft did not expire: %+v", c)
	}
}

// TestResponsibleADPower (issue 13, item 4): an AD cannot make themself
// the responsible AD of another area's draft and so gain its IESG state.
// A WG draft's responsible AD is chosen by its area's ADs (R44), the IETF
// Chair or the secretariat, and only among the area's ADs unless the
// secretariat records a transfer; an individual draft with no AD may be
// taken on by any AD (R42), and after that only its AD hands it over.
func TestResponsibleADPower(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	ad, ad2 := e.ids["ad@example.org"], e.ids["ad2@example.org"]
	if err := e.s.SetAD(ctx, name, e.by("ad2@example.org"), ad2, "AD-sponsored"); err != nil {
		t.Fatalf("an AD takes on an individual draft with no AD: %v", err)
	}
	refused(t, "another AD takes it", e.s.SetAD(ctx, name, e.by("ad@example.org"), ad, ""), fail.Forbidden, "R42")
	if err := e.s.SetAD(ctx, name, e.by("ad2@example.org"), ad, "handing over"); err != nil {
		t.Fatalf("the responsible AD hands it over: %v", err)
	}

	// In the idr WG, of ad's Routing Area.
	if err := e.s.SetWGState(ctx, name, e.by("chair@example.org"), docs.WGChange{State: "wg-doc", Group: "idr"}); err != nil {
		t.Fatal(err)
	}
	refused(t, "another area's AD takes it", e.s.SetAD(ctx, name, e.by("ad2@example.org"), ad2, ""), fail.Forbidden, "R44")
	refused(t, "and then moves it", e.s.SetIESGState(ctx, name, e.by("ad2@example.org"), "pub-req", ""), fail.Forbidden, "")
	refused(t, "the area's AD hands it outside the area", e.s.SetAD(ctx, name, e.by("ad@example.org"), ad2, ""), fail.Forbidden, "R44")
	if d := e.doc(name); d.ADID != ad {
		t.Fatalf("responsible AD %d after refusals, want %d", d.ADID, ad)
	}
	if err := e.s.SetAD(ctx, name, e.by("sec@example.org"), ad2, "transfer agreed by both ADs"); err != nil {
		t.Fatalf("the secretariat records a transfer: %v", err)
	}
	if err := e.s.SetAD(ctx, name, e.by("ad@example.org"), ad, "back to the area"); err != nil {
		t.Fatalf("the area's AD takes it back: %v", err)
	}
}
