package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/jobs"
	"hum/internal/mail"
	"hum/internal/record"
)

// MinutesDue is a group's meeting whose sessions have ended without
// minutes (R23).
type MinutesDue struct {
	Meeting string // number
	Title   string // "IETF 125"
	Type    string
	Ended   time.Time // the end of the group's last session there
	// Due is, for an interim, ten days after it (R28); for an IETF
	// meeting, the last day of the R29 window (midnight in its zone).
	Due     time.Time
	Overdue bool
}

// placedSession is a session's slot on its meeting's official schedule.
type placedSession struct {
	ID        int64
	Meeting   string
	Type      string
	Zone      string
	Date      string
	GroupID   int64
	Group     string
	Start     time.Time
	Duration  time.Duration
	Reminded  bool
	MinutesIn bool
}

func (p placedSession) end() time.Time { return p.Start.Add(p.Duration) }

// placedWithoutMinutes lists the slots of sessions that started in
// [from, to), on their official schedules, whose group has no minutes at
// that meeting; acronym, if set, narrows it to one group.
func placedWithoutMinutes(ctx context.Context, q db.Querier, acronym string, from, to time.Time) ([]placedSession, error) {
	where, args := "", []any{from, to}
	if acronym != "" {
		where, args = " AND g.acronym = $3", append(args, strings.ToLower(acronym))
	}
	return db.Query(ctx, q, func(row db.Scanner) (p placedSession, err error) {
		var secs int64
		err = row.Scan(&p.ID, &p.Meeting, &p.Type, &p.Zone, &p.Date, &p.GroupID, &p.Group, &p.Start, &secs, &p.Reminded)
		p.Start, p.Duration = p.Start.UTC(), secondsToDuration(secs)
		return p, err
	}, `SELECT s.id, m.number, m.type, m.time_zone, m.date, g.id, g.acronym, t.start, t.duration,
			EXISTS (SELECT 1 FROM minutes_reminder r WHERE r.session_id = s.id)
		FROM session s JOIN meeting m ON m.id = s.meeting_id JOIN group_ref g ON g.id = s.group_id
		JOIN assignment a ON a.session_id = s.id AND a.schedule_id = m.schedule_id JOIN timeslot t ON t.id = a.timeslot_id
		WHERE t.start >= $1 AND t.start < $2 AND s.status NOT IN ('deleted', 'notmeet', 'canceled', 'disappr')`+where+`
		AND NOT EXISTS (SELECT 1 FROM material x WHERE x.meeting_id = m.id AND x.group_id = s.group_id AND x.type = 'minutes' AND x.state = 'active')
		ORDER BY t.start, s.id`, args...)
}

// MissingMinutes lists a group's meetings whose sessions have ended with
// no minutes uploaded (R23), latest first, saying when they are due:
// ten days after an interim (R28), the R29 cut-off for an IETF meeting.
func (s *Service) MissingMinutes(ctx context.Context, acronym string) (out []MinutesDue, err error) {
	defer fail.Wrap(&err, "meetings.MissingMinutes(%q)", acronym)
	now := s.DB.Now()
	ps, err := placedWithoutMinutes(ctx, s.DB, acronym, time.Time{}, now)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for _, p := range ps {
		i, ok := at[p.Meeting]
		if !ok {
			i = len(out)
			at[p.Meeting] = i
			out = append(out, MinutesDue{Meeting: p.Meeting, Type: p.Type, Title: p.Meeting})
			if p.Type == IETF {
				out[i].Title = "IETF " + p.Meeting
			}
		}
		if p.end().After(out[i].Ended) {
			out[i].Ended = p.end()
		}
		if p.Type == IETF {
			loc, err := time.LoadLocation(p.Zone)
			if err != nil {
				return nil, err
			}
			first, _ := time.ParseInLocation(time.DateOnly, p.Date, loc)
			out[i].Due = first.AddDate(0, 0, MaterialsCutoffDays)
		}
	}
	res := out[:0]
	for _, d := range out {
		if d.Ended.After(now) {
			continue // a session still under way
		}
		if d.Type != IETF {
			d.Due = d.Ended.AddDate(0, 0, interimMinutesDueDays)
		}
		d.Overdue = overdue(d.Type, d.Due, now)
		res = append([]MinutesDue{d}, res...)
	}
	return res, nil
}

// overdue reports whether minutes due at due are late at now: an
// interim's after the instant ten days after it (R28), an IETF meeting's
// after the last day of the R29 window.
func overdue(typ string, due, now time.Time) bool {
	if typ == IETF {
		return !now.Before(due.AddDate(0, 0, 1))
	}
	return now.After(due)
}

// Jobs is the meetings' periodic work: the R23 minutes reminders.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "minutes reminders", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := s.RemindMinutes(ctx)
		return err
	}}}
}

// RemindMinutes mails the chairs of each session that ended a week ago
// or more, within the last month, and still has no minutes (R23), once
// per session: the reminder's row is the record that it was sent, taken
// with the mail in one transaction, so several processes may run this.
// It returns how many reminders it sent.
func (s *Service) RemindMinutes(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "meetings.RemindMinutes")
	now := s.DB.Now()
	// Sessions last hours, not days: those that started in this window
	// have ended by now if they are to be reminded at all.
	ps, err := placedWithoutMinutes(ctx, s.DB, "", now.Add(-minutesReminderHorizon-24*time.Hour), now.Add(-minutesReminderAfter))
	if err != nil {
		return 0, err
	}
	ends := map[int64]time.Time{}
	for _, p := range ps {
		if p.end().After(ends[p.ID]) {
			ends[p.ID] = p.end()
		}
	}
	for _, p := range ps {
		end, ok := ends[p.ID]
		if !ok || p.Reminded || now.Sub(end) < minutesReminderAfter || now.Sub(end) > minutesReminderHorizon {
			continue
		}
		delete(ends, p.ID)
		sent, err := s.remindOne(ctx, p, end)
		if err != nil {
			return n, err
		}
		if sent {
			n++
		}
	}
	return n, nil
}

func (s *Service) remindOne(ctx context.Context, p placedSession, end time.Time) (sent bool, err error) {
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO minutes_reminder (session_id, sent) VALUES ($1, $2) ON CONFLICT DO NOTHING`, p.ID, tx.Now)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // another process reminded them
		}
		sent = true
		title := p.Meeting
		if p.Type == IETF {
			title = "IETF " + p.Meeting
		}
		to, err := leaders(ctx, tx, p.GroupID, "chair")
		if err != nil {
			return err
		}
		if len(to) > 0 {
			body := fmt.Sprintf("The session of %s at %s ended on %s, and it has no minutes yet.\n\n"+
				"Every session, interims included, must have published minutes: an account of the\n"+
				"discussion, the decisions made and the list of attendees (R23, RFC 2418 section 3.1).\n\n"+
				"Upload them at %s/meeting/%s/session/%s/\n",
				p.Group, title, end.UTC().Format("2006-01-02 15:04 UTC"), s.BaseURL, p.Meeting, p.Group)
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: to,
				Subject: fmt.Sprintf("Minutes of %s at %s are missing", p.Group, title), Body: body,
				Headers: map[string]string{"Auto-Submitted": "auto-generated"}}); err != nil {
				return err
			}
		}
		return record.Add(ctx, tx, record.System, "group", p.Group, "minutes_reminder",
			fmt.Sprintf("Reminded %d chair(s) that %s's session at %s has no minutes a week after it ended (R23)", len(to), p.Group, title), "")
	})
	return sent, err
}

// leaders returns the addresses of the holders of roles in a group: the
// address of the role, else the person's primary one.
func leaders(ctx context.Context, q db.Querier, groupID int64, roles ...string) ([]string, error) {
	var w db.Where
	w.Add("rh.group_id = $?", groupID)
	w.Raw("rh.role IN " + w.In(roles))
	return db.Query(ctx, q, db.Scalar[string], `SELECT DISTINCT COALESCE(NULLIF(rh.email, ''), pa.address) FROM role_holder rh
		LEFT JOIN person_address pa ON pa.person_id = rh.person_id AND pa.is_primary = TRUE`+w.SQL()+` AND COALESCE(NULLIF(rh.email, ''), pa.address) IS NOT NULL`, w.Args...)
}

// Report is a chair's session report to the responsible ADs (R24).
type Report struct {
	ID      int64
	Body    string
	ByID    int64
	By      string
	Created time.Time
}

// Reports lists the session reports of a group at a meeting, latest
// first.
func (s *Service) Reports(ctx context.Context, meetingID, groupID int64) ([]Report, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (r Report, err error) {
		err = row.Scan(&r.ID, &r.Body, &r.ByID, &r.By, &r.Created)
		return r, err
	}, `SELECT r.id, r.body, COALESCE(r.by_id, 0), COALESCE(p.name, ''), r.created FROM session_report r
		LEFT JOIN person_name p ON p.id = r.by_id WHERE r.meeting_id = $1 AND r.group_id = $2 ORDER BY r.id DESC`, meetingID, groupID)
}

// MayReport reports whether by may send g's session report: its chairs,
// secretaries and delegates, who report to its AD (R24), and the
// secretariat. The AD, who manages the materials, receives the report.
func MayReport(by groups.Actor, g groups.Group) bool { return by.Secretariat() || by.LeadsGroup(g.ID) }

// maxReport bounds a session report; R24 asks for one paragraph.
const maxReport = 20000

// SendReport records a group's session report and mails it to the ADs of
// the group's area (R24). The group's chairs, secretaries and delegates
// may, and the secretariat, once the meeting has begun.
func (s *Service) SendReport(ctx context.Context, by groups.Actor, number, acronym, body string) (err error) {
	defer fail.Wrap(&err, "meetings.SendReport(%q, %q)", number, acronym)
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if body == "" {
		return fail.Field("report", "Write the report: a paragraph on what the session discussed and decided (R24).")
	}
	if len(body) > maxReport {
		return fail.Field("report", "The report is %d characters; R24 asks for a paragraph, and hum takes at most %d.", len(body), maxReport)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, g, err := s.sessionsOf(ctx, tx, number, acronym)
		if err != nil {
			return err
		}
		if !MayReport(by, g) {
			return fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, and the secretariat, send its session report.", g.Acronym)
		}
		if tx.Now.Before(m.Date) {
			return fail.New(fail.Invalid, "%s has not begun; the session report follows the session (R24).", m.Title())
		}
		ads, err := s.Groups.ADsOf(ctx, g)
		if err != nil {
			return err
		}
		var to []string
		for _, ad := range ads {
			if addr, err := primary(ctx, tx, ad.PersonID, ad.Email); err != nil {
				return err
			} else if addr != "" {
				to = append(to, addr)
			}
		}
		if len(to) == 0 {
			return fail.Rule("R24", fail.Invalid, "R24: the report goes to the responsible AD, and %s's area has no AD with an address to send it to; ask the secretariat.", g.Acronym)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO session_report (meeting_id, group_id, body, by_id, created) VALUES ($1, $2, $3, $4, $5)`,
			m.ID, g.ID, body, sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}, tx.Now); err != nil {
			return err
		}
		text := fmt.Sprintf("Session report of %s (%s) at %s, from %s:\n\n%s\n\n-- \n%s/meeting/%s/session/%s/\n",
			g.Acronym, g.Name, m.Title(), by.Name, body, s.BaseURL, m.Number, g.Acronym)
		if err := s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: to,
			Subject: fmt.Sprintf("Session report: %s at %s", g.Acronym, m.Title()), Body: text}); err != nil {
			return err
		}
		return s.changedMaterials(ctx, tx, by, m, g.Acronym, "session_report",
			fmt.Sprintf("Sent %s's session report to %s (R24)", g.Acronym, strings.Join(to, ", ")), "")
	})
}

// primary is a role's address, else the person's primary address.
func primary(ctx context.Context, q db.Querier, personID int64, roleEmail string) (string, error) {
	if roleEmail != "" {
		return roleEmail, nil
	}
	as, err := db.Query(ctx, q, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1 AND is_primary = TRUE`, personID)
	if err != nil || len(as) == 0 {
		return "", err
	}
	return as[0], nil
}
