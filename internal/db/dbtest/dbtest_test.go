package dbtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

var when = time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)

func count(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func addPerson(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(`INSERT INTO person (name, created) VALUES ($1, $2) RETURNING id`, name, when).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestNewIsFreshEachTime: a test's database is migrated and empty, and
// neither the rows nor the schema changes of an earlier test show in a
// later one's (on PostgreSQL the later one gets the same pooled schema,
// emptied, or made anew where the schema was changed).
func TestNewIsFreshEachTime(t *testing.T) {
	for i := range 3 {
		t.Run(fmt.Sprint("test", i), func(t *testing.T) {
			d := dbtest.New(t)
			latest, err := d.Latest()
			if err != nil {
				t.Fatal(err)
			}
			if v, err := d.Version(context.Background()); err != nil || v != latest {
				t.Fatalf("version %d (%v), want %d", v, err, latest)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM person`); n != 0 {
				t.Errorf("run %d: %d people in a fresh database", i, n)
			}
			// Identities start again from 1.
			if id := addPerson(t, d, "First"); id != 1 {
				t.Errorf("run %d: the first person has id %d", i, id)
			}
			if i == 0 {
				// A changed schema, or a newer one, must not reach the next test.
				for _, q := range []string{`DROP TABLE list_allowed`, `CREATE TABLE paged (id INTEGER PRIMARY KEY)`,
					`INSERT INTO schema_migrations (version, name, applied) VALUES (9999, '9999_future.sql', CURRENT_TIMESTAMP)`} {
					if _, err := d.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				return
			}
			if n := count(t, d, `SELECT COUNT(*) FROM list_allowed`); n != 0 {
				t.Errorf("run %d: list_allowed has %d rows", i, n)
			}
			if _, err := d.Exec(`SELECT * FROM paged`); err == nil {
				t.Errorf("run %d: the table an earlier test made is here", i)
			}
		})
	}
}

type fixture struct{ alice, bob int64 }

var people = &dbtest.Template[fixture]{Name: "people", Build: func(t testing.TB, d *db.DB) fixture {
	var f fixture
	f.alice = addPerson(t.(*testing.T), d, "Alice")
	addPerson(t.(*testing.T), d, "Gone")
	f.bob = addPerson(t.(*testing.T), d, "Bob")
	if _, err := d.Exec(`DELETE FROM person WHERE name = 'Gone'`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO email (address, person_id, is_primary, created) VALUES ('alice@example.org', $1, TRUE, $2)`, f.alice, when); err != nil {
		t.Fatal(err)
	}
	return f
}}

// TestTemplateCopies: each copy holds the template's rows, with the ids
// Build returned and identities going on after them, and a change to
// one copy reaches no other.
func TestTemplateCopies(t *testing.T) {
	var ids []int64
	for i := range 3 {
		t.Run(fmt.Sprint("copy", i), func(t *testing.T) {
			d, f := people.New(t)
			var name, addr string
			var created time.Time
			if err := d.QueryRow(`SELECT p.name, e.address, p.created FROM person p JOIN email e ON e.person_id = p.id WHERE p.id = $1`, f.alice).Scan(&name, &addr, &created); err != nil {
				t.Fatal(err)
			}
			if name != "Alice" || addr != "alice@example.org" || !created.Equal(when) {
				t.Errorf("copy %d: person %d is %q <%s> made %v", i, f.alice, name, addr, created)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM person`); n != 2 {
				t.Errorf("copy %d: %d people, want Alice and Bob (a change in an earlier copy showed?)", i, n)
			}
			id := addPerson(t, d, "Carol")
			if id <= f.bob {
				t.Errorf("copy %d: a new person got id %d, not after the template's (Bob is %d)", i, id, f.bob)
			}
			ids = append(ids, id)
			if _, err := d.Exec(`DELETE FROM email`); err != nil {
				t.Fatal(err)
			}
		})
	}
	if len(ids) == 3 && (ids[0] != ids[1] || ids[1] != ids[2]) {
		t.Errorf("the copies gave their first new person ids %v; each copy should start from the template", ids)
	}
}

// TestTemplateDSN: a copy opened by its DSN, as hum serve --db opens
// one, holds the template's rows, and a change to it reaches no other
// copy.
func TestTemplateDSN(t *testing.T) {
	for i := range 2 {
		t.Run(fmt.Sprint("copy", i), func(t *testing.T) {
			dsn, f := people.DSN(t)
			d, err := db.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if n := count(t, d, `SELECT COUNT(*) FROM person`); n != 2 {
				t.Errorf("copy %d: %d people, want Alice and Bob", i, n)
			}
			if _, err := d.Exec(`DELETE FROM email WHERE person_id = $1`, f.alice); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Exec(`DELETE FROM person WHERE id = $1`, f.alice); err != nil {
				t.Fatal(err)
			}
		})
	}
}
