package meetings_test

import (
	"time"

	"hum/internal/db"
	"hum/internal/meetings"
)

// meetingOn creates an IETF meeting with a number on a date, as the
// secretariat, with the default rooms.
func (e *env) meetingOn(number, date string) meetings.Meeting {
	e.t.Helper()
	m, err := e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: number, City: "Vancouver", Country: "CA",
		TimeZone: "America/Vancouver", Date: date, Days: 6, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 300}, {Name: "Room B", Capacity: 100}}}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// rows counts the rows a query selects, to show what a refusal left.
func (e *env) rows(query string, args ...any) int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+query, args...))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// twoSessions is the request the tests start from: two sessions with
// every kind of constraint.
func twoSessions() meetings.Request {
	return meetings.Request{
		Sessions: 2, Lengths: []time.Duration{time.Hour, 90 * time.Minute}, Attendees: 80,
		Conflicts:  map[string][]string{"conflict": {"quic"}, "conflic2": {"httpbis"}},
		BeThere:    []string{"chair-quic@example.org"},
		TimeRanges: []string{"monday-morning", "friday-afternoon-late"},
		Adjacent:   "quic", JointWith: []string{"httpbis"}, JointSession: 2,
		TimeRelation: "subsequent-days", Comments: "Please avoid the plenary.",
	}
}
