package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

// TestMeetingAPI: meetings, schedules, sessions, timeslots, rooms and
// assignments in the Datatracker's list shape and field names, with its
// filters (on the opendata registry, meetings/opendata.go).
func TestMeetingAPI(t *testing.T) {
	b := newBody(t)
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	b.DB.Now = func() time.Time { return now }
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	s := serve(t, b, Config{Meetings: ms})
	c := s.client()
	ctx := context.Background()
	op := groups.Operator(record.Actor{Name: "test"})
	m, err := ms.Create(ctx, op, meetings.NewMeeting{Number: "83", City: "Paris", Country: "FR", TimeZone: "Europe/Paris", Date: "2026-03-22",
		Days: 6, Rooms: []meetings.NewRoom{{Name: "Grand", Capacity: 500}, {Name: "Petit", Capacity: 50}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := b.Groups.Get(ctx, "httpbis")
	// A request, as the session-request pages would store it.
	var sid int64
	if err := b.DB.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, status, requested_duration, attendees, modified)
		VALUES ($1, $2, 'schedw', 5400, 120, $3) RETURNING id`, m.ID, g.ID, now).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	slots, _ := ms.Timeslots(ctx, m.ID)
	var slot meetings.Timeslot
	for _, x := range slots {
		if x.Type == "regular" && x.Room == "Grand" {
			slot = x
			break
		}
	}
	if err := ms.Assign(ctx, op, "83", sid, slot.ID, ""); err != nil {
		t.Fatal(err)
	}
	rooms, _ := ms.Rooms(ctx, m.ID)

	one := func(path string) map[string]any {
		t.Helper()
		var l apiList
		if code := getJSON(t, c, path, &l); code != 200 || l.Meta.TotalCount != 1 || len(l.Objects) != 1 {
			t.Fatalf("%s: %d, %+v", path, code, l)
		}
		return l.Objects[0]
	}
	u := func(kind string, id int64) string { return fmt.Sprintf("/api/v1/meeting/%s/%d/", kind, id) }
	for _, tc := range []struct {
		path string
		want map[string]any
	}{
		{"/api/v1/meeting/meeting/?number=83&type=ietf", map[string]any{
			"id": float64(m.ID), "number": "83", "type": "/api/v1/name/meetingtypename/ietf/", "date": "2026-03-22", "days": float64(6),
			"city": "Paris", "country": "FR", "time_zone": "Europe/Paris", "venue_name": "", "venue_addr": "",
			"schedule": u("schedule", m.ScheduleID), "proceedings_final": false, "updated": "2026-01-10T12:00:00Z", "resource_uri": u("meeting", m.ID),
			// The Datatracker's fields hum has no value for: its empty
			// values, and hum's submission windows (R29).
			"acknowledgements": "", "agenda_info_note": "", "agenda_warning_note": "", "attendees": nil, "break_area": "", "reg_area": "",
			"session_request_lock_message": "", "show_important_dates": true, "idsubmit_cutoff_day_offset_00": float64(12),
			"idsubmit_cutoff_day_offset_01": float64(12), "idsubmit_cutoff_time_utc": "23:59:59", "idsubmit_cutoff_warning_days": "21 days, 0:00:00",
			"submission_start_day_offset": float64(90), "submission_cutoff_day_offset": float64(26), "submission_correction_day_offset": float64(50)}},
		{"/api/v1/meeting/schedule/?meeting__number=83", map[string]any{
			"id": float64(m.ScheduleID), "meeting": u("meeting", m.ID), "name": "official", "owner": nil, "visible": true, "public": true,
			"badness": nil, "notes": "", "resource_uri": u("schedule", m.ScheduleID)}},
		{"/api/v1/meeting/session/?meeting__number=83&group__acronym=httpbis", map[string]any{
			"id": float64(sid), "meeting": u("meeting", m.ID), "type": "/api/v1/name/timeslottypename/regular/",
			"purpose": "/api/v1/name/sessionpurposename/regular/", "group": fmt.Sprintf("/api/v1/group/group/%d/", g.ID), "name": "", "short": "",
			"attendees": float64(120), "agenda_note": "", "requested_duration": "1:30:00", "comments": "", "remote_instructions": "",
			"requested_by": nil, "status": "/api/v1/name/sessionstatusname/sched/", "modified": "2026-01-10T12:00:00Z", "resource_uri": u("session", sid),
			"assignments": []any{u("schedtimesessassignment", 1)}, "materials": []any{}, "resources": []any{}, "scheduled": nil, "on_agenda": true,
			"has_onsite_tool": false, "chat_room": ""}},
		{fmt.Sprintf("/api/v1/meeting/timeslot/?meeting=%d&location=%d&type=regular&id=%d", m.ID, slot.RoomID, slot.ID), map[string]any{
			"id": float64(slot.ID), "meeting": u("meeting", m.ID), "type": "/api/v1/name/timeslottypename/regular/", "name": "Session I",
			"time": "2026-03-23T08:30:00Z", "duration": "2:00:00", "location": u("room", slot.RoomID), "show_location": true,
			"sessions": []any{u("session", sid)}, "modified": "2026-01-10T12:00:00Z", "resource_uri": u("timeslot", slot.ID)}},
		{"/api/v1/meeting/room/?meeting__number=83&name=Petit", map[string]any{
			"id": float64(rooms[1].ID), "meeting": u("meeting", m.ID), "name": "Petit", "functional_name": "", "capacity": float64(50),
			"resources": []any{}, "session_types": []any{"/api/v1/name/timeslottypename/regular/"}, "floorplan": nil, "resource_uri": u("room", rooms[1].ID),
			"modified": "2026-01-10T12:00:00Z", "x1": nil, "y1": nil, "x2": nil, "y2": nil}},
		{"/api/v1/meeting/schedtimesessassignment/?session__group__acronym=httpbis&schedule__meeting__number=83", map[string]any{
			"id": float64(1), "timeslot": u("timeslot", slot.ID), "session": u("session", sid), "schedule": u("schedule", m.ScheduleID),
			"extendedfrom": nil, "modified": "2026-01-10T12:00:00Z", "notes": "", "badness": float64(0), "pinned": false,
			"resource_uri": u("schedtimesessassignment", 1)}},
	} {
		got := one(tc.path)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.path, d)
		}
		// The object's own URI answers with the object alone.
		var obj map[string]any
		if code := getJSON(t, c, got["resource_uri"].(string), &obj); code != 200 || cmp.Diff(got, obj) != "" {
			t.Errorf("%s: %d %v", got["resource_uri"], code, obj)
		}
	}
	var l apiList
	getJSON(t, c, "/api/v1/meeting/timeslot/?meeting__number=83", &l)
	if l.Meta.TotalCount != len(slots) || len(l.Objects) != 20 || l.Meta.Next == nil {
		t.Errorf("timeslots: %d of %d, want 20 of %d with a next page", len(l.Objects), l.Meta.TotalCount, len(slots))
	}
	for path, code := range map[string]int{
		"/api/v1/meeting/session/?group__acronym=quic":       200,
		"/api/v1/meeting/meeting/?numbr=83":                  200, // no field: no filter, as in Tastypie
		"/api/v1/meeting/meeting/?days=6":                    400, // a field that allows no filter
		"/api/v1/meeting/session/?meeting=x":                 400,
		"/api/v1/meeting/meeting/?date=tomorrow":             400,
		"/api/v1/meeting/meeting/999/":                       404,
		"/api/v1/meeting/schedtimesessassignment/999/":       404,
		"/api/v1/meeting/room/x/":                            404,
		"/api/v1/meeting/meeting/?date=2026-03-22&number=83": 200,
	} {
		var v map[string]any
		if got := getJSON(t, c, path, &v); got != code {
			t.Errorf("%s: %d, want %d (%v)", path, got, code, v)
		}
	}
}
