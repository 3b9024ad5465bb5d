package main

import (
	"path/filepath"
	"strings"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
)

func TestMeetingCommands(t *testing.T) {
	dsn := dbtest.DSN(t)
	out, err := hum(t, "meeting", "add", "--db", dsn, "--number", "125", "--city", "Shenzhen", "--country", "cn", "--tz", "Asia/Shanghai",
		"--date", "2026-03-14", "--days", "7", "--room", "Room A:300", "--room", "Room B: 100")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"created IETF 125 in Shenzhen, CN: Sat 2026-03-14 to Fri 2026-03-20 (Asia/Shanghai)",
		"2 rooms: Room A (300), Room B (100)", "44 regular"} {
		if !strings.Contains(out, want) {
			t.Errorf("meeting add printed %q, want %q", out, want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--number", "126", "--city", "X", "--country", "FR", "--tz", "Europe/Paris", "--date", "2026-07-18", "--room", "Hall"}, `"Name:capacity"`},
		{[]string{"--number", "126", "--city", "X", "--country", "FR", "--tz", "Europe/Paris", "--date", "2026-07-18", "--room", "Hall:many"}, "not a whole number"},
		{[]string{"--number", "125", "--city", "Paris", "--country", "FR", "--tz", "Europe/Paris", "--date", "2026-07-18"}, "already exists"},
		{[]string{"--number", "127", "--city", "Paris", "--country", "FR", "--tz", "Paris", "--date", "2026-07-18"}, "IANA name"},
	} {
		if _, err := hum(t, append([]string{"meeting", "add", "--db", dsn}, c.args...)...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("meeting add %v: %v, want an error saying %q", c.args, err, c.want)
		}
	}
}

func TestImportMeetingCommand(t *testing.T) {
	dir := filepath.Join(corpustest.Root(t), "meetings", "ietf83")
	dsn := dbtest.DSN(t)
	out, err := hum(t, "import", "meeting", "--db", dsn, "--number", "83", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "imported IETF 83: 11 rooms, 179 timeslots, 150 sessions, 1456 constraints") || !strings.Contains(out, "groups created: ") {
		t.Errorf("first import printed %q", out)
	}
	if out, err = hum(t, "import", "meeting", "--db", dsn, "--number", "83", dir); err != nil || !strings.Contains(out, "nothing changed") {
		t.Errorf("second import: %q, %v", out, err)
	}
	if _, err := hum(t, "import", "meeting", "--db", dsn, "--number", "84", dir); err == nil || !strings.Contains(err.Error(), "meeting84.json") {
		t.Errorf("a meeting the directory lacks: %v", err)
	}
	if _, err := hum(t, "import", "meeting", "--db", dsn, dir); err == nil || !strings.Contains(err.Error(), "--number") {
		t.Errorf("no number: %v", err)
	}
}
