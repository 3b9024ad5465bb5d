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

// Position is a seat the NomCom fills: one of an area's ADs, or one of
// the IAB's members, whose term ends.
type Position struct {
	ID          int64
	Year        int
	Name        string
	GroupID     int64
	Acronym     string // the area, or iab
	GroupType   string
	Role        string // ad, member
	IncumbentID int64
	Incumbent   string
	ChosenID    int64 // the NomCom's selection, sent for confirmation
	Chosen      string
	ChosenAt    time.Time
	Confirmed   time.Time // zero: not yet
	ConfirmedBy string
	EventID     int64     // the confirmation's event
	Start       time.Time // when the role is granted
	Seated      time.Time // when it was
	Nominations []Nomination
}

// Confirmer is the body that confirms the position: the IAB for the
// IESG's members, the ISOC Board of Trustees for the IAB's (RFC 8713
// §4.4, §4.5 of the confirming bodies; R42, R43).
func (p Position) Confirmer() string {
	if p.GroupType == "iab" {
		return "isocbot"
	}
	return "iab"
}

// ConfirmerName is the confirming body's name.
func (p Position) ConfirmerName() string {
	if p.Confirmer() == "iab" {
		return "the IAB"
	}
	return "the ISOC Board of Trustees"
}

// State is where the position stands.
func (p Position) State() string {
	switch {
	case !p.Seated.IsZero():
		return "seated"
	case !p.Confirmed.IsZero():
		return "confirmed"
	case p.ChosenID != 0:
		return "awaiting confirmation"
	}
	return "open"
}

// Nomination states.
const (
	Pending  = "pending"
	Accepted = "accepted"
	Declined = "declined"
)

// Nomination is someone nominated for a position.
type Nomination struct {
	ID         int64
	PositionID int64
	PersonID   int64
	Name       string
	Nominator  string
	State      string
	Created    time.Time
}

const positionCols = `p.id, n.year, p.name, p.group_id, g.acronym, g.type, p.role, COALESCE(p.incumbent_id, 0), COALESCE(i.name, ''),
	COALESCE(p.chosen_id, 0), COALESCE(c.name, ''), p.chosen, p.confirmed, COALESCE(cb.name, ''), COALESCE(p.confirm_event, 0), p.start_date, p.seated`

const positionFrom = ` FROM nomcom_position p JOIN nomcom n ON n.id = p.nomcom_id JOIN group_ref g ON g.id = p.group_id
	LEFT JOIN person_name i ON i.id = p.incumbent_id LEFT JOIN person_name c ON c.id = p.chosen_id LEFT JOIN person_name cb ON cb.id = p.confirmed_by `

func scanPosition(row db.Scanner) (p Position, err error) {
	var chosen, confirmed, seated sql.NullTime
	var start string
	if err = row.Scan(&p.ID, &p.Year, &p.Name, &p.GroupID, &p.Acronym, &p.GroupType, &p.Role, &p.IncumbentID, &p.Incumbent,
		&p.ChosenID, &p.Chosen, &chosen, &confirmed, &p.ConfirmedBy, &p.EventID, &start, &seated); err != nil {
		return p, err
	}
	p.ChosenAt, p.Confirmed, p.Seated = chosen.Time, confirmed.Time, seated.Time
	p.Start, _ = day(start)
	return p, nil
}

// Positions lists a NomCom's positions with their nominations.
func (s *Service) Positions(ctx context.Context, year int) ([]Position, error) {
	ps, err := db.Query(ctx, s.DB, scanPosition, `SELECT `+positionCols+positionFrom+`WHERE n.year = $1 ORDER BY g.type DESC, p.name`, year)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].Nominations, err = s.nominations(ctx, s.DB, ps[i].ID); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// Position returns one of a NomCom's positions.
func (s *Service) Position(ctx context.Context, year int, id int64) (Position, error) {
	return s.position(ctx, s.DB, year, id)
}

func (s *Service) position(ctx context.Context, q db.Querier, year int, id int64) (Position, error) {
	p, err := scanPosition(q.QueryRowContext(ctx, `SELECT `+positionCols+positionFrom+`WHERE n.year = $1 AND p.id = $2`, year, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.New(fail.NotFound, "NomCom %d has no position %d.", year, id)
	}
	if err != nil {
		return p, err
	}
	p.Nominations, err = s.nominations(ctx, q, id)
	return p, err
}

func (s *Service) nominations(ctx context.Context, q db.Querier, positionID int64) ([]Nomination, error) {
	return db.Query(ctx, q, func(row db.Scanner) (m Nomination, err error) {
		err = row.Scan(&m.ID, &m.PositionID, &m.PersonID, &m.Name, &m.Nominator, &m.State, &m.Created)
		return m, err
	}, `SELECT m.id, m.position_id, m.person_id, p.name, b.name, m.state, m.created FROM nomcom_nomination m
		JOIN person_name p ON p.id = m.person_id JOIN person_name b ON b.id = m.nominator_id
		WHERE m.position_id = $1 ORDER BY LOWER(p.name), m.id`, positionID)
}

// AddPosition lists a position, as the chair: a seat of the area's ADs
// (acronym an active area) or of the IAB (acronym iab), and the person
// whose term ends in it, if any (by address).
func (s *Service) AddPosition(ctx context.Context, by groups.Actor, year int, name, acronym, incumbentEmail, why string) (p Position, err error) {
	defer fail.Wrap(&err, "nomcom.AddPosition(%d, %q)", year, name)
	name = strings.Join(strings.Fields(name), " ")
	acronym = strings.ToLower(strings.TrimSpace(acronym))
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return p, fail.Field("name", "Name the position, in at most 100 characters (e.g. \"ART Area Director\").")
	}
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return p, fail.Field("group", "There is no group %q: a position is a seat of an area's ADs or of the IAB.", acronym)
	}
	role := "ad"
	switch {
	case g.Type == "iab":
		role = "member"
	case g.Type == "area" && g.State == "active":
	default:
		return p, fail.Field("group", "%s is not an active area or the IAB: the NomCom fills the IESG's and the IAB's seats (RFC 8713 §1).", acronym)
	}
	var id int64
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := s.mayRun(n, by); err != nil {
			return err
		}
		var incumbent sql.NullInt64
		if strings.TrimSpace(incumbentEmail) != "" {
			who, err := personByEmail(ctx, tx, "incumbent", incumbentEmail)
			if err != nil {
				return err
			}
			var holds int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role WHERE group_id = $1 AND person_id = $2 AND name = $3`, g.ID, who.id, role).Scan(&holds); err != nil {
				return err
			}
			if holds == 0 {
				return fail.Field("incumbent", "%s is not %s of %s.", who.name, groups.RoleName(role), acronym)
			}
			incumbent = db.NullID(who.id)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO nomcom_position (nomcom_id, name, group_id, role, incumbent_id, created) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			n.ID, name, g.ID, role, incumbent, tx.Now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return fail.Field("name", "NomCom %d already lists a position %q.", year, name)
		}
		if err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_position", fmt.Sprintf("Position listed: %s (%s of %s)", name, groups.RoleName(role), acronym), why)
	})
	if err != nil {
		return p, err
	}
	return s.Position(ctx, year, id)
}

// Nominate nominates someone (by address) for a position. Anyone logged
// in may; the nominee is asked by mail to accept or decline.
func (s *Service) Nominate(ctx context.Context, by groups.Actor, year int, positionID int64, email, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.Nominate(%d, %d)", year, positionID)
	if err := loggedIn(by, "nominate someone"); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		p, err := s.position(ctx, tx, year, positionID)
		if err != nil {
			return err
		}
		if p.ChosenID != 0 {
			return fail.New(fail.Conflict, "The NomCom has made its choice for %s; nominations are closed.", p.Name)
		}
		who, err := personByEmail(ctx, tx, "email", email)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO nomcom_nomination (position_id, person_id, nominator_id, state, created, updated) VALUES ($1, $2, $3, $4, $5, $5)`,
			p.ID, who.id, by.ID, Pending, tx.Now)
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "%s is already nominated for %s.", who.name, p.Name)
		}
		if err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "nomcom", fmt.Sprint(year), "nomcom_nominated", fmt.Sprintf("%s nominated for %s", who.name, p.Name), why); err != nil {
			return err
		}
		body := fmt.Sprintf("%s,\n\nYou have been nominated for the position of %s by the %d IETF\nNominating Committee.\n\nPlease accept or decline the nomination, logged in, at\n  %s\n\nThe NomCom %d chair\n",
			who.name, p.Name, year, s.URL(year, fmt.Sprintf("positions/%d/", p.ID)), year)
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.ChairAddress(year), To: []string{who.email},
			Subject: fmt.Sprintf("Nomination for %s (NomCom %d)", p.Name, year), Body: body})
	})
}

// Respond is the nominee accepting or declining a nomination.
func (s *Service) Respond(ctx context.Context, by groups.Actor, year int, nominationID int64, accept bool) (err error) {
	defer fail.Wrap(&err, "nomcom.Respond(%d, %d)", year, nominationID)
	if err := loggedIn(by, "answer a nomination"); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, p, err := s.nomination(ctx, tx, year, nominationID)
		if err != nil {
			return err
		}
		if m.PersonID != by.ID {
			return fail.New(fail.Forbidden, "Only %s may accept or decline this nomination.", m.Name)
		}
		if p.ChosenID != 0 {
			return fail.New(fail.Conflict, "The NomCom has made its choice for %s.", p.Name)
		}
		state := Declined
		if accept {
			state = Accepted
		}
		if m.State == state {
			return fail.New(fail.Conflict, "You have already %s this nomination.", state)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomcom_nomination SET state = $1, updated = $2 WHERE id = $3`, state, tx.Now, m.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "nomcom", fmt.Sprint(year), "nomcom_nomination_"+state, fmt.Sprintf("%s %s the nomination for %s", m.Name, state, p.Name), "")
	})
}

// nomination loads a nomination of a year's NomCom and its position.
func (s *Service) nomination(ctx context.Context, q db.Querier, year int, id int64) (Nomination, Position, error) {
	var positionID int64
	err := q.QueryRowContext(ctx, `SELECT m.position_id FROM nomcom_nomination m JOIN nomcom_position p ON p.id = m.position_id
		JOIN nomcom n ON n.id = p.nomcom_id WHERE m.id = $1 AND n.year = $2`, id, year).Scan(&positionID)
	if errors.Is(err, sql.ErrNoRows) {
		return Nomination{}, Position{}, fail.New(fail.NotFound, "NomCom %d has no nomination %d.", year, id)
	}
	if err != nil {
		return Nomination{}, Position{}, err
	}
	p, err := s.position(ctx, q, year, positionID)
	if err != nil {
		return Nomination{}, p, err
	}
	for _, m := range p.Nominations {
		if m.ID == id {
			return m, p, nil
		}
	}
	return Nomination{}, p, fail.New(fail.NotFound, "NomCom %d has no nomination %d.", year, id)
}
