package docs_test

import (
	"context"
	"errors"
	"testing"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/testbody"
)

// SetWGStateIn moves a draft inside the caller's transaction: it commits
// with the caller's change, rolls back with it, and refuses as SetWGState
// does (R15, R16) before writing anything.
func TestSetWGStateInJoinsTheCallersTransaction(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	chair := e.by("chair@example.org")

	// A failure after the move rolls the move back.
	boom := errors.New("the caller's own change failed")
	err := e.db.Write(ctx, func(tx *db.Tx) error {
		if err := e.s.SetWGStateIn(ctx, tx, name, chair, docs.WGChange{State: "c-adopt", Group: "idr"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want the caller's error", err)
	}
	if d := e.doc(name); d.WGState != "" || d.Group != "" {
		t.Fatalf("after a rolled-back move: %q in %q, want nothing", d.WGState, d.Group)
	}

	if err := e.db.Write(ctx, func(tx *db.Tx) error {
		return e.s.SetWGStateIn(ctx, tx, name, chair, docs.WGChange{State: "c-adopt", Group: "idr", Why: "call"})
	}); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(name); d.WGState != "c-adopt" || d.Group != "idr" {
		t.Fatalf("after the move: %q in %q", d.WGState, d.Group)
	}

	// R16 and R15, as SetWGState.
	e.body.AddPeople(testbody.Person{Email: "qchair@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"})
	events := e.count("event")
	err = e.db.Write(ctx, func(tx *db.Tx) error {
		return e.s.SetWGStateIn(ctx, tx, name, e.by("qchair@example.org"), docs.WGChange{State: "c-adopt", Group: "quic"})
	})
	refused(t, "R16: second WG", err, fail.Conflict, "R16")
	err = e.db.Write(ctx, func(tx *db.Tx) error {
		return e.s.SetWGStateIn(ctx, tx, name, e.by("pat@example.org"), docs.WGChange{State: "wg-lc"})
	})
	refused(t, "R15: participant", err, fail.Forbidden, "R15")
	if n := e.count("event"); n != events {
		t.Errorf("refusals wrote %d events", n-events)
	}
	if d := e.doc(name); d.WGState != "c-adopt" || d.Group != "idr" {
		t.Errorf("after refusals: %q in %q", d.WGState, d.Group)
	}
}
