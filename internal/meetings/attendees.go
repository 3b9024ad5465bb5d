package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Attendees are a meeting's registrations, as its public list shows them.
type Attendees struct {
	List           []Registration
	Total          int // all registrations, whatever the page
	Onsite, Remote int
	CheckedIn      int
	Limit, Offset  int
}

// AttendeeFilter selects registrations of a meeting.
type AttendeeFilter struct {
	Type   string // Onsite, Remote or "" for both
	Limit  int    // 0: all
	Offset int
}

// Attendees lists a meeting's registrations by name, with the counts
// the Datatracker shows above its list.
func (s *Service) Attendees(ctx context.Context, number string, f AttendeeFilter) (a Attendees, err error) {
	defer fail.Wrap(&err, "meetings.Attendees(%q)", number)
	m, err := get(ctx, s.DB, number)
	if err != nil {
		return a, err
	}
	err = s.DB.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN attendance_type = 'onsite' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN attendance_type = 'remote' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN checkedin THEN 1 ELSE 0 END), 0)
		FROM registration WHERE meeting_id = $1`, m.ID).Scan(&a.Total, &a.Onsite, &a.Remote, &a.CheckedIn)
	if err != nil {
		return a, err
	}
	var w db.Where
	w.Add("r.meeting_id = $?", m.ID)
	if f.Type != "" {
		w.Add("r.attendance_type = $?", f.Type)
	}
	a.List, _, err = db.QueryPage(ctx, s.DB, db.Listing{Cols: regCols, From: regFrom, Where: w, Order: "r.name, r.id", Limit: f.Limit, Offset: f.Offset}, scanReg)
	a.Limit, a.Offset = f.Limit, f.Offset
	return a, err
}

// RegistrationOf returns a person's registration for a meeting, made
// under any of their addresses, and whether there is one.
func (s *Service) RegistrationOf(ctx context.Context, number string, personID int64) (Registration, bool, error) {
	m, err := get(ctx, s.DB, number)
	if err != nil || personID == 0 {
		return Registration{}, false, err
	}
	r, err := s.ownRegistration(ctx, s.DB, m.ID, personID)
	return r, r.ID != 0, err
}

// CheckIn marks an onsite attendee as arrived (or not, to undo a
// mistake). Only the secretariat may.
func (s *Service) CheckIn(ctx context.Context, by groups.Actor, number string, regID int64, in bool, why string) (err error) {
	defer fail.Wrap(&err, "meetings.CheckIn(%q, %d)", number, regID)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat checks attendees in.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		r, err := scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.meeting_id = $1 AND r.id = $2`, m.ID, regID))
		if errors.Is(err, sql.ErrNoRows) {
			return fail.Field("registration", "%s has no registration %d.", m.Title(), regID)
		} else if err != nil {
			return err
		}
		if r.Type != Onsite {
			return fail.Field("registration", "%s registered to attend remotely; only onsite attendees are checked in.", r.Name)
		}
		if r.CheckedIn == in {
			if in {
				return fail.New(fail.Conflict, "%s is already checked in.", r.Name)
			}
			return fail.New(fail.Conflict, "%s is not checked in.", r.Name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registration SET checkedin = $1, modified = $2 WHERE id = $3`, in, tx.Now, r.ID); err != nil {
			return err
		}
		kind, summary := "checked_in", fmt.Sprintf("Checked %s in at %s", r.Name, m.Title())
		if !in {
			kind, summary = "checked_out", fmt.Sprintf("Undid %s's check-in at %s", r.Name, m.Title())
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, kind, summary, why)
	})
}
