package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Session statuses (the Datatracker's slugs) that hum uses.
const (
	StatusWaiting    = "schedw"   // Waiting for Scheduling
	StatusScheduled  = "sched"    // Scheduled
	StatusNotMeeting = "notmeet"  // Not meeting
	StatusDeleted    = "deleted"  // Deleted (a withdrawn request)
	StatusApprWait   = "apprw"    // Waiting for Approval (an interim)
	StatusAnnounce   = "scheda"   // Scheduled - Announcement to be sent
	StatusCanceled   = "canceled" // Cancelled
)

// StatusNames are the statuses' names, as the Datatracker shows them.
var StatusNames = map[string]string{
	"appr": "Approved", "apprw": "Waiting for Approval", "canceled": "Cancelled", "canceledpa": "Cancelled - Pre Announcement",
	"deleted": "Deleted", "disappr": "Disapproved", "notmeet": "Not meeting", "resched": "Rescheduled",
	"sched": "Scheduled", "scheda": "Scheduled - Announcement to be sent", "schedw": "Waiting for Scheduling",
}

// Session is one meeting of a group at a meeting.
type Session struct {
	ID                 int64
	MeetingID          int64
	Meeting            string // number
	GroupID            int64
	Group              string // acronym
	GroupName          string
	GroupType          string
	Area               string // the group's parent's acronym
	Name               string
	Purpose            string
	Status             string
	RequestedDuration  time.Duration
	Attendees          int
	Comments           string
	AgendaNote         string
	RemoteInstructions string
	RequestedByID      int64
	RequestedBy        string
	Requested          time.Time // zero if not known
	Modified           time.Time
}

// Title is the session's name, or its group's.
func (s Session) Title() string {
	if s.Name != "" {
		return s.Name
	}
	return s.GroupName
}

const sessionCols = `s.id, s.meeting_id, m.number, s.group_id, g.acronym, g.name, g.type, COALESCE(a.acronym, ''), s.name, s.purpose, s.status,
	s.requested_duration, s.attendees, s.comments, s.agenda_note, s.remote_instructions, COALESCE(s.requested_by, 0), COALESCE(p.name, ''),
	s.requested, s.modified`

const sessionFrom = ` FROM session s JOIN meeting m ON m.id = s.meeting_id JOIN group_ref g ON g.id = s.group_id
	LEFT JOIN group_ref a ON a.id = g.parent_id LEFT JOIN person_name p ON p.id = s.requested_by `

func scanSession(row db.Scanner) (Session, error) { return scanSessionInto(row, nil) }

// scanSessionInto scans a row whose session columns follow the columns
// that before receives.
func scanSessionInto(row db.Scanner, before []any) (s Session, err error) {
	var secs int64
	var requested sql.NullTime
	err = row.Scan(append(before, &s.ID, &s.MeetingID, &s.Meeting, &s.GroupID, &s.Group, &s.GroupName, &s.GroupType, &s.Area, &s.Name, &s.Purpose, &s.Status,
		&secs, &s.Attendees, &s.Comments, &s.AgendaNote, &s.RemoteInstructions, &s.RequestedByID, &s.RequestedBy, &requested, &s.Modified)...)
	s.RequestedDuration = secondsToDuration(secs)
	s.Requested = requested.Time
	return s, err
}

func secondsToDuration(secs int64) time.Duration { return time.Duration(secs) * time.Second }

// SessionFilter selects sessions; zero fields match everything.
type SessionFilter struct {
	ID        int64
	MeetingID int64
	Meeting   string // number
	Group     string // acronym
	Status    []string
	Limit     int
	Offset    int
}

func (f SessionFilter) where() db.Where {
	var w db.Where
	if f.ID != 0 {
		w.Add("s.id = $?", f.ID)
	}
	if f.MeetingID != 0 {
		w.Add("s.meeting_id = $?", f.MeetingID)
	}
	if f.Meeting != "" {
		w.Add("m.number = $?", strings.ToLower(f.Meeting))
	}
	if f.Group != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	if len(f.Status) > 0 {
		w.Raw("s.status IN " + w.In(f.Status))
	}
	return w
}

// Sessions lists the sessions that match f, by meeting date, group and
// id, and how many match.
func (s *Service) Sessions(ctx context.Context, f SessionFilter) ([]Session, int, error) {
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: sessionCols, From: sessionFrom, Where: f.where(),
		Order: "m.date, g.acronym, s.id", Limit: f.Limit, Offset: f.Offset}, scanSession)
}

// Session returns one session.
func (s *Service) Session(ctx context.Context, id int64) (Session, error) {
	ss, _, err := s.Sessions(ctx, SessionFilter{ID: id})
	if err != nil {
		return Session{}, err
	}
	if len(ss) == 0 {
		return Session{}, fail.New(fail.NotFound, "There is no session %d.", id)
	}
	return ss[0], nil
}

// Assign places a session into a timeslot of the meeting's official
// schedule; a session may take more than one slot (a long request over
// two), a slot holds one session.
func (s *Service) Assign(ctx context.Context, by groups.Actor, number string, sessionID, timeslotID int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.Assign(%q, %d, %d)", number, sessionID, timeslotID)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may place sessions on the agenda.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, sess, t, err := placing(ctx, tx, number, sessionID, timeslotID)
		if err != nil {
			return err
		}
		if t.RoomID == 0 {
			return fail.Field("timeslot", "The %s slot %s has no room; sessions go into slots in rooms.", t.Type, slotWhen(m, t))
		}
		holder, err := db.Scalar[string](tx.QueryRowContext(ctx, `SELECT g.acronym FROM assignment a JOIN session s ON s.id = a.session_id
			JOIN group_ref g ON g.id = s.group_id WHERE a.schedule_id = $1 AND a.timeslot_id = $2`, m.ScheduleID, timeslotID))
		if err == nil {
			return fail.New(fail.Conflict, "The slot %s in %s already holds %s.", slotWhen(m, t), t.Room, holder)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignment (schedule_id, session_id, timeslot_id, modified) VALUES ($1, $2, $3, $4)`,
			m.ScheduleID, sessionID, timeslotID, tx.Now); err != nil {
			return err
		}
		if err := syncStatuses(ctx, tx, m.ID, m.ScheduleID, sessionID); err != nil {
			return err
		}
		return s.changedSession(ctx, tx, by, m, sess, "session_scheduled", fmt.Sprintf("Placed %s's session in %s, %s", sess.Group, t.Room, slotWhen(m, t)), why)
	})
}

// Unassign takes a session out of a timeslot of the official schedule;
// a session left in no slot is waiting for scheduling again.
func (s *Service) Unassign(ctx context.Context, by groups.Actor, number string, sessionID, timeslotID int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.Unassign(%q, %d, %d)", number, sessionID, timeslotID)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may place sessions on the agenda.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, sess, t, err := placing(ctx, tx, number, sessionID, timeslotID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM assignment WHERE schedule_id = $1 AND session_id = $2 AND timeslot_id = $3`, m.ScheduleID, sessionID, timeslotID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.New(fail.NotFound, "%s's session is not in the slot %s.", sess.Group, slotWhen(m, t))
		}
		if err := syncStatuses(ctx, tx, m.ID, m.ScheduleID, sessionID); err != nil {
			return err
		}
		return s.changedSession(ctx, tx, by, m, sess, "session_unscheduled", fmt.Sprintf("Took %s's session out of %s, %s", sess.Group, t.Room, slotWhen(m, t)), why)
	})
}

// placing loads what Assign and Unassign work on, in tx.
func placing(ctx context.Context, tx *db.Tx, number string, sessionID, timeslotID int64) (Meeting, Session, Timeslot, error) {
	m, err := get(ctx, tx, number)
	if err != nil {
		return m, Session{}, Timeslot{}, err
	}
	ss, err := db.Query(ctx, tx, scanSession, `SELECT `+sessionCols+sessionFrom+`WHERE s.id = $1 AND s.meeting_id = $2`, sessionID, m.ID)
	if err != nil {
		return m, Session{}, Timeslot{}, err
	}
	if len(ss) == 0 {
		return m, Session{}, Timeslot{}, fail.Field("session", "%s has no session %d.", m.Title(), sessionID)
	}
	t, err := scanSlot(tx.QueryRowContext(ctx, `SELECT `+slotCols+slotFrom+`WHERE t.meeting_id = $1 AND t.id = $2`, m.ID, timeslotID))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ss[0], t, fail.Field("timeslot", "%s has no timeslot %d.", m.Title(), timeslotID)
	}
	return m, ss[0], t, err
}

// changedSession records a change to a session once, on its group's
// record (so the group's history shows it, as the Datatracker's does),
// naming the meeting, and marks the meeting changed.
func (s *Service) changedSession(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, sess Session, kind, summary, why string) error {
	if err := touch(ctx, tx, m.ID); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "group", sess.Group, kind, summary+" at "+m.Title(), why)
}

// insertSession adds a session row.
func insertSession(ctx context.Context, tx *db.Tx, s Session) (int64, error) {
	var id int64
	var requested sql.NullTime
	if !s.Requested.IsZero() {
		requested = sql.NullTime{Time: s.Requested.UTC(), Valid: true}
	}
	if s.Purpose == "" {
		s.Purpose = "regular"
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, name, purpose, status, requested_duration, attendees,
		comments, agenda_note, remote_instructions, requested_by, requested, modified)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		s.MeetingID, s.GroupID, s.Name, s.Purpose, s.Status, int64(s.RequestedDuration/time.Second), s.Attendees,
		s.Comments, s.AgendaNote, s.RemoteInstructions, sql.NullInt64{Int64: s.RequestedByID, Valid: s.RequestedByID != 0}, requested, tx.Now).Scan(&id)
	return id, err
}
