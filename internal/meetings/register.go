package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/secrets"
)

// Attendance types, as the Datatracker names them.
const (
	Onsite = "onsite"
	Remote = "remote"
)

// Registration is someone registered for a meeting. Anyone may register
// (R18); the list of registrations is public, without the addresses.
type Registration struct {
	ID          int64
	MeetingID   int64
	Meeting     string // number
	PersonID    int64  // 0: the address has no account
	Email       string // never shown publicly
	Name        string
	Affiliation string
	Country     string // ISO 3166 alpha-2
	Type        string // Onsite or Remote
	Ticket      string // week_pass, fellow
	CheckedIn   bool
	Created     time.Time
	Modified    time.Time
}

// NewRegistration is what someone gives to register.
type NewRegistration struct {
	Email       string // for someone not logged in; a logged-in person registers with their primary address
	Name        string
	Affiliation string
	Country     string
	Type        string // Onsite or Remote
	// Update says the person means to change their registration. Without
	// it, a second registration for the same person or address is
	// refused, so nobody overwrites a registration by mistake.
	Update bool
}

// regLinkTTL is how long a mailed registration link works.
const regLinkTTL = 72 * time.Hour

const regCols = `r.id, r.meeting_id, m.number, COALESCE(r.person_id, 0), r.email, r.name, r.affiliation, r.country_code,
	r.attendance_type, r.ticket_type, r.checkedin, r.created, r.modified`

const regFrom = ` FROM registration r JOIN meeting m ON m.id = r.meeting_id `

func scanReg(row db.Scanner) (r Registration, err error) {
	err = row.Scan(&r.ID, &r.MeetingID, &r.Meeting, &r.PersonID, &r.Email, &r.Name, &r.Affiliation, &r.Country,
		&r.Type, &r.Ticket, &r.CheckedIn, &r.Created, &r.Modified)
	return r, err
}

func checkRegistration(n *NewRegistration) error {
	n.Name = strings.TrimSpace(n.Name)
	n.Affiliation = strings.TrimSpace(n.Affiliation)
	n.Country = strings.ToUpper(strings.TrimSpace(n.Country))
	n.Type = strings.ToLower(strings.TrimSpace(n.Type))
	var problems []*fail.Error
	if err := checkText("name", "Your name", n.Name, true); err != nil {
		problems = append(problems, err)
	}
	if err := checkText("affiliation", "The affiliation", n.Affiliation, false); err != nil {
		problems = append(problems, err)
	}
	if !isCountry(n.Country) {
		problems = append(problems, fail.Field("country", "The country is a two-letter ISO 3166 code, such as FR; got %q.", n.Country))
	}
	if n.Type != Onsite && n.Type != Remote {
		problems = append(problems, fail.Field("type", "Say whether you attend onsite or remote; got %q.", n.Type))
	}
	if len(problems) == 1 {
		return problems[0]
	}
	if len(problems) > 0 {
		return fail.Join(fail.Invalid, problems, "The registration was not made: %d fields need mending.", len(problems))
	}
	return nil
}

// checkText refuses a text field that is empty (when required), too long
// or holds control characters.
func checkText(field, what, v string, required bool) *fail.Error {
	switch {
	case required && v == "":
		return fail.Field(field, "%s is needed.", what)
	case !utf8.ValidString(v) || utf8.RuneCountInString(v) > 200:
		return fail.Field(field, "%s may be at most 200 characters of text.", what)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fail.Field(field, "%s may not hold control characters or line breaks.", what)
	}
	return nil
}

func isCountry(c string) bool {
	return len(c) == 2 && strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// openForRegistration loads a meeting that takes registrations: an IETF
// meeting that has not ended. The secretariat may still register people
// afterwards (a correction).
func openForRegistration(ctx context.Context, q db.Querier, number string, now time.Time, by groups.Actor) (Meeting, error) {
	m, err := get(ctx, q, number)
	if err != nil {
		return m, err
	}
	if m.Type != IETF {
		return m, fail.New(fail.Invalid, "%s is an interim: interims take no registration; join through the details on its agenda.", m.Title())
	}
	if !now.Before(m.End()) && !by.Secretariat() {
		return m, fail.New(fail.Conflict, "%s ended on %s; registration is closed.", m.Title(), m.End().AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return m, nil
}

// Register registers the logged-in person by for a meeting, with their
// primary address, in one step (R18: anyone may). A second registration
// is refused unless n.Update says it is one.
func (s *Service) Register(ctx context.Context, by groups.Actor, number string, n NewRegistration) (reg Registration, err error) {
	defer fail.Wrap(&err, "meetings.Register(%q, %d)", number, by.ID)
	if by.ID == 0 {
		return reg, fail.New(fail.Unauthorized, "Please log in to register in one step, or give your address to get a link by mail.")
	}
	if err := checkRegistration(&n); err != nil {
		return reg, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := openForRegistration(ctx, tx, number, tx.Now, by)
		if err != nil {
			return err
		}
		addr, err := db.Scalar[string](tx.QueryRowContext(ctx, `SELECT address FROM person_address WHERE person_id = $1 ORDER BY is_primary DESC, address LIMIT 1`, by.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fail.New(fail.Invalid, "Your account has no email address; add one to your profile first.")
		} else if err != nil {
			return err
		}
		n.Email = addr
		old, err := s.ownRegistration(ctx, tx, m.ID, by.ID)
		if err != nil {
			return err
		}
		reg, err = s.saveRegistration(ctx, tx, by.Actor, m, old, by.ID, n)
		return err
	})
	return reg, err
}

// ownRegistration finds a person's registration for a meeting, made
// under any of their addresses; its ID is 0 if there is none.
func (s *Service) ownRegistration(ctx context.Context, q db.Querier, meetingID, personID int64) (Registration, error) {
	// Two indexed lookups: by the account, then by its addresses (a
	// registration by mailed link not yet claimed). One query with OR
	// read every registration of the meeting.
	r, err := scanReg(q.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.person_id = $1 AND r.meeting_id = $2 ORDER BY r.id LIMIT 1`, personID, meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		r, err = scanReg(q.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`JOIN person_address e ON e.address = r.email
			WHERE e.person_id = $1 AND r.meeting_id = $2 ORDER BY r.id LIMIT 1`, personID, meetingID))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Registration{}, nil
	}
	return r, err
}

// saveRegistration adds a registration, or changes old (when its ID is
// set, which n.Update must allow), and records it.
func (s *Service) saveRegistration(ctx context.Context, tx *db.Tx, who record.Actor, m Meeting, old Registration, personID int64, n NewRegistration) (Registration, error) {
	pid := sql.NullInt64{Int64: personID, Valid: personID != 0}
	if old.ID != 0 {
		if !n.Update {
			return old, fail.Rule("R18", fail.Conflict, "%s is already registered for %s (%s, since %s). One registration per person: to change it, update your registration instead.",
				old.Email, m.Title(), old.Type, old.Created.UTC().Format(time.DateOnly))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registration SET person_id = COALESCE($1, person_id), name = $2, affiliation = $3, country_code = $4,
			attendance_type = $5, modified = $6 WHERE id = $7`, pid, n.Name, n.Affiliation, n.Country, n.Type, tx.Now, old.ID); err != nil {
			return old, err
		}
		if err := record.Add(ctx, tx, who, "meeting", m.Number, "registration_changed",
			fmt.Sprintf("%s changed their registration for %s: %s, %s", n.Name, m.Title(), n.Type, affiliationOr(n.Affiliation)), ""); err != nil {
			return old, err
		}
		return scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.id = $1`, old.ID))
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO registration (meeting_id, person_id, email, name, affiliation, country_code, attendance_type, created, modified)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, m.ID, pid, n.Email, n.Name, n.Affiliation, n.Country, n.Type, tx.Now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return old, fail.Rule("R18", fail.Conflict, "%s is already registered for %s. One registration per address: update it instead.", n.Email, m.Title())
	} else if err != nil {
		return old, err
	}
	if err := record.Add(ctx, tx, who, "meeting", m.Number, "registered",
		fmt.Sprintf("%s registered for %s: %s, %s", n.Name, m.Title(), n.Type, affiliationOr(n.Affiliation)), ""); err != nil {
		return old, err
	}
	return scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.id = $1`, id))
}

func affiliationOr(a string) string {
	if a == "" {
		return "no affiliation"
	}
	return a
}

// StartRegistration mails a link to n.Email that registers its owner
// (someone not logged in). The answer is the same whether or not the
// address is registered, so nobody learns which addresses are: when it
// is, the mail says so and the link updates that registration instead.
func (s *Service) StartRegistration(ctx context.Context, number string, n NewRegistration) (err error) {
	defer fail.Wrap(&err, "meetings.StartRegistration(%q)", number)
	addr, err := people.NormalizeEmail(n.Email)
	if err != nil {
		return err
	}
	n.Email = addr
	if err := checkRegistration(&n); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := openForRegistration(ctx, tx, number, tx.Now, groups.Actor{})
		if err != nil {
			return err
		}
		old, err := scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.meeting_id = $1 AND r.email = $2`, m.ID, addr))
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		secret, hash := secrets.New()
		if _, err := tx.ExecContext(ctx, `INSERT INTO registration_pending (hash, meeting_id, email, name, affiliation, country_code, attendance_type, replaces, created, expires)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, hash, m.ID, addr, n.Name, n.Affiliation, n.Country, n.Type, exists, tx.Now, tx.Now.Add(regLinkTTL)); err != nil {
			return err
		}
		link := fmt.Sprintf("%s/meeting/%s/register/confirm/%s/", s.BaseURL, m.Number, secret)
		what := fmt.Sprintf("Someone, probably you, asked to register %s for %s (%s, %s, %s) as %s.", addr, m.Title(), m.City, m.Country, m.Date.Format(time.DateOnly), n.Type)
		var body string
		if exists {
			body = fmt.Sprintf("%s\n\nThat address is already registered (%s, since %s). One registration per person: open this link within 3 days to update it with the details just given:\n\n  %s\n\nIf it was not you, ignore this mail: your registration stays as it is.\n",
				what, old.Type, old.Created.UTC().Format(time.DateOnly), link)
		} else {
			body = fmt.Sprintf("%s\n\nTo confirm, open this link within 3 days:\n\n  %s\n\nIf it was not you, ignore this mail: nobody is registered without it.\n", what, link)
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), To: []string{addr}, Subject: "Confirm your registration for " + m.Title(), Body: body})
	})
}

func (s *Service) from() string { return "meetings@" + s.Domain }

// PendingRegistration is what a mailed registration link stands for.
type PendingRegistration struct {
	Meeting  string
	Replaces bool // it updates the address's registration
	NewRegistration
}

// CheckRegistrationLink tells what a mailed link would register, without
// using it, so its page can ask for a click (mail scanners fetch links).
func (s *Service) CheckRegistrationLink(ctx context.Context, number, secret string) (PendingRegistration, error) {
	p, _, err := pendingReg(ctx, s.DB, s.DB.Now(), number, secret)
	return p, err
}

func pendingReg(ctx context.Context, q db.Querier, now time.Time, number, secret string) (p PendingRegistration, meetingID int64, err error) {
	var expires time.Time
	var used sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT m.number, m.id, x.replaces, x.email, x.name, x.affiliation, x.country_code, x.attendance_type, x.expires, x.used
		FROM registration_pending x JOIN meeting m ON m.id = x.meeting_id WHERE x.hash = $1`, secrets.Hash(secret)).
		Scan(&p.Meeting, &meetingID, &p.Replaces, &p.Email, &p.Name, &p.Affiliation, &p.Country, &p.Type, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && p.Meeting != strings.ToLower(number)):
		return p, 0, fail.New(fail.NotFound, "This registration link is not valid. Check that you copied all of it from the mail.")
	case err != nil:
		return p, 0, err
	case used.Valid:
		return p, 0, fail.New(fail.Conflict, "This registration link has already been used; you are registered.")
	case !now.Before(expires):
		return p, 0, fail.New(fail.Conflict, "This registration link has expired. Please register again to get a new one.")
	}
	p.Update = p.Replaces
	return p, meetingID, nil
}

// ConfirmRegistration uses a mailed link: it registers its address, or
// updates the address's registration when the mail said so. If the
// address was registered since a link for a new registration was sent,
// the second registration is refused.
func (s *Service) ConfirmRegistration(ctx context.Context, number, secret string) (reg Registration, err error) {
	defer fail.Wrap(&err, "meetings.ConfirmRegistration(%q)", number)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		p, _, err := pendingReg(ctx, tx, tx.Now, number, secret)
		if err != nil {
			return err
		}
		m, err := openForRegistration(ctx, tx, p.Meeting, tx.Now, groups.Actor{})
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE registration_pending SET used = $1 WHERE hash = $2 AND used IS NULL`, tx.Now, secrets.Hash(secret))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.New(fail.Conflict, "This registration link has already been used; you are registered.")
		}
		old, err := scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.meeting_id = $1 AND r.email = $2`, m.ID, p.Email))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The address's account, if it has one, so the registration
		// counts for that person (NomCom eligibility, R45).
		pid, err := db.Scalar[int64](tx.QueryRowContext(ctx, `SELECT person_id FROM person_address WHERE address = $1`, p.Email))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		reg, err = s.saveRegistration(ctx, tx, record.Actor{ID: pid, Name: p.Name}, m, old, pid, p.NewRegistration)
		return err
	})
	return reg, err
}
