package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// How an interim meets.
const (
	Online   = "online"
	Hybrid   = "hybrid"
	InPerson = "inperson"
)

// ModeNames name the modes as a request form offers them.
var ModeNames = map[string]string{Online: "Online", Hybrid: "Hybrid", InPerson: "In person"}

// The notice an interim needs (R26, R27): an online one is announced two
// weeks ahead with its agenda a week ahead; a hybrid or in-person one
// eight weeks ahead, once its AD approves.
const (
	OnlineNotice   = 14 * 24 * time.Hour
	AgendaNotice   = 7 * 24 * time.Hour
	InPersonNotice = 56 * 24 * time.Hour
)

// maxInterimSessions bounds one request; a longer series is several.
const maxInterimSessions = 10

// InterimRequest is what a chair asks for.
type InterimRequest struct {
	Group         string // acronym
	Mode          string // Online, Hybrid or InPerson
	City, Country string // where, unless online
	TimeZone      string // IANA; the sessions' times are in it
	Sessions      []InterimSessionRequest
}

// InterimSessionRequest is one session of a requested interim.
type InterimSessionRequest struct {
	Date    string // YYYY-MM-DD
	Time    string // HH:MM
	Minutes int    // length
	Agenda  string // may follow later, up to a week ahead (R26)
	Remote  string // how to take part remotely (R25)
}

// InterimMeeting is an interim meeting with its sessions and its state.
type InterimMeeting struct {
	Meeting     Meeting
	Mode        string
	Status      string // of its sessions: apprw, sched, canceled, canceledpa, disappr
	RequestedBy string
	ApprovedBy  string
	Approved    time.Time // zero if not (yet)
	Announced   time.Time // zero if not (yet)
	Canceled    time.Time
	Sessions    []InterimSession
}

// InterimSession is one of an interim's sessions, in its timeslot.
type InterimSession struct {
	Session         Session
	Slot            Timeslot
	Agenda          string
	AgendaPublished time.Time // zero: no agenda yet
}

// Start is when the interim's first session starts.
func (i InterimMeeting) Start() time.Time {
	if len(i.Sessions) == 0 {
		return i.Meeting.Date
	}
	return i.Sessions[0].Slot.Start
}

// StatusName is the interim's state as the Datatracker names it.
func (i InterimMeeting) StatusName() string { return StatusNames[i.Status] }

// ModeName is how the interim meets, in words.
func (i InterimMeeting) ModeName() string { return ModeNames[i.Mode] }

// plannedSession is a checked session request.
type plannedSession struct {
	start    time.Time
	duration time.Duration
	agenda   string
	remote   string
}

// checkInterim checks a request against everything but who asks and the
// group: the fields, the notice (R26, R27) and openness (R25).
func checkInterim(n *InterimRequest, now time.Time) (*time.Location, []plannedSession, error) {
	n.Mode = strings.TrimSpace(strings.ToLower(n.Mode))
	n.City = strings.TrimSpace(n.City)
	n.Country = strings.ToUpper(strings.TrimSpace(n.Country))
	var problems []*fail.Error
	if _, ok := ModeNames[n.Mode]; !ok {
		problems = append(problems, fail.Field("mode", "Say how the interim meets: online, hybrid or inperson; got %q.", n.Mode))
	}
	if n.Mode != Online && n.Mode != "" {
		if n.City == "" {
			problems = append(problems, fail.Field("city", "A %s interim needs the city it meets in.", ModeNames[n.Mode]))
		}
		if len(n.Country) != 2 || strings.Trim(n.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			problems = append(problems, fail.Field("country", "The country is a two-letter ISO 3166 code, such as FR; got %q.", n.Country))
		}
	}
	loc, err := loadZone(n.TimeZone)
	if err != nil {
		problems = append(problems, err.(*fail.Error))
	}
	if len(n.Sessions) == 0 || len(n.Sessions) > maxInterimSessions {
		problems = append(problems, fail.Field("sessions", "An interim has from 1 to %d sessions; got %d.", maxInterimSessions, len(n.Sessions)))
	}
	if len(problems) > 0 {
		return nil, nil, fail.Join(fail.Invalid, problems, "The interim was not requested.")
	}
	var planned []plannedSession
	for i, r := range n.Sessions {
		field := func(f string) string { return fmt.Sprintf("sessions.%d.%s", i, f) }
		p := plannedSession{duration: time.Duration(r.Minutes) * time.Minute, agenda: strings.TrimSpace(r.Agenda), remote: strings.TrimSpace(r.Remote)}
		start, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(r.Date)+" "+strings.TrimSpace(r.Time), loc)
		if err != nil {
			problems = append(problems, fail.Field(field("date"), "Session %d: give its date as YYYY-MM-DD and its time as HH:MM; got %q %q.", i+1, r.Date, r.Time))
			continue
		}
		p.start = start
		if r.Minutes < 15 || r.Minutes > 8*60 {
			problems = append(problems, fail.Field(field("minutes"), "Session %d lasts from 15 minutes to 8 hours; got %d minutes.", i+1, r.Minutes))
		}
		if p.remote == "" {
			problems = append(problems, &fail.Error{Kind: fail.Invalid, Rule: "R25", Field: field("remote"),
				Message: fmt.Sprintf("Session %d has no remote-participation details. Interims are open to all, as meeting sessions are: say how to join remotely.", i+1)})
		}
		if len(p.agenda) > 100_000 || len(p.remote) > 10_000 {
			problems = append(problems, fail.Field(field("agenda"), "Session %d: the agenda is at most 100,000 characters and the remote details 10,000.", i+1))
		}
		if !start.After(now) {
			problems = append(problems, fail.Field(field("date"), "Session %d starts %s, which has passed.", i+1, start.Format("2006-01-02 15:04 MST")))
		}
		if i > 0 && len(planned) > 0 && !start.After(planned[len(planned)-1].start) {
			problems = append(problems, fail.Field(field("date"), "Session %d must start after session %d; list the sessions in order.", i+1, i))
		}
		planned = append(planned, p)
	}
	if len(problems) > 0 {
		return nil, nil, fail.Join(fail.Invalid, problems, "The interim was not requested.")
	}
	if err := checkNotice(n.Mode, planned[0].start, now); err != nil {
		return nil, nil, err
	}
	return loc, planned, nil
}

// checkNotice holds the first session to the notice its mode needs
// (R26, R27), counted from now, when it would be announced.
func checkNotice(mode string, first, now time.Time) error {
	days := func(d time.Duration) int { return int(d.Hours() / 24) }
	ahead := first.Sub(now)
	switch mode {
	case Online:
		if ahead < OnlineNotice {
			return fail.Rule("R26", fail.Invalid, "An online interim is announced at least two weeks ahead; this one would start %s, in %d days. Choose a date on or after %s.",
				first.Format("2006-01-02 15:04 MST"), days(ahead), now.Add(OnlineNotice).In(first.Location()).Format(time.DateOnly))
		}
	default:
		if ahead < InPersonNotice {
			return fail.Rule("R27", fail.Invalid, "A %s interim is announced at least eight weeks ahead, once the responsible AD approves; this one would start %s, in %d days. Choose a date on or after %s, or meet online.",
				strings.ToLower(ModeNames[mode]), first.Format("2006-01-02 15:04 MST"), days(ahead), now.Add(InPersonNotice).In(first.Location()).Format(time.DateOnly))
		}
	}
	return nil
}

// RequestInterim asks for an interim of a group: its chairs, secretaries
// and delegates may, as may its AD and the secretariat. An online
// interim is scheduled and announced at once; a hybrid or in-person one
// waits for the responsible AD's approval (R27) unless that AD, or the
// secretariat, asks.
func (s *Service) RequestInterim(ctx context.Context, by groups.Actor, n InterimRequest, why string) (it InterimMeeting, err error) {
	defer fail.Wrap(&err, "meetings.RequestInterim(%q)", n.Group)
	g, err := s.Groups.Get(ctx, n.Group)
	if err != nil {
		return it, err
	}
	if !by.LeadsGroup(g.ID) && !by.AD(g) && !by.Secretariat() {
		return it, fail.New(fail.Forbidden, "Only the chairs of %s, its AD or the secretariat may request an interim for it.", g.Acronym)
	}
	if !slices.Contains([]string{"wg", "rg", "ag", "rag", "team", "program", "dir", "bof"}, g.Type) || !slices.Contains([]string{"active", "bof", "proposed"}, g.State) {
		return it, fail.New(fail.Invalid, "%s is a %s in state %s; only active groups meet.", g.Acronym, g.Type, g.State)
	}
	var number string
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		loc, planned, err := checkInterim(&n, tx.Now)
		if err != nil {
			return err
		}
		if n.Mode != Online {
			if err := notDuringIETF(ctx, tx, planned); err != nil {
				return err
			}
		}
		first, last := planned[0].start, planned[len(planned)-1].start
		day0 := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc)
		days := int(time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc).Sub(day0).Hours()/24+0.5) + 1
		if number, err = nextInterimNumber(ctx, tx, first.Year(), g.Acronym); err != nil {
			return err
		}
		mid, err := insertMeeting(ctx, tx, NewMeeting{Number: number, City: n.City, Country: n.Country, TimeZone: n.TimeZone}.withDays(days), day0, Interim, g.ID)
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "Another interim of %s was requested at the same moment; send the request again.", g.Acronym)
		} else if err != nil {
			return err
		}
		schedID, err := addSchedule(ctx, tx, mid, by.Actor, "official", true)
		if err != nil {
			return err
		}
		approved := n.Mode == Online || by.AD(g) || by.Secretariat()
		status := StatusApprWait
		if approved {
			status = StatusScheduled
		}
		for _, p := range planned {
			sid, err := insertSession(ctx, tx, Session{MeetingID: mid, GroupID: g.ID, Status: status, RequestedDuration: p.duration,
				RemoteInstructions: p.remote, RequestedByID: by.ID, Requested: tx.Now})
			if err != nil {
				return err
			}
			tid, err := insertSlot(ctx, tx, Timeslot{MeetingID: mid, Type: "regular", Start: p.start, Duration: p.duration})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignment (schedule_id, session_id, timeslot_id, modified) VALUES ($1, $2, $3, $4)`,
				schedID, sid, tid, tx.Now); err != nil {
				return err
			}
			if p.agenda != "" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO interim_agenda (session_id, agenda, published) VALUES ($1, $2, $3)`, sid, p.agenda, tx.Now); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO interim (meeting_id, mode, requested_by) VALUES ($1, $2, $3)`,
			mid, n.Mode, sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "group", g.Acronym, "interim_requested",
			fmt.Sprintf("Requested %s: %s, %d session(s) from %s", number, strings.ToLower(ModeNames[n.Mode]), len(planned), first.Format("2006-01-02 15:04 MST")), why); err != nil {
			return err
		}
		it, err := interim(ctx, tx, number)
		if err != nil {
			return err
		}
		if approved {
			return s.schedule(ctx, tx, by, it, g, "")
		}
		return s.askApproval(ctx, tx, it, g)
	})
	if err != nil {
		return it, err
	}
	return s.Interim(ctx, number)
}

func (n NewMeeting) withDays(days int) NewMeeting { n.Days = days; return n }

// notDuringIETF refuses a hybrid or in-person interim whose sessions fall
// within an IETF meeting's days (R27: none in the weeks around IETF
// meetings; hum holds the meeting's own week to it).
func notDuringIETF(ctx context.Context, tx *db.Tx, planned []plannedSession) error {
	for _, p := range planned {
		day := p.start.UTC().Format(time.DateOnly)
		n, err := db.Scalar[string](tx.QueryRowContext(ctx, `SELECT number FROM meeting WHERE type = 'ietf' AND date <= $1 AND end_date >= $1`, day))
		if err == nil {
			return fail.Rule("R27", fail.Invalid, "A hybrid or in-person interim may not meet during an IETF meeting; %s is a day of IETF %s.", day, n)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// nextInterimNumber is interim-YYYY-{acronym}-NN, NN counting the group's
// interims of that year, cancelled ones included, as the Datatracker's.
func nextInterimNumber(ctx context.Context, tx *db.Tx, year int, acronym string) (string, error) {
	prefix := fmt.Sprintf("interim-%d-%s-", year, acronym)
	numbers, err := db.Query(ctx, tx, func(row db.Scanner) (n string, err error) { err = row.Scan(&n); return n, err },
		`SELECT number FROM meeting WHERE type = 'interim' AND number LIKE $1`, prefix+"%")
	if err != nil {
		return "", err
	}
	next := 1
	for _, n := range numbers {
		if k, err := strconv.Atoi(strings.TrimPrefix(n, prefix)); err == nil && k >= next {
			next = k + 1
		}
	}
	if next > 99 {
		return "", fail.New(fail.Conflict, "%s has had 99 interims in %d; hum numbers no more that year.", acronym, year)
	}
	return fmt.Sprintf("%s%02d", prefix, next), nil
}
