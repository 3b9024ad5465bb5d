package meetings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// PinSession pins a session where a schedule places it (pinned true), so
// that the scheduler, run again from this schedule, leaves it there; or
// unpins it.
func (s *Service) PinSession(ctx context.Context, by groups.Actor, number, name string, sessionID int64, pinned bool, why string) (err error) {
	defer fail.Wrap(&err, "meetings.PinSession(%q, %q, %d, %v)", number, name, sessionID, pinned)
	return s.editSchedule(ctx, by, number, name, func(tx *db.Tx, m Meeting, sc Schedule) error {
		sess, err := sessionOf(ctx, tx, m, sessionID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE assignment SET pinned = $1, modified = $2 WHERE schedule_id = $3 AND session_id = $4`,
			pinned, tx.Now, sc.ID, sessionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.Field("session", "The schedule %q does not place %s's session %d; only a placed session can be pinned.", sc.Name, sess.Group, sessionID)
		}
		kind, verb := "schedule_pinned", "Pinned"
		if !pinned {
			kind, verb = "schedule_unpinned", "Unpinned"
		}
		return s.changed(ctx, tx, by, m, kind, fmt.Sprintf("%s %s's session %d in schedule %q", verb, sess.Group, sessionID, sc.Name), why)
	})
}

// MoveSession places a session of a schedule in the given timeslots
// instead of where it was (none: it is left unplaced). A pinned session
// stays pinned where it goes. The slots must be the meeting's, in rooms,
// and held by no other session of the schedule.
func (s *Service) MoveSession(ctx context.Context, by groups.Actor, number, name string, sessionID int64, timeslots []int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.MoveSession(%q, %q, %d, %v)", number, name, sessionID, timeslots)
	return s.editSchedule(ctx, by, number, name, func(tx *db.Tx, m Meeting, sc Schedule) error {
		sess, err := sessionOf(ctx, tx, m, sessionID)
		if err != nil {
			return err
		}
		as := make([]Assignment, len(timeslots))
		for i, t := range timeslots {
			as[i] = Assignment{SessionID: sessionID, TimeslotID: t}
		}
		if err := checkAssignments(ctx, tx, m, as); err != nil {
			return err
		}
		others, err := db.Query(ctx, tx, func(row db.Scanner) (a Assignment, err error) {
			err = row.Scan(&a.SessionID, &a.TimeslotID, &a.Pinned)
			return a, err
		}, `SELECT session_id, timeslot_id, pinned FROM assignment WHERE schedule_id = $1`, sc.ID)
		if err != nil {
			return err
		}
		pinned := false
		for _, o := range others {
			if o.SessionID == sessionID {
				pinned = pinned || o.Pinned
			} else if slices.Contains(timeslots, o.TimeslotID) {
				t, err := slotOf(ctx, tx, m.ID, o.TimeslotID, m.Title())
				if err != nil {
					return err
				}
				return fail.New(fail.Conflict, "The slot %s in %s already holds session %d in schedule %q.", slotWhen(m, t), t.Room, o.SessionID, sc.Name)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignment WHERE schedule_id = $1 AND session_id = $2`, sc.ID, sessionID); err != nil {
			return err
		}
		var where []string
		for _, id := range timeslots {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignment (schedule_id, session_id, timeslot_id, pinned, modified) VALUES ($1, $2, $3, $4, $5)`,
				sc.ID, sessionID, id, pinned, tx.Now); err != nil {
				return err
			}
			t, err := slotOf(ctx, tx, m.ID, id, m.Title())
			if err != nil {
				return err
			}
			where = append(where, t.Room+", "+slotWhen(m, t))
		}
		if sc.Official {
			if err := syncStatuses(ctx, tx, m.ID, sc.ID, sessionID); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("Took %s's session %d out of schedule %q", sess.Group, sessionID, sc.Name)
		if len(where) > 0 {
			summary = fmt.Sprintf("Moved %s's session %d in schedule %q to %s", sess.Group, sessionID, sc.Name, strings.Join(where, " and "))
		}
		return s.changed(ctx, tx, by, m, "schedule_session_moved", summary, why)
	})
}

// SetBadness records what a schedule costs now.
func (s *Service) SetBadness(ctx context.Context, by groups.Actor, number, name string, badness int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.SetBadness(%q, %q, %d)", number, name, badness)
	return s.editSchedule(ctx, by, number, name, func(tx *db.Tx, m Meeting, sc Schedule) error {
		if sc.Badness != nil && *sc.Badness == badness {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedule SET badness = $1 WHERE id = $2`, badness, sc.ID); err != nil {
			return err
		}
		return s.changed(ctx, tx, by, m, "schedule_scored", fmt.Sprintf("Schedule %q costs %d", name, badness), why)
	})
}

// MakeOfficial makes a schedule the meeting's official one: the agenda
// shows it from now on. Session statuses follow it, as they follow
// Assign: the sessions it places are scheduled, scheduled sessions it
// leaves out wait for scheduling again.
func (s *Service) MakeOfficial(ctx context.Context, by groups.Actor, number, name, why string) (err error) {
	defer fail.Wrap(&err, "meetings.MakeOfficial(%q, %q)", number, name)
	return s.editSchedule(ctx, by, number, name, func(tx *db.Tx, m Meeting, sc Schedule) error {
		if sc.Official {
			return nil
		}
		was, err := db.Scalar[string](tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM schedule WHERE id = $1), '')`, m.ScheduleID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meeting SET schedule_id = $1 WHERE id = $2`, sc.ID, m.ID); err != nil {
			return err
		}
		if err := syncStatuses(ctx, tx, m.ID, sc.ID, 0); err != nil {
			return err
		}
		return s.changed(ctx, tx, by, m, "schedule_official", fmt.Sprintf("Made schedule %q the official schedule (it was %q)", name, was), why)
	})
}

// editSchedule runs f in a transaction on a meeting's schedule, for the
// secretariat only: only the secretariat changes schedules.
func (s *Service) editSchedule(ctx context.Context, by groups.Actor, number, name string, f func(tx *db.Tx, m Meeting, sc Schedule) error) error {
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may change schedules.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		sc, err := scheduleOf(ctx, tx, m, name)
		if err != nil {
			return err
		}
		return f(tx, m, sc)
	})
}

// sessionOf loads, in tx, one of a meeting's sessions.
func sessionOf(ctx context.Context, tx *db.Tx, m Meeting, sessionID int64) (Session, error) {
	ss, err := db.Query(ctx, tx, scanSession, `SELECT `+sessionCols+sessionFrom+`WHERE s.id = $1 AND s.meeting_id = $2`, sessionID, m.ID)
	if err != nil {
		return Session{}, err
	}
	if len(ss) == 0 {
		return Session{}, fail.Field("session", "%s has no session %d.", m.Title(), sessionID)
	}
	return ss[0], nil
}
