// Package people holds accounts: a person, their email addresses, their
// password, the links mailed to confirm an address or reset a password,
// and personal API keys. Anyone may create an account (R18: there is no
// membership). Roles live in package groups.
package people

import (
	"context"
	"database/sql"
	"errors"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// Person is someone with an account.
type Person struct {
	ID        int64
	Name      string
	ASCIIName string
	Biography string
	ShowEmail bool
	Created   time.Time
	Email     string // primary address
	HasLogin  bool   // a password is set
	// SessionGen moves on whenever every session of the person must end
	// (a new password, a reset, "log out everywhere"): a web session
	// keeps the generation it started in and is over once it differs.
	SessionGen int64
}

// Email is one of a person's addresses.
type Email struct {
	Address string
	Primary bool
	Created time.Time
}

// Mailer queues mail in a transaction (mail.Outbox does).
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Service is the people store.
type Service struct {
	DB      *db.DB
	Mail    Mailer
	BaseURL string // for links in mail, without a trailing slash
	From    string // sender address of account mail
	Argon2  Argon2 // zero means DefaultArgon2
	// TokenTTL is how long a mailed link stays valid; zero means 3 days.
	TokenTTL time.Duration
}

func (s *Service) argon() Argon2 {
	if s.Argon2.Memory == 0 {
		return DefaultArgon2
	}
	return s.Argon2
}

func (s *Service) ttl() time.Duration {
	if s.TokenTTL == 0 {
		return 72 * time.Hour
	}
	return s.TokenTTL
}

// NormalizeEmail checks an address and returns it in the form hum keeps:
// the bare address, domain lower-cased. Local parts are compared
// case-insensitively too, as every real mail system does.
func NormalizeEmail(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", fail.Field("email", "Please give an email address.")
	}
	a, err := netmail.ParseAddress(addr)
	if err != nil || a.Address != addr || !strings.Contains(a.Address, "@") || len(addr) > 254 {
		return "", fail.Field("email", "%q is not a valid email address: it should look like name@example.org.", addr)
	}
	local, domain, _ := strings.Cut(a.Address, "@")
	if !strings.Contains(domain, ".") || strings.ContainsAny(addr, " \t\r\n<>") {
		return "", fail.Field("email", "%q is not a valid email address: the domain after @ needs a dot, as in example.org.", addr)
	}
	return strings.ToLower(local + "@" + domain), nil
}

const personCols = `p.id, p.name, p.ascii_name, p.biography, p.show_email, p.created, p.password_hash <> '',
	COALESCE((SELECT e.address FROM email e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created LIMIT 1), ''), p.session_gen`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.Name, &p.ASCIIName, &p.Biography, &p.ShowEmail, &p.Created, &p.HasLogin, &p.Email, &p.SessionGen)
	return p, err
}

// ByEmail finds the person who owns any of their addresses.
func (s *Service) ByEmail(ctx context.Context, addr string) (Person, error) {
	addr, err := NormalizeEmail(addr)
	if err != nil {
		return Person{}, err
	}
	p, err := scanPerson(s.DB.QueryRowContext(ctx, `SELECT `+personCols+` FROM person p JOIN email e ON e.person_id = p.id WHERE e.address = $1`, addr))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.New(fail.NotFound, "No person has the address %s.", addr)
	}
	return p, err
}

// ByID finds a person by id.
func (s *Service) ByID(ctx context.Context, id int64) (Person, error) {
	p, err := scanPerson(s.DB.QueryRowContext(ctx, `SELECT `+personCols+` FROM person p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.New(fail.NotFound, "No person with id %d.", id)
	}
	return p, err
}

// Emails lists a person's addresses, primary first.
func (s *Service) Emails(ctx context.Context, personID int64) ([]Email, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Email, error) {
		var e Email
		err := row.Scan(&e.Address, &e.Primary, &e.Created)
		return e, err
	}, `SELECT address, is_primary, created FROM email WHERE person_id = $1 ORDER BY is_primary DESC, created`, personID)
}

// Addresses lists a person's addresses, primary first: list mail, posts
// and submissions may come from any of them.
func (s *Service) Addresses(ctx context.Context, personID int64) ([]string, error) {
	es, err := s.Emails(ctx, personID)
	addrs := make([]string, len(es))
	for i, e := range es {
		addrs[i] = e.Address
	}
	return addrs, err
}

// Add creates a person with one address and no password, for the admin
// CLI and imports. They can set a password through a reset.
func (s *Service) Add(ctx context.Context, by record.Actor, addr, name string) (p Person, err error) {
	defer fail.Wrap(&err, "people.Add(%q)", addr)
	if addr, err = NormalizeEmail(addr); err != nil {
		return p, err
	}
	if name, err = checkName(name); err != nil {
		return p, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		p, err = insertPerson(ctx, tx, addr, name, "")
		if err != nil {
			return err
		}
		return record.Add(ctx, tx, by, "person", record.SubjectID(p.ID), "person_added", "Person added: "+name, "")
	})
	return p, err
}

func checkName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return "", fail.Field("name", "Please give your name as you want it shown on documents and in the record.")
	case utf8.RuneCountInString(name) > 100:
		return "", fail.Field("name", "That name is longer than 100 characters.")
	}
	return name, nil
}

func insertPerson(ctx context.Context, tx *db.Tx, addr, name, hash string) (Person, error) {
	p := Person{Name: name, ASCIIName: asciiName(name), Created: tx.Now, Email: addr, HasLogin: hash != ""}
	err := tx.QueryRowContext(ctx, `INSERT INTO person (name, ascii_name, password_hash, created) VALUES ($1, $2, $3, $4) RETURNING id`,
		p.Name, p.ASCIIName, hash, tx.Now).Scan(&p.ID)
	if err != nil {
		return p, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO email (address, person_id, is_primary, created) VALUES ($1, $2, TRUE, $3)`, addr, p.ID, tx.Now)
	if db.IsUniqueViolation(err) {
		return p, fail.Field("email", "The address %s already belongs to an account.", addr)
	}
	return p, err
}

// asciiName keeps the name when it is ASCII already; otherwise it is left
// for the person to fill in, as the Datatracker does.
func asciiName(name string) string {
	for _, r := range name {
		if r > 127 {
			return ""
		}
	}
	return name
}
