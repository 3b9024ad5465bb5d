package meetings_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/meetings"
)

// corpusCounts counts IETF 83's objects in the fixtures themselves, so
// the test checks the import against the corpus rather than against
// numbers copied from it.
func corpusCounts(t *testing.T) map[string]int {
	t.Helper()
	root := corpustest.Root(t)
	var objs []struct {
		Model  string         `json:"model"`
		Fields map[string]any `json:"fields"`
	}
	for _, f := range []string{"meetings/ietf83/meeting83.json", "meetings/ietf83/constraint83.json"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		var part []struct {
			Model  string         `json:"model"`
			Fields map[string]any `json:"fields"`
		}
		if err := json.Unmarshal(b, &part); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, part...)
	}
	c := map[string]int{}
	for _, o := range objs {
		switch o.Model {
		case "meeting.room", "meeting.timeslot", "meeting.session", "meeting.constraint":
			c[o.Model]++
		case "meeting.scheduledsession":
			if o.Fields["schedule"] == 24.0 && o.Fields["session"] != nil {
				c[o.Model]++
			}
		}
		if o.Model == "meeting.constraint" {
			c[o.Fields["name"].(string)]++
		}
	}
	return c
}

func count(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, query, args...))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportIETF83 is the acceptance: the import loads 150
// session requests with 1,456 conflicts, 11 rooms and the official
// schedule, and running it again changes nothing.
func TestImportIETF83(t *testing.T) {
	e := newEnv(t)
	want := corpusCounts(t)
	if want["meeting.session"] != 150 || want["meeting.constraint"] != 1456 || want["meeting.room"] != 11 {
		t.Fatalf("the corpus is not IETF 83 as the issue describes it: %v", want)
	}
	start := time.Now()
	sum := e.import83()
	t.Logf("%s in %v", sum, time.Since(start))
	if sum.Unchanged || len(sum.GroupsCreated) == 0 {
		t.Errorf("summary %+v: want a first import that creates the missing groups", sum)
	}
	m, err := e.m.Get(e.ctx, "83")
	if err != nil {
		t.Fatal(err)
	}
	if m.City != "Paris" || m.Country != "FR" || m.TimeZone != "Europe/Paris" || m.Date.Format(time.DateOnly) != "2012-03-25" || m.Days != 6 {
		t.Errorf("meeting = %+v", m)
	}
	got := map[string]int{
		"meeting.room":             count(t, e, `SELECT COUNT(*) FROM room WHERE meeting_id = $1`, m.ID),
		"meeting.timeslot":         count(t, e, `SELECT COUNT(*) FROM timeslot WHERE meeting_id = $1`, m.ID),
		"meeting.session":          count(t, e, `SELECT COUNT(*) FROM session WHERE meeting_id = $1`, m.ID),
		"meeting.constraint":       count(t, e, `SELECT COUNT(*) FROM session_constraint WHERE meeting_id = $1`, m.ID),
		"meeting.scheduledsession": count(t, e, `SELECT COUNT(*) FROM assignment WHERE schedule_id = $1`, m.ScheduleID),
	}
	for _, n := range meetings.ConflictNames {
		got[n] = count(t, e, `SELECT COUNT(*) FROM session_constraint WHERE meeting_id = $1 AND name = $2`, m.ID, n)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("imported counts (-corpus +hum):\n%s", d)
	}
	if name := count(t, e, `SELECT COUNT(*) FROM schedule WHERE id = $1 AND name = 'mtg:83'`, m.ScheduleID); name != 1 {
		t.Errorf("the official schedule is not mtg:83")
	}
	// 144 sessions are placed, 5 do not meet, 1 waits.
	status := map[string]int{}
	for _, st := range []string{"sched", "notmeet", "schedw"} {
		status[st] = count(t, e, `SELECT COUNT(*) FROM session WHERE meeting_id = $1 AND status = $2`, m.ID, st)
	}
	if d := cmp.Diff(map[string]int{"sched": 144, "notmeet": 5, "schedw": 1}, status); d != "" {
		t.Errorf("session statuses (-want +got):\n%s", d)
	}
	if n := count(t, e, `SELECT COUNT(DISTINCT session_id) FROM assignment WHERE schedule_id = $1`, m.ScheduleID); n != 144 {
		t.Errorf("%d sessions placed, want 144", n)
	}

	// pkix met on Tuesday morning at 09:00 in Paris, for two hours as
	// asked, in 212/213.
	items, err := e.m.Placed(e.ctx, m.ScheduleID)
	if err != nil {
		t.Fatal(err)
	}
	var pkix []string
	for _, it := range items {
		if it.Session.Group == "pkix" {
			pkix = append(pkix, it.Slot.Start.In(m.Location).Format("Mon 15:04")+" "+it.Slot.Room+" "+it.Session.RequestedDuration.String()+" "+it.Session.Area)
		}
	}
	if d := cmp.Diff([]string{"Tue 09:00 212/213 2h0m0s sec"}, pkix); d != "" {
		t.Errorf("pkix (-want +got):\n%s", d)
	}
	// Concluded groups are created concluded, under their area.
	if n := count(t, e, `SELECT COUNT(*) FROM grp g JOIN grp p ON p.id = g.parent_id WHERE g.acronym = 'pkix' AND p.acronym = 'sec'`); n != 1 {
		t.Errorf("pkix is not in the security area")
	}
	if n := count(t, e, `SELECT COUNT(*) FROM grp WHERE state = 'conclude' AND type = 'wg'`); n == 0 {
		t.Errorf("no concluded WG was created, though IETF 83 names some")
	}

	// Again: nothing changes.
	events := e.events()
	again := e.import83()
	if !again.Unchanged || !strings.Contains(again.String(), "nothing changed") || e.events() != events {
		t.Errorf("second import: %s; events %d → %d", again, events, e.events())
	}
	if n := count(t, e, `SELECT COUNT(*) FROM session`); n != 150 {
		t.Errorf("%d sessions after a second import", n)
	}
}

func TestImportRefusals(t *testing.T) {
	e := newEnv(t)
	before := e.events()
	good := `[{"pk": 83, "model": "meeting.meeting", "fields": {"number": "83", "type": "ietf", "city": "Paris", "country": "FR",
		"time_zone": "Europe/Paris", "date": "2012-03-25", "agenda": 24}},
		{"pk": 24, "model": "meeting.schedule", "fields": {"meeting": 83, "name": "mtg:83"}},
		{"pk": 1, "model": "meeting.room", "fields": {"meeting": 83, "name": "Salon A", "capacity": 50}}`
	cases := []struct {
		name, fixture, want string
		kind                fail.Kind
	}{
		{"not json", `{"pk":`, "not a Datatracker fixture", fail.Invalid},
		{"no such meeting", `[]`, "no meeting numbered", fail.Invalid},
		{"room unknown", good + `, {"pk": 9, "model": "meeting.timeslot", "fields": {"meeting": 83, "location": 7, "time": "2012-03-26 09:00:00", "duration": 3600, "type": "session"}}]`, "room 7", fail.Invalid},
		{"bad time", good + `, {"pk": 9, "model": "meeting.timeslot", "fields": {"meeting": 83, "location": 1, "time": "Monday", "duration": 3600, "type": "session"}}]`, "not a time", fail.Invalid},
		{"group unknown", good + `, {"pk": 5, "model": "meeting.session", "fields": {"meeting": 83, "group": 1223, "status": "sched"}}]`, "group list does not hold", fail.Invalid},
		{"constraint names an unknown group", good + `, {"pk": 1, "model": "group.group", "fields": {"acronym": "tls", "type": "wg", "state": "active"}},
			{"pk": 7, "model": "meeting.constraint", "fields": {"meeting": 83, "source": 1, "target": 2, "name": "conflict"}}]`, "Constraint 7 names group 2, which the group list does not hold", fail.Invalid},
		{"constraint of an unknown group", good + `, {"pk": 1, "model": "group.group", "fields": {"acronym": "tls", "type": "wg", "state": "active"}},
			{"pk": 7, "model": "meeting.constraint", "fields": {"meeting": 83, "source": 3, "target": 1, "name": "conflict"}}]`, "Constraint 7 is of group 3", fail.Invalid},
		{"unknown constraint name", good + `, {"pk": 1, "model": "group.group", "fields": {"acronym": "tls", "type": "wg", "state": "active"}},
			{"pk": 7, "model": "meeting.constraint", "fields": {"meeting": 83, "source": 1, "target": 1, "name": "conflic4"}}]`, `"conflic4", which is not a constraint name`, fail.Invalid},
		{"conflict with no group", good + `, {"pk": 1, "model": "group.group", "fields": {"acronym": "tls", "type": "wg", "state": "active"}},
			{"pk": 7, "model": "meeting.constraint", "fields": {"meeting": 83, "source": 1, "name": "conflic2"}}]`, "names no group", fail.Invalid},
		{"no schedule", `[{"pk": 83, "model": "meeting.meeting", "fields": {"number": "83", "type": "ietf", "time_zone": "Europe/Paris", "date": "2012-03-25"}}]`, "no official schedule", fail.Invalid},
		{"bad zone", `[{"pk": 83, "model": "meeting.meeting", "fields": {"number": "83", "type": "ietf", "time_zone": "Paris", "date": "2012-03-25", "agenda": 1}}]`, "time zone", fail.Invalid},
	}
	for _, c := range cases {
		_, err := e.m.ImportDatatracker(e.ctx, e.as("sec@example.org"), meetings.DatatrackerImport{Number: "83", Fixtures: [][]byte{[]byte(c.fixture)}})
		if fail.KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %s mentioning %q", c.name, err, c.kind, c.want)
		}
	}
	ok := meetings.DatatrackerImport{Number: "83", Fixtures: [][]byte{[]byte(good + `]`)}}
	if _, err := e.m.ImportDatatracker(e.ctx, e.as("chair-tls@example.org"), ok); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a chair importing: %v, want forbidden", err)
	}
	if e.events() != before {
		t.Errorf("refused imports wrote %d events", e.events()-before)
	}
	// A meeting made by hand is not merged into.
	if _, err := e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: "83", City: "Paris", Country: "FR", TimeZone: "Europe/Paris", Date: "2012-03-25"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.ImportDatatracker(e.ctx, e.as("sec@example.org"), ok); fail.KindOf(err) != fail.Conflict {
		t.Errorf("importing over a meeting made by hand: %v, want conflict", err)
	}
}
