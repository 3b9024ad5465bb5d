// Package nomcom is how the IETF's leadership is chosen: the Nominating
// Committee of each year, from the call for volunteers to the seating of
// the people it selected.
//
//   - Eligibility (R45-R47, R50) is computed from the record on the day of
//     the call for volunteers: attendance at three of the last five IETF
//     meetings (meetings), service as a WG chair or secretary in the three
//     years before (groups' roles and their record), or front-page
//     authorship of two IETF-stream RFCs or queued drafts in the five
//     years before (docs). Each path comes with its evidence.
//   - The sitting members of the IAB, the IESG, the ISOC Board of
//     Trustees, the IETF Trust, the LLC Board and the LLC's staff may not
//     volunteer (R48). The last four are groups hum keeps for that
//     purpose, whose members the secretariat records (Bodies).
//   - The chair (appointed by the ISOC President; the secretariat records
//     the appointment) opens the call, publishes the pool of eligible
//     volunteers and the random sources before their values are known,
//     and enters the values; the selection follows RFC 3797 exactly, 10
//     voting members, never three with one primary affiliation (R49).
//     Anyone can run it again from the published inputs (Computation).
//   - The committee lists its open positions, takes nominations (anyone
//     may nominate; the nominee accepts or declines) and feedback on the
//     nominees, deliberates, and sends its choices for confirmation: the
//     IAB confirms the IESG's members, the ISOC Board the IAB's. A
//     confirmed person's role is granted on their start date (Jobs).
//
// Everything is public but the feedback and the deliberations, which only
// the committee's members and chair read. Every change is an event
// (subject_type "nomcom", the year as subject); announcements go to
// ietf-announce. It owns the tables of migration 0023 and has no HTTP
// inside.
package nomcom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
)

// Mailer queues mail in the caller's transaction. app gives the lists'
// Router, so mail to ietf-announce is posted to that list.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Service is the NomCom capability.
type Service struct {
	DB       *db.DB
	Groups   *groups.Service
	Meetings *meetings.Service // attendance (R45, R50)
	Docs     *docs.Service     // authorship (R47)
	Mail     Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain hum's lists live under (ietf-announce@).
	Domain string
}

// States of a NomCom.
const (
	New      = "new"      // created; its chair appointed, or about to be
	Open     = "open"     // the call for volunteers is open
	Pool     = "pool"     // the pool and the random sources are published
	Selected = "selected" // the voting members are selected and seated
)

// StateNames are the states as a person reads them.
var StateNames = map[string]string{
	New:      "Not yet calling for volunteers",
	Open:     "Calling for volunteers",
	Pool:     "Pool published; waiting for the random sources' values",
	Selected: "Voting members selected",
}

// DefaultSeats is how many voting members are selected (R49, RFC 8713
// §4.16).
const DefaultSeats = 10

// NomCom is one year's Nominating Committee.
type NomCom struct {
	ID         int64
	Year       int
	GroupID    int64
	Acronym    string // its group: nomcom2026
	State      string
	CallDate   time.Time // the call for volunteers (UTC midnight); zero before it
	Seats      int
	ValuesDate time.Time // when the sources' values are known; zero before the pool
	Key        string    // RFC 3797's key, once the values are in
	ChairID    int64
	Chair      string
	Created    time.Time
	Updated    time.Time
}

// StateName is the NomCom's state as a person reads it.
func (n NomCom) StateName() string { return StateNames[n.State] }

// Subject is the NomCom's subject in the record.
func (n NomCom) Subject() string { return strconv.Itoa(n.Year) }

// GroupAcronym is the acronym of a year's NomCom group.
func GroupAcronym(year int) string { return fmt.Sprintf("nomcom%d", year) }

const nomcomCols = `n.id, n.year, n.group_id, g.acronym, n.state, n.call_date, n.seats, n.values_date, n.selection_key, n.created, n.updated,
	COALESCE((SELECT MIN(r.person_id) FROM role r WHERE r.group_id = n.group_id AND r.name = 'chair'), 0)`

const nomcomFrom = ` FROM nomcom n JOIN group_ref g ON g.id = n.group_id `

func scanNomCom(row db.Scanner) (n NomCom, err error) {
	var call, values string
	if err = row.Scan(&n.ID, &n.Year, &n.GroupID, &n.Acronym, &n.State, &call, &n.Seats, &values, &n.Key, &n.Created, &n.Updated, &n.ChairID); err != nil {
		return n, err
	}
	n.CallDate, _ = day(call)
	n.ValuesDate, _ = day(values)
	return n, nil
}

// day reads YYYY-MM-DD as UTC midnight; "" is the zero time.
func day(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// Get returns a year's NomCom, with its chair.
func (s *Service) Get(ctx context.Context, year int) (NomCom, error) {
	return get(ctx, s.DB, year)
}

func get(ctx context.Context, q db.Querier, year int) (NomCom, error) {
	n, err := scanNomCom(q.QueryRowContext(ctx, `SELECT `+nomcomCols+nomcomFrom+`WHERE n.year = $1`, year))
	if errors.Is(err, sql.ErrNoRows) {
		return n, fail.New(fail.NotFound, "There is no NomCom for %d.", year)
	}
	if err != nil {
		return n, err
	}
	if n.ChairID != 0 {
		err = q.QueryRowContext(ctx, `SELECT name FROM person_name WHERE id = $1`, n.ChairID).Scan(&n.Chair)
	}
	return n, err
}

// List returns every NomCom, latest first.
func (s *Service) List(ctx context.Context) ([]NomCom, error) {
	ns, err := db.Query(ctx, s.DB, scanNomCom, `SELECT `+nomcomCols+nomcomFrom+`ORDER BY n.year DESC`)
	if err != nil {
		return nil, err
	}
	for i := range ns {
		if ns[i].ChairID != 0 {
			if err := s.DB.QueryRowContext(ctx, `SELECT name FROM person_name WHERE id = $1`, ns[i].ChairID).Scan(&ns[i].Chair); err != nil {
				return nil, err
			}
		}
	}
	return ns, nil
}

// Create starts a year's NomCom and its group (nomcomYYYY), as the
// secretariat; chairEmail, if given, is the chair the ISOC President
// appointed.
func (s *Service) Create(ctx context.Context, by groups.Actor, year int, chairEmail, why string) (n NomCom, err error) {
	defer fail.Wrap(&err, "nomcom.Create(%d)", year)
	if !by.Secretariat() {
		return n, forbidden(by, "Only the secretariat starts a NomCom.")
	}
	if year < 2000 || year > 9999 {
		return n, fail.Field("year", "%d is not a year a NomCom can serve.", year)
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		ctx := db.WithTx(ctx, tx)
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM nomcom WHERE year = $1`, year).Scan(&have); err != nil {
			return err
		}
		if have > 0 {
			return fail.New(fail.Conflict, "There is already a NomCom for %d.", year)
		}
		parent := ""
		if _, err := s.Groups.Get(ctx, "ietf"); err == nil {
			parent = "ietf"
		}
		g, err := s.Groups.Create(ctx, by, groups.NewGroup{Acronym: GroupAcronym(year), Name: fmt.Sprintf("IETF Nominating Committee %d", year),
			Type: "nomcom", Parent: parent}, why)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomcom (year, group_id, state, seats, created, updated) VALUES ($1, $2, $3, $4, $5, $5)`,
			year, g.ID, New, DefaultSeats, tx.Now); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "nomcom", strconv.Itoa(year), "nomcom_created", fmt.Sprintf("NomCom %d started", year), why); err != nil {
			return err
		}
		if strings.TrimSpace(chairEmail) != "" {
			return s.appoint(ctx, tx, by, year, g, chairEmail, why)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return s.Get(ctx, year)
}

// AppointChair records the chair the ISOC President appointed, as the
// secretariat. A NomCom has one chair.
func (s *Service) AppointChair(ctx context.Context, by groups.Actor, year int, email, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.AppointChair(%d)", year)
	if !by.Secretariat() {
		return forbidden(by, "The ISOC President appoints the NomCom chair; only the secretariat records the appointment.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		g, err := s.Groups.Get(ctx, n.Acronym)
		if err != nil {
			return err
		}
		return s.appoint(db.WithTx(ctx, tx), tx, by, year, g, email, why)
	})
}

func (s *Service) appoint(ctx context.Context, tx *db.Tx, by groups.Actor, year int, g groups.Group, email, why string) error {
	p, err := personByEmail(ctx, tx, "chair", email)
	if err != nil {
		return err
	}
	var chairs int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role WHERE group_id = $1 AND name = 'chair'`, g.ID).Scan(&chairs); err != nil {
		return err
	}
	if chairs > 0 {
		return fail.New(fail.Conflict, "NomCom %d already has a chair; end that appointment on %s's page first.", year, g.Acronym)
	}
	if why == "" {
		why = "Appointed by the ISOC President (RFC 8713 §4.3)"
	}
	if err := s.Groups.Grant(ctx, by, g.Acronym, "chair", p.id, p.email, why); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "nomcom", strconv.Itoa(year), "nomcom_chair", fmt.Sprintf("%s appointed chair of NomCom %d", p.name, year), why)
}

// person is an account found by one of its addresses.
type person struct {
	id          int64
	name, email string
}

// personByEmail finds the account with an address; field names the form
// field it came from.
func personByEmail(ctx context.Context, q db.Querier, field, email string) (person, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return person{}, fail.Field(field, "Give the person's email address.")
	}
	p := person{email: email}
	err := q.QueryRowContext(ctx, `SELECT pa.person_id, pn.name FROM person_address pa JOIN person_name pn ON pn.id = pa.person_id
		WHERE pa.address = $1`, email).Scan(&p.id, &p.name)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.Field(field, "No account has the address %q; the person needs an account first.", email)
	}
	return p, err
}

// primaryEmail is a person's primary address.
func primaryEmail(ctx context.Context, q db.Querier, personID int64) (string, error) {
	var a string
	err := q.QueryRowContext(ctx, `SELECT address FROM person_address WHERE person_id = $1 ORDER BY is_primary DESC, address LIMIT 1`, personID).Scan(&a)
	return a, err
}

// Chairs reports whether by chairs the NomCom.
func (n NomCom) Chairs(by groups.Actor) bool {
	return by.ID != 0 && by.ID == n.ChairID
}

// MayRun reports whether by may run the NomCom's process (the call, the
// pool, the selection, the positions): its chair, and the secretariat.
func (n NomCom) MayRun(by groups.Actor) bool { return n.Chairs(by) || by.Secretariat() }

// Insider reports whether by sits on the NomCom (its chair, a voting
// member, an advisor or a liaison), and so reads the feedback and the
// deliberations. The secretariat does not: those are the committee's
// alone.
func (n NomCom) Insider(by groups.Actor) bool {
	if by.ID == 0 {
		return false
	}
	for _, r := range by.Roles {
		if r.GroupID == n.GroupID && (r.Name == "chair" || r.Name == "member" || r.Name == "advisor" || r.Name == "liaison") {
			return true
		}
	}
	return false
}

func (s *Service) mayRun(n NomCom, by groups.Actor) error {
	if n.MayRun(by) {
		return nil
	}
	return forbidden(by, "Only the chair of NomCom %d (or the secretariat) may do that.", n.Year)
}

// forbidden is Unauthorized for nobody logged in, Forbidden otherwise.
func forbidden(by groups.Actor, format string, args ...any) error {
	if by.ID == 0 && !by.Secretariat() {
		return fail.New(fail.Unauthorized, "Log in first. "+format, args...)
	}
	return fail.New(fail.Forbidden, format, args...)
}

func loggedIn(by groups.Actor, what string) error {
	if by.ID == 0 {
		return fail.New(fail.Unauthorized, "Log in to %s.", what)
	}
	return nil
}

// touch moves the NomCom's updated time.
func touch(ctx context.Context, tx *db.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE nomcom SET updated = $1 WHERE id = $2`, tx.Now, id)
	return err
}

// URL is the NomCom's page.
func (s *Service) URL(year int, rest string) string {
	return fmt.Sprintf("%s/nomcom/%d/%s", s.BaseURL, year, rest)
}
