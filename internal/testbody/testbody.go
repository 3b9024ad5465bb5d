// Package testbody builds a small standards body for tests: the people
// and groups services on a test database, groups, and people holding
// roles in them (ADs, chairs, the secretariat, participants), all made
// through the services as the CLI and the web make them.
//
// It imports groups and people, so their own tests use it from their
// external test packages (groups_test, people_test).
package testbody

import (
	"context"
	"testing"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
)

// Cheap is password hashing fast enough for tests under -race.
var Cheap = people.Argon2{Memory: 64, Time: 1, Threads: 1}

// Body is a standards body on a test database.
type Body struct {
	t      testing.TB
	DB     *db.DB
	People *people.Service
	Groups *groups.Service
	// Password, when set, is given to every person AddPeople adds, so
	// that they can log in.
	Password string
	// IDs holds the id of everyone added, by the address they were
	// added with.
	IDs map[string]int64
}

// Person is someone to add, holding Role in Group when Role is set.
type Person struct{ Email, Name, Role, Group string }

// New returns an empty body on d. Its people service queues mail in the
// outbox, with links to http://hum.test; a test that reads those links
// may change People.BaseURL before it acts.
func New(t testing.TB, d *db.DB) *Body {
	return &Body{
		t:      t,
		DB:     d,
		People: &people.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", From: "hum@hum.test", Argon2: Cheap},
		Groups: &groups.Service{DB: d},
		IDs:    map[string]int64{},
	}
}

// AddGroups creates groups in order, so that a parent comes before its
// children.
func (b *Body) AddGroups(gs ...groups.NewGroup) {
	b.t.Helper()
	for _, g := range gs {
		if _, err := b.Groups.Create(context.Background(), groups.Operator(record.System), g, ""); err != nil {
			b.t.Fatalf("testbody: create group %s: %v", g.Acronym, err)
		}
	}
}

// AddPeople adds people and grants their roles.
func (b *Body) AddPeople(ps ...Person) {
	b.t.Helper()
	for _, p := range ps {
		id := b.Add(p.Email, p.Name).ID
		if b.Password != "" {
			if err := b.People.SetPassword(context.Background(), record.System, id, b.Password); err != nil {
				b.t.Fatalf("testbody: password of %s: %v", p.Email, err)
			}
		}
		if p.Role != "" {
			b.Grant(p.Group, p.Role, id, p.Email)
		}
	}
}

// Add adds one person with one address.
func (b *Body) Add(email, name string) people.Person {
	b.t.Helper()
	p, err := b.People.Add(context.Background(), record.System, email, name)
	if err != nil {
		b.t.Fatalf("testbody: add %s: %v", email, err)
	}
	b.IDs[email] = p.ID
	return p
}

// Grant gives a person a role in a group, as the system; email is the
// address the role shows ("" for their primary one).
func (b *Body) Grant(acronym, role string, personID int64, email string) {
	b.t.Helper()
	if err := b.Groups.Grant(context.Background(), groups.Operator(record.System), acronym, role, personID, email, ""); err != nil {
		b.t.Fatalf("testbody: grant %s of %s: %v", role, acronym, err)
	}
}

// Writeup is a complete shepherd write-up: an answer of several words to
// each of the 21 questions of the IESG's template (docs.WriteupQuestions),
// as docs.SetWriteup takes it, so that a publication request passes R17.
func Writeup() map[int]string {
	w := map[int]string{}
	for n := 1; n <= 21; n++ {
		w[n] = "The shepherd checked this and found nothing of concern."
	}
	return w
}
