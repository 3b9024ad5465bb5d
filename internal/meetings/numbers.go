package meetings

import (
	"context"
	"sort"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// SessionCount is how many signed a session's blue sheet.
type SessionCount struct {
	SessionID      int64
	Meeting        string
	MeetingDate    time.Time
	Group          string
	GroupName      string
	Area           string
	Start          time.Time // zero: not on the agenda
	Onsite, Remote int
	Total          int // every line, interims' included (they have no type)
}

// GroupCounts are a group's sessions at one meeting and their sums.
type GroupCounts struct {
	Meeting        string
	MeetingDate    time.Time
	Group          string
	GroupName      string
	Area           string
	Sessions       []SessionCount
	Onsite, Remote int
	Total          int
}

// sessions that were never held have no blue sheet.
const heldSessions = `s.status NOT IN ('deleted', 'notmeet', 'canceled', 'canceledpa', 'disappr')`

// sessionCounts counts the blue-sheet lines of the sessions that cond
// selects (a condition on s, m and g, with $1), by meeting, group and
// start. The lines are summed per session in a subquery, in the order of
// attended's index, rather than grouping the joined rows by their text
// columns, which sorted every line.
func (s *Service) sessionCounts(ctx context.Context, cond string, arg any) ([]SessionCount, error) {
	from := ` FROM session s JOIN meeting m ON m.id = s.meeting_id JOIN group_ref g ON g.id = s.group_id `
	cs, err := db.Query(ctx, s.DB, func(row db.Scanner) (c SessionCount, err error) {
		var date string
		err = row.Scan(&c.SessionID, &c.Meeting, &date, &c.Group, &c.GroupName, &c.Area, &c.Onsite, &c.Remote, &c.Total)
		c.MeetingDate, _ = time.Parse(time.DateOnly, date)
		return c, err
	}, `SELECT s.id, m.number, m.date, g.acronym, g.name, COALESCE(ar.acronym, ''),
		COALESCE(c.onsite, 0), COALESCE(c.remote, 0), COALESCE(c.total, 0)`+from+`
		LEFT JOIN group_ref ar ON ar.id = g.parent_id
		LEFT JOIN (SELECT a.session_id, SUM(CASE WHEN r.attendance_type = 'onsite' THEN 1 ELSE 0 END) AS onsite,
			SUM(CASE WHEN r.attendance_type = 'remote' THEN 1 ELSE 0 END) AS remote, COUNT(*) AS total
			FROM attended a LEFT JOIN registration r ON r.id = a.registration_id
			WHERE a.session_id IN (SELECT s.id`+from+`WHERE `+cond+`) GROUP BY a.session_id) c ON c.session_id = s.id
		WHERE `+cond+` AND `+heldSessions, arg)
	if err != nil {
		return nil, err
	}
	// Starts come apart from the sums: SQLite gives an aggregate of a
	// timestamp back as text.
	starts := map[int64]time.Time{}
	rows, err := s.DB.QueryContext(ctx, `SELECT x.session_id, t.start FROM assignment x JOIN timeslot t ON t.id = x.timeslot_id
		JOIN session s ON s.id = x.session_id`+strings.TrimPrefix(from, " FROM session s")+`
		WHERE x.schedule_id = m.schedule_id AND `+cond+` ORDER BY t.start DESC`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		starts[id] = t.UTC() // the earliest comes last
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range cs {
		cs[i].Start = starts[cs[i].SessionID]
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if !a.MeetingDate.Equal(b.MeetingDate) {
			return a.MeetingDate.Before(b.MeetingDate)
		}
		if a.Meeting != b.Meeting {
			return a.Meeting < b.Meeting
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Start.IsZero() != b.Start.IsZero() {
			return !a.Start.IsZero() // placed sessions first
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.SessionID < b.SessionID
	})
	return cs, nil
}

// byGroupAndMeeting folds session counts, in order, into one row per
// group and meeting.
func byGroupAndMeeting(cs []SessionCount) []GroupCounts {
	var out []GroupCounts
	for _, c := range cs {
		if n := len(out); n == 0 || out[n-1].Group != c.Group || out[n-1].Meeting != c.Meeting {
			out = append(out, GroupCounts{Meeting: c.Meeting, MeetingDate: c.MeetingDate, Group: c.Group, GroupName: c.GroupName, Area: c.Area})
		}
		g := &out[len(out)-1]
		g.Sessions = append(g.Sessions, c)
		g.Onsite += c.Onsite
		g.Remote += c.Remote
		g.Total += c.Total
	}
	return out
}

// AttendanceSummary is a meeting's attendance: one row per group, with
// its sessions' onsite and remote counts, by group.
func (s *Service) AttendanceSummary(ctx context.Context, number string) (m Meeting, rows []GroupCounts, err error) {
	defer fail.Wrap(&err, "meetings.AttendanceSummary(%q)", number)
	if m, err = get(ctx, s.DB, number); err != nil {
		return m, nil, err
	}
	cs, err := s.sessionCounts(ctx, "s.meeting_id = $1", m.ID)
	return m, byGroupAndMeeting(cs), err
}

// GroupAttendance is a group's attendance across the meetings it met
// at, earliest first: one row per meeting, with its sessions.
func (s *Service) GroupAttendance(ctx context.Context, acronym string) (rows []GroupCounts, err error) {
	defer fail.Wrap(&err, "meetings.GroupAttendance(%q)", acronym)
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return nil, err
	}
	cs, err := s.sessionCounts(ctx, "s.group_id = $1", g.ID)
	return byGroupAndMeeting(cs), err
}

// sortAttendance orders a person's meetings latest first.
func sortAttendance(as []MeetingAttendance) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].Date.Equal(as[j].Date) {
			return as[i].Date.After(as[j].Date)
		}
		return as[i].Meeting > as[j].Meeting
	})
}

// IsIETFNumber reports whether a meeting number is an IETF meeting's
// (a whole number) rather than an interim's.
func IsIETFNumber(number string) bool { return ietfNumberRE.MatchString(number) }

// PeopleAttended is how many different people signed the blue sheets of
// a group's sessions at a meeting, and whether any sheet was signed at
// all (a meeting without blue sheets tells nothing). The session request
// form shows it beside the attendance a chair asks for.
func (s *Service) PeopleAttended(ctx context.Context, number, acronym string) (n int, known bool, err error) {
	defer fail.Wrap(&err, "meetings.PeopleAttended(%q, %q)", number, acronym)
	n, err = db.Scalar[int](s.DB.QueryRowContext(ctx, `SELECT COUNT(DISTINCT a.person_id) FROM attended a
		JOIN session s ON s.id = a.session_id JOIN meeting m ON m.id = s.meeting_id JOIN group_ref g ON g.id = s.group_id
		WHERE m.number = $1 AND g.acronym = $2`, strings.ToLower(number), strings.ToLower(acronym)))
	return n, n > 0, err
}
