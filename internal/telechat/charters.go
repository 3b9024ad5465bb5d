package telechat

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// CharterEntry is a charter on the agenda (section 4) with its ballot.
type CharterEntry struct {
	Charter charters.Charter
	Ballot  charters.Ballot
}

// CharterSection is where a charter goes on the agenda, as the
// Datatracker's agenda_sections has it: WG creation (4.1) for a proposed
// group or a BOF, rechartering (4.2) for a chartered one; in internal
// review it is up for IETF review (.1), after that for approval (.2).
func CharterSection(c charters.Charter) string {
	s := "4.2"
	if c.Group.State == "proposed" || c.Group.State == "bof" {
		s = "4.1"
	}
	if c.State == charters.Internal {
		return s + ".1"
	}
	return s + ".2"
}

// PlaceCharter puts a charter under IESG review on a telechat's agenda,
// moves it, or (a zero date) takes it off; only an AD of the group's area
// and the secretariat may (R42).
func (s *Service) PlaceCharter(ctx context.Context, name string, by groups.Actor, date time.Time, why string) (err error) {
	defer fail.Wrap(&err, "telechat.PlaceCharter(%q, %s)", name, date.Format(day))
	if s.Charters == nil {
		return fail.New(fail.NotFound, "Charters are not kept here.")
	}
	c, err := s.Charters.Get(ctx, name)
	if err != nil {
		return err
	}
	if !by.AD(c.Group) && !by.Secretariat() {
		return fail.Rule("R42", fail.Forbidden, "Only the ADs of %s's area or the secretariat put its charter on an IESG telechat.", c.Group.Acronym)
	}
	if !date.IsZero() {
		if !c.UnderIESGReview() {
			return fail.New(fail.Conflict, "%s is in %s: a charter goes on a telechat while the IESG reviews it (internal review, external review, IESG review).", c.Name, charters.StateName(c.State))
		}
		if err := s.checkDate(ctx, date); err != nil {
			return err
		}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		prev, err := charterPlacement(ctx, tx, c.Group.ID)
		if err != nil {
			return err
		}
		if prev == dateString(date) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO telechat_charter (group_id, date, by_id, at) VALUES ($1, $2, $3, $4)`,
			c.Group.ID, dateString(date), db.NullID(by.ID), tx.Now); err != nil {
			return err
		}
		summary := "Removed from agenda for telechat"
		switch {
		case date.IsZero():
		case prev == "":
			summary = "Placed on agenda for telechat - " + date.Format(day)
		default:
			summary = "Telechat date has been changed to " + date.Format(day) + " from " + prev
		}
		return record.Add(ctx, tx, by.Actor, "doc", c.Name, "telechat", summary, why)
	})
}

// checkDate refuses a date that is over or is no telechat.
func (s *Service) checkDate(ctx context.Context, date time.Time) error {
	if date.Before(today(s.DB.Now())) {
		return fail.Field("date", "The %s telechat is over; choose one to come.", date.Format(day))
	}
	if ok, err := s.IsDate(ctx, date); err != nil {
		return err
	} else if !ok {
		return fail.Field("date", "%s is not an IESG telechat date; the secretariat sets them at /iesg/telechat-dates/.", date.Format(day))
	}
	return nil
}

// CharterPlacement is the date of the telechat a group's charter was
// last placed on; zero when it is on none.
func (s *Service) CharterPlacement(ctx context.Context, groupID int64) (time.Time, error) {
	d, err := charterPlacement(ctx, s.DB, groupID)
	return dateOf(d), err
}

func charterPlacement(ctx context.Context, q db.Querier, groupID int64) (string, error) {
	var d string
	err := q.QueryRowContext(ctx, `SELECT date FROM telechat_charter WHERE group_id = $1 ORDER BY id DESC LIMIT 1`, groupID).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return d, err
}

// chartersOn lists the charters whose newest placement is on telechat
// t, with their ballots, by name.
func (s *Service) chartersOn(ctx context.Context, t time.Time) ([]CharterEntry, error) {
	if s.Charters == nil {
		return nil, nil
	}
	names, err := db.Query(ctx, s.DB, db.Scalar[string], `SELECT CASE WHEN g.type = 'rg' THEN 'charter-irtf-' ELSE 'charter-ietf-' END || g.acronym
		FROM telechat_charter t JOIN grp g ON g.id = t.group_id
		WHERE t.date = $1 AND t.id = (SELECT MAX(x.id) FROM telechat_charter x WHERE x.group_id = t.group_id)
		ORDER BY g.acronym`, t.Format(day))
	if err != nil {
		return nil, err
	}
	out := make([]CharterEntry, 0, len(names))
	for _, n := range names {
		c, b, err := s.Charters.Ballot(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, CharterEntry{Charter: c, Ballot: b})
	}
	return out, nil
}
