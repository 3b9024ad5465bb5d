package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"hum/internal/corpustest"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// meetingFixture is a small past meeting in the Datatracker's fixture
// form, imported through the front door: IETF 99 in Paris on the day
// the clocks change (2012-03-25), with a session over two slots, a
// cancelled one, a BOF, a break and registration.
const meetingFixture = `[
{"pk": 99, "model": "meeting.meeting", "fields": {"number": "99", "type": "ietf", "city": "Paris", "country": "FR", "time_zone": "Europe/Paris", "date": "2012-03-25", "agenda": 1}},
{"pk": 1, "model": "meeting.schedule", "fields": {"meeting": 99, "name": "mtg:99"}},
{"pk": 10, "model": "meeting.room", "fields": {"meeting": 99, "name": "Salon A", "capacity": 300}},
{"pk": 11, "model": "meeting.room", "fields": {"meeting": 99, "name": "Salon B", "capacity": 100}},
{"pk": 100, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Registration", "location": null, "time": "2012-03-25 11:00:00", "duration": 28800, "type": "reg"}},
{"pk": 101, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Morning Session I", "location": 10, "time": "2012-03-26 09:00:00", "duration": 9000, "type": "session"}},
{"pk": 102, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Morning Session I", "location": 11, "time": "2012-03-26 09:00:00", "duration": 9000, "type": "session"}},
{"pk": 103, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Break", "location": null, "time": "2012-03-26 11:30:00", "duration": 5400, "type": "break"}},
{"pk": 104, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Afternoon Session I", "location": 10, "time": "2012-03-26 13:00:00", "duration": 7200, "type": "session"}},
{"pk": 105, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Afternoon Session I", "location": 11, "time": "2012-03-26 13:00:00", "duration": 7200, "type": "session"}},
{"pk": 106, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Afternoon Session II", "location": 10, "time": "2012-03-26 15:20:00", "duration": 3600, "type": "session"}},
{"pk": 107, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Morning Session I", "location": 10, "time": "2012-03-27 09:00:00", "duration": 9000, "type": "session"}},
{"pk": 108, "model": "meeting.timeslot", "fields": {"meeting": 99, "name": "Morning Session I", "location": 11, "time": "2012-03-27 09:00:00", "duration": 9000, "type": "session"}},
{"pk": 200, "model": "meeting.session", "fields": {"meeting": 99, "group": 1, "status": "sched", "attendees": 200, "requested_duration": 9000, "comments": "please avoid quic", "modified": "2012-02-20 00:00:00"}},
{"pk": 201, "model": "meeting.session", "fields": {"meeting": 99, "group": 2, "status": "sched", "attendees": 150, "requested_duration": 7200, "agenda_note": "Room Changed From Salon B", "modified": "2012-02-21 00:00:00"}},
{"pk": 202, "model": "meeting.session", "fields": {"meeting": 99, "group": 3, "status": "sched", "attendees": 80, "requested_duration": 7200, "modified": "2012-02-22 00:00:00"}},
{"pk": 203, "model": "meeting.session", "fields": {"meeting": 99, "group": 4, "status": "canceled", "attendees": 40, "requested_duration": 3600, "modified": "2012-02-23 00:00:00"}},
{"pk": 204, "model": "meeting.session", "fields": {"meeting": 99, "group": 1, "status": "sched", "requested_duration": 12600, "modified": "2012-02-24 00:00:00"}},
{"pk": 300, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 200, "timeslot": 101}},
{"pk": 301, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 201, "timeslot": 102}},
{"pk": 302, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 202, "timeslot": 104}},
{"pk": 303, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 203, "timeslot": 105}},
{"pk": 304, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 204, "timeslot": 106}},
{"pk": 305, "model": "meeting.scheduledsession", "fields": {"schedule": 1, "session": 204, "timeslot": 107}},
{"pk": 400, "model": "meeting.constraint", "fields": {"meeting": 99, "source": 1, "target": 2, "name": "conflict"}},
{"pk": 1, "model": "group.group", "fields": {"acronym": "httpbis", "name": "HTTP", "type": "wg", "state": "active", "parent": 10}},
{"pk": 2, "model": "group.group", "fields": {"acronym": "quic", "name": "QUIC", "type": "wg", "state": "active", "parent": 10}},
{"pk": 3, "model": "group.group", "fields": {"acronym": "tls", "name": "Transport Layer Security", "type": "wg", "state": "active", "parent": 11, "list_email": "tls@ietf.org"}},
{"pk": 4, "model": "group.group", "fields": {"acronym": "newbof", "name": "A New Idea", "type": "wg", "state": "bof", "parent": 11}},
{"pk": 10, "model": "group.group", "fields": {"acronym": "art", "name": "Applications and Real-Time Area", "type": "area", "state": "active", "parent": null}},
{"pk": 11, "model": "group.group", "fields": {"acronym": "sec", "name": "Security Area", "type": "area", "state": "active", "parent": null}}
]`

// agendaSite serves newBody with IETF 99 imported, and a clock set to
// now (the page's "now" marker and what is upcoming follow it).
func agendaSite(t *testing.T, now time.Time) (*site, *meetings.Service, *time.Time) {
	t.Helper()
	b, ms, clock := ietf99Body(t, now)
	return serve(t, b, Config{Meetings: ms}), ms, clock
}

// ietf99Body is newBody with IETF 99 imported from meetingFixture and its
// clock set to now; the clock it returns moves the database's.
func ietf99Body(t *testing.T, now time.Time) (*testbody.Body, *meetings.Service, *time.Time) {
	t.Helper()
	b := newBody(t)
	clock := now
	b.DB.Now = func() time.Time { return clock }
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	if _, err := ms.ImportDatatracker(context.Background(), groups.Operator(record.Actor{Name: "(test)"}),
		meetings.DatatrackerImport{Number: "99", Fixtures: [][]byte{[]byte(meetingFixture)}, ListDomain: "example.org"}); err != nil {
		t.Fatal(err)
	}
	return b, ms, &clock
}

// import83 imports IETF 83 from the corpus into s's database.
func import83(t testing.TB, ms *meetings.Service) {
	t.Helper()
	root := corpustest.Root(t)
	in := meetings.DatatrackerImport{Number: "83", ListDomain: "example.org"}
	for _, f := range []string{"meetings/ietf83/meeting83.json", "meetings/ietf83/constraint83.json", "groups/workinggroups-2013.json"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		in.Fixtures = append(in.Fixtures, b)
	}
	if _, err := ms.ImportDatatracker(context.Background(), groups.Operator(record.Actor{Name: "(test)"}), in); err != nil {
		t.Fatal(err)
	}
}

// icalendar is Debian's python3-icalendar, which the ICS tests parse
// with: a test cannot pass in CI without it.
func icalendar(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import icalendar").Run(); err != nil {
		if corpustest.CI() {
			t.Fatalf("%s cannot import icalendar (%v): install python3-icalendar; in CI the ICS tests must run", python, err)
		}
		t.Skipf("%s cannot import icalendar (%v): apt-get install python3-icalendar", python, err)
	}
	return python
}
