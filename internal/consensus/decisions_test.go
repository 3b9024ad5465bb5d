package consensus_test

import (
	"strings"
	"testing"
	"time"

	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/record"
)

// TestR31RecordDecision: a chair records a decision taken in one of the
// group's sessions; it is pending list confirmation, on the group's
// record, and listed with its session's meeting.
func TestR31RecordDecision(t *testing.T) {
	e := newDEnv(t)
	d, err := e.c.RecordDecision(e.ctx, e.as("chair-quic@example.org"), "quic", e.quicS, "  Adopt   the multipath design\n as the basis. ")
	if err != nil {
		t.Fatal(err)
	}
	if d.State != "pending" || d.Text != "Adopt the multipath design as the basis." || d.Meeting != "125" || d.StateName() != "pending list confirmation" {
		t.Errorf("decision = %+v", d)
	}
	evs, _ := record.List(e.ctx, e.db, "group", "quic", 1)
	if len(evs) != 1 || evs[0].Kind != "decision_recorded" || !strings.Contains(evs[0].Summary, "pending list confirmation (R31)") ||
		!strings.Contains(evs[0].Summary, "IETF 125") || evs[0].Actor != "chair-quic@example.org" {
		t.Errorf("event = %+v", evs)
	}
	// The secretary may too, and the secretariat.
	if _, err := e.c.RecordDecision(e.ctx, e.as("secr-quic@example.org"), "quic", e.quicS, "Second."); err != nil {
		t.Error(err)
	}
	if _, err := e.c.RecordDecision(e.ctx, e.as("sec@example.org"), "quic", e.quicS, "Third."); err != nil {
		t.Error(err)
	}
	ds, total, err := e.c.Decisions(e.ctx, consensus.DecisionFilter{Group: "quic"})
	if err != nil || total != 3 || ds[0].Text != "Third." || ds[0].RecordedBy != "Sam Secretariat" {
		t.Errorf("decisions = %d %+v %v", total, ds, err)
	}
	ms, err := e.c.MeetingDecisions(e.ctx, "125", "quic")
	if err != nil || len(ms) != 3 || ms[0].ID != d.ID {
		t.Errorf("meeting's decisions = %+v %v", ms, err)
	}
}

// TestR31DecisionRefusals: not a chair of the group, empty text, a
// session of another group, an unknown session, a session that did not
// meet, and the same decision twice are refused and change nothing.
func TestR31DecisionRefusals(t *testing.T) {
	e := newDEnv(t)
	if _, err := e.c.RecordDecision(e.ctx, e.as("chair-quic@example.org"), "quic", e.quicS, "Once."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(e.ctx, `UPDATE session SET status = 'canceled' WHERE id = $1`, e.tlsS); err != nil {
		t.Fatal(err)
	}
	before := e.state()
	for _, tc := range []struct {
		what    string
		by      string
		group   string
		session int64
		text    string
		kind    fail.Kind
		says    string
	}{
		{"a participant", "pat@example.org", "quic", e.quicS, "We decided.", fail.Forbidden, "Only the chairs"},
		{"another WG's chair", "chair-tls@example.org", "quic", e.quicS, "We decided.", fail.Forbidden, "Only the chairs"},
		{"the AD", "ad@example.org", "quic", e.quicS, "We decided.", fail.Forbidden, "Only the chairs"},
		{"empty text", "chair-quic@example.org", "quic", e.quicS, " \n ", fail.Invalid, "Write the decision"},
		{"tls's session on quic's record", "chair-quic@example.org", "quic", e.tlsS, "We decided.", fail.Invalid, "not a session of quic"},
		{"an unknown session", "chair-quic@example.org", "quic", 9999, "We decided.", fail.NotFound, "no session 9999"},
		{"a session that did not meet", "chair-tls@example.org", "tls", e.tlsS, "We decided.", fail.Invalid, "did not meet"},
		{"the same decision again", "chair-quic@example.org", "quic", e.quicS, "Once.", fail.Conflict, "recorded once"},
		{"too long", "chair-quic@example.org", "quic", e.quicS, strings.Repeat("x", 2001), fail.Invalid, "at most 2000"},
	} {
		_, err := e.c.RecordDecision(e.ctx, e.as(tc.by), tc.group, tc.session, tc.text)
		e.refused("R31 "+tc.what, err, tc.kind, before, tc.says)
	}
}

const minutes = `# Minutes of QUIC at IETF 125

## Multipath
Discussion of the design.
DECISION: Adopt the multipath design as the basis.
- decision: Path IDs are 62 bits.
* **Decision:** Ask the list about ACK frequency.
Decisions are for the list (this line is not one).
Decision:
`

// TestR31DecisionsFromMinutes: the lines of the minutes that begin with
// "Decision:" are offered, the chosen ones recorded, and never twice;
// a line the minutes do not state is refused.
func TestR31DecisionsFromMinutes(t *testing.T) {
	e := newDEnv(t)
	got := consensus.DecisionsInMinutes(minutes)
	want := []string{"Adopt the multipath design as the basis.", "Path IDs are 62 bits.", "Ask the list about ACK frequency."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("decisions in the minutes = %q, want %q", got, want)
	}
	chair := e.as("chair-quic@example.org")
	added, skipped, err := e.c.FromMinutes(e.ctx, chair, "quic", e.quicS, minutes, want[:2])
	if err != nil || len(added) != 2 || len(skipped) != 0 {
		t.Fatalf("first: %+v %q %v", added, skipped, err)
	}
	// Again with all three: the two recorded are left out, never twice.
	added, skipped, err = e.c.FromMinutes(e.ctx, chair, "quic", e.quicS, minutes, want)
	if err != nil || len(added) != 1 || added[0].Text != want[2] || len(skipped) != 2 {
		t.Fatalf("second: %+v %q %v", added, skipped, err)
	}
	// And typed by hand: refused, it is recorded.
	before := e.state()
	_, err = e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, want[0])
	e.refused("R31 by hand after the minutes", err, fail.Conflict, before, "recorded once")
	_, _, err = e.c.FromMinutes(e.ctx, chair, "quic", e.quicS, minutes, []string{"Something the minutes never said."})
	e.refused("R31 a line not in the minutes", err, fail.Invalid, before, "The minutes state no decision")
	_, _, err = e.c.FromMinutes(e.ctx, chair, "quic", e.quicS, minutes, nil)
	e.refused("R31 nothing chosen", err, fail.Invalid, before, "Choose")
	_, _, err = e.c.FromMinutes(e.ctx, e.as("pat@example.org"), "quic", e.quicS, minutes, want)
	e.refused("R31 a participant", err, fail.Forbidden, before, "Only the chairs")
	_, _, err = e.c.FromMinutes(e.ctx, chair, "quic", e.tlsS, minutes, want)
	e.refused("R31 minutes onto tls's session", err, fail.Invalid, before, "not a session of quic")
	if ds, n, _ := e.c.Decisions(e.ctx, consensus.DecisionFilter{Group: "quic", State: "pending"}); n != 3 {
		t.Errorf("pending decisions = %d %+v, want 3", n, ds)
	}
}

// TestR31PendingFlaggedAfterAMonth: a decision pending for more than a
// month since it was recorded is stale; a settled one never is.
func TestR31PendingFlaggedAfterAMonth(t *testing.T) {
	e := newDEnv(t)
	chair := e.as("chair-quic@example.org")
	old, err := e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, "Old.")
	e.must(err)
	e.now = e.now.AddDate(0, 0, 20)
	if _, err := e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, "New."); err != nil {
		t.Fatal(err)
	}
	stale := func() map[string]bool {
		ds, _, err := e.c.Decisions(e.ctx, consensus.DecisionFilter{Group: "quic"})
		e.must(err)
		out := map[string]bool{}
		for _, d := range ds {
			out[d.Text] = d.Stale
		}
		return out
	}
	if s := stale(); s["Old."] || s["New."] {
		t.Errorf("20 days on: stale %v, want none", s)
	}
	e.now = old.Recorded.AddDate(0, 1, 0).Add(time.Minute)
	if s := stale(); !s["Old."] || s["New."] {
		t.Errorf("a month and a minute after the first: stale %v, want only Old.", s)
	}
	// Confirmed (as closing its confirmation call does): no longer flagged.
	if _, err := e.db.ExecContext(e.ctx, `UPDATE decision SET state = 'confirmed', settled = $1 WHERE id = $2`, e.now, old.ID); err != nil {
		t.Fatal(err)
	}
	if s := stale(); s["Old."] {
		t.Errorf("confirmed: still stale")
	}
}
