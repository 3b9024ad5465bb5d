package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestScheduleCommand schedules IETF 83 end to end: the stored schedule
// is feasible and places every session, the same seed prints the same
// report and writes the same placement file, and bad input is refused
// with nothing changed. The runs have a budget in moves (one round a
// worker, enough for a feasible schedule of every session) and two
// workers, so that they end the same way on a loaded machine (under
// -race), where ten seconds may run out anywhere.
func TestScheduleCommand(t *testing.T) {
	dir := filepath.Join(corpustest.Root(t), "meetings", "ietf83")
	dsn := dbtest.DSN(t)
	tmp := t.TempDir()
	if _, err := hum(t, "import", "meeting", "--db", dsn, "--number", "83", dir); err != nil {
		t.Fatal(err)
	}
	first, err := hum(t, "schedule", "--db", dsn, "--meeting", "83", "--seed", "5", "--moves", "200000", "--workers", "2", "--time", "10m", "--name", "first", "--json", filepath.Join(tmp, "first.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"IETF 83: 133 sessions to place, 133 placed; 145 slots in 9 rooms\ncost: ", "hard violations: none\n", "unplaced sessions: none\n", "lower bound: ", "search stopped: "} {
		if !strings.Contains(first, want) {
			t.Errorf("hum schedule printed\n%s\nwant %q in it", first, want)
		}
	}
	second, err := hum(t, "schedule", "--db", dsn, "--meeting", "83", "--seed", "5", "--moves", "200000", "--workers", "2", "--time", "10m", "--name", "second", "--json", filepath.Join(tmp, "second.json"))
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("seed 5 twice printed two reports:\n%s\n%s", first, second)
	}
	a, _ := os.ReadFile(filepath.Join(tmp, "first.json"))
	b, _ := os.ReadFile(filepath.Join(tmp, "second.json"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("seed 5 twice wrote two placement files (%d and %d bytes)", len(a), len(b))
	}
	var pins []struct {
		Group string `json:"group"`
		Index int    `json:"session_index"`
		Start string `json:"start"`
		Room  string `json:"room"`
	}
	if err := json.Unmarshal(a, &pins); err != nil || len(pins) < 133 {
		t.Errorf("the placement file holds %d entries (%v); every one of 133 sessions is in it", len(pins), err)
	}

	// The stored schedule, scored afresh, is what the run printed.
	scored, err := hum(t, "schedule", "--db", dsn, "--meeting", "83", "--score", "first")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first, scored) {
		t.Errorf("the stored schedule scores\n%s\nthe run printed\n%s", scored, first)
	}
	official, err := hum(t, "schedule", "--db", dsn, "--meeting", "83", "--score", "mtg:83")
	if err != nil || !strings.Contains(official, "cost: 3,381,000 (2,381,000 from the placed sessions, 1,000,000 for 1 left unplaced)\n") || !strings.Contains(official, "hard violations: 3\n") {
		t.Errorf("the official schedule scores\n%s(%v)\nwant 2,381,000 and 1,000,000 for mext, and the three double-booked rooms", official, err)
	}

	// Pinned: a session kept where the pin file puts it, made official.
	pinFile := filepath.Join(tmp, "pins.json")
	os.WriteFile(pinFile, []byte(`[{"group": "6man", "session_index": 0, "start": "2012-03-26T09:00", "room": "Maillot"}]`), 0o644)
	if _, err := hum(t, "schedule", "--db", dsn, "--meeting", "83", "--name", "pinned", "--pin", pinFile, "--official", "--moves", "200000",
		"--json", filepath.Join(tmp, "pinned.json")); err != nil {
		t.Fatal(err)
	}
	p, _ := os.ReadFile(filepath.Join(tmp, "pinned.json"))
	if !strings.Contains(string(p), `{"group":"6man","session_index":0,"start":"2012-03-26T09:00","room":"Maillot"}`) {
		t.Errorf("6man moved from where it was pinned")
	}
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	count := func(q string) int {
		t.Helper()
		n, err := db.Scalar[int](d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+q))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(`meeting m JOIN schedule s ON s.id = m.schedule_id WHERE s.name = 'pinned'`) != 1 {
		t.Errorf("--official did not make the schedule official")
	}
	if count(`assignment a JOIN schedule s ON s.id = a.schedule_id WHERE s.name = 'pinned' AND a.pinned`) != 1 {
		t.Errorf("the pinned session is not stored pinned")
	}

	// Refusals: nothing changes.
	state := func() [3]int { return [3]int{count(`event`), count(`schedule`), count(`assignment`)} }
	before := state()
	bad := filepath.Join(tmp, "bad.json")
	for _, c := range []struct {
		pins string
		args []string
		want string
	}{
		{`[{"group": "6man", "session_index": 0, "start": "2012-03-26T09:00", "room": "Maillot"},
		   {"group": "v6ops", "session_index": 0, "start": "2012-03-26T09:00", "room": "Maillot"}]`, nil, "a slot holds one session"},
		{`[{"group": "6man", "session_index": 3, "start": "2012-03-26T09:00", "room": "Maillot"}]`, nil, `session 3 of "6man"`},
		{`[{"group": "6man"`, nil, "not a JSON list"},
		{`[]`, []string{"--name", "first"}, `already has a schedule named "first"`},
		{`[]`, []string{"--from", "nope"}, `no schedule named "nope"`},
		{`[]`, []string{"--meeting", "84"}, `no meeting "84"`},
	} {
		os.WriteFile(bad, []byte(c.pins), 0o644)
		args := append([]string{"schedule", "--db", dsn, "--meeting", "83", "--pin", bad, "--json", filepath.Join(tmp, "bad-out.json")}, c.args...)
		if _, err := hum(t, args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("hum %v: %v, want an error saying %q", args[3:], err, c.want)
		}
		if _, err := os.Stat(filepath.Join(tmp, "bad-out.json")); err == nil {
			t.Errorf("hum %v left a placement file behind", args[3:])
		}
	}
	if after := state(); after != before {
		t.Errorf("refused runs changed events, schedules, assignments: %v → %v", before, after)
	}
	if _, err := hum(t, "schedule", "--db", dsn, "--seed", "1"); err == nil || !strings.Contains(err.Error(), "--meeting") {
		t.Errorf("no meeting: %v", err)
	}
}

// TestImportMeetingUnknownGroup: a constraint naming a group the group
// list lacks is refused, naming it, and imports nothing.
func TestImportMeetingUnknownGroup(t *testing.T) {
	root := corpustest.Root(t)
	dir := filepath.Join(t.TempDir(), "meetings", "ietf83")
	os.MkdirAll(dir, 0o755)
	meeting, err := os.ReadFile(filepath.Join(root, "meetings", "ietf83", "meeting83.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "meeting83.json"), meeting, 0o644)
	os.WriteFile(filepath.Join(dir, "constraint83.json"), []byte(`[
		{"pk": 21037, "model": "meeting.constraint", "fields": {"source": 1223, "meeting": 83, "target": 999999, "name": "conflict"}}]`), 0o644)
	dsn := dbtest.DSN(t)
	_, err = hum(t, "import", "meeting", "--db", dsn, "--groups", filepath.Join(root, "groups", "workinggroups-2013.json"), "--number", "83", dir)
	if err == nil || !strings.Contains(err.Error(), "Constraint 21037 names group 999999, which the group list does not hold") {
		t.Errorf("importing a constraint on an unknown group: %v", err)
	}
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if n, _ := db.Scalar[int](d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM meeting`)); n != 0 {
		t.Errorf("the refused import left %d meetings", n)
	}
}
