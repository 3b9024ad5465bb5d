package meetings

import (
	"fmt"
	"strconv"

	"hum/internal/opendata"
)

// OpenData is the meetings' part of the Datatracker's API: meeting/meeting,
// meeting/schedule, meeting/session, meeting/timeslot, meeting/room and
// meeting/schedtimesessassignment, read from this package's tables in the
// fields of the Datatracker's models (ietf/meeting/models.py) as its
// resources.py serves them: every model field, and the related fields
// the resource declares. Fields hum has no value for answer the
// Datatracker's empty value or its default. See package opendata for what
// an entry says.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{meetingResource(), scheduleResource(), sessionResource(), timeslotResource(), roomResource(),
		assignmentResource()}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// Durations are kept in seconds; the Datatracker's API gives a
// DurationField as Python's str(timedelta), H:MM:SS.
func apiDuration(v any) any {
	var secs int64
	switch x := v.(type) {
	case int64:
		secs = x
	case string:
		secs, _ = strconv.ParseInt(x, 10, 64)
	default:
		return v
	}
	return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
}

// meetingResource is meeting/meeting (MeetingResource). The submission
// windows are hum's (R29, and the idcutoff offset of DateNames); the
// Datatracker keeps them per meeting, hum for all.
func meetingResource() opendata.Resource {
	idCutoff, _ := dateName("idcutoff")
	return opendata.Resource{
		App: "meeting", Model: "meeting", Key: "id",
		Table:    &opendata.Table{From: "meeting m"},
		Ordering: []string{"id", "date"},
		Order:    []string{"-date", "-id"}, // Meeting.Meta.ordering
		// The Datatracker's filtering names a field its model has not (sic).
		FilterOnly: map[string]opendata.Filtering{"submmission_cutoff_day_offset": all},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "m.id"},
			{Name: "number", Type: opendata.String, Filter: all, Col: "m.number"},
			{Name: "type", Type: opendata.ToOne, To: "name/meetingtypename", Filter: rel, Col: "m.type"},
			{Name: "date", Type: opendata.Date, Filter: rel, Col: "m.date"},
			{Name: "days", Type: opendata.Integer, Col: "m.days"},
			{Name: "city", Type: opendata.String, Filter: all, Col: "m.city"},
			{Name: "country", Type: opendata.String, Filter: all, Col: "m.country"},
			{Name: "time_zone", Type: opendata.String, Filter: all, Col: "m.time_zone"},
			{Name: "idsubmit_cutoff_day_offset_00", Type: opendata.Integer, Filter: all, Value: int64(-idCutoff.Offset)},
			{Name: "idsubmit_cutoff_day_offset_01", Type: opendata.Integer, Filter: all, Value: int64(-idCutoff.Offset)},
			{Name: "idsubmit_cutoff_time_utc", Type: opendata.String, Filter: all, Value: "23:59:59"},
			{Name: "idsubmit_cutoff_warning_days", Type: opendata.String, Filter: all, Value: "21 days, 0:00:00"},
			{Name: "submission_start_day_offset", Type: opendata.Integer, Filter: all, Value: int64(90)},
			{Name: "submission_cutoff_day_offset", Type: opendata.Integer, Value: int64(MaterialsCutoffDays)},
			{Name: "submission_correction_day_offset", Type: opendata.Integer, Filter: all, Value: int64(CorrectionsCutoffDays)},
			{Name: "venue_name", Type: opendata.String, Filter: all, Col: "m.venue_name"},
			{Name: "venue_addr", Type: opendata.String, Filter: all, Col: "m.venue_addr"},
			{Name: "break_area", Type: opendata.String, Filter: all, Empty: true},
			{Name: "reg_area", Type: opendata.String, Filter: all, Empty: true},
			{Name: "agenda_info_note", Type: opendata.String, Filter: all, Empty: true},
			{Name: "agenda_warning_note", Type: opendata.String, Filter: all, Empty: true},
			{Name: "schedule", Type: opendata.ToOne, To: "meeting/schedule", Null: true, Filter: rel, Col: "m.schedule_id"},
			{Name: "session_request_lock_message", Type: opendata.String, Filter: all, Empty: true},
			{Name: "proceedings_final", Type: opendata.Boolean, Filter: all, Col: "m.proceedings_final"},
			{Name: "acknowledgements", Type: opendata.String, Empty: true},
			{Name: "show_important_dates", Type: opendata.Boolean, Value: true,
				Help: "hum shows every meeting's important dates."},
			{Name: "attendees", Type: opendata.Integer, Null: true, Empty: true,
				Help: "The Datatracker's count for backfilled meetings; null, as for a meeting counted from its registrations."},
			{Name: "updated", Type: opendata.DateTime, Col: "m.updated"},
		},
	}
}

// scheduleResource is meeting/schedule (ScheduleResource): the official
// schedule a meeting names, and every other schedule made for it. hum
// shows every schedule to everyone, visible and public as the
// Datatracker's flags say; it keeps no notes on one.
func scheduleResource() opendata.Resource {
	return opendata.Resource{
		App: "meeting", Model: "schedule", Key: "id",
		Table:    &opendata.Table{From: "schedule sc"},
		Ordering: []string{"id"},
		Order:    []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "sc.id"},
			{Name: "meeting", Type: opendata.ToOne, To: "meeting/meeting", Null: true, Filter: rel, Col: "sc.meeting_id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "sc.name"},
			{Name: "owner", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "sc.owner_id"},
			{Name: "visible", Type: opendata.Boolean, Filter: all, Col: "sc.visible"},
			{Name: "public", Type: opendata.Boolean, Filter: all, Col: "sc.public"},
			{Name: "badness", Type: opendata.Integer, Null: true, Filter: all, Col: "sc.badness"},
			{Name: "notes", Type: opendata.String, Empty: true},
		},
	}
}

// sessionResource is meeting/session (SessionResource). Its type is
// regular (hum's sessions are groups' sessions), and status and
// requested_by are the session's own (the Datatracker reads them from
// its scheduling events).
func sessionResource() opendata.Resource {
	return opendata.Resource{
		App: "meeting", Model: "session", Key: "id",
		Table:    &opendata.Table{From: "session s"},
		Ordering: []string{"id", "modified", "scheduled", "meeting"},
		Order:    []string{"id"},
		// Session.requested, long gone from the model, is still in the
		// resource's filtering.
		FilterOnly: map[string]opendata.Filtering{"requested": all},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "s.id"},
			{Name: "meeting", Type: opendata.ToOne, To: "meeting/meeting", Filter: rel, Col: "s.meeting_id"},
			{Name: "type", Type: opendata.ToOne, To: "name/timeslottypename", Filter: rel, Value: "regular"},
			{Name: "purpose", Type: opendata.ToOne, To: "name/sessionpurposename", Col: "s.purpose"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "s.group_id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "s.name"},
			{Name: "short", Type: opendata.String, Filter: all, Empty: true},
			{Name: "attendees", Type: opendata.Integer, Null: true, Filter: all, Col: "s.attendees"},
			{Name: "agenda_note", Type: opendata.String, Filter: all, Col: "s.agenda_note"},
			{Name: "requested_duration", Type: opendata.String, Filter: all, Col: "s.requested_duration", Map: apiDuration,
				Help: "H:MM:SS; a filter compares seconds."},
			{Name: "comments", Type: opendata.String, Filter: all, Col: "s.comments"},
			{Name: "scheduled", Type: opendata.DateTime, Null: true, Filter: all, Empty: true},
			{Name: "modified", Type: opendata.DateTime, Filter: all, Col: "s.modified"},
			{Name: "remote_instructions", Type: opendata.String, Col: "s.remote_instructions"},
			{Name: "on_agenda", Type: opendata.Boolean, Value: true},
			{Name: "requested_by", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "s.requested_by"},
			{Name: "status", Type: opendata.ToOne, To: "name/sessionstatusname", Filter: rel, Col: "s.status"},
			// hum keeps a meeting's materials apart from doc/document (its
			// own material table), so none is a document the API serves.
			{Name: "materials", Type: opendata.ToMany, To: "doc/document", Filter: rel, Empty: true},
			{Name: "resources", Type: opendata.ToMany, To: "meeting/resourceassociation", Filter: rel, Empty: true},
			{Name: "assignments", Type: opendata.ToMany, To: "meeting/schedtimesessassignment", Filter: rel,
				Link: &opendata.Link{From: "assignment sa", Owner: "sa.session_id", Key: "sa.id"}},
			// Newer fields of the Datatracker's Session: hum has no onsite
			// tool or chat room of its own.
			{Name: "has_onsite_tool", Type: opendata.Boolean, Empty: true},
			{Name: "chat_room", Type: opendata.String, Empty: true},
		},
	}
}

// timeslotResource is meeting/timeslot (TimeSlotResource); modified is
// when hum made the slot, which it never changes.
func timeslotResource() opendata.Resource {
	return opendata.Resource{
		App: "meeting", Model: "timeslot", Key: "id",
		Table:    &opendata.Table{From: "timeslot t"},
		Ordering: []string{"id", "time", "modified", "meeting"},
		Order:    []string{"-time", "-id"}, // TimeSlot.Meta.ordering
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "t.id"},
			{Name: "meeting", Type: opendata.ToOne, To: "meeting/meeting", Filter: rel, Col: "t.meeting_id"},
			{Name: "type", Type: opendata.ToOne, To: "name/timeslottypename", Filter: rel, Col: "t.type"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "t.name"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "t.start"},
			{Name: "duration", Type: opendata.String, Filter: all, Col: "t.duration", Map: apiDuration,
				Help: "H:MM:SS; a filter compares seconds."},
			{Name: "location", Type: opendata.ToOne, To: "meeting/room", Null: true, Filter: rel, Col: "t.room_id"},
			{Name: "show_location", Type: opendata.Boolean, Filter: all, Col: "t.room_id IS NOT NULL"},
			{Name: "sessions", Type: opendata.ToMany, To: "meeting/session", Filter: rel,
				Link: &opendata.Link{From: "assignment ta", Owner: "ta.timeslot_id", Key: "ta.session_id"},
				Help: "The sessions any schedule places in the slot."},
			{Name: "modified", Type: opendata.DateTime, Filter: all, Col: "t.created"},
		},
	}
}

// roomResource is meeting/room (RoomResource): session_types are the
// types of the slots hum made in the room; modified is its meeting's.
func roomResource() opendata.Resource {
	return opendata.Resource{
		App: "meeting", Model: "room", Key: "id",
		Table:    &opendata.Table{From: "room r JOIN meeting rm ON rm.id = r.meeting_id"},
		Ordering: []string{"id"},
		Order:    []string{"-id"}, // Room.Meta.ordering
		// Room.time, long gone from the model, is still in the filtering.
		FilterOnly: map[string]opendata.Filtering{"time": all},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "r.id"},
			{Name: "meeting", Type: opendata.ToOne, To: "meeting/meeting", Filter: rel, Col: "r.meeting_id"},
			{Name: "modified", Type: opendata.DateTime, Col: "rm.updated"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "r.name"},
			{Name: "functional_name", Type: opendata.String, Filter: all, Empty: true},
			{Name: "capacity", Type: opendata.Integer, Null: true, Filter: all, Col: "r.capacity"},
			{Name: "resources", Type: opendata.ToMany, To: "meeting/resourceassociation", Filter: rel, Empty: true},
			{Name: "session_types", Type: opendata.ToMany, To: "name/timeslottypename", Filter: rel,
				Link: &opendata.Link{From: "(SELECT DISTINCT room_id, type FROM timeslot WHERE room_id IS NOT NULL) rt",
					Owner: "rt.room_id", Key: "rt.type"}},
			{Name: "floorplan", Type: opendata.ToOne, To: "meeting/floorplan", Null: true, Filter: rel, Empty: true},
			{Name: "x1", Type: opendata.Integer, Null: true, Empty: true},
			{Name: "y1", Type: opendata.Integer, Null: true, Empty: true},
			{Name: "x2", Type: opendata.Integer, Null: true, Empty: true},
			{Name: "y2", Type: opendata.Integer, Null: true, Empty: true},
		},
	}
}

// assignmentResource is meeting/schedtimesessassignment
// (SchedTimeSessAssignmentResource): a session placed in a slot by a
// schedule. hum never extends a session into the next slot, and scores
// schedules, not placements (schedule's badness).
func assignmentResource() opendata.Resource {
	return opendata.Resource{
		App: "meeting", Model: "schedtimesessassignment", Key: "id",
		Table:    &opendata.Table{From: "assignment a"},
		Ordering: []string{"id", "modified"},
		Order:    []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "a.id"},
			{Name: "timeslot", Type: opendata.ToOne, To: "meeting/timeslot", Filter: rel, Col: "a.timeslot_id"},
			{Name: "session", Type: opendata.ToOne, To: "meeting/session", Null: true, Filter: rel, Col: "a.session_id"},
			{Name: "schedule", Type: opendata.ToOne, To: "meeting/schedule", Filter: rel, Col: "a.schedule_id"},
			{Name: "extendedfrom", Type: opendata.ToOne, To: "meeting/schedtimesessassignment", Null: true, Filter: rel, Empty: true},
			{Name: "modified", Type: opendata.DateTime, Filter: all, Col: "a.modified"},
			{Name: "notes", Type: opendata.String, Filter: all, Col: "a.notes"},
			{Name: "badness", Type: opendata.Integer, Null: true, Filter: all, Value: int64(0)},
			{Name: "pinned", Type: opendata.Boolean, Filter: all, Col: "a.pinned"},
		},
	}
}
