package meetings

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

// The ISOC fellowship brings people to a meeting. A logged-in person
// applies before the meeting's deadline (set by the secretariat); the
// reviewing committee, the members and chair of the group FellowshipGroup
// (set up and staffed by the secretariat), scores the applications and
// awards or declines each; the applicant is told by mail, and a fellow is
// registered for the meeting. Fellows are public; applications are not,
// so their events name neither the applicant nor what they wrote.

// FellowshipGroup is the acronym of the reviewing committee's group.
const FellowshipGroup = "fellowship"

// Application statuses.
const (
	Applied  = "applied"
	Awarded  = "awarded"
	Declined = "declined"
)

// Application is an application for the fellowship.
type Application struct {
	ID           int64
	Meeting      string
	PersonID     int64
	Name         string
	Email        string
	Statement    string
	Country      string
	Affiliation  string
	FirstMeeting bool
	Status       string
	Created      time.Time
	Modified     time.Time
	Scores       []Score
}

// Mean is the mean of the application's scores, 0 if it has none.
func (a Application) Mean() float64 {
	if len(a.Scores) == 0 {
		return 0
	}
	sum := 0
	for _, s := range a.Scores {
		sum += s.Score
	}
	return float64(sum) / float64(len(a.Scores))
}

// Score is a reviewer's score of an application.
type Score struct {
	ReviewerID int64
	Reviewer   string
	Score      int // 1 (weak) to 5 (strong)
	Comment    string
}

// NewApplication is what an applicant writes.
type NewApplication struct {
	Statement    string
	Country      string
	Affiliation  string
	FirstMeeting bool
}

// Reviewer reports whether by sits on the reviewing committee or works
// for the secretariat: who may read, score and decide applications.
func Reviewer(by groups.Actor) bool { return by.Secretariat() || by.Member(FellowshipGroup) }

// FellowshipDeadline returns a meeting's application deadline; ok is
// false when the secretariat has set none (applications are closed).
func (s *Service) FellowshipDeadline(ctx context.Context, number string) (deadline time.Time, ok bool, err error) {
	m, err := get(ctx, s.DB, number)
	if err != nil {
		return deadline, false, err
	}
	return fellowshipDeadline(ctx, s.DB, m.ID)
}

func fellowshipDeadline(ctx context.Context, q db.Querier, meetingID int64) (time.Time, bool, error) {
	t, err := db.Scalar[time.Time](q.QueryRowContext(ctx, `SELECT deadline FROM fellowship_call WHERE meeting_id = $1`, meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	return t.UTC(), err == nil, err
}

// SetFellowshipDeadline opens (or moves) a meeting's call for fellowship
// applications. Only the secretariat may.
func (s *Service) SetFellowshipDeadline(ctx context.Context, by groups.Actor, number string, deadline time.Time, why string) (err error) {
	defer fail.Wrap(&err, "meetings.SetFellowshipDeadline(%q)", number)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat sets the fellowship's deadline.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if m.Type != IETF {
			return fail.New(fail.Invalid, "The fellowship is for IETF meetings, not interims.")
		}
		if deadline.IsZero() || !deadline.Before(m.Date) {
			return fail.Field("deadline", "The deadline falls before the meeting's first day, %s.", m.Date.Format(time.DateOnly))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fellowship_call (meeting_id, deadline, modified) VALUES ($1, $2, $3)
			ON CONFLICT (meeting_id) DO UPDATE SET deadline = excluded.deadline, modified = excluded.modified`, m.ID, deadline.UTC(), tx.Now); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, "fellowship_deadline",
			fmt.Sprintf("Set the deadline for ISOC fellowship applications to %s to %s UTC", m.Title(), deadline.UTC().Format("2006-01-02 15:04")), why)
	})
}

func checkApplication(n *NewApplication) error {
	n.Statement = strings.TrimSpace(n.Statement)
	n.Country = strings.ToUpper(strings.TrimSpace(n.Country))
	n.Affiliation = strings.TrimSpace(n.Affiliation)
	var problems []*fail.Error
	if n.Statement == "" || !utf8.ValidString(n.Statement) || utf8.RuneCountInString(n.Statement) > 5000 {
		problems = append(problems, fail.Field("statement", "Say in up to 5,000 characters why you would like to attend and what you will bring back."))
	}
	if !isCountry(n.Country) {
		problems = append(problems, fail.Field("country", "The country is a two-letter ISO 3166 code, such as KE; got %q.", n.Country))
	}
	if err := checkText("affiliation", "The affiliation", n.Affiliation, false); err != nil {
		problems = append(problems, err)
	}
	if len(problems) == 1 {
		return problems[0]
	}
	if len(problems) > 0 {
		return fail.Join(fail.Invalid, problems, "The application was not sent: %d fields need mending.", len(problems))
	}
	return nil
}

// applicant is how the record names someone who applied: applications
// are not public.
var applicant = record.Actor{Name: "(a fellowship applicant)"}

// Apply sends, or changes before the deadline, by's application for a
// meeting's fellowship.
func (s *Service) Apply(ctx context.Context, by groups.Actor, number string, n NewApplication) (err error) {
	defer fail.Wrap(&err, "meetings.Apply(%q, %d)", number, by.ID)
	if by.ID == 0 {
		return fail.New(fail.Unauthorized, "Please log in to apply for the fellowship.")
	}
	if err := checkApplication(&n); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		deadline, ok, err := fellowshipDeadline(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if !ok {
			return fail.New(fail.Conflict, "Applications for the fellowship to %s are not open.", m.Title())
		}
		if !tx.Now.Before(deadline) {
			return fail.New(fail.Conflict, "Applications for the fellowship to %s closed on %s UTC.", m.Title(), deadline.Format("2006-01-02 15:04"))
		}
		res, err := tx.ExecContext(ctx, `UPDATE fellowship_application SET statement = $1, country_code = $2, affiliation = $3, first_meeting = $4, modified = $5
			WHERE meeting_id = $6 AND person_id = $7 AND status = 'applied'`, n.Statement, n.Country, n.Affiliation, n.FirstMeeting, tx.Now, m.ID, by.ID)
		if err != nil {
			return err
		}
		kind, summary := "fellowship_changed", "An application for the ISOC fellowship to "+m.Title()+" was changed"
		if changed, _ := res.RowsAffected(); changed == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO fellowship_application (meeting_id, person_id, statement, country_code, affiliation, first_meeting, status, created, modified)
				VALUES ($1, $2, $3, $4, $5, $6, 'applied', $7, $7)`, m.ID, by.ID, n.Statement, n.Country, n.Affiliation, n.FirstMeeting, tx.Now)
			if db.IsUniqueViolation(err) {
				return fail.New(fail.Conflict, "Your application for %s has been decided already.", m.Title())
			} else if err != nil {
				return err
			}
			kind, summary = "fellowship_applied", "An application for the ISOC fellowship to "+m.Title()+" was received"
		}
		return record.Add(ctx, tx, applicant, "meeting", m.Number, kind, summary, "")
	})
}

const appCols = `f.id, m.number, f.person_id, p.name, COALESCE((SELECT e.address FROM person_address e WHERE e.person_id = f.person_id ORDER BY e.is_primary DESC, e.address LIMIT 1), ''),
	f.statement, f.country_code, f.affiliation, f.first_meeting, f.status, f.created, f.modified`
const appFrom = ` FROM fellowship_application f JOIN meeting m ON m.id = f.meeting_id JOIN person_name p ON p.id = f.person_id `

func scanApp(row db.Scanner) (a Application, err error) {
	err = row.Scan(&a.ID, &a.Meeting, &a.PersonID, &a.Name, &a.Email, &a.Statement, &a.Country, &a.Affiliation, &a.FirstMeeting, &a.Status, &a.Created, &a.Modified)
	return a, err
}

// MyApplication returns by's own application for a meeting, if any.
func (s *Service) MyApplication(ctx context.Context, by groups.Actor, number string) (Application, bool, error) {
	if by.ID == 0 {
		return Application{}, false, nil
	}
	a, err := scanApp(s.DB.QueryRowContext(ctx, `SELECT `+appCols+appFrom+`WHERE m.number = $1 AND f.person_id = $2`, strings.ToLower(number), by.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, err
}

// Applications lists a meeting's applications with their scores, for
// the committee and the secretariat only.
func (s *Service) Applications(ctx context.Context, by groups.Actor, number string) (as []Application, err error) {
	defer fail.Wrap(&err, "meetings.Applications(%q)", number)
	if !Reviewer(by) {
		return nil, fail.New(fail.Forbidden, "Fellowship applications are read only by the reviewing committee and the secretariat.")
	}
	as, err = db.Query(ctx, s.DB, scanApp, `SELECT `+appCols+appFrom+`WHERE m.number = $1 ORDER BY f.created, f.id`, strings.ToLower(number))
	if err != nil {
		return nil, err
	}
	for i := range as {
		as[i].Scores, err = db.Query(ctx, s.DB, func(row db.Scanner) (sc Score, err error) {
			err = row.Scan(&sc.ReviewerID, &sc.Reviewer, &sc.Score, &sc.Comment)
			return sc, err
		}, `SELECT x.reviewer_id, p.name, x.score, x.comment FROM fellowship_score x JOIN person_name p ON p.id = x.reviewer_id
			WHERE x.application_id = $1 ORDER BY p.name`, as[i].ID)
		if err != nil {
			return nil, err
		}
	}
	return as, nil
}

// application loads one application of a meeting for a reviewer, in tx.
func application(ctx context.Context, tx *db.Tx, by groups.Actor, number string, id int64) (Meeting, Application, error) {
	if !Reviewer(by) {
		return Meeting{}, Application{}, fail.New(fail.Forbidden, "Only the fellowship's reviewing committee and the secretariat review applications.")
	}
	m, err := get(ctx, tx, number)
	if err != nil {
		return m, Application{}, err
	}
	a, err := scanApp(tx.QueryRowContext(ctx, `SELECT `+appCols+appFrom+`WHERE f.meeting_id = $1 AND f.id = $2`, m.ID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, a, fail.Field("application", "%s has no fellowship application %d.", m.Title(), id)
	}
	return m, a, err
}

// ScoreApplication records (or changes) a reviewer's score of an
// application, from 1 to 5.
func (s *Service) ScoreApplication(ctx context.Context, by groups.Actor, number string, id int64, score int, comment string) (err error) {
	defer fail.Wrap(&err, "meetings.ScoreApplication(%q, %d)", number, id)
	if score < 1 || score > 5 {
		return fail.Field("score", "A score is a whole number from 1 (weak) to 5 (strong); got %d.", score)
	}
	if utf8.RuneCountInString(comment) > 2000 {
		return fail.Field("comment", "A reviewer's comment may be at most 2,000 characters.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, a, err := application(ctx, tx, by, number, id)
		if err != nil {
			return err
		}
		if a.Status != Applied {
			return fail.New(fail.Conflict, "Application %d has been %s already.", a.ID, a.Status)
		}
		if by.ID == 0 {
			return fail.New(fail.Forbidden, "A score needs a reviewer with an account.")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fellowship_score (application_id, reviewer_id, score, comment, modified) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (application_id, reviewer_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, modified = excluded.modified`,
			a.ID, by.ID, score, strings.TrimSpace(comment), tx.Now); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, "fellowship_scored",
			fmt.Sprintf("Scored fellowship application %d for %s", a.ID, m.Title()), "")
	})
}

// Decide awards the fellowship to an applicant, or declines them, and
// tells them by mail. A fellow is registered for the meeting, onsite (or
// their registration becomes a fellow's).
func (s *Service) Decide(ctx context.Context, by groups.Actor, number string, id int64, award bool, why string) (err error) {
	defer fail.Wrap(&err, "meetings.Decide(%q, %d)", number, id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, a, err := application(ctx, tx, by, number, id)
		if err != nil {
			return err
		}
		if a.Status != Applied {
			return fail.New(fail.Conflict, "Application %d has been %s already.", a.ID, a.Status)
		}
		status := Declined
		if award {
			status = Awarded
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fellowship_application SET status = $1, decided_by = $2, modified = $3 WHERE id = $4`,
			status, sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}, tx.Now, a.ID); err != nil {
			return err
		}
		body := fmt.Sprintf("Dear %s,\n\nThank you for applying for the ISOC fellowship to %s. We are sorry to tell you that the committee could not offer you a fellowship this time. Registration, onsite or remote, stays open to anyone:\n\n  %s/meeting/%s/register/\n",
			a.Name, m.Title(), s.BaseURL, m.Number)
		summary := fmt.Sprintf("Decided fellowship application %d for %s", a.ID, m.Title())
		if award {
			if err := s.registerFellow(ctx, tx, by, m, a); err != nil {
				return err
			}
			body = fmt.Sprintf("Dear %s,\n\nWe are glad to tell you that you have been awarded the ISOC fellowship to %s in %s, from %s. You are registered for the meeting as an onsite attendee:\n\n  %s/meeting/%s/attendees/\n\nThe fellowship team will write to you about travel and lodging.\n",
				a.Name, m.Title(), m.City, m.Date.Format(time.DateOnly), s.BaseURL, m.Number)
			summary = fmt.Sprintf("Awarded the ISOC fellowship to %s to %s", a.Name, m.Title())
		}
		if a.Email != "" {
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), To: []string{a.Email}, Subject: "Your ISOC fellowship application for " + m.Title(), Body: body}); err != nil {
				return err
			}
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, "fellowship_decided", summary, why)
	})
}

// registerFellow registers an awarded applicant, onsite, with a fellow's
// ticket, or makes their registration one.
func (s *Service) registerFellow(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, a Application) error {
	old, err := s.ownRegistration(ctx, tx, m.ID, a.PersonID)
	if err != nil {
		return err
	}
	n := NewRegistration{Email: a.Email, Name: a.Name, Affiliation: a.Affiliation, Country: a.Country, Type: Onsite, Update: true}
	if old.ID != 0 {
		n.Email, n.Name = old.Email, old.Name
	}
	r, err := s.saveRegistration(ctx, tx, by.Actor, m, old, a.PersonID, n)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE registration SET ticket_type = 'fellow' WHERE id = $1`, r.ID)
	return err
}

// Fellow is an awarded fellow, as the public list shows them.
type Fellow struct {
	Name        string
	Affiliation string
	Country     string
}

// Fellows lists the fellows of a meeting, by name: the list is public.
func (s *Service) Fellows(ctx context.Context, number string) ([]Fellow, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (f Fellow, err error) {
		err = row.Scan(&f.Name, &f.Affiliation, &f.Country)
		return f, err
	}, `SELECT p.name, f.affiliation, f.country_code FROM fellowship_application f JOIN meeting m ON m.id = f.meeting_id
		JOIN person_name p ON p.id = f.person_id WHERE m.number = $1 AND f.status = 'awarded' ORDER BY p.name`, strings.ToLower(number))
}
