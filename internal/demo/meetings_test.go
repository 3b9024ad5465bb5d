package demo

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/meetings"
)

// TestDemoMeetings loads the demo with its meetings: IETF 83 from the
// corpus with its agenda, and agendas, minutes and blue sheets for a few
// of its sessions; the upcoming IETF meeting with session requests and
// an open fellowship; and idr's online interim, announced.
func TestDemoMeetings(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	ms := dm.ms
	m83, err := ms.Get(ctx, "83")
	if err != nil {
		t.Fatal(err)
	}
	placed, err := ms.Placed(ctx, m83.ScheduleID)
	if err != nil || len(placed) != 149 {
		t.Fatalf("IETF 83's agenda has %d placements (%v), want the official schedule's 149", len(placed), err)
	}
	got := map[string][2]bool{}
	for _, ps := range pastSessions {
		xs, err := ms.Materials(ctx, m83.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var agenda, minutes bool
		for _, x := range xs {
			if x.Group == ps.group {
				agenda = agenda || x.Type == meetings.KindAgenda
				minutes = minutes || x.Type == meetings.KindMinutes
			}
		}
		got[ps.group] = [2]bool{agenda, minutes}
		if n, known, err := ms.PeopleAttended(ctx, "83", ps.group); err != nil || !known || n < 5 {
			t.Errorf("%s's blue sheets at IETF 83 hold %d people (%v), want a room's worth", ps.group, n, err)
		}
	}
	want := map[string][2]bool{"httpbis": {true, true}, "tls": {true, true}, "dnsop": {true, true}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("IETF 83's agendas and minutes (-want +got):\n%s", d)
	}
	reqs, _, err := ms.Sessions(ctx, meetings.SessionFilter{Meeting: DemoMeeting, Status: []string{meetings.StatusWaiting}})
	if err != nil || len(reqs) != 6 {
		t.Errorf("IETF %s has %d sessions waiting for scheduling (%v), want the 6 the demo's chairs asked for", DemoMeeting, len(reqs), err)
	}
	its, _, err := ms.List(ctx, meetings.Filter{Type: meetings.Interim, Group: "idr"})
	if err != nil || len(its) != 1 {
		t.Fatalf("idr's interims: %v %v", its, err)
	}
	ss, _, _ := ms.Sessions(ctx, meetings.SessionFilter{MeetingID: its[0].ID})
	if len(ss) != 1 || ss[0].Status != meetings.StatusScheduled {
		t.Errorf("idr's interim sessions = %+v, want one, scheduled", ss)
	}
}
