package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"hum/internal/app"
	"hum/internal/db/dbtest"
	"hum/internal/demo"
)

// TestNomComCommands runs hum nomcom eligible and hum nomcom select on
// the demo: everyone eligible by each path with the evidence (R45-R47),
// and last year's selection computed again from its published inputs,
// step by step, matching the seats hum recorded (RFC 3797, R49); other
// values give another result and record nothing.
func TestNomComCommands(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	a, err := app.Open(ctx, app.Config{DB: dsn, Data: t.TempDir(), HTTP: "127.0.0.1:0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a.DB, a.People, a.Groups, demo.Options{Lists: a.Lists, Archive: a.Archive, Docs: a.Docs, Meetings: a.Meetings, NomCom: a.NomCom}); err != nil {
		t.Fatal(err)
	}
	ns, err := a.NomCom.List(ctx)
	a.Close()
	if err != nil || len(ns) != 2 {
		t.Fatalf("the demo's NomComs: %v, %v", ns, err)
	}
	out, err := hum(t, "nomcom", "eligible", "--db", dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"(the day of the call for volunteers)", "The last five IETF meetings (R50): IETF 989", " by R45 ", " by R46 ", "1 by R47",
		"R45: registered for and attended 5 of the last five IETF meetings", "R46: Chair of httpbis", "rfc9998 (published", "draft-ietf-tsvwg-demo-feedback (in the RFC Editor queue"} {
		if !strings.Contains(out, w) {
			t.Errorf("hum nomcom eligible lacks %q", w)
		}
	}
	out, err = hum(t, "nomcom", "select", "--db", dsn)
	if err != nil {
		t.Fatalf("hum nomcom select: %v\n%s", err, out)
	}
	for _, w := range []string{"pool of 40", "The key: 7.12.19.28.33.41./23456.78/4.9.15.22.30.38./", "skipped: R49", "seat 10", "This is the selection hum recorded and seated."} {
		if !strings.Contains(out, w) {
			t.Errorf("hum nomcom select lacks %q\n%s", w, out)
		}
	}
	again, err := hum(t, "nomcom", "select", "--db", dsn, "--year", strconv.Itoa(ns[1].Year))
	if err != nil || again != out {
		t.Errorf("with --year, another result (%v)", err)
	}
	trial, err := hum(t, "nomcom", "select", "--db", dsn, "--value", "1 2 3", "--value", "4", "--value", "5")
	if err != nil || !strings.Contains(trial, "nothing was recorded") || trial == out {
		t.Errorf("trial values: %v\n%s", err, trial)
	}
	if _, err := hum(t, "nomcom", "select", "--db", dsn, "--value", "1 2 3"); err == nil || !strings.Contains(err.Error(), "give 3 values") {
		t.Errorf("one value for three sources: %v", err)
	}
}
