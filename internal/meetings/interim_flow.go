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

// Interim returns an interim with its sessions.
func (s *Service) Interim(ctx context.Context, number string) (InterimMeeting, error) {
	return interim(ctx, s.DB, number)
}

func interim(ctx context.Context, q db.Querier, number string) (it InterimMeeting, err error) {
	m, err := get(ctx, q, number)
	if err != nil {
		return it, err
	}
	return interimOf(ctx, q, m)
}

// interimOf loads the interim m is: its request and its sessions.
func interimOf(ctx context.Context, q db.Querier, m Meeting) (it InterimMeeting, err error) {
	if m.Type != Interim {
		return it, fail.New(fail.NotFound, "%s is not an interim.", m.Title())
	}
	it.Meeting = m
	var approved, announced, canceled sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT i.mode, COALESCE(rp.name, ''), COALESCE(ap.name, ''), i.approved, i.announced, i.canceled
		FROM interim i LEFT JOIN person_name rp ON rp.id = i.requested_by LEFT JOIN person_name ap ON ap.id = i.approved_by
		WHERE i.meeting_id = $1`, m.ID).Scan(&it.Mode, &it.RequestedBy, &it.ApprovedBy, &approved, &announced, &canceled)
	if errors.Is(err, sql.ErrNoRows) {
		it.Mode = Online // an imported interim without a request: the usual kind
	} else if err != nil {
		return it, err
	}
	it.Approved, it.Announced, it.Canceled = approved.Time, announced.Time, canceled.Time
	it.Sessions, err = db.Query(ctx, q, func(row db.Scanner) (x InterimSession, err error) {
		var secs int64
		var agenda sql.NullString
		var published sql.NullTime
		x.Session, err = scanSessionInto(row, append(x.Slot.dest(&secs), &agenda, &published))
		x.Slot.done(secs)
		x.Agenda, x.AgendaPublished = agenda.String, published.Time
		return x, err
	}, `SELECT `+slotCols+`, ia.agenda, ia.published, `+sessionCols+sessionFrom+`JOIN assignment x ON x.session_id = s.id
		JOIN timeslot t ON t.id = x.timeslot_id LEFT JOIN room r ON r.id = t.room_id LEFT JOIN interim_agenda ia ON ia.session_id = s.id
		WHERE x.schedule_id = $1 ORDER BY t.start, s.id`, m.ScheduleID)
	if len(it.Sessions) > 0 {
		it.Status = it.Sessions[0].Session.Status
	}
	return it, err
}

// InterimFilter selects interims; zero fields match everything.
type InterimFilter struct {
	Group   string   // acronym
	Status  []string // of their sessions
	EndFrom time.Time
	Limit   int
}

// Interims lists interims by date, soonest first.
func (s *Service) Interims(ctx context.Context, f InterimFilter) ([]InterimMeeting, error) {
	w := Filter{Type: Interim, Group: f.Group, EndFrom: f.EndFrom}.where()
	if len(f.Status) > 0 {
		w.Raw("EXISTS (SELECT 1 FROM session s WHERE s.meeting_id = m.id AND s.status IN " + w.In(f.Status) + ")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	ms, _, err := db.QueryPage(ctx, s.DB, db.Listing{Cols: meetingCols, From: meetingFrom, Where: w, Order: "m.date, m.number", Limit: limit}, scanMeeting)
	if err != nil {
		return nil, err
	}
	out := make([]InterimMeeting, 0, len(ms))
	for _, m := range ms {
		it, err := interimOf(ctx, s.DB, m)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// MayApprove reports whether by may approve or decline an interim of g:
// its responsible AD or the secretariat (R27).
func MayApprove(by groups.Actor, g groups.Group) bool { return by.AD(g) || by.Secretariat() }

// interimFor loads an interim and its group for a change, in tx.
func (s *Service) interimFor(ctx context.Context, tx *db.Tx, number string) (InterimMeeting, groups.Group, error) {
	it, err := interim(ctx, tx, number)
	if err != nil {
		return it, groups.Group{}, err
	}
	g, err := s.Groups.Get(ctx, it.Meeting.Group)
	return it, g, err
}

// ApproveInterim approves a hybrid or in-person interim that waits for
// approval, and announces it. Only the group's AD or the secretariat may
// (R27), and only while eight weeks' notice can still be given.
func (s *Service) ApproveInterim(ctx context.Context, by groups.Actor, number, why string) (err error) {
	defer fail.Wrap(&err, "meetings.ApproveInterim(%q)", number)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		it, g, err := s.interimFor(ctx, tx, number)
		if err != nil {
			return err
		}
		if !MayApprove(by, g) {
			return fail.Rule("R27", fail.Forbidden, "A %s interim is approved by the responsible AD of %s (or the secretariat).", strings.ToLower(it.ModeName()), g.Acronym)
		}
		if it.Status != StatusApprWait {
			return fail.New(fail.Conflict, "%s does not wait for approval; it is %s.", number, StatusNames[it.Status])
		}
		if err := checkNotice(it.Mode, it.Start(), tx.Now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE interim SET approved_by = $1, approved = $2 WHERE meeting_id = $3`, by.ID, tx.Now, it.Meeting.ID); err != nil {
			return err
		}
		return s.schedule(ctx, tx, by, it, g, why)
	})
}

// DeclineInterim turns down an interim that waits for approval; its
// requester is told why.
func (s *Service) DeclineInterim(ctx context.Context, by groups.Actor, number, why string) (err error) {
	defer fail.Wrap(&err, "meetings.DeclineInterim(%q)", number)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		it, g, err := s.interimFor(ctx, tx, number)
		if err != nil {
			return err
		}
		if !MayApprove(by, g) {
			return fail.Rule("R27", fail.Forbidden, "A %s interim is approved or declined by the responsible AD of %s (or the secretariat).", strings.ToLower(it.ModeName()), g.Acronym)
		}
		if it.Status != StatusApprWait {
			return fail.New(fail.Conflict, "%s does not wait for approval; it is %s.", number, StatusNames[it.Status])
		}
		if err := setInterimStatus(ctx, tx, it, "disappr"); err != nil {
			return err
		}
		if err := s.changedInterim(ctx, tx, by, it, "interim_declined", "Declined "+number, why); err != nil {
			return err
		}
		return s.tellDeclined(ctx, tx, it, g, by, why)
	})
}

// CancelInterim cancels an interim. One that was announced gets a
// cancellation announcement to the same addresses.
func (s *Service) CancelInterim(ctx context.Context, by groups.Actor, number, why string) (err error) {
	defer fail.Wrap(&err, "meetings.CancelInterim(%q)", number)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		it, g, err := s.interimFor(ctx, tx, number)
		if err != nil {
			return err
		}
		if !by.LeadsGroup(g.ID) && !MayApprove(by, g) {
			return fail.New(fail.Forbidden, "Only the chairs of %s, its AD or the secretariat may cancel its interim.", g.Acronym)
		}
		switch it.Status {
		case StatusCanceled, "canceledpa", "disappr":
			return fail.New(fail.Conflict, "%s is already %s.", number, strings.ToLower(StatusNames[it.Status]))
		}
		if !it.Meeting.End().After(tx.Now) {
			return fail.New(fail.Conflict, "%s is over; it can no longer be cancelled.", number)
		}
		status := "canceledpa" // Cancelled - Pre Announcement
		if !it.Announced.IsZero() {
			status = StatusCanceled
		}
		if err := setInterimStatus(ctx, tx, it, status); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE interim SET canceled = $1 WHERE meeting_id = $2`, tx.Now, it.Meeting.ID); err != nil {
			return err
		}
		if err := s.changedInterim(ctx, tx, by, it, "interim_canceled", "Cancelled "+number, why); err != nil {
			return err
		}
		if it.Announced.IsZero() {
			return nil
		}
		return s.announceCancel(ctx, tx, it, g, why)
	})
}

// SetInterimAgenda publishes or replaces the agenda of one of an
// interim's sessions. An online interim's agenda is published at least a
// week ahead (R26); after that only the secretariat may still post it.
func (s *Service) SetInterimAgenda(ctx context.Context, by groups.Actor, number string, sessionID int64, agenda, why string) (err error) {
	defer fail.Wrap(&err, "meetings.SetInterimAgenda(%q, %d)", number, sessionID)
	agenda = strings.TrimSpace(agenda)
	if agenda == "" || len(agenda) > 100_000 {
		return fail.Field("agenda", "An agenda has some text and at most 100,000 characters.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		it, g, err := s.interimFor(ctx, tx, number)
		if err != nil {
			return err
		}
		if !by.LeadsGroup(g.ID) && !MayApprove(by, g) {
			return fail.New(fail.Forbidden, "Only the chairs of %s, its AD or the secretariat may post its agendas.", g.Acronym)
		}
		var x *InterimSession
		for i := range it.Sessions {
			if it.Sessions[i].Session.ID == sessionID {
				x = &it.Sessions[i]
			}
		}
		if x == nil {
			return fail.Field("session", "%s has no session %d.", number, sessionID)
		}
		if it.Mode == Online && x.Slot.Start.Sub(tx.Now) < AgendaNotice && !by.Secretariat() {
			return fail.Rule("R26", fail.Invalid, "An online interim's agenda is published at least a week before the session; this session starts %s, so the last day was %s. Ask the secretariat to post it.",
				x.Slot.Start.In(it.Meeting.Location).Format("2006-01-02 15:04 MST"), x.Slot.Start.Add(-AgendaNotice).In(it.Meeting.Location).Format(time.DateOnly))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM interim_agenda WHERE session_id = $1`, sessionID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO interim_agenda (session_id, agenda, published) VALUES ($1, $2, $3)`, sessionID, agenda, tx.Now); err != nil {
			return err
		}
		return s.changedInterim(ctx, tx, by, it, "interim_agenda", fmt.Sprintf("Published the agenda of %s's session of %s", g.Acronym, x.Slot.Start.In(it.Meeting.Location).Format("2006-01-02 15:04 MST")), why)
	})
}

// schedule marks an approved interim scheduled and announces it.
func (s *Service) schedule(ctx context.Context, tx *db.Tx, by groups.Actor, it InterimMeeting, g groups.Group, why string) error {
	if err := setInterimStatus(ctx, tx, it, StatusScheduled); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE interim SET announced = $1 WHERE meeting_id = $2`, tx.Now, it.Meeting.ID); err != nil {
		return err
	}
	if err := s.changedInterim(ctx, tx, by, it, "interim_scheduled", "Scheduled and announced "+it.Meeting.Number, why); err != nil {
		return err
	}
	return s.announce(ctx, tx, it, g)
}

func setInterimStatus(ctx context.Context, tx *db.Tx, it InterimMeeting, status string) error {
	_, err := tx.ExecContext(ctx, `UPDATE session SET status = $1, modified = $2 WHERE meeting_id = $3`, status, tx.Now, it.Meeting.ID)
	return err
}

// changedInterim records a change to an interim on its group's record,
// where the group's history shows it, and marks the meeting changed.
func (s *Service) changedInterim(ctx context.Context, tx *db.Tx, by groups.Actor, it InterimMeeting, kind, summary, why string) error {
	if err := touch(ctx, tx, it.Meeting.ID); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "group", it.Meeting.Group, kind, summary, why)
}
