package consensus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hum/internal/consensus"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/record"
)

const draftName = "draft-smith-idr-widgets"

// A call for adoption from opening to consensus: the draft moves to Call
// for Adoption and then Adopted by a WG, the call and its outcome are one
// list thread in the archive, an objection blocks consensus until it is
// addressed (R33), and each step is on the record.
func TestAdoptionCallR33(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 2)
	chair := e.by("chair@example.org")

	c, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName})
	if err != nil {
		t.Fatal(err)
	}
	if d := e.doc(draftName); d.WGState != "c-adopt" || d.Group != "idr" {
		t.Fatalf("after opening: %q in %q, want c-adopt in idr", d.WGState, d.Group)
	}
	if !c.Deadline.Equal(e.now.Add(14 * 24 * time.Hour)) {
		t.Errorf("deadline %v, want two weeks after %v", c.Deadline, e.now)
	}
	if !strings.Contains(c.Question, draftName+"-02") || c.Rev != "02" {
		t.Errorf("question %q, rev %q", c.Question, c.Rev)
	}
	thread, err := e.s.Thread(ctx, c)
	if err != nil || len(thread) != 1 || thread[0].FromName != "Chris Chair" || thread[0].FromAddr != "chair@example.org" {
		t.Fatalf("the call on the list: %+v, %v", thread, err)
	}

	ann := e.reply(c, "Ann <ann@example.com>", "I support adoption.")
	bo := e.reply(c, "Bo <bo@example.net>", "I object: section 3 breaks existing widgets.")
	cy := e.reply(c, "Cy <cy@example.org>", "Section 3 is fixed by keeping the old code point.")
	for m, k := range map[string]string{ann: "supports", bo: "objects", cy: "comment"} {
		if err := e.s.NoteMessage(ctx, chair, c.ID, m, k, ""); err != nil {
			t.Fatalf("note %s: %v", k, err)
		}
	}
	is, _ := e.s.Issues(ctx, c.ID)
	if len(is) != 1 || is[0].MessageID != bo || is[0].State != "open" {
		t.Fatalf("issues after noting an objection: %+v", is)
	}

	// R33: not while the objection is open and unexplained.
	err = e.unchanged("close with an open objection", func() error {
		return e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: "consensus", Explanation: "Support is broad."})
	})
	refused(t, "R33: consensus with an open objection", err, fail.Conflict, "R33")
	if fe, _ := fail.As(err); fe == nil || !strings.Contains(fe.Rule, "R34") || !strings.Contains(fe.Message, bo) || !strings.Contains(fe.Message, "bo@example.net") {
		t.Errorf("the refusal names neither R34 nor the objection (who, which message): %v", err)
	}

	// Addressed by a message that is not in the thread, or a revision
	// that does not exist: refused (R33).
	refused(t, "R33: unknown message", e.unchanged("address by unknown message", func() error {
		return e.s.Address(ctx, chair, is[0].ID, "nowhere@example.org", "", "")
	}), fail.Invalid, "R33")
	refused(t, "R33: unknown revision", e.unchanged("address by unknown revision", func() error {
		return e.s.Address(ctx, chair, is[0].ID, "", "07", "")
	}), fail.Invalid, "R33")
	refused(t, "R30: participant addresses", e.s.Address(ctx, e.by("pat@example.org"), is[0].ID, cy, "", ""), fail.Forbidden, "R30")
	if err := e.s.Address(ctx, chair, is[0].ID, cy, "02", "Cy's fix keeps the old code point."); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: "consensus", Explanation: "Support is broad; Bo's objection was addressed by keeping the old code point."}); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(draftName); d.WGState != "adopt-wg" || d.Group != "idr" {
		t.Errorf("after consensus: %q in %q, want adopt-wg (Adopted by a WG) in idr", d.WGState, d.Group)
	}
	c, _ = e.s.Get(ctx, c.ID)
	if c.State != "closed" || c.Outcome != "consensus" || c.OutcomeMessageID == "" {
		t.Errorf("closed call: %+v", c)
	}
	thread, _ = e.s.Thread(ctx, c)
	last := thread[len(thread)-1]
	if len(thread) != 5 || last.MessageID != c.OutcomeMessageID || last.InReplyTo != c.MessageID || !strings.HasPrefix(last.Subject, "Re: Call for adoption") {
		t.Errorf("the outcome in the thread: %d messages, last %+v", len(thread), last.Summary)
	}
	for _, subj := range []struct{ typ, id string }{{"group", "idr"}, {"doc", draftName}} {
		es, _ := record.List(ctx, e.db, subj.typ, subj.id, 50)
		var kinds []string
		for _, ev := range es {
			kinds = append(kinds, ev.Kind)
		}
		if k := strings.Join(kinds, " "); !strings.Contains(k, "call_opened") || !strings.Contains(k, "call_closed") {
			t.Errorf("%s %s history lacks the call: %s", subj.typ, subj.id, k)
		}
	}
	refused(t, "closed call", e.s.NoteMessage(ctx, chair, c.ID, ann, "supports", ""), fail.Conflict, "")
}

// Only a chair (secretary, delegate) of the group calls for consensus and
// judges it (R30); a refusal writes nothing and posts nothing.
func TestOpenByNonChairR30(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 0)
	for _, who := range []string{"pat@example.org", "qchair@example.org"} {
		err := e.unchanged(who, func() error {
			_, err := e.s.Open(ctx, e.by(who), consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName})
			return err
		})
		refused(t, "R30: "+who+" opens a call", err, fail.Forbidden, "R30")
	}
	c, err := e.s.Open(ctx, e.by("sec@example.org"), consensus.Opening{Group: "idr", Kind: "question", Question: "Shall we meet at IETF 126?"})
	if err != nil {
		t.Fatalf("the secretariat: %v", err)
	}
	refused(t, "R30: participant extends", e.s.Extend(ctx, e.by("pat@example.org"), c.ID, c.Deadline.Add(time.Hour), "x"), fail.Forbidden, "R30")
	refused(t, "R30: other chair closes", e.s.Close(ctx, e.by("qchair@example.org"), c.ID, consensus.Closing{Outcome: "none", Explanation: "x"}), fail.Forbidden, "R30")
}

// A draft under adoption in another WG cannot be called for adoption
// (R16): the call is refused with docs' error and nothing is written.
func TestAdoptionInAnotherWGR16(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 0)
	if _, err := e.s.Open(ctx, e.by("qchair@example.org"), consensus.Opening{Group: "quic", Kind: "adoption", Doc: draftName}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.QueryRow(`UPDATE consensus_call SET state = 'closed' RETURNING id`).Scan(new(int64)); err != nil {
		t.Fatal(err) // the quic call is over, the draft still under adoption there
	}
	err := e.unchanged("adoption in a second WG", func() error {
		_, err := e.s.Open(ctx, e.by("chair@example.org"), consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName})
		return err
	})
	refused(t, "R16: draft under adoption in quic", err, fail.Conflict, "R16")
}

// Bad input changes nothing: a deadline in the past, an unknown kind or
// draft, a WG last call on a draft not the WG's, a second open call on one
// draft.
func TestOpenBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 0)
	chair := e.by("chair@example.org")
	for _, tc := range []struct {
		name string
		o    consensus.Opening
	}{
		{"deadline in the past", consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName, Deadline: e.now.Add(-time.Hour)}},
		{"deadline now", consensus.Opening{Group: "idr", Kind: "question", Question: "q", Deadline: e.now}},
		{"unknown kind", consensus.Opening{Group: "idr", Kind: "vote", Doc: draftName}},
		{"unknown draft", consensus.Opening{Group: "idr", Kind: "adoption", Doc: "draft-nobody-nothing"}},
		{"no draft", consensus.Opening{Group: "idr", Kind: "wglc"}},
		{"wglc on an individual draft", consensus.Opening{Group: "idr", Kind: "wglc", Doc: draftName}},
		{"empty question", consensus.Opening{Group: "idr", Kind: "question", Question: "  "}},
		{"confirm without a decision", consensus.Opening{Group: "idr", Kind: "confirm"}},
		{"unknown decision", consensus.Opening{Group: "idr", Kind: "confirm", DecisionID: 99}},
		{"unknown request", consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName, RequestID: 99}},
	} {
		err := e.unchanged(tc.name, func() error { _, err := e.s.Open(ctx, chair, tc.o); return err })
		refused(t, tc.name, err, fail.Invalid, "")
	}
	if _, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName}); err != nil {
		t.Fatal(err)
	}
	err := e.unchanged("second call", func() error {
		_, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "adoption", Doc: draftName})
		return err
	})
	refused(t, "a second open call on the draft", err, fail.Invalid, "")
}

// A WG last call moves the draft to In WG Last Call; no consensus takes it
// back to WG Document, consensus to Waiting for WG Chair Go-Ahead. The
// deadline moves only later, with a reason, each move recorded.
func TestWGLastCall(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 1)
	chair := e.by("chair@example.org")
	if err := e.docs.SetWGState(ctx, draftName, chair, docs.WGChange{State: "wg-doc", Group: "idr"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ outcome, want string }{{"none", "wg-doc"}, {"rough", "chair-w"}} {
		c, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "wglc", Doc: draftName, Deadline: e.now.Add(7 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if d := e.doc(draftName); d.WGState != "wg-lc" {
			t.Fatalf("during WGLC: %q", d.WGState)
		}
		refused(t, "earlier deadline", e.unchanged("earlier deadline", func() error {
			return e.s.Extend(ctx, chair, c.ID, c.Deadline.Add(-time.Hour), "why")
		}), fail.Invalid, "")
		refused(t, "no reason", e.s.Extend(ctx, chair, c.ID, c.Deadline.Add(time.Hour), " "), fail.Invalid, "")
		if err := e.s.Extend(ctx, chair, c.ID, c.Deadline.Add(48*time.Hour), "IETF week"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Get(ctx, c.ID); !got.Deadline.Equal(c.Deadline.Add(48 * time.Hour)) {
			t.Errorf("deadline %v after extending", got.Deadline)
		}
		if h, _ := e.s.History(ctx, c.ID); len(h) < 2 || h[len(h)-1].Kind != "call_extended" || h[len(h)-1].Why != "IETF week" {
			t.Errorf("the extension is not on the call's record: %+v", h)
		}
		refused(t, "R34: no explanation", e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: tc.outcome, Explanation: " "}), fail.Invalid, "R34")
		if err := e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: tc.outcome, Explanation: "Read the thread."}); err != nil {
			t.Fatal(err)
		}
		if d := e.doc(draftName); d.WGState != tc.want {
			t.Errorf("WGLC closed %s: %q, want %q", tc.outcome, d.WGState, tc.want)
		}
	}
}

// Rough consensus over an objection not accommodated needs the chair's
// reason for it (R34), which is kept on the issue and posted.
func TestRoughConsensusNotAccommodatedR34(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chair := e.by("chair@example.org")
	c, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "question", Question: "Shall the widget field be 32 bits?"})
	if err != nil {
		t.Fatal(err)
	}
	bo := e.reply(c, "bo@example.net", "64 bits, please.")
	if err := e.s.NoteMessage(ctx, chair, c.ID, bo, "issue", "wants 64 bits"); err != nil {
		t.Fatal(err)
	}
	refused(t, "unknown message noted", e.s.NoteMessage(ctx, chair, c.ID, "x@example.org", "supports", ""), fail.Invalid, "")
	refused(t, "unknown reading", e.s.NoteMessage(ctx, chair, c.ID, bo, "votes-for", ""), fail.Invalid, "")
	is, _ := e.s.Issues(ctx, c.ID)
	refused(t, "R33: blank reason", e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: "rough", Explanation: "x", NotAccommodated: map[int64]string{is[0].ID: " "}}), fail.Conflict, "R33")
	if err := e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: "rough", Explanation: "32 bits has wide support.",
		NotAccommodated: map[int64]string{is[0].ID: "No deployment needs more than 32 bits; the field can grow later."}}); err != nil {
		t.Fatal(err)
	}
	is, _ = e.s.Issues(ctx, c.ID)
	if is[0].State != "not-accommodated" || !strings.Contains(is[0].AddressedNote, "can grow later") {
		t.Errorf("issue after rough consensus: %+v", is[0])
	}
	thread, _ := e.s.Thread(ctx, c)
	if len(thread) != 3 {
		t.Fatalf("thread: %d messages", len(thread))
	}
}

// A meeting decision is confirmed by a call that reaches consensus and
// reversed by one that does not (R31); only a pending decision of the
// group is put to the list.
func TestConfirmDecisionR31(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chair := e.by("chair@example.org")
	decision := func(group, state string) int64 {
		var id int64
		if err := e.db.QueryRow(`INSERT INTO decision (group_id, text, state, recorded) SELECT id, 'Adopt the widget draft', $1, $2 FROM grp WHERE acronym = $3 RETURNING id`,
			state, e.now, group).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	refused(t, "R31: not pending", e.unchanged("confirmed decision", func() error {
		_, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "confirm", DecisionID: decision("idr", "confirmed")})
		return err
	}), fail.Conflict, "R31")
	refused(t, "another group's decision", e.unchanged("quic decision", func() error {
		_, err := e.s.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "confirm", DecisionID: decision("quic", "pending")})
		return err
	}), fail.Invalid, "")
	for _, tc := range []struct{ outcome, want string }{{"consensus", "confirmed"}, {"none", "reversed"}, {"withdrawn", "pending"}} {
		id := decision("idr", "pending")
		o, _ := e.s.Prefill(ctx, consensus.Opening{Group: "idr", DecisionID: id})
		if o.Kind != "confirm" || !strings.Contains(o.Question, "Adopt the widget draft") {
			t.Errorf("prefill: %+v", o)
		}
		c, err := e.s.Open(ctx, chair, o)
		if err != nil {
			t.Fatal(err)
		}
		refused(t, "second confirm call", e.unchanged("second confirm", func() error {
			_, err := e.s.Open(ctx, chair, o)
			return err
		}), fail.Invalid, "")
		if err := e.s.Close(ctx, chair, c.ID, consensus.Closing{Outcome: tc.outcome, Explanation: "The list spoke."}); err != nil {
			t.Fatal(err)
		}
		var state, reason string
		var by int64
		e.db.QueryRow(`SELECT state, reason, COALESCE(settled_by_call, 0) FROM decision WHERE id = $1`, id).Scan(&state, &reason, &by)
		if state != tc.want || (tc.want != "pending" && by != c.ID) || (tc.want == "reversed" && !strings.Contains(reason, "The list spoke.")) {
			t.Errorf("%s: decision %s by call %d, reason %q; want %s", tc.outcome, state, by, reason, tc.want)
		}
	}
}

// A call opened from a participant's waiting request answers it.
func TestOpenFromRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.draft(draftName, 0)
	var req int64
	if err := e.db.QueryRow(`INSERT INTO call_request (group_id, doc_id, kind, reason, requested_by, requested)
		SELECT g.id, d.id, 'adoption', 'ready', $1, $2 FROM grp g, doc d WHERE g.acronym = 'idr' AND d.name = $3 RETURNING id`,
		e.body.IDs["pat@example.org"], e.now, draftName).Scan(&req); err != nil {
		t.Fatal(err)
	}
	o, err := e.s.Prefill(ctx, consensus.Opening{Group: "idr", RequestID: req})
	if err != nil || o.Kind != "adoption" || o.Doc != draftName {
		t.Fatalf("prefill from request: %+v, %v", o, err)
	}
	c, err := e.s.Open(ctx, e.by("chair@example.org"), o)
	if err != nil {
		t.Fatal(err)
	}
	var state string
	var callID, answeredBy int64
	e.db.QueryRow(`SELECT state, call_id, answered_by FROM call_request WHERE id = $1`, req).Scan(&state, &callID, &answeredBy)
	if state != "opened" || callID != c.ID || answeredBy != e.body.IDs["chair@example.org"] {
		t.Errorf("request after the call: %s, call %d, by %d", state, callID, answeredBy)
	}
}

// hum has no tally to give (R32, R30).
func TestNoTallyR32(t *testing.T) {
	err := consensus.NoTally("vote count")
	refused(t, "R32", err, fail.NotFound, "R32")
	if !strings.Contains(err.Error(), "R30") {
		t.Errorf("the refusal does not name R30: %v", err)
	}
}
