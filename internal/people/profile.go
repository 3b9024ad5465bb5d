package people

import (
	"context"
	"crypto/subtle"
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

// UpdateProfile changes what a person shows about themself.
func (s *Service) UpdateProfile(ctx context.Context, personID int64, name, bio string, showEmail bool) (err error) {
	defer fail.Wrap(&err, "people.UpdateProfile(%d)", personID)
	if name, err = checkName(name); err != nil {
		return err
	}
	if len(bio) > 5000 {
		return fail.Field("biography", "The biography is longer than 5000 characters.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE person SET name = $1, ascii_name = $2, biography = $3, show_email = $4 WHERE id = $5`,
			name, asciiName(name), strings.TrimSpace(bio), showEmail, personID); err != nil {
			return err
		}
		return record.Add(ctx, tx, record.Actor{ID: personID, Name: name}, "person", record.SubjectID(personID), "profile_changed", "Profile changed", "")
	})
}

// StartAddEmail mails a link to addr that adds it to the person's account.
func (s *Service) StartAddEmail(ctx context.Context, personID int64, addr string) (err error) {
	defer fail.Wrap(&err, "people.StartAddEmail(%d, %q)", personID, addr)
	if addr, err = NormalizeEmail(addr); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT person_id FROM email WHERE address = $1`, addr).Scan(&owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if owner != 0 {
			return fail.Field("email", "The address %s already belongs to an account.", addr)
		}
		link, err := s.newLink(ctx, tx, PurposeEmail, addr, personID)
		if err != nil {
			return err
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.From, To: []string{addr}, Subject: "Confirm your address",
			Body: fmt.Sprintf("Someone, probably you, asked to add %s to their account.\n\nTo confirm, open this link within %s:\n\n  %s\n\nIf it was not you, ignore this mail.\n", addr, humanTTL(s.ttl()), link)})
	})
}

// FinishAddEmail uses an address link.
func (s *Service) FinishAddEmail(ctx context.Context, secret string) (addr string, err error) {
	defer fail.Wrap(&err, "people.FinishAddEmail")
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		l, err := useLink(ctx, tx, PurposeEmail, secret)
		if err != nil {
			return err
		}
		addr = l.Email
		_, err = tx.ExecContext(ctx, `INSERT INTO email (address, person_id, is_primary, created) VALUES ($1, $2, FALSE, $3)`, l.Email, l.PersonID, tx.Now)
		if db.IsUniqueViolation(err) {
			return fail.Field("email", "The address %s already belongs to an account.", l.Email)
		}
		if err != nil {
			return err
		}
		return s.addRecord(ctx, tx, l.PersonID, "email_added", "Email address added")
	})
	return addr, err
}

// SetPrimaryEmail makes one of the person's addresses the primary one.
func (s *Service) SetPrimaryEmail(ctx context.Context, personID int64, addr string) error {
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE email SET is_primary = (address = $1) WHERE person_id = $2`, strings.ToLower(addr), personID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM email WHERE person_id = $1 AND is_primary`, personID).Scan(&n); err != nil {
			return err
		}
		if c, _ := res.RowsAffected(); c == 0 || n != 1 {
			return fail.Field("email", "%s is not one of your addresses.", addr)
		}
		return s.addRecord(ctx, tx, personID, "email_primary", "Primary email address changed")
	})
}

// RemoveEmail drops an address; the last one cannot go.
func (s *Service) RemoveEmail(ctx context.Context, personID int64, addr string) error {
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM email WHERE person_id = $1`, personID).Scan(&n); err != nil {
			return err
		}
		if n <= 1 {
			return fail.Field("email", "You cannot remove your only address: add another one first.")
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM email WHERE person_id = $1 AND address = $2 AND NOT is_primary`, personID, strings.ToLower(addr))
		if err != nil {
			return err
		}
		if c, _ := res.RowsAffected(); c == 0 {
			return fail.Field("email", "%s is not one of your non-primary addresses.", addr)
		}
		return s.addRecord(ctx, tx, personID, "email_removed", "Email address removed")
	})
}

// addRecord records a change to a person's own account, made by them.
func (s *Service) addRecord(ctx context.Context, tx *db.Tx, personID int64, kind, summary string) error {
	a := record.Actor{ID: personID}
	if err := tx.QueryRowContext(ctx, `SELECT name FROM person WHERE id = $1`, personID).Scan(&a.Name); err != nil {
		return err
	}
	return record.Add(ctx, tx, a, "person", record.SubjectID(personID), kind, summary, "")
}

// APIKey is a personal API key as listed to its owner. The secret is
// shown once, when it is made.
type APIKey struct {
	ID       int64
	Label    string
	Created  time.Time
	LastUsed *time.Time
	Revoked  *time.Time
}

// NewAPIKey makes a key for personID and returns its secret.
func (s *Service) NewAPIKey(ctx context.Context, personID int64, label string) (secret string, err error) {
	defer fail.Wrap(&err, "people.NewAPIKey(%d)", personID)
	label = strings.TrimSpace(label)
	if len(label) > 100 {
		return "", fail.Field("label", "The label is longer than 100 characters.")
	}
	secret, hash := secrets.New()
	secret = "hum_" + secret
	hash = secrets.Hash(secret)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_key (person_id, hash, label, created) VALUES ($1, $2, $3, $4)`, personID, hash, label, tx.Now); err != nil {
			return err
		}
		return s.addRecord(ctx, tx, personID, "apikey_created", "API key created")
	})
	return secret, err
}

// APIKeys lists a person's keys.
func (s *Service) APIKeys(ctx context.Context, personID int64) ([]APIKey, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (APIKey, error) {
		var k APIKey
		err := row.Scan(&k.ID, &k.Label, &k.Created, &k.LastUsed, &k.Revoked)
		return k, err
	}, `SELECT id, label, created, last_used, revoked FROM api_key WHERE person_id = $1 ORDER BY id`, personID)
}

// RevokeAPIKey stops a key from working.
func (s *Service) RevokeAPIKey(ctx context.Context, personID, keyID int64) error {
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_key SET revoked = $1 WHERE id = $2 AND person_id = $3 AND revoked IS NULL`, tx.Now, keyID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.New(fail.NotFound, "You have no active API key %d.", keyID)
		}
		return s.addRecord(ctx, tx, personID, "apikey_revoked", "API key revoked")
	})
}

// ByAPIKey returns the owner of an active key.
func (s *Service) ByAPIKey(ctx context.Context, secret string) (Person, error) {
	var id int64
	var hash string
	err := s.DB.QueryRowContext(ctx, `SELECT person_id, hash FROM api_key WHERE hash = $1 AND revoked IS NULL`, secrets.Hash(secret)).Scan(&id, &hash)
	if err != nil || subtle.ConstantTimeCompare([]byte(hash), []byte(secrets.Hash(secret))) != 1 {
		return Person{}, fail.New(fail.Unauthorized, "That API key is not valid, or has been revoked.")
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE api_key SET last_used = $1 WHERE hash = $2`, s.DB.Now(), hash); err != nil {
		return Person{}, err
	}
	return s.ByID(ctx, id)
}
