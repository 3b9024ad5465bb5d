package meetings_test

import (
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/mail"
	"hum/internal/meetings"
)

// attendEnv is newEnv with a meetings service that mails (to the
// outbox), IETF 125 and sessions of tls (two) and quic placed on its
// agenda, in Room A and Room B on Sunday morning and afternoon.
type attendEnv struct {
	*env
	m125     meetings.Meeting
	tls1     int64 // Sunday 09:30 local (01:30 UTC), Room A
	tls2     int64 // Sunday 13:00 local, Room A
	quic     int64 // Sunday 09:30 local, Room B
	sunday   time.Time
	sundayPM time.Time
}

// attending builds attendEnv on e.
func attending(e *env) *attendEnv {
	e.t.Helper()
	e.m = &meetings.Service{DB: e.db, Groups: e.body.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	a := &attendEnv{env: e, m125: e.meeting()}
	sec := e.as("sec@example.org")
	slots, err := e.m.Timeslots(e.ctx, a.m125.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var roomA, roomB []meetings.Timeslot
	for _, s := range slots {
		if s.Type == "regular" && s.Room == "Room A" {
			roomA = append(roomA, s)
		}
		if s.Type == "regular" && s.Room == "Room B" {
			roomB = append(roomB, s)
		}
	}
	place := func(acronym string, slot meetings.Timeslot) int64 {
		g, err := e.body.Groups.Get(e.ctx, acronym)
		if err != nil {
			e.t.Fatal(err)
		}
		id, err := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: a.m125.ID, GroupID: g.ID, Status: meetings.StatusWaiting, RequestedDuration: time.Hour})
		if err != nil {
			e.t.Fatal(err)
		}
		if err := e.m.Assign(e.ctx, sec, "125", id, slot.ID, ""); err != nil {
			e.t.Fatal(err)
		}
		return id
	}
	a.tls1, a.quic, a.tls2 = place("tls", roomA[0]), place("quic", roomB[0]), place("tls", roomA[2])
	a.sunday, a.sundayPM = roomA[0].Start, roomA[2].Start
	return a
}

// finalize marks the meeting's proceedings final, as the proceedings'
// part of the service will.
func (a *attendEnv) finalize() {
	a.t.Helper()
	if _, err := a.db.ExecContext(a.ctx, `UPDATE meeting SET proceedings_final = TRUE WHERE id = $1`, a.m125.ID); err != nil {
		a.t.Fatal(err)
	}
}

// count counts rows of a table, to show a refusal changed nothing.
func (e *env) count(table string) int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// state is a fingerprint of everything registration, attendance and the
// fellowship keep, with the record and the outbox.
func (e *env) state() string {
	e.t.Helper()
	var b strings.Builder
	for _, t := range []string{"event", "outbox", "registration", "registration_pending", "attended", "fellowship_application", "fellowship_score", "fellowship_call"} {
		b.WriteString(t + "=")
		b.WriteString(strings.Repeat("|", e.count(t)))
		b.WriteString(" ")
	}
	rows, err := db.Query(e.ctx, e.db, func(row db.Scanner) (string, error) {
		var name, aff, typ, ticket string
		var in bool
		err := row.Scan(&name, &aff, &typ, &ticket, &in)
		return fmt.Sprint(name, aff, typ, ticket, in), err
	}, `SELECT name, affiliation, attendance_type, ticket_type, checkedin FROM registration ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	return b.String() + strings.Join(rows, ";")
}

// lastMail returns the newest outbox mail to addr.
func (e *env) lastMail(addr string) string {
	e.t.Helper()
	msgs, err := mail.List(e.ctx, e.db, "", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range msgs {
		if len(m.To) > 0 && m.To[0] == addr {
			return strings.ReplaceAll(string(m.Raw), "=\r\n", "")
		}
	}
	e.t.Fatalf("no mail to %s", addr)
	return ""
}
