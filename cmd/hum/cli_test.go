package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// hum runs the CLI as a user would and returns what it printed.
func hum(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func TestAdminCommands(t *testing.T) {
	dsn := dbtest.DSN(t)
	steps := []struct {
		args    []string
		out     string // printed on success
		errText string // or the error's text
	}{
		{[]string{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"}, "created Area art", ""},
		{[]string{"group", "add", "--db", dsn, "--acronym", "httpbis", "--name", "HTTP", "--parent", "art"}, "created WG httpbis", ""},
		{[]string{"group", "add", "--db", dsn, "--acronym", "httpbis", "--name", "Again", "--parent", "art"}, "", "already taken"},
		{[]string{"group", "add", "--db", dsn, "--acronym", "verylongwg", "--name", "Long", "--parent", "art"}, "", "R12"},
		{[]string{"user", "add", "--db", dsn, "--email", "mark@example.org", "--name", "Mark Nottingham"}, "added Mark Nottingham <mark@example.org>", ""},
		{[]string{"user", "add", "--db", dsn, "--email", "mark@example.org", "--name", "Mark Again"}, "", "already belongs to an account"},
		{[]string{"user", "add", "--db", dsn, "--email", "not an address", "--name", "X"}, "", "not a valid email address"},
		{[]string{"role", "grant", "--db", dsn, "mark@example.org", "chair", "httpbis"}, "Mark Nottingham is now Chair of httpbis", ""},
		{[]string{"role", "grant", "--db", dsn, "mark@example.org", "chair", "httpbis"}, "", "already Chair of httpbis"},
		{[]string{"role", "grant", "--db", dsn, "mark@example.org", "emperor", "httpbis"}, "", `"emperor" is not a role`},
		{[]string{"role", "grant", "--db", dsn, "mark@example.org", "chair", "nosuchwg"}, "", `no group with the acronym "nosuchwg"`},
		{[]string{"role", "grant", "--db", dsn, "ghost@example.org", "chair", "httpbis"}, "", "No person has the address"},
		{[]string{"role", "grant", "--db", dsn, "mark@example.org", "chair"}, "", "flags go before EMAIL ROLE GROUP"},
		{[]string{"role", "revoke", "--db", dsn, "--why", "stepped down", "mark@example.org", "chair", "httpbis"}, "no longer Chair of httpbis", ""},
		{[]string{"frobnicate"}, "", `unknown command "frobnicate"`},
	}
	for _, s := range steps {
		out, err := hum(t, s.args...)
		switch {
		case s.errText == "" && err != nil:
			t.Errorf("hum %s: %v", strings.Join(s.args, " "), err)
		case s.errText == "" && !strings.Contains(out, s.out):
			t.Errorf("hum %s printed %q, want %q", strings.Join(s.args, " "), out, s.out)
		case s.errText != "" && (err == nil || !strings.Contains(err.Error(), s.errText)):
			t.Errorf("hum %s: err %v, want one saying %q", strings.Join(s.args, " "), err, s.errText)
		}
	}
}

func TestServeRefusesWhatItCannotServe(t *testing.T) {
	if _, err := hum(t, "serve", "--db", "mysql://nope", "--http", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "want sqlite:PATH or postgres://") {
		t.Errorf("bad DSN: %v", err)
	}
	if _, err := hum(t, "serve", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "--http", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable database: %v", err)
	}
	dsn := dbtest.DSN(t)
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (9999, 'future', $1)`, d.Now())
	d.Close()
	if _, err := hum(t, "serve", "--db", dsn, "--http", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "newer than this hum binary") {
		t.Errorf("newer schema: %v", err)
	}
}
