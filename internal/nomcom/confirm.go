package nomcom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/jobs"
	"hum/internal/record"
)

// Kinds of comment on a nominee.
const (
	Feedback     = "feedback"     // from anyone logged in
	Deliberation = "deliberation" // from the NomCom's members
)

// Comment is feedback on a nominee, or a deliberation about them: read
// only by the NomCom's members and chair.
type Comment struct {
	ID           int64
	NominationID int64
	Nominee      string
	Position     string
	Kind         string
	Author       string
	Body         string
	Created      time.Time
}

const maxComment = 20000

// Comment records feedback on a nominee (anyone logged in), or a
// deliberation (a member of the NomCom). Neither is ever shown outside
// the NomCom, nor announced; the record notes only that one was given.
func (s *Service) Comment(ctx context.Context, by groups.Actor, year int, nominationID int64, kind, body string) (err error) {
	defer fail.Wrap(&err, "nomcom.Comment(%d, %d, %q)", year, nominationID, kind)
	if err := loggedIn(by, "comment on a nominee"); err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return fail.Field("body", "Write something.")
	}
	if !utf8.ValidString(body) || utf8.RuneCountInString(body) > maxComment {
		return fail.Field("body", "Keep it to %d characters of text.", maxComment)
	}
	n, err := s.Get(ctx, year)
	if err != nil {
		return err
	}
	switch kind {
	case Feedback:
	case Deliberation:
		if !n.Insider(by) {
			return fail.New(fail.Forbidden, "Only the members of NomCom %d deliberate.", year)
		}
	default:
		return fail.Field("kind", "%q is not a kind of comment.", kind)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, p, err := s.nomination(ctx, tx, year, nominationID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomcom_comment (nomination_id, author_id, kind, body, created) VALUES ($1, $2, $3, $4, $5)`,
			m.ID, by.ID, kind, body, tx.Now); err != nil {
			return err
		}
		// The record says that a comment was given, not by whom nor what:
		// feedback is confidential to the NomCom (RFC 8713 §3.7).
		return record.Add(ctx, tx, record.System, "nomcom", n.Subject(), "nomcom_"+kind, fmt.Sprintf("A %s on a nominee for %s was received", kind, p.Name), "")
	})
}

// Comments are the feedback and deliberations of a NomCom, for its
// members and chair only; anyone else is refused.
func (s *Service) Comments(ctx context.Context, by groups.Actor, year int) ([]Comment, error) {
	n, err := s.Get(ctx, year)
	if err != nil {
		return nil, err
	}
	if !n.Insider(by) {
		if by.ID == 0 {
			return nil, fail.New(fail.Unauthorized, "Feedback and deliberations are read by the members of NomCom %d only; log in.", year)
		}
		return nil, fail.New(fail.Forbidden, "Feedback and deliberations are read by the members of NomCom %d only.", year)
	}
	return db.Query(ctx, s.DB, func(row db.Scanner) (c Comment, err error) {
		err = row.Scan(&c.ID, &c.NominationID, &c.Nominee, &c.Position, &c.Kind, &c.Author, &c.Body, &c.Created)
		return c, err
	}, `SELECT c.id, c.nomination_id, np.name, p.name, c.kind, a.name, c.body, c.created FROM nomcom_comment c
		JOIN nomcom_nomination m ON m.id = c.nomination_id JOIN nomcom_position p ON p.id = m.position_id
		JOIN nomcom n ON n.id = p.nomcom_id JOIN person_name np ON np.id = m.person_id JOIN person_name a ON a.id = c.author_id
		WHERE n.year = $1 ORDER BY p.name, LOWER(np.name), c.id`, year)
}

// Choose records the NomCom's selection for a position, as its chair,
// and sends it to the confirming body: a nominee who accepted.
func (s *Service) Choose(ctx context.Context, by groups.Actor, year int, positionID, nominationID int64, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.Choose(%d, %d)", year, positionID)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := s.mayRun(n, by); err != nil {
			return err
		}
		m, p, err := s.nomination(ctx, tx, year, nominationID)
		if err != nil {
			return err
		}
		if p.ID != positionID {
			return fail.New(fail.NotFound, "Nomination %d is not for %s.", nominationID, p.Name)
		}
		if p.ChosenID != 0 {
			return fail.New(fail.Conflict, "The NomCom already chose %s for %s.", p.Chosen, p.Name)
		}
		if m.State != Accepted {
			return fail.New(fail.Conflict, "%s has not accepted the nomination for %s.", m.Name, p.Name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomcom_position SET chosen_id = $1, chosen = $2 WHERE id = $3 AND chosen_id IS NULL`, m.PersonID, tx.Now, p.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_chosen",
			fmt.Sprintf("%s chosen for %s; sent to %s for confirmation", m.Name, p.Name, p.ConfirmerName()), why)
	})
}

// MayConfirm reports whether by may record the confirmation of p: a
// member or the chair of the confirming body, or the secretariat on its
// behalf; never the IETF Chair for the IESG's members, whom the IAB
// confirms without them (R43).
func MayConfirm(p Position, by groups.Actor) bool {
	if by.Secretariat() {
		return true
	}
	if p.Confirmer() == "iab" && by.IETFChair() {
		return false
	}
	return by.Member(p.Confirmer())
}

// Confirm records that the confirming body confirmed the NomCom's choice
// for a position, and the day the term starts: the role is granted
// then (Seat), citing this confirmation. It is announced on
// ietf-announce.
func (s *Service) Confirm(ctx context.Context, by groups.Actor, year int, positionID int64, start, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.Confirm(%d, %d)", year, positionID)
	starts, perr := time.Parse(time.DateOnly, strings.TrimSpace(start))
	if perr != nil {
		return fail.Field("start", "Write the day the term starts as YYYY-MM-DD, not %q.", start)
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		p, err := s.position(ctx, tx, year, positionID)
		if err != nil {
			return err
		}
		if !MayConfirm(p, by) {
			switch {
			case by.ID == 0:
				return fail.New(fail.Unauthorized, "Log in to record a confirmation.")
			case p.Confirmer() == "iab" && by.IETFChair():
				return fail.Rule("R43", fail.Forbidden, "The IETF Chair takes no part in the IAB's confirmation of IESG members.")
			}
			return fail.New(fail.Forbidden, "%s confirms the NomCom's choice for %s; only its members (or the secretariat for them) record it.", capital(p.ConfirmerName()), p.Name)
		}
		if p.ChosenID == 0 {
			return fail.New(fail.Conflict, "The NomCom has not chosen anyone for %s.", p.Name)
		}
		if !p.Confirmed.IsZero() {
			return fail.New(fail.Conflict, "%s was confirmed for %s on %s.", p.Chosen, p.Name, p.Confirmed.Format(time.DateOnly))
		}
		if starts.Before(tx.Now.UTC().Truncate(24 * time.Hour)) {
			return fail.Field("start", "The term cannot start in the past (%s).", starts.Format(time.DateOnly))
		}
		summary := fmt.Sprintf("%s confirmed %s as %s, from %s", capital(p.ConfirmerName()), p.Chosen, p.Name, starts.Format(time.DateOnly))
		eventID, err := record.AddID(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_confirmed", summary, why)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomcom_position SET confirmed = $1, confirmed_by = $2, confirm_event = $3, start_date = $4 WHERE id = $5 AND confirmed IS NULL`,
			tx.Now, db.NullID(by.ID), eventID, starts.Format(time.DateOnly), p.ID); err != nil {
			return err
		}
		body := fmt.Sprintf("%s.\n\nThe %d NomCom selected %s for %s; %s confirmed the\nselection. The term starts on %s.\n\n%s\n",
			summary, year, p.Chosen, p.Name, p.ConfirmerName(), starts.Format(time.DateOnly), s.URL(year, fmt.Sprintf("positions/%d/", p.ID)))
		return s.announce(ctx, tx, year, fmt.Sprintf("NomCom %d: %s confirmed as %s", year, p.Chosen, p.Name), body)
	})
	if err != nil {
		return err
	}
	_, err = s.Seat(ctx)
	return err
}

// Jobs is the NomCom's periodic work: seating the confirmed on their
// start day.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "nomcom seating", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := s.Seat(ctx)
		return err
	}}}
}

// Seat grants the role of each confirmed position whose term has
// started, citing the confirmation's event, and ends the incumbent's
// if they were not reappointed; the seating is an event on the
// NomCom's record (nomcom_seated), citing it too. Each position is seated once, in a
// transaction that first marks it seated, so several processes may run
// it. It returns how many it seated.
func (s *Service) Seat(ctx context.Context) (seated int, err error) {
	defer fail.Wrap(&err, "nomcom.Seat")
	today := s.DB.Now().UTC().Format(time.DateOnly)
	due, err := db.Query(ctx, s.DB, func(row db.Scanner) (d [2]int64, err error) {
		err = row.Scan(&d[0], &d[1])
		return d, err
	}, `SELECT n.year, p.id FROM nomcom_position p JOIN nomcom n ON n.id = p.nomcom_id
		WHERE p.confirmed IS NOT NULL AND p.seated IS NULL AND p.start_date <= $1 ORDER BY p.id`, today)
	if err != nil {
		return 0, err
	}
	op := groups.Operator(record.System)
	for _, d := range due {
		err := s.DB.Write(ctx, func(tx *db.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE nomcom_position SET seated = $1 WHERE id = $2 AND seated IS NULL`, tx.Now, d[1])
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k != 1 {
				return err // another process seated it
			}
			p, err := s.position(ctx, tx, int(d[0]), d[1])
			if err != nil {
				return err
			}
			why := fmt.Sprintf("Selected by NomCom %d for %s and confirmed by %s on %s (%s/event/%d/)",
				p.Year, p.Name, p.ConfirmerName(), p.Confirmed.UTC().Format(time.DateOnly), s.BaseURL, p.EventID)
			gctx := db.WithTx(ctx, tx)
			var holds int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role WHERE group_id = $1 AND person_id = $2 AND name = $3`, p.GroupID, p.ChosenID, p.Role).Scan(&holds); err != nil {
				return err
			}
			if holds == 0 {
				email, err := primaryEmail(ctx, tx, p.ChosenID)
				if err != nil {
					return err
				}
				if err := s.Groups.Grant(gctx, op, p.Acronym, p.Role, p.ChosenID, email, why); err != nil {
					return err
				}
			}
			if p.IncumbentID != 0 && p.IncumbentID != p.ChosenID {
				var roleID int64
				err := tx.QueryRowContext(ctx, `SELECT id FROM role WHERE group_id = $1 AND person_id = $2 AND name = $3`, p.GroupID, p.IncumbentID, p.Role).Scan(&roleID)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				if err == nil {
					if err := s.Groups.Revoke(gctx, op, roleID, fmt.Sprintf("Term ended: %s succeeds as %s. %s", p.Chosen, p.Name, why)); err != nil {
						return err
					}
				}
			}
			if err := record.Add(ctx, tx, record.System, "nomcom", strconv.Itoa(p.Year), "nomcom_seated",
				fmt.Sprintf("%s seated as %s, the term starting today", p.Chosen, p.Name), why); err != nil {
				return err
			}
			seated++
			return nil
		})
		if err != nil {
			return seated, err
		}
	}
	return seated, nil
}
