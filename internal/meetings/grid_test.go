package meetings_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/meetings"
)

// TestBrokenConstraints: tls lists quic as a conflict, and both need
// Quinn there; placing them at the same time breaks both, and moving
// quic away mends it.
func TestBrokenConstraints(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	sec := e.as("sec@example.org")
	if err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "125", "tls", twoSessions(), ""); err != nil {
		t.Fatal(err)
	}
	one := meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 30, BeThere: []string{"chair-quic@example.org"}}
	if err := e.m.RequestSessions(e.ctx, e.as("chair-quic@example.org"), "125", "quic", one, ""); err != nil {
		t.Fatal(err)
	}
	tls, _ := e.m.SessionRequest(e.ctx, "125", "tls")
	quic, _ := e.m.SessionRequest(e.ctx, "125", "quic")
	slots, _ := e.m.Timeslots(e.ctx, m.ID)
	var a, b, later meetings.Timeslot
	for _, s := range slots {
		switch {
		case s.Type != "regular":
		case s.Room == "Room A" && a.ID == 0:
			a = s
		case s.Room == "Room B" && b.ID == 0:
			b = s
		case s.Room == "Room B" && later.ID == 0 && s.Start.After(a.End()):
			later = s
		}
	}
	place := func(sess, slot int64) {
		if err := e.m.Assign(e.ctx, sec, "125", sess, slot, ""); err != nil {
			t.Fatal(err)
		}
	}
	place(tls.Sessions[0].ID, a.ID)
	place(quic.Sessions[0].ID, b.ID)
	broken, err := e.m.BrokenConstraints(e.ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	want := []meetings.Broken{
		{SessionID: tls.Sessions[0].ID, Group: "tls", Level: "conflict", Name: "Conflicts with", Other: "quic"},
		{SessionID: tls.Sessions[0].ID, Group: "tls", Level: "bethere", Name: "Person must be present", Other: "quic", Person: "Quinn Chair"},
		{SessionID: quic.Sessions[0].ID, Group: "quic", Level: "bethere", Name: "Person must be present", Other: "tls", Person: "Quinn Chair"},
	}
	if d := cmp.Diff(want, broken); d != "" {
		t.Errorf("broken (-want +got):\n%s", d)
	}
	if err := e.m.Unassign(e.ctx, sec, "125", quic.Sessions[0].ID, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	place(quic.Sessions[0].ID, later.ID)
	if broken, _ := e.m.BrokenConstraints(e.ctx, m); len(broken) != 0 {
		t.Errorf("after moving quic: %+v", broken)
	}

	gm, err := e.m.GroupMeetings(e.ctx, "tls")
	if err != nil {
		t.Fatal(err)
	}
	if len(gm) != 1 || gm[0].Meeting.Number != "125" || len(gm[0].Sessions) != 2 {
		t.Fatalf("tls's meetings: %+v", gm)
	}
	if s := gm[0].Sessions; len(s[0].Slots) != 1 || s[0].Slots[0].ID != a.ID || s[0].Status != "sched" || len(s[1].Slots) != 0 || s[1].Status != "schedw" {
		t.Errorf("tls's sessions: %+v", s)
	}
}
