package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Blue sheets (R24): each session's attendance list. A registered
// participant marks their own line, from the session's page or the short
// link and QR code shown in the room, once the session has started and
// until the meeting's proceedings are final; the secretariat adds and
// removes lines, each with a reason. Lines are public: name, affiliation,
// onsite or remote.

// Origins of a blue-sheet line.
const (
	OriginSelf        = "self"
	OriginSecretariat = "secretariat"
)

// SheetLine is one line of a session's blue sheet.
type SheetLine struct {
	PersonID    int64
	Name        string
	Affiliation string
	Type        string // Onsite, Remote, or "" at an interim
	Time        time.Time
	Origin      string
}

// BlueSheet is a session's attendance.
type BlueSheet struct {
	Session        Session
	Start          time.Time // zero: not on the agenda
	Code           string    // the short link's code
	Lines          []SheetLine
	Onsite, Remote int
}

// ShortCode is the code of a session's short attendance link (/a/CODE/).
func ShortCode(sessionID int64) string { return strconv.FormatInt(sessionID, 36) }

// SessionByCode finds the session a short code names.
func (s *Service) SessionByCode(ctx context.Context, code string) (Session, error) {
	id, err := strconv.ParseInt(strings.ToLower(code), 36, 64)
	if err != nil || id <= 0 {
		return Session{}, fail.New(fail.NotFound, "There is no session with the code %q.", code)
	}
	return s.Session(ctx, id)
}

// sessionStart is when a session begins on its meeting's official
// schedule; ok is false if it is not on it.
func sessionStart(ctx context.Context, q db.Querier, m Meeting, sessionID int64) (start time.Time, ok bool, err error) {
	// ORDER BY rather than MIN: SQLite gives an aggregate of a timestamp
	// back as text.
	err = q.QueryRowContext(ctx, `SELECT t.start FROM assignment a JOIN timeslot t ON t.id = a.timeslot_id
		WHERE a.session_id = $1 AND a.schedule_id = $2 ORDER BY t.start LIMIT 1`, sessionID, m.ScheduleID).Scan(&start)
	if errors.Is(err, sql.ErrNoRows) {
		return start, false, nil
	}
	return start.UTC(), err == nil, err
}

// BlueSheets returns the blue sheets of a group's sessions at a meeting.
func (s *Service) BlueSheets(ctx context.Context, number, acronym string) (m Meeting, sheets []BlueSheet, err error) {
	defer fail.Wrap(&err, "meetings.BlueSheets(%q, %q)", number, acronym)
	if m, err = get(ctx, s.DB, number); err != nil {
		return m, nil, err
	}
	ss, _, err := s.Sessions(ctx, SessionFilter{MeetingID: m.ID, Group: acronym})
	if err != nil {
		return m, nil, err
	}
	for _, sess := range ss {
		if sess.Status == StatusDeleted || sess.Status == StatusNotMeeting {
			continue
		}
		b, err := s.sheet(ctx, m, sess)
		if err != nil {
			return m, nil, err
		}
		sheets = append(sheets, b)
	}
	if len(sheets) == 0 {
		if _, err := s.Groups.Get(ctx, acronym); err != nil {
			return m, nil, err
		}
		return m, nil, fail.New(fail.NotFound, "%s has no session at %s.", strings.ToLower(acronym), m.Title())
	}
	return m, sheets, nil
}

func (s *Service) sheet(ctx context.Context, m Meeting, sess Session) (b BlueSheet, err error) {
	b.Session, b.Code = sess, ShortCode(sess.ID)
	if b.Start, _, err = sessionStart(ctx, s.DB, m, sess.ID); err != nil {
		return b, err
	}
	b.Lines, err = db.Query(ctx, s.DB, func(row db.Scanner) (l SheetLine, err error) {
		err = row.Scan(&l.PersonID, &l.Name, &l.Affiliation, &l.Type, &l.Time, &l.Origin)
		l.Time = l.Time.UTC()
		return l, err
	}, `SELECT a.person_id, COALESCE(r.name, p.name), COALESCE(r.affiliation, ''), COALESCE(r.attendance_type, ''), a.time, a.origin
		FROM attended a JOIN person_name p ON p.id = a.person_id LEFT JOIN registration r ON r.id = a.registration_id
		WHERE a.session_id = $1 ORDER BY 2, a.id`, sess.ID)
	for _, l := range b.Lines {
		switch l.Type {
		case Onsite:
			b.Onsite++
		case Remote:
			b.Remote++
		}
	}
	return b, err
}

// attendable loads a meeting and one of its sessions, in tx, and refuses
// a session whose blue sheet is not open: not on the agenda, not yet
// started, or closed by final proceedings (R24). A correction (the
// secretariat's) passes the last: final proceedings close the blue
// sheets to all but the secretariat, as they close the materials.
func attendable(ctx context.Context, tx *db.Tx, number string, sessionID int64, correction bool) (Meeting, Session, error) {
	m, err := get(ctx, tx, number)
	if err != nil {
		return m, Session{}, err
	}
	ss, err := db.Query(ctx, tx, scanSession, `SELECT `+sessionCols+sessionFrom+`WHERE s.id = $1 AND s.meeting_id = $2`, sessionID, m.ID)
	if err != nil {
		return m, Session{}, err
	}
	if len(ss) == 0 {
		return m, Session{}, fail.Field("session", "%s has no session %d.", m.Title(), sessionID)
	}
	sess := ss[0]
	if m.ProceedingsFinal && !correction {
		return m, sess, fail.Rule("R24", fail.Conflict, "The proceedings of %s are final, which closed its blue sheets; ask the secretariat if your attendance is missing.", m.Title())
	}
	start, ok, err := sessionStart(ctx, tx, m, sess.ID)
	if err != nil {
		return m, sess, err
	}
	if !ok {
		return m, sess, fail.Rule("R24", fail.Conflict, "%s's session is not on the agenda of %s, so its blue sheet is not open.", sess.Group, m.Title())
	}
	if tx.Now.Before(start) {
		return m, sess, fail.Rule("R24", fail.Conflict, "%s's session at %s has not started: its blue sheet opens at %s (%s).",
			sess.Group, m.Title(), start.In(m.Location).Format("Monday 2 January 15:04"), m.TimeZone)
	}
	return m, sess, nil
}

// ErrNotRegistered is the Code of the refusal to mark attendance by
// someone not registered for the meeting, so the web can offer the
// registration form.
const ErrNotRegistered = "not-registered"

// Attend marks by as attending a session: their line on its blue sheet,
// with the time they marked it (R24).
func (s *Service) Attend(ctx context.Context, by groups.Actor, number string, sessionID int64) (err error) {
	defer fail.Wrap(&err, "meetings.Attend(%q, %d, %d)", number, sessionID, by.ID)
	if by.ID == 0 {
		return fail.New(fail.Unauthorized, "Please log in to mark your attendance.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, sess, err := attendable(ctx, tx, number, sessionID, false)
		if err != nil {
			return err
		}
		regID, err := s.registrationFor(ctx, tx, m, by.ID)
		if err != nil {
			return err
		}
		if err := addLine(ctx, tx, m, sess, by.ID, regID, OriginSelf); err != nil {
			return err
		}
		if err := touch(ctx, tx, m.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, "attended",
			fmt.Sprintf("%s marked their attendance at %s's session at %s", by.Name, sess.Group, m.Title()), "")
	})
}

// registrationFor is the registration of a person a blue-sheet line
// hangs on: required at an IETF meeting (R24, and R45 counts only the
// registered), none at an interim. It claims a registration made by
// mailed link under one of the person's addresses for their account.
func (s *Service) registrationFor(ctx context.Context, tx *db.Tx, m Meeting, personID int64) (sql.NullInt64, error) {
	if m.Type != IETF {
		return sql.NullInt64{}, nil
	}
	r, err := s.ownRegistration(ctx, tx, m.ID, personID)
	if err != nil {
		return sql.NullInt64{}, err
	}
	if r.ID == 0 {
		return sql.NullInt64{}, &fail.Error{Kind: fail.Forbidden, Rule: "R24", Code: ErrNotRegistered,
			Message: fmt.Sprintf("Only people registered for %s sign its blue sheets. Registration is open to anyone and takes a minute: /meeting/%s/register/", m.Title(), m.Number)}
	}
	if r.PersonID == 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE registration SET person_id = $1 WHERE id = $2`, personID, r.ID); err != nil {
			return sql.NullInt64{}, err
		}
	}
	return sql.NullInt64{Int64: r.ID, Valid: true}, nil
}

func addLine(ctx context.Context, tx *db.Tx, m Meeting, sess Session, personID int64, regID sql.NullInt64, origin string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attended (session_id, registration_id, person_id, time, origin) VALUES ($1, $2, $3, $4, $5)`,
		sess.ID, regID, personID, tx.Now, origin)
	if db.IsUniqueViolation(err) {
		return fail.New(fail.Conflict, "The blue sheet of %s's session at %s already has this person's line.", sess.Group, m.Title())
	}
	return err
}

// AddAttendance adds a person's line to a session's blue sheet, for the
// secretariat, with a reason (a correction: someone who could not mark
// it). Recorded on the group's record, with the blue sheet's other
// changes.
func (s *Service) AddAttendance(ctx context.Context, by groups.Actor, number string, sessionID int64, email, why string) (err error) {
	defer fail.Wrap(&err, "meetings.AddAttendance(%q, %d, %q)", number, sessionID, email)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat corrects blue sheets.")
	}
	if strings.TrimSpace(why) == "" {
		return fail.Field("why", "Say why the line is added: every correction of a blue sheet gives its reason.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, sess, err := attendable(ctx, tx, number, sessionID, true)
		if err != nil {
			return err
		}
		var pid int64
		var name string
		err = tx.QueryRowContext(ctx, `SELECT p.id, p.name FROM person_address a JOIN person_name p ON p.id = a.person_id WHERE a.address = $1`,
			strings.ToLower(strings.TrimSpace(email))).Scan(&pid, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return fail.Field("email", "No account has the address %q.", email)
		} else if err != nil {
			return err
		}
		regID, err := s.registrationFor(ctx, tx, m, pid)
		if err != nil {
			if fe, ok := fail.As(err); ok && fe.Code == ErrNotRegistered {
				return fail.Field("email", "%s is not registered for %s; register them first.", name, m.Title())
			}
			return err
		}
		if err := addLine(ctx, tx, m, sess, pid, regID, OriginSecretariat); err != nil {
			return err
		}
		return s.changedSession(ctx, tx, by, m, sess, "attendance_added", fmt.Sprintf("Added %s to the blue sheet of %s's session", name, sess.Group), why)
	})
}

// RemoveAttendance takes a person's line off a session's blue sheet,
// for the secretariat, with a reason.
func (s *Service) RemoveAttendance(ctx context.Context, by groups.Actor, number string, sessionID, personID int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.RemoveAttendance(%q, %d, %d)", number, sessionID, personID)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat corrects blue sheets.")
	}
	if strings.TrimSpace(why) == "" {
		return fail.Field("why", "Say why the line is removed: every correction of a blue sheet gives its reason.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, sess, err := attendable(ctx, tx, number, sessionID, true)
		if err != nil {
			return err
		}
		name, err := db.Scalar[string](tx.QueryRowContext(ctx, `SELECT p.name FROM attended a JOIN person_name p ON p.id = a.person_id
			WHERE a.session_id = $1 AND a.person_id = $2`, sessionID, personID))
		if errors.Is(err, sql.ErrNoRows) {
			return fail.Field("person", "The blue sheet of %s's session has no line for person %d.", sess.Group, personID)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM attended WHERE session_id = $1 AND person_id = $2`, sessionID, personID); err != nil {
			return err
		}
		return s.changedSession(ctx, tx, by, m, sess, "attendance_removed", fmt.Sprintf("Removed %s from the blue sheet of %s's session", name, sess.Group), why)
	})
}

// MeetingAttendance is what one meeting says of a person: whether they
// registered, how, and how many sessions they attended. NomCom
// eligibility (R45, R50) counts meetings with both.
type MeetingAttendance struct {
	Meeting    string
	Type       string // IETF or Interim
	Date       time.Time
	Registered bool
	RegType    string // Onsite, Remote
	CheckedIn  bool
	Sessions   int // sessions whose blue sheet has their line
}

// Attended lists the meetings a person registered for or attended a
// session of, latest first.
func (s *Service) Attended(ctx context.Context, personID int64) (out []MeetingAttendance, err error) {
	defer fail.Wrap(&err, "meetings.Attended(%d)", personID)
	rows, err := s.DB.QueryContext(ctx, `SELECT m.number, m.type, m.date, r.attendance_type, r.checkedin, 0
		FROM registration r JOIN meeting m ON m.id = r.meeting_id
		WHERE r.person_id = $1 OR r.email IN (SELECT address FROM person_address WHERE person_id = $1)
		UNION ALL
		SELECT m.number, m.type, m.date, '', FALSE, COUNT(*)
		FROM attended a JOIN session s ON s.id = a.session_id JOIN meeting m ON m.id = s.meeting_id
		WHERE a.person_id = $1 GROUP BY m.number, m.type, m.date`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		var a MeetingAttendance
		var date, regType string
		var in bool
		var n int
		if err := rows.Scan(&a.Meeting, &a.Type, &date, &regType, &in, &n); err != nil {
			return nil, err
		}
		i, ok := at[a.Meeting]
		if !ok {
			a.Date, _ = time.Parse(time.DateOnly, date)
			i, at[a.Meeting] = len(out), len(out)
			out = append(out, a)
		}
		if regType != "" {
			out[i].Registered, out[i].RegType, out[i].CheckedIn = true, regType, out[i].CheckedIn || in
		}
		out[i].Sessions += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortAttendance(out)
	return out, nil
}
