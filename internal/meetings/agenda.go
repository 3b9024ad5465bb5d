package meetings

import (
	"context"

	"hum/internal/db"
)

// Item is a session in a timeslot of a schedule: one line of an agenda.
type Item struct {
	AssignmentID int64
	Pinned       bool // the scheduler leaves it where it is
	Session      Session
	Slot         Timeslot
}

// Placed lists the sessions a schedule places, by time and room. The
// official schedule's (Meeting.ScheduleID) is the agenda.
func (s *Service) Placed(ctx context.Context, scheduleID int64) ([]Item, error) {
	return s.placed(ctx, `x.schedule_id = $1`, scheduleID)
}

// PlacedFor lists the sessions of one group that a schedule places.
func (s *Service) PlacedFor(ctx context.Context, scheduleID, groupID int64) ([]Item, error) {
	return s.placed(ctx, `x.schedule_id = $1 AND s.group_id = $2`, scheduleID, groupID)
}

func (s *Service) placed(ctx context.Context, where string, args ...any) ([]Item, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (it Item, err error) {
		var secs int64
		it.Session, err = scanSessionInto(row, append([]any{&it.AssignmentID, &it.Pinned}, it.Slot.dest(&secs)...))
		it.Slot.done(secs)
		return it, err
	}, `SELECT x.id, x.pinned, `+slotCols+`, `+sessionCols+sessionFrom+`JOIN assignment x ON x.session_id = s.id
		JOIN timeslot t ON t.id = x.timeslot_id LEFT JOIN room r ON r.id = t.room_id
		WHERE `+where+` ORDER BY t.start, r.name, g.acronym`, args...)
}
