package meetings

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Listings across meetings, for the JSON API: rooms, timeslots and the
// schedules' assignments, filtered as the Datatracker's API filters them.

// MeetingByID returns the meeting with an id.
func (s *Service) MeetingByID(ctx context.Context, id int64) (Meeting, error) {
	m, err := scanMeeting(s.DB.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+`WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fail.New(fail.NotFound, "There is no meeting %d.", id)
	}
	return m, err
}

// RoomFilter selects rooms; zero fields match everything.
type RoomFilter struct {
	ID        int64
	MeetingID int64
	Meeting   string // number
	Name      string
	Limit     int
	Offset    int
}

// RoomList lists rooms by meeting and name, and how many match.
func (s *Service) RoomList(ctx context.Context, f RoomFilter) ([]Room, int, error) {
	var w db.Where
	if f.ID != 0 {
		w.Add("r.id = $?", f.ID)
	}
	if f.MeetingID != 0 {
		w.Add("r.meeting_id = $?", f.MeetingID)
	}
	if f.Meeting != "" {
		w.Add("m.number = $?", strings.ToLower(f.Meeting))
	}
	if f.Name != "" {
		w.Add("r.name = $?", f.Name)
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: `r.id, r.meeting_id, r.name, r.capacity`,
		From: ` FROM room r JOIN meeting m ON m.id = r.meeting_id `, Where: w, Order: "r.meeting_id, r.name, r.id", Limit: f.Limit, Offset: f.Offset}, scanRoom)
}

// SlotFilter selects timeslots; zero fields match everything.
type SlotFilter struct {
	ID        int64
	MeetingID int64
	Meeting   string // number
	Type      string
	RoomID    int64
	Limit     int
	Offset    int
}

// SlotList lists timeslots by meeting, start and room, and how many match.
func (s *Service) SlotList(ctx context.Context, f SlotFilter) ([]Timeslot, int, error) {
	var w db.Where
	if f.ID != 0 {
		w.Add("t.id = $?", f.ID)
	}
	if f.MeetingID != 0 {
		w.Add("t.meeting_id = $?", f.MeetingID)
	}
	if f.Meeting != "" {
		w.Add("m.number = $?", strings.ToLower(f.Meeting))
	}
	if f.Type != "" {
		w.Add("t.type = $?", f.Type)
	}
	if f.RoomID != 0 {
		w.Add("t.room_id = $?", f.RoomID)
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: slotCols, From: slotFrom + ` JOIN meeting m ON m.id = t.meeting_id `,
		Where: w, Order: "t.meeting_id, t.start, r.name, t.id", Limit: f.Limit, Offset: f.Offset}, scanSlot)
}

// Assignment is a session placed in a timeslot by a schedule (the
// Datatracker's SchedTimeSessAssignment).
type Assignment struct {
	ID         int64
	ScheduleID int64
	SessionID  int64
	TimeslotID int64
	Pinned     bool // the scheduler leaves it where it is
	Notes      string
	Modified   time.Time
}

// AssignmentFilter selects assignments; zero fields match everything.
type AssignmentFilter struct {
	ID          int64
	ScheduleID  int64
	SessionID   int64
	TimeslotIDs []int64
	Meeting     string // number
	Group       string // the session's group's acronym
	Limit       int
	Offset      int
}

// AssignmentList lists assignments by schedule and time, and how many
// match.
func (s *Service) AssignmentList(ctx context.Context, f AssignmentFilter) ([]Assignment, int, error) {
	var w db.Where
	if f.ID != 0 {
		w.Add("x.id = $?", f.ID)
	}
	if f.ScheduleID != 0 {
		w.Add("x.schedule_id = $?", f.ScheduleID)
	}
	if f.SessionID != 0 {
		w.Add("x.session_id = $?", f.SessionID)
	}
	if len(f.TimeslotIDs) > 0 {
		ps := make([]string, len(f.TimeslotIDs))
		for i, id := range f.TimeslotIDs {
			ps[i] = w.Arg(id)
		}
		w.Raw("x.timeslot_id IN (" + strings.Join(ps, ", ") + ")")
	}
	if f.Meeting != "" {
		w.Add("m.number = $?", strings.ToLower(f.Meeting))
	}
	if f.Group != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: `x.id, x.schedule_id, x.session_id, x.timeslot_id, x.pinned, x.notes, x.modified`,
		From: ` FROM assignment x JOIN session s ON s.id = x.session_id JOIN meeting m ON m.id = s.meeting_id
		JOIN group_ref g ON g.id = s.group_id JOIN timeslot t ON t.id = x.timeslot_id `,
		Where: w, Order: "x.schedule_id, t.start, x.id", Limit: f.Limit, Offset: f.Offset},
		func(row db.Scanner) (a Assignment, err error) {
			err = row.Scan(&a.ID, &a.ScheduleID, &a.SessionID, &a.TimeslotID, &a.Pinned, &a.Notes, &a.Modified)
			return a, err
		})
}
