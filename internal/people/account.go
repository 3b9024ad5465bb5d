package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/secrets"
)

// Link purposes.
const (
	PurposeCreate = "create" // confirms the address of a new account
	PurposeReset  = "reset"  // sets a new password
	PurposeEmail  = "email"  // adds an address to an account
)

var linkPath = map[string]string{
	PurposeCreate: "/accounts/create/confirm/",
	PurposeReset:  "/accounts/reset/confirm/",
	PurposeEmail:  "/accounts/email/confirm/",
}

// StartAccount mails a link that lets the owner of addr create an account.
// If the address already has an account, the mail says so and offers a
// reset instead: the reply on the web is the same either way, so nobody
// can probe which addresses have accounts.
func (s *Service) StartAccount(ctx context.Context, addr string) (err error) {
	defer fail.Wrap(&err, "people.StartAccount(%q)", addr)
	if addr, err = NormalizeEmail(addr); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT person_id FROM email WHERE address = $1`, addr).Scan(&id)
		if err == nil {
			return s.Mail.Queue(ctx, tx, mail.Message{From: s.From, To: []string{addr}, Subject: "You already have an account",
				Body: fmt.Sprintf("Someone, probably you, asked to create an account for %s.\n\nThat address already has an account. If you forgot its password, reset it here:\n\n  %s/accounts/reset/\n\nIf it was not you, ignore this mail.\n", addr, s.BaseURL)})
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		link, err := s.newLink(ctx, tx, PurposeCreate, addr, 0)
		if err != nil {
			return err
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.From, To: []string{addr}, Subject: "Confirm your new account",
			Body: fmt.Sprintf("Someone, probably you, asked to create an account for %s.\n\nTo confirm, and to choose your name and password, open this link within %s:\n\n  %s\n\nIf it was not you, ignore this mail: no account is made without it.\n", addr, humanTTL(s.ttl()), link)})
	})
}

func humanTTL(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	return d.String()
}

// newLink stores a token and returns the full link to mail.
func (s *Service) newLink(ctx context.Context, tx *db.Tx, purpose, addr string, personID int64) (string, error) {
	secret, hash := secrets.New()
	var pid sql.NullInt64
	if personID != 0 {
		pid = sql.NullInt64{Int64: personID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO token (hash, purpose, email, person_id, created, expires) VALUES ($1, $2, $3, $4, $5, $6)`,
		hash, purpose, addr, pid, tx.Now, tx.Now.Add(s.ttl()))
	return s.BaseURL + linkPath[purpose] + secret + "/", err
}

// Link is what a mailed link stands for.
type Link struct {
	Purpose  string
	Email    string
	PersonID int64
}

// CheckLink tells whether a mailed link may still be used, without
// using it, so the page behind it can show its form or a clear error.
func (s *Service) CheckLink(ctx context.Context, purpose, secret string) (Link, error) {
	return checkLink(ctx, s.DB, s.DB.Now(), purpose, secret)
}

func checkLink(ctx context.Context, q db.Querier, now time.Time, purpose, secret string) (Link, error) {
	var l Link
	var expires time.Time
	var used sql.NullTime
	var pid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT purpose, email, person_id, expires, used FROM token WHERE hash = $1`, secrets.Hash(secret)).
		Scan(&l.Purpose, &l.Email, &pid, &expires, &used)
	l.PersonID = pid.Int64
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && l.Purpose != purpose):
		return l, fail.New(fail.NotFound, "This link is not valid. Check that you copied all of it from the mail.")
	case err != nil:
		return l, err
	case used.Valid:
		return l, fail.New(fail.Conflict, "This link has already been used. Each link works once: ask for a new one if you need to.")
	case !now.Before(expires):
		return l, fail.New(fail.Conflict, "This link has expired: links work for a limited time. Please ask for a new one.")
	}
	return l, nil
}

// useLink marks a link used inside tx; it fails if it was used meanwhile.
func useLink(ctx context.Context, tx *db.Tx, purpose, secret string) (Link, error) {
	l, err := checkLink(ctx, tx, tx.Now, purpose, secret)
	if err != nil {
		return l, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE token SET used = $1 WHERE hash = $2 AND used IS NULL`, tx.Now, secrets.Hash(secret))
	if err != nil {
		return l, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return l, fail.New(fail.Conflict, "This link has already been used.")
	}
	return l, nil
}

// CheckPassword applies hum's password rule.
func CheckPassword(pw string) error {
	switch {
	case len(pw) < 10:
		return fail.Field("password", "Please choose a password of at least 10 characters.")
	case len(pw) > 1024:
		return fail.Field("password", "That password is longer than 1024 characters.")
	case strings.TrimSpace(pw) == "":
		return fail.Field("password", "A password cannot be only spaces.")
	}
	return nil
}

// FinishAccount uses a create link: it makes the account with a name and
// a password and returns the new person.
func (s *Service) FinishAccount(ctx context.Context, secret, name, password string) (p Person, err error) {
	defer fail.Wrap(&err, "people.FinishAccount")
	if name, err = checkName(name); err != nil {
		return p, err
	}
	if err = CheckPassword(password); err != nil {
		return p, err
	}
	if _, err = s.CheckLink(ctx, PurposeCreate, secret); err != nil {
		return p, err
	}
	hash := s.argon().hash(password) // slow: outside the write transaction
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		l, err := useLink(ctx, tx, PurposeCreate, secret)
		if err != nil {
			return err
		}
		if p, err = insertPerson(ctx, tx, l.Email, name, hash); err != nil {
			return err
		}
		return record.Add(ctx, tx, record.Actor{ID: p.ID, Name: p.Name}, "person", record.SubjectID(p.ID), "account_created", "Account created", "")
	})
	return p, err
}

// dummyHash is verified against when an address has no account, so a
// wrong address takes as long as a wrong password.
var dummyHash = DefaultArgon2.hash("no such account")

// Login checks an address and password. The error is the same whether
// the address is unknown or the password wrong.
func (s *Service) Login(ctx context.Context, addr, password string) (Person, error) {
	bad := fail.New(fail.Unauthorized, "That email address and password do not match an account. Check both, or reset your password.")
	norm, err := NormalizeEmail(addr)
	if err != nil {
		return Person{}, err
	}
	var id int64
	var hash string
	err = s.DB.QueryRowContext(ctx, `SELECT p.id, p.password_hash FROM person p JOIN email e ON e.person_id = p.id WHERE e.address = $1`, norm).Scan(&id, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Person{}, err
	}
	if hash == "" {
		verify(dummyHash, password)
		return Person{}, bad
	}
	if !verify(hash, password) {
		return Person{}, bad
	}
	return s.ByID(ctx, id)
}

// StartReset mails a reset link if addr has an account; it says nothing
// either way.
func (s *Service) StartReset(ctx context.Context, addr string) (err error) {
	defer fail.Wrap(&err, "people.StartReset(%q)", addr)
	if addr, err = NormalizeEmail(addr); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT person_id FROM email WHERE address = $1`, addr).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		link, err := s.newLink(ctx, tx, PurposeReset, addr, id)
		if err != nil {
			return err
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.From, To: []string{addr}, Subject: "Reset your password",
			Body: fmt.Sprintf("Someone, probably you, asked to reset the password of the account for %s.\n\nTo choose a new password, open this link within %s:\n\n  %s\n\nIf it was not you, ignore this mail: your password stays as it is.\n", addr, humanTTL(s.ttl()), link)})
	})
}

// FinishReset uses a reset link to set a new password.
func (s *Service) FinishReset(ctx context.Context, secret, password string) (p Person, err error) {
	defer fail.Wrap(&err, "people.FinishReset")
	if err = CheckPassword(password); err != nil {
		return p, err
	}
	if _, err = s.CheckLink(ctx, PurposeReset, secret); err != nil {
		return p, err
	}
	hash := s.argon().hash(password)
	var personID int64
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		l, err := useLink(ctx, tx, PurposeReset, secret)
		if err != nil {
			return err
		}
		personID = l.PersonID
		return s.setPassword(ctx, tx, l.PersonID, hash, "password_reset", "Password reset by mail")
	})
	if err != nil {
		return p, err
	}
	return s.ByID(ctx, personID)
}

func (s *Service) setPassword(ctx context.Context, tx *db.Tx, personID int64, hash, kind, summary string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE person SET password_hash = $1, session_gen = session_gen + 1 WHERE id = $2`, hash, personID); err != nil {
		return err
	}
	return s.addRecord(ctx, tx, personID, kind, summary)
}

// EndSessions ends every session of personID ("log out everywhere"), as
// a new password does: it moves the person's SessionGen on.
func (s *Service) EndSessions(ctx context.Context, personID int64) (err error) {
	defer fail.Wrap(&err, "people.EndSessions(%d)", personID)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE person SET session_gen = session_gen + 1 WHERE id = $1`, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.New(fail.NotFound, "No person with id %d.", personID)
		}
		return s.addRecord(ctx, tx, personID, "sessions_ended", "Logged out everywhere")
	})
}

// ChangePassword sets a new password after checking the current one. Like
// every new password, it ends the person's sessions (SessionGen); the web
// starts a new one for the browser that made the change.
func (s *Service) ChangePassword(ctx context.Context, personID int64, current, next string) (err error) {
	defer fail.Wrap(&err, "people.ChangePassword(%d)", personID)
	var hash string
	if err := s.DB.QueryRowContext(ctx, `SELECT password_hash FROM person WHERE id = $1`, personID).Scan(&hash); err != nil {
		return err
	}
	if hash != "" && !verify(hash, current) {
		return fail.Field("current", "Your current password is not right.")
	}
	if err := CheckPassword(next); err != nil {
		return err
	}
	newHash := s.argon().hash(next)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		return s.setPassword(ctx, tx, personID, newHash, "password_changed", "Password changed")
	})
}

// SetPassword sets a password without the current one, for the admin CLI
// and the demo. The change is recorded as made by `by`.
func (s *Service) SetPassword(ctx context.Context, by record.Actor, personID int64, password string) (err error) {
	defer fail.Wrap(&err, "people.SetPassword(%d)", personID)
	if err = CheckPassword(password); err != nil {
		return err
	}
	hash := s.argon().hash(password)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE person SET password_hash = $1, session_gen = session_gen + 1 WHERE id = $2`, hash, personID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by, "person", record.SubjectID(personID), "password_set", "Password set by an administrator", "")
	})
}
