package appeals_test

import (
	"fmt"
	"testing"
	"time"

	"hum/internal/appeals"
	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

// TestAppealClimbsChairsADIESGIAB_R37_R38 is the acceptance path: a WG
// dispute goes to the chairs, the AD, the IESG and the IAB, each level's
// response recorded and announced (the WG's list, then ietf-announce),
// and the IAB's decision is final (R38).
func TestAppealClimbsChairsADIESGIAB_R37_R38(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	a, err := e.s.Get(e.ctx, id)
	e.must(err)
	if a.Kind != appeals.WG || a.Level != appeals.Chairs || a.State != appeals.Open || a.Group != "tls" || a.EventID != ev || !a.Decided.Equal(e.now) {
		t.Fatalf("filed appeal: %+v", a)
	}
	steps := []struct {
		level, responder, list string
	}{
		{appeals.Chairs, "chair@example.org", "tls"},
		{appeals.ADs, "ad@example.org", "tls"},
		{appeals.WholeIESG, "oad@example.org", "ietf-announce"},
		{appeals.IAB, "iab@example.org", "ietf-announce"},
	}
	for i, st := range steps {
		e.now = e.now.Add(24 * time.Hour)
		a, _ = e.s.Get(e.ctx, id)
		if a.Level != st.level || a.State != appeals.Open {
			t.Fatalf("step %d: at %s (%s), want %s open", i, a.Level, a.State, st.level)
		}
		e.must(e.s.Respond(e.ctx, e.as(st.responder), id, appeals.Response{Text: fmt.Sprintf("Response %d: the decision stands.", i)}))
		if n := e.posts(st.list, "response of "+appeals.LevelNames[st.level]); n != 1 {
			t.Errorf("step %d: %d posts of the response on %s, want 1", i, n, st.list)
		}
		if i < len(steps)-1 {
			e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "The response did not address the objections."))
		}
	}
	a, _ = e.s.Get(e.ctx, id)
	if a.State != appeals.Final || len(a.Levels) != 4 {
		t.Fatalf("after the IAB: %s with %d levels, want final with 4", a.State, len(a.Levels))
	}
	for i, l := range a.Levels {
		if l.Level != steps[i].level || l.Responded == nil || l.Responder != steps[i].responder || (i > 0) != (l.Reason != "") {
			t.Errorf("level %d: %+v", i, l)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM event WHERE subject_type = 'appeal' AND subject = $1`, fmt.Sprint(id)); n != 1+4+3 {
		t.Errorf("%d events on the appeal, want 8 (filed, 4 responses, 3 escalations)", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM event WHERE subject_type = 'doc' AND subject = 'draft-x' AND kind = 'appealed'`); n != 1 {
		t.Errorf("%d 'appealed' events on the document, want 1", n)
	}
	before := e.count(`SELECT COUNT(*) FROM event`)
	refused(t, e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Still unhappy."), "R38", "final")
	if after := e.count(`SELECT COUNT(*) FROM event`); after != before {
		t.Errorf("a refused escalation wrote %d events", after-before)
	}
}

// TestWrongResponders: each level is answered by its own people only.
func TestWrongResponders(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	for _, who := range []string{"ad@example.org", "pat@example.org", "sec@example.org", "ic@example.org"} {
		if err := e.s.Respond(e.ctx, e.as(who), id, appeals.Response{Text: "No."}); fail.KindOf(err) != fail.Forbidden {
			t.Errorf("%s answered for the chairs: %v", who, err)
		}
	}
	e.must(e.s.Respond(e.ctx, e.as("chair@example.org"), id, appeals.Response{Text: "No."}))
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Not answered."))
	if err := e.s.Respond(e.ctx, e.as("oad@example.org"), id, appeals.Response{Text: "No."}); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("another area's AD answered for the AD: %v", err)
	}
}

// TestIETFChairMayNotRecordIABResponse_R43: the IETF Chair, a full IAB
// member, takes no part in the IAB's handling of an appeal against the
// IESG.
func TestIETFChairMayNotRecordIABResponse_R43(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-y", "iesg_state", "ad@example.org", "IESG state changed to Approved-announcement to be sent")
	id, err := e.file(ev, appeals.Filing{Kind: appeals.IESG})
	e.must(err)
	e.must(e.s.Respond(e.ctx, e.as("ic@example.org"), id, appeals.Response{Text: "The IESG Chair sees no error."}))
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "To the IESG."))
	e.must(e.s.Respond(e.ctx, e.as("ad@example.org"), id, appeals.Response{Text: "The IESG upholds it."}))
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "To the IAB."))
	if !e.as("ic@example.org").IAB() {
		t.Fatal("the IETF Chair should be an IAB member here (R43), or the test proves nothing")
	}
	before := e.count(`SELECT COUNT(*) FROM event`)
	refused(t, e.s.Respond(e.ctx, e.as("ic@example.org"), id, appeals.Response{Text: "Upheld.", Annul: false}), "R43", "IETF Chair")
	if e.count(`SELECT COUNT(*) FROM event`) != before {
		t.Error("the refusal wrote events")
	}
	if a, _ := e.s.Get(e.ctx, id); a.State != appeals.Open || a.Current().Responded != nil {
		t.Fatalf("after the refusal: %+v", a.Current())
	}
	e.must(e.s.Respond(e.ctx, e.as("iab@example.org"), id, appeals.Response{Text: "Upheld."}))
}

// TestLateAppealRefused_R41: more than two months after the decision
// became public, an appeal is refused, naming the date.
func TestLateAppealRefused_R41(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	e.now = e.now.AddDate(0, 2, 0).Add(time.Minute)
	_, err := e.file(ev, appeals.Filing{})
	refused(t, err, "R41", "10 January 2026", "10 March 2026")
	if n := e.count(`SELECT COUNT(*) FROM appeal`); n != 0 {
		t.Fatalf("%d appeals after a late filing", n)
	}
	e.now = e.now.Add(-2 * time.Minute) // just within two months
	_, err = e.file(ev, appeals.Filing{})
	e.must(err)
}

// TestFactsAndRemedyRequired_R41: an appeal states the facts in detail
// and the remedy sought.
func TestFactsAndRemedyRequired_R41(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	_, err := e.s.File(e.ctx, e.as("pat@example.org"), appeals.Filing{Decision: fmt.Sprint(ev), Facts: "  ", Remedy: "Reopen the call."})
	refused(t, err, "R41", "in detail")
	_, err = e.s.File(e.ctx, e.as("pat@example.org"), appeals.Filing{Decision: fmt.Sprint(ev), Facts: "I disagree.", Remedy: "Reopen the call."})
	refused(t, err, "R41", "this has 11")
	_, err = e.s.File(e.ctx, e.as("pat@example.org"), appeals.Filing{Decision: fmt.Sprint(ev), Facts: facts})
	refused(t, err, "R41", "remedy")
	if n := e.count(`SELECT COUNT(*) FROM appeal`); n != 0 {
		t.Fatalf("%d appeals filed without facts or remedy", n)
	}
}

// TestWrongLevelFirst_R37_R39: an appeal goes to the first level of its
// chain first.
func TestWrongLevelFirst_R37_R39(t *testing.T) {
	e := newEnv(t)
	wg := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	_, err := e.file(wg, appeals.Filing{Level: appeals.ADs})
	refused(t, err, "R37", "the WG chairs")
	_, err = e.file(wg, appeals.Filing{Level: appeals.IAB})
	refused(t, err, "R37")
	iesg := e.decision("draft-y", "iesg_state", "ad@example.org", "IESG state changed to Approved-announcement to be sent")
	_, err = e.file(iesg, appeals.Filing{Kind: appeals.IESG, Level: appeals.WholeIESG})
	refused(t, err, "R39", "the IESG Chair")
	byAD := e.decision("draft-y", "ballot_position", "ad@example.org", "Ballot position: Discuss")
	_, err = e.file(byAD, appeals.Filing{Level: appeals.WholeIESG})
	refused(t, err, "R37", "the Area Director")
	if n := e.count(`SELECT COUNT(*) FROM appeal`); n != 0 {
		t.Fatalf("%d appeals filed at the wrong level", n)
	}
	id, err := e.file(byAD, appeals.Filing{Level: appeals.ADs})
	e.must(err)
	// The AD whose action is appealed answers at the AD level.
	e.must(e.s.Respond(e.ctx, e.as("ad@example.org"), id, appeals.Response{Text: "I stand by the Discuss."}))
}

// TestIABAnnulsIESGDecision_R39: the IAB's annulment of an IESG decision
// is recorded on the decision's document and on the appeal; only the IAB
// on an IESG action may annul.
func TestIABAnnulsIESGDecision_R39(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-y", "iesg_state", "ad@example.org", "IESG state changed to Approved-announcement to be sent")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	if a, _ := e.s.Get(e.ctx, id); a.Kind != appeals.IESG || a.Level != appeals.IESGChair {
		t.Fatalf("an IESG state change was filed as %s at %s", a.Kind, a.Level)
	}
	refused(t, e.s.Respond(e.ctx, e.as("ic@example.org"), id, appeals.Response{Text: "Annulled.", Annul: true}), "R39")
	e.must(e.s.Respond(e.ctx, e.as("ic@example.org"), id, appeals.Response{Text: "No error."}))
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "To the IESG."))
	e.must(e.s.Respond(e.ctx, e.as("sec@example.org"), id, appeals.Response{Text: "The IESG upholds it."}))
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "To the IAB."))
	e.must(e.s.Respond(e.ctx, e.as("iab@example.org"), id, appeals.Response{Text: "The Last Call was too short; the approval is annulled.", Annul: true}))
	a, _ := e.s.Get(e.ctx, id)
	if !a.Annulled || a.State != appeals.Final || !a.Current().Annuls {
		t.Fatalf("after the annulment: annulled %v, state %s", a.Annulled, a.State)
	}
	if n := e.count(`SELECT COUNT(*) FROM event WHERE subject_type = 'doc' AND subject = 'draft-y' AND kind = 'annulled' AND summary LIKE '%Approved%'`); n != 1 {
		t.Fatalf("%d annulment events on the document, want 1", n)
	}
	// A WG dispute's IAB may not annul.
	wg := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	id2, err := e.file(wg, appeals.Filing{})
	e.must(err)
	for _, st := range []string{"chair@example.org", "ad@example.org", "ad@example.org"} {
		e.must(e.s.Respond(e.ctx, e.as(st), id2, appeals.Response{Text: "No."}))
		e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id2, "Up."))
	}
	refused(t, e.s.Respond(e.ctx, e.as("iab@example.org"), id2, appeals.Response{Text: "Annul.", Annul: true}), "R39")
}

// TestISOCBoardOnlyForProceduralClaims_R40: after the IAB, only a claim
// that the procedures are inadequate goes to the ISOC Board, which
// acknowledges within two weeks and decides finally.
func TestISOCBoardOnlyForProceduralClaims_R40(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-y", "iesg_state", "ad@example.org", "IESG state changed to Approved-announcement to be sent")
	toIAB := func(id int64) {
		e.must(e.s.Respond(e.ctx, e.as("ic@example.org"), id, appeals.Response{Text: "No."}))
		e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Up."))
		e.must(e.s.Respond(e.ctx, e.as("ad@example.org"), id, appeals.Response{Text: "No."}))
		e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Up."))
		e.must(e.s.Respond(e.ctx, e.as("iab@example.org"), id, appeals.Response{Text: "No."}))
	}
	plain, err := e.file(ev, appeals.Filing{})
	e.must(err)
	toIAB(plain)
	refused(t, e.s.Escalate(e.ctx, e.as("pat@example.org"), plain, "To ISOC."), "R40", "inadequate")

	proc, err := e.file(ev, appeals.Filing{Procedural: true})
	e.must(err)
	toIAB(proc)
	if a, _ := e.s.Get(e.ctx, proc); a.State != appeals.Answered {
		t.Fatalf("a procedural claim is %s after the IAB, want answered", a.State)
	}
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), proc, "The procedures let a two-day Last Call through."))
	a, _ := e.s.Get(e.ctx, proc)
	cur := a.Current()
	if a.Level != appeals.ISOC || cur.Due == nil || !cur.Due.Equal(e.now.Add(14*24*time.Hour)) {
		t.Fatalf("at the ISOC Board: %s, due %v", a.Level, cur.Due)
	}
	if cur.Late(e.now.Add(13*24*time.Hour)) || !cur.Late(e.now.Add(15*24*time.Hour)) {
		t.Error("the acknowledgement is late only after two weeks")
	}
	if err := e.s.Acknowledge(e.ctx, e.as("iab@example.org"), proc); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("an IAB member acknowledged for the ISOC Board: %v", err)
	}
	e.now = e.now.Add(15 * 24 * time.Hour)
	e.must(e.s.Acknowledge(e.ctx, e.as("sec@example.org"), proc))
	if n := e.count(`SELECT COUNT(*) FROM event WHERE kind = 'appeal_acknowledged' AND summary LIKE '%R40%'`); n != 1 {
		t.Error("a late acknowledgement is not recorded as late")
	}
	e.must(e.s.Respond(e.ctx, e.as("sec@example.org"), proc, appeals.Response{Text: "The Trustees find the procedures adequate."}))
	refused(t, e.s.Escalate(e.ctx, e.as("pat@example.org"), proc, "Further."), "R40", "final")

	// A WG dispute cannot claim inadequate procedures.
	wg := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	_, err = e.file(wg, appeals.Filing{Procedural: true})
	refused(t, err, "R40")
}

// TestOnlyAppellantEscalates: nobody but the appellant escalates or
// withdraws an appeal, and nobody escalates before the level responded.
func TestOnlyAppellantEscalates(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	if err := e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Impatient."); fail.KindOf(err) != fail.Conflict {
		t.Errorf("escalated before the chairs responded: %v", err)
	}
	e.must(e.s.Respond(e.ctx, e.as("chair@example.org"), id, appeals.Response{Text: "No."}))
	for _, who := range []string{"kim@example.org", "chair@example.org", "sec@example.org"} {
		if err := e.s.Escalate(e.ctx, e.as(who), id, "Up."); fail.KindOf(err) != fail.Forbidden {
			t.Errorf("%s escalated pat's appeal: %v", who, err)
		}
		if err := e.s.Withdraw(e.ctx, e.as(who), id, ""); fail.KindOf(err) != fail.Forbidden {
			t.Errorf("%s withdrew pat's appeal: %v", who, err)
		}
	}
	if err := e.s.Escalate(e.ctx, e.as("pat@example.org"), id, " "); fail.KindOf(err) != fail.Invalid {
		t.Errorf("escalated without a reason: %v", err)
	}
	e.must(e.s.Withdraw(e.ctx, e.as("pat@example.org"), id, "Settled on the list."))
	if a, _ := e.s.Get(e.ctx, id); a.State != appeals.Withdrawn {
		t.Fatalf("withdrawn appeal is %s", a.State)
	}
	if err := e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Changed my mind."); fail.KindOf(err) != fail.Conflict {
		t.Errorf("escalated a withdrawn appeal: %v", err)
	}
}

// TestResolveLinks: a decision is named by an anchor, the generic event
// link or its number; an appeal's own events and an author's new revision
// are no decisions to appeal; a kind the decision does not admit is
// refused.
func TestResolveLinks(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	for _, link := range []string{fmt.Sprint(ev), fmt.Sprintf("/doc/draft-x/history/#event-%d", ev), fmt.Sprintf("http://hum.test/event/%d/", ev),
		fmt.Sprintf("/group/tls/history/#event-%d", ev)} {
		d, err := e.s.Resolve(e.ctx, link)
		if err != nil || d.Event.ID != ev || d.Group.Acronym != "tls" || d.Kinds[0] != appeals.WG {
			t.Errorf("Resolve(%q) = %+v, %v", link, d, err)
		}
	}
	for _, link := range []string{"", "draft-x", "/doc/draft-x/", "-3", "/event/x/"} {
		if _, err := e.s.Resolve(e.ctx, link); fail.KindOf(err) != fail.Invalid {
			t.Errorf("Resolve(%q): %v, want invalid", link, err)
		}
	}
	if _, err := e.s.Resolve(e.ctx, "999999"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("an unknown event: %v", err)
	}
	rev := e.decision("draft-x", "new_revision", "kim@example.org", "New revision 01")
	if _, err := e.s.Resolve(e.ctx, fmt.Sprint(rev)); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an author's revision is appealable: %v", err)
	}
	// A participant's own request for a call is no one's decision.
	req := e.decision("draft-x", "call_requested", "kim@example.org", "Kim asked the chairs for a call for adoption")
	if _, err := e.s.Resolve(e.ctx, fmt.Sprint(req)); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a participant's request for a call is appealable as the chairs' decision: %v", err)
	}
	_, err := e.file(ev, appeals.Filing{Kind: appeals.IESG})
	refused(t, err, "", "is not an IESG action")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	var own int64
	e.must(e.db.QueryRowContext(e.ctx, `SELECT MAX(id) FROM event WHERE subject_type = 'appeal'`).Scan(&own))
	if _, err := e.s.Resolve(e.ctx, fmt.Sprint(own)); fail.KindOf(err) != fail.Invalid {
		t.Errorf("appeal %d's own event is appealable: %v", id, err)
	}
}

// TestAwaiting: the dashboards' lists of appeals awaiting someone.
func TestAwaiting(t *testing.T) {
	e := newEnv(t)
	ev := e.decision("draft-x", "wg_state", "chair@example.org", "WG state changed to Adopted by a WG")
	id, err := e.file(ev, appeals.Filing{})
	e.must(err)
	tls, err := e.body.Groups.Get(e.ctx, "tls")
	e.must(err)
	got, err := e.s.AwaitingChairs(e.ctx, tls.ID)
	e.must(err)
	if len(got) != 1 || got[0].ID != id {
		t.Fatalf("AwaitingChairs = %+v", got)
	}
	mine := func(who string) int {
		as, err := e.s.ForResponder(e.ctx, e.as(who))
		e.must(err)
		return len(as)
	}
	if mine("chair@example.org") != 1 || mine("ad@example.org") != 0 || mine("pat@example.org") != 0 {
		t.Fatal("ForResponder: the chairs' appeal is theirs alone")
	}
	e.must(e.s.Respond(e.ctx, e.as("chair@example.org"), id, appeals.Response{Text: "No."}))
	if got, _ := e.s.AwaitingChairs(e.ctx, tls.ID); len(got) != 0 {
		t.Fatal("an answered appeal still awaits the chairs")
	}
	e.must(e.s.Escalate(e.ctx, e.as("pat@example.org"), id, "Up."))
	if mine("chair@example.org") != 0 || mine("ad@example.org") != 1 || mine("oad@example.org") != 0 {
		t.Fatal("ForResponder: at the AD level the appeal is the responsible AD's")
	}
}

// TestResolveCallLink: a consensus call's page names the event its close
// wrote on the group's record; an open call has no outcome to appeal.
func TestResolveCallLink(t *testing.T) {
	e := newEnv(t)
	var open, closed, ev int64
	e.must(e.db.Write(e.ctx, func(tx *db.Tx) error {
		q := `INSERT INTO consensus_call (group_id, kind, question, list, message_id, opened, deadline, state, closed, closed_by)
			VALUES ((SELECT id FROM grp WHERE acronym = 'tls'), 'adoption', 'Adopt?', 'tls', $1, $2, $2, $3, $4, $5) RETURNING id`
		if err := tx.QueryRowContext(e.ctx, q, "<a@hum.test>", tx.Now, "open", nil, nil).Scan(&open); err != nil {
			return err
		}
		if err := tx.QueryRowContext(e.ctx, q, "<b@hum.test>", tx.Now, "closed", tx.Now, e.body.IDs["chair@example.org"]).Scan(&closed); err != nil {
			return err
		}
		chair := record.Actor{ID: e.body.IDs["chair@example.org"], Name: "Chris Chair"}
		if err := record.Add(e.ctx, tx, chair, "doc", "draft-x", "wg_state", "WG state changed", ""); err != nil {
			return err
		}
		if err := record.Add(e.ctx, tx, chair, "group", "tls", "call_closed", "Call for adoption closed: consensus", ""); err != nil {
			return err
		}
		return tx.QueryRowContext(e.ctx, `SELECT MAX(id) FROM event`).Scan(&ev)
	}))
	d, err := e.s.Resolve(e.ctx, fmt.Sprintf("http://hum.test/group/tls/calls/%d/", closed))
	if err != nil || d.Event.ID != ev || d.Kinds[0] != appeals.WG {
		t.Fatalf("the closed call resolved to %+v, %v; want event %d", d.Event, err, ev)
	}
	if _, err := e.s.Resolve(e.ctx, fmt.Sprintf("/group/tls/calls/%d/", open)); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an open call: %v", err)
	}
	if _, err := e.s.Resolve(e.ctx, fmt.Sprintf("/group/quic/calls/%d/", closed)); fail.KindOf(err) != fail.NotFound {
		t.Errorf("another group's call: %v", err)
	}
}
