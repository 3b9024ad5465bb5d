package meetings

import (
	"context"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// WithdrawRequest withdraws g's request for a meeting: its sessions are
// deleted (and taken off every schedule) and its constraints dropped.
func (s *Service) WithdrawRequest(ctx context.Context, by groups.Actor, number, acronym, why string) (err error) {
	defer fail.Wrap(&err, "meetings.WithdrawRequest(%q, %q)", number, acronym)
	return s.endRequest(ctx, by, number, acronym, false, why)
}

// NotMeeting records that g will not meet at a meeting, withdrawing any
// request it made.
func (s *Service) NotMeeting(ctx context.Context, by groups.Actor, number, acronym, why string) (err error) {
	defer fail.Wrap(&err, "meetings.NotMeeting(%q, %q)", number, acronym)
	return s.endRequest(ctx, by, number, acronym, true, why)
}

func (s *Service) endRequest(ctx context.Context, by groups.Actor, number, acronym string, notMeeting bool, why string) error {
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return err
	}
	if err := requestable(by, g); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if err := requestOpen(by, m, g, tx.Now, time.Time{}); err != nil {
			return err
		}
		statuses, err := db.Query(ctx, tx, db.Scalar[string], `SELECT status FROM session WHERE meeting_id = $1 AND group_id = $2 AND status IN `+liveIn+` ORDER BY id`, m.ID, g.ID)
		if err != nil {
			return err
		}
		switch {
		case notMeeting && len(statuses) == 1 && statuses[0] == StatusNotMeeting:
			return fail.New(fail.Conflict, "%s has already said it will not meet at %s.", g.Acronym, m.Title())
		case !notMeeting && len(statuses) == 0:
			return fail.New(fail.NotFound, "%s has no session request at %s to withdraw.", g.Acronym, m.Title())
		}
		old, err := liveSessions(ctx, tx, m.ID, g.ID)
		if err != nil {
			return err
		}
		for _, id := range old {
			if err := dropSession(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session_constraint WHERE meeting_id = $1 AND source_id = $2`, m.ID, g.ID); err != nil {
			return err
		}
		if !notMeeting {
			return s.changedSession(ctx, tx, by, m, Session{Group: g.Acronym}, "session_request_withdrawn",
				fmt.Sprintf("Withdrew the request for %d session%s", len(old), plural(len(old))), why)
		}
		if _, err := insertSession(ctx, tx, Session{MeetingID: m.ID, GroupID: g.ID, Status: StatusNotMeeting, RequestedByID: by.ID, Requested: tx.Now}); err != nil {
			return err
		}
		return s.changedSession(ctx, tx, by, m, Session{Group: g.Acronym}, "session_not_meeting", "Said the group will not meet", why)
	})
}
