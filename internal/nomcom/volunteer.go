package nomcom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// OpenCall opens the call for volunteers, as the chair: callDate
// (YYYY-MM-DD, "" today) is the day eligibility is judged on (R45-R47,
// R50). It is announced on ietf-announce.
func (s *Service) OpenCall(ctx context.Context, by groups.Actor, year int, callDate string, seats int, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.OpenCall(%d)", year)
	if seats == 0 {
		seats = DefaultSeats
	}
	if seats < 1 || seats > 50 {
		return fail.Field("seats", "A NomCom has between 1 and 50 voting members; RFC 8713 §4.16 says 10.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := s.mayRun(n, by); err != nil {
			return err
		}
		if n.State != New {
			return fail.New(fail.Conflict, "The call for volunteers of NomCom %d was opened on %s.", year, n.CallDate.Format(time.DateOnly))
		}
		call := tx.Now.UTC()
		if strings.TrimSpace(callDate) != "" {
			if call, err = time.Parse(time.DateOnly, strings.TrimSpace(callDate)); err != nil {
				return fail.Field("call_date", "Write the date of the call as YYYY-MM-DD, not %q.", callDate)
			}
		}
		if call.After(tx.Now.AddDate(0, 0, 1)) {
			return fail.Field("call_date", "The call for volunteers cannot be dated in the future (%s).", call.Format(time.DateOnly))
		}
		date := call.Format(time.DateOnly)
		if _, err := tx.ExecContext(ctx, `UPDATE nomcom SET state = $1, call_date = $2, seats = $3, updated = $4 WHERE id = $5 AND state = $6`,
			Open, date, seats, tx.Now, n.ID, New); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_call",
			fmt.Sprintf("Call for volunteers opened; eligibility is judged on %s; %d voting members will be selected", date, seats), why); err != nil {
			return err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "The %d IETF Nominating Committee calls for volunteers.\n\n", year)
		fmt.Fprintf(&b, "%d voting members will be selected at random from the eligible volunteers,\nby the method of RFC 3797, no more than two with the same primary\naffiliation (RFC 8713 §4.17).\n\n", seats)
		fmt.Fprintf(&b, "You may volunteer if, on %s, you meet one of these (RFC 9389):\n", date)
		b.WriteString("  1. you registered for and attended three of the last five IETF\n     meetings, in person or online;\n")
		b.WriteString("  2. you were a Working Group chair or secretary within the three years\n     before that day;\n")
		b.WriteString("  3. you were a front-page author or editor of two IETF-stream RFCs (or\n     drafts in the RFC Editor queue) within the five years before.\n\n")
		b.WriteString("Sitting members of the IAB, the IESG, the ISOC Board of Trustees, the\nIETF Trust and the IETF LLC Board, and the LLC's staff, may not\nvolunteer (RFC 8713 §4.15).\n\n")
		fmt.Fprintf(&b, "Check your eligibility, and see why:\n  %s\nVolunteer:\n  %s\n", s.URL(year, "eligibility/"), s.URL(year, "volunteer/"))
		if n.Chair != "" {
			fmt.Fprintf(&b, "\n%s, NomCom %d chair\n", n.Chair, year)
		}
		return s.announce(ctx, tx, year, fmt.Sprintf("NomCom %d: call for volunteers", year), b.String())
	})
}

// announce posts to ietf-announce, from the year's chair.
func (s *Service) announce(ctx context.Context, tx *db.Tx, year int, subject, body string) error {
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.ChairAddress(year), To: []string{"ietf-announce@" + s.Domain}, Subject: subject, Body: body})
}

// ChairAddress is the address NomCom mail of a year comes from: the
// Datatracker's nomcom-chair-YYYY@, an alias (package aliases) that
// reaches the year's chair.
func (s *Service) ChairAddress(year int) string {
	return fmt.Sprintf("nomcom-chair-%d@%s", year, s.Domain)
}

// Volunteer is someone who volunteered.
type Volunteer struct {
	ID          int64
	PersonID    int64
	Name        string
	Affiliation string
	Paths       []string // the paths they met when they volunteered
	Position    int      // in the published pool, from 1; 0 before it, or if excluded
	Excluded    string   // why not in the pool
	Seat        int      // the seat the selection gave them; 0 none
	Created     time.Time
}

// Volunteers lists a NomCom's volunteers: by their position in the pool
// once it is published, by name before.
func (s *Service) Volunteers(ctx context.Context, year int) ([]Volunteer, error) {
	return volunteers(ctx, s.DB, year)
}

func volunteers(ctx context.Context, q db.Querier, year int) ([]Volunteer, error) {
	return db.Query(ctx, q, scanVolunteer, `SELECT v.id, v.person_id, p.name, v.affiliation, v.paths, COALESCE(v.pool_pos, 0), v.excluded, COALESCE(v.seat, 0), v.created
		FROM nomcom_volunteer v JOIN nomcom n ON n.id = v.nomcom_id JOIN person_name p ON p.id = v.person_id
		WHERE n.year = $1 ORDER BY CASE WHEN v.pool_pos IS NULL THEN 1 ELSE 0 END, v.pool_pos, LOWER(p.name), v.person_id`, year)
}

func scanVolunteer(row db.Scanner) (v Volunteer, err error) {
	var paths string
	err = row.Scan(&v.ID, &v.PersonID, &v.Name, &v.Affiliation, &paths, &v.Position, &v.Excluded, &v.Seat, &v.Created)
	v.Paths = strings.Fields(paths)
	return v, err
}

// VolunteerOf returns by's volunteering for a year, if any.
func (s *Service) VolunteerOf(ctx context.Context, year int, personID int64) (Volunteer, bool, error) {
	vs, err := db.Query(ctx, s.DB, scanVolunteer, `SELECT v.id, v.person_id, p.name, v.affiliation, v.paths, COALESCE(v.pool_pos, 0), v.excluded, COALESCE(v.seat, 0), v.created
		FROM nomcom_volunteer v JOIN nomcom n ON n.id = v.nomcom_id JOIN person_name p ON p.id = v.person_id
		WHERE n.year = $1 AND v.person_id = $2`, year, personID)
	if err != nil || len(vs) == 0 {
		return Volunteer{}, false, err
	}
	return vs[0], true, nil
}

// maxAffiliation is the longest affiliation kept, in characters.
const maxAffiliation = 200

// Volunteer records by as a volunteer for voting membership, with their
// primary affiliation (R49). They must be eligible on the day of the
// call (R45-R47, by the rules of R50) and sit on none of R48's bodies.
func (s *Service) Volunteer(ctx context.Context, by groups.Actor, year int, affiliation string) (err error) {
	defer fail.Wrap(&err, "nomcom.Volunteer(%d, %d)", year, by.ID)
	if err := loggedIn(by, "volunteer"); err != nil {
		return err
	}
	affiliation = strings.Join(strings.Fields(affiliation), " ")
	if affiliation == "" {
		return fail.Rule("R49", fail.Invalid, "Give your primary affiliation (your employer or sponsor, or \"None\"): no more than two voting members may share one.")
	}
	if !utf8.ValidString(affiliation) || utf8.RuneCountInString(affiliation) > maxAffiliation {
		return fail.Field("affiliation", "The affiliation is at most %d characters of text.", maxAffiliation)
	}
	n, err := s.Get(ctx, year)
	if err != nil {
		return err
	}
	if n.State != Open {
		return fail.New(fail.Conflict, "NomCom %d is not calling for volunteers (%s).", year, n.StateName())
	}
	e, err := s.EligibilityOf(ctx, by.ID, n.CallDate)
	if err != nil {
		return err
	}
	if len(e.Bars) > 0 {
		var what []string
		for _, b := range e.Bars {
			what = append(what, b.What)
		}
		return fail.Rule("R48", fail.Forbidden, "Sitting members of the IAB, the IESG, the ISOC Board of Trustees, the IETF Trust and the IETF LLC Board (ex officio included), and the LLC's staff, may not volunteer as voting members; you are %s.",
			strings.Join(what, "; "))
	}
	if !e.Eligible() {
		return fail.Rule("R45, R46, R47", fail.Forbidden, "You are not eligible on %s, the day of the call: you attended %d of the last five IETF meetings (three are needed), held no WG chair or secretary role in the three years before, and wrote %d IETF-stream RFCs in the five years before (two are needed). See %s.",
			n.CallDate.Format(time.DateOnly), e.Attended, distinctWorks(e.Works), s.URL(year, fmt.Sprintf("eligibility/%d/", by.ID)))
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM nomcom WHERE id = $1`, n.ID).Scan(&state); err != nil {
			return err
		}
		if state != Open {
			return fail.New(fail.Conflict, "NomCom %d stopped calling for volunteers a moment ago.", year)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO nomcom_volunteer (nomcom_id, person_id, affiliation, paths, created) VALUES ($1, $2, $3, $4, $5)`,
			n.ID, by.ID, affiliation, strings.Join(e.Paths, " "), tx.Now)
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "You have already volunteered for NomCom %d.", year)
		}
		if err != nil {
			return err
		}
		if err := touch(ctx, tx, n.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_volunteered",
			fmt.Sprintf("%s volunteered (%s), eligible by %s", e.Name, affiliation, strings.Join(e.Paths, ", ")), "")
	})
}

// Withdraw takes back by's volunteering, while the call is open.
func (s *Service) Withdraw(ctx context.Context, by groups.Actor, year int, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.Withdraw(%d, %d)", year, by.ID)
	if err := loggedIn(by, "withdraw"); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		if n.State != Open {
			return fail.New(fail.Conflict, "The pool of NomCom %d is published; ask the chair to take you out.", year)
		}
		var name string
		err = tx.QueryRowContext(ctx, `SELECT p.name FROM nomcom_volunteer v JOIN person_name p ON p.id = v.person_id WHERE v.nomcom_id = $1 AND v.person_id = $2`, n.ID, by.ID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return fail.New(fail.NotFound, "You have not volunteered for NomCom %d.", year)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nomcom_volunteer WHERE nomcom_id = $1 AND person_id = $2`, n.ID, by.ID); err != nil {
			return err
		}
		if err := touch(ctx, tx, n.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_withdrew", name+" withdrew as a volunteer", why)
	})
}
