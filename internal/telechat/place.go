package telechat

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Placement is where a document is on the telechat agendas.
type Placement struct {
	Date      time.Time // zero: on no agenda
	Returning bool      // it was on the agenda of the telechat it was last placed on, under the same ballot (returningItem)
	At        time.Time // when it was placed
}

// On reports whether the placement is on an agenda.
func (p Placement) On() bool { return !p.Date.IsZero() }

// onIESGAgenda: the IESG states a document may be on a telechat in, which
// are those of IESG processing (Publication Requested to RFC Ed Queue).
func onIESGAgenda(st string) bool {
	return st != "" && st != "dead" && st != "pub"
}

// Place puts a document on a telechat's agenda, moves it to another, or
// (a zero date) takes it off, as the Datatracker's telechat date form
// does; only its responsible AD and the secretariat may (R42). A document
// that was on the previous telechat's agenda under its current ballot
// comes back as a returning item (returningItem).
func (s *Service) Place(ctx context.Context, name string, by groups.Actor, date time.Time, why string) (err error) {
	defer fail.Wrap(&err, "telechat.Place(%q, %s)", name, date.Format(day))
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return err
	}
	if d.Type != "draft" || d.IsRFC() {
		return fail.New(fail.Conflict, "%s is not an Internet-Draft in IESG processing: only drafts are placed on telechats here.", d.Name)
	}
	if ok, err := s.Docs.Responsible(ctx, d.Name, by); err != nil {
		return err
	} else if !ok {
		who := "the ADs of its area"
		if d.AD != "" {
			who = d.AD
		}
		return fail.Rule("R42", fail.Forbidden, "Only the responsible AD of %s (%s) or the secretariat put it on an IESG telechat.", d.Name, who)
	}
	if !date.IsZero() && !onIESGAgenda(d.IESGState) {
		return fail.New(fail.Conflict, "%s is in %s: a document goes on a telechat once publication is requested, and leaves it when it is published or dead.", d.Name, docs.IESGStateName(d.IESGState))
	}
	if !date.IsZero() {
		if err := s.checkDate(ctx, date); err != nil {
			return err
		}
	}
	var ballotOpened *time.Time // the latest ballot's, open or closed
	if b, err := s.Docs.Ballot(ctx, d.Name); err != nil {
		return err
	} else if b.Exists {
		ballotOpened = &b.Opened
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		prev, err := s.placement(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if prev.Date.Equal(date) {
			return nil
		}
		returning := returningItem(prev, date, today(tx.Now), ballotOpened)
		if _, err := tx.ExecContext(ctx, `INSERT INTO telechat_doc (doc_id, date, returning_item, by_id, at) VALUES ($1, $2, $3, $4, $5)`,
			d.ID, dateString(date), returning, db.NullID(by.ID), tx.Now); err != nil {
			return err
		}
		var summary string
		switch {
		case date.IsZero():
			summary = "Removed from agenda for telechat"
		case !prev.On():
			summary = "Placed on agenda for telechat - " + date.Format(day)
		default:
			summary = "Telechat date has been changed to " + date.Format(day) + " from " + prev.Date.Format(day)
		}
		if returning && !date.IsZero() {
			summary += " (returning item)"
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "telechat", summary, why)
	})
}

// returningItem is the Datatracker's rule (ietf/doc/utils.py,
// update_telechat): a document keeps the returning flag of its previous
// placement, and becomes a returning item when it moves to another
// telechat from the one it was last placed on, that telechat is over (so
// it was on that agenda), and the ballot it had then is the one it has
// now (has_same_ballot: no ballot then and now, or the latest ballot
// opened by the end of that day).
func returningItem(prev Placement, to, today time.Time, ballotOpened *time.Time) bool {
	if to.IsZero() || !prev.On() || to.Equal(prev.Date) || !prev.Date.Before(today) {
		return prev.Returning
	}
	sameBallot := ballotOpened == nil || ballotOpened.Before(prev.Date.AddDate(0, 0, 1))
	return sameBallot || prev.Returning
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(day)
}

// PlacementOf is where the document is now. A placement on a telechat
// that is over no longer counts: the document is on no agenda until its
// AD places it again (the Datatracker's telechat_date()).
func (s *Service) PlacementOf(ctx context.Context, docID int64) (Placement, error) {
	p, err := s.placement(ctx, s.DB, docID)
	if err != nil || !p.On() || !p.Date.Before(today(s.DB.Now())) {
		return p, err
	}
	return Placement{}, nil
}

// LatestPlacement is the document's newest placement, even on a telechat
// that is over: a page that is not redrawn each day shows it as history.
func (s *Service) LatestPlacement(ctx context.Context, docID int64) (Placement, error) {
	return s.placement(ctx, s.DB, docID)
}

func (s *Service) placement(ctx context.Context, q db.Querier, docID int64) (Placement, error) {
	var p Placement
	var date string
	err := q.QueryRowContext(ctx, `SELECT date, returning_item, at FROM telechat_doc WHERE doc_id = $1 ORDER BY id DESC LIMIT 1`, docID).
		Scan(&date, &p.Returning, &p.At)
	if errors.Is(err, sql.ErrNoRows) {
		return Placement{}, nil
	}
	p.Date = dateOf(date)
	return p, err
}

type placed struct {
	id        int64
	name      string
	date      string
	returning bool
}

// placedOn lists the documents whose newest placement is on one of the
// telechats of ts.
func (s *Service) placedOn(ctx context.Context, q db.Querier, ts ...time.Time) ([]placed, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	args := []any{}
	in := ""
	for i, t := range ts {
		if i > 0 {
			in += ", "
		}
		args = append(args, t.Format(day))
		in += "$" + strconv.Itoa(len(args))
	}
	return db.Query(ctx, q, func(row db.Scanner) (placed, error) {
		var p placed
		err := row.Scan(&p.id, &p.name, &p.date, &p.returning)
		return p, err
	}, `SELECT d.id, d.name, t.date, t.returning_item FROM telechat_doc t JOIN doc d ON d.id = t.doc_id
		WHERE t.date IN (`+in+`) AND t.id = (SELECT MAX(x.id) FROM telechat_doc x WHERE x.doc_id = t.doc_id)
		ORDER BY t.date, d.name`, args...)
}
