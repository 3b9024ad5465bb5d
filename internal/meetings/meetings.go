// Package meetings holds IETF meetings and interims: their rooms and
// timeslots, the sessions groups request and the constraints of those
// requests, and the schedules that place sessions into timeslots (the
// official one is the agenda). Names, slugs and shapes are the
// Datatracker's, so its users' scripts and habits carry over.
//
// Times: a meeting has an IANA time zone; timeslots are stored in UTC and
// shown in the meeting's zone (or the reader's). A meeting's date is its
// first day in its own zone.
//
// Who may: the secretariat creates meetings, edits rooms and timeslots
// and places sessions; the chairs and secretaries of a group request its
// sessions.
package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Service is the meetings store.
type Service struct {
	DB     *db.DB
	Groups *groups.Service
	// Mail queues registration links, fellowship outcomes, minutes reminders,
	// session reports and slide decisions.
	Mail Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain hum's own addresses live under.
	Domain string
	// Lists says which lists hum has: an interim is announced on a
	// group's list only when hum has it, never on the list address the
	// group's record gives (which may be outside hum); nil: hum has no
	// lists of groups, and announcements name none.
	Lists Lists
}

// Lists tells whether hum has a list of a name, read in the caller's
// transaction; it never makes one. *lists.Service gives it.
type Lists interface {
	Has(ctx context.Context, q db.Querier, name string) (bool, error)
}

// Meeting types, as the Datatracker names them.
const (
	IETF    = "ietf"
	Interim = "interim"
)

// Meeting is an IETF meeting or an interim.
type Meeting struct {
	ID               int64
	Number           string // "83", "interim-2026-quic-01"
	Type             string // IETF or Interim
	GroupID          int64  // an interim's group
	Group            string // its acronym
	City, Country    string
	VenueName        string
	VenueAddr        string
	TimeZone         string
	Date             time.Time // the first day, midnight in Location
	Days             int
	ScheduleID       int64 // the official schedule
	ProceedingsFinal bool
	Created, Updated time.Time

	Location *time.Location
}

// End is the midnight after the meeting's last day, in its zone.
func (m Meeting) End() time.Time { return m.Date.AddDate(0, 0, m.Days) }

// Day is the meeting's i-th day (0 is the first), midnight in its zone.
func (m Meeting) Day(i int) time.Time { return m.Date.AddDate(0, 0, i) }

// Title is how people name the meeting: "IETF 83", or the interim's
// number.
func (m Meeting) Title() string {
	if m.Type == IETF {
		return "IETF " + m.Number
	}
	return m.Number
}

const meetingCols = `m.id, m.number, m.type, COALESCE(m.group_id, 0), COALESCE(g.acronym, ''), m.city, m.country,
	m.venue_name, m.venue_addr, m.time_zone, m.date, m.days, COALESCE(m.schedule_id, 0), m.proceedings_final, m.created, m.updated`

const meetingFrom = ` FROM meeting m LEFT JOIN group_ref g ON g.id = m.group_id `

func scanMeeting(row db.Scanner) (Meeting, error) {
	var m Meeting
	var date string
	err := row.Scan(&m.ID, &m.Number, &m.Type, &m.GroupID, &m.Group, &m.City, &m.Country,
		&m.VenueName, &m.VenueAddr, &m.TimeZone, &date, &m.Days, &m.ScheduleID, &m.ProceedingsFinal, &m.Created, &m.Updated)
	if err != nil {
		return m, err
	}
	if m.Location, err = time.LoadLocation(m.TimeZone); err != nil {
		return m, fmt.Errorf("meeting %s: time zone %q: %w", m.Number, m.TimeZone, err)
	}
	if m.Date, err = time.ParseInLocation(time.DateOnly, date, m.Location); err != nil {
		return m, fmt.Errorf("meeting %s: date %q: %w", m.Number, date, err)
	}
	return m, nil
}

// Get returns the meeting with a number.
func (s *Service) Get(ctx context.Context, number string) (Meeting, error) {
	return get(ctx, s.DB, number)
}

func get(ctx context.Context, q db.Querier, number string) (Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+`WHERE m.number = $1`, strings.ToLower(number)))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fail.New(fail.NotFound, "There is no meeting %q.", number)
	}
	return m, err
}

// Filter selects meetings; zero fields match everything.
type Filter struct {
	Type    string
	Number  string
	Group   string    // an interim's group acronym
	EndFrom time.Time // meetings whose last day is on or after this day (in their zone)
	Before  time.Time // meetings that start before this day
	Desc    bool      // latest first
	Limit   int
	Offset  int
}

func (f Filter) where() db.Where {
	var w db.Where
	if f.Type != "" {
		w.Add("m.type = $?", f.Type)
	}
	if f.Number != "" {
		w.Add("m.number = $?", strings.ToLower(f.Number))
	}
	if f.Group != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	if !f.EndFrom.IsZero() {
		w.Add("m.end_date >= $?", f.EndFrom.Format(time.DateOnly))
	}
	if !f.Before.IsZero() {
		w.Add("m.date < $?", f.Before.Format(time.DateOnly))
	}
	return w
}

// maxDays is the longest a meeting may be.
const maxDays = 14

// List returns the meetings that match f, by date, and how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Meeting, int, error) {
	order := "m.date, m.number"
	if f.Desc {
		order = "m.date DESC, m.number DESC"
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: meetingCols, From: meetingFrom, Where: f.where(), Order: order, Limit: f.Limit, Offset: f.Offset}, scanMeeting)
}

var (
	ietfNumberRE    = regexp.MustCompile(`^[1-9][0-9]{0,3}$`)
	interimNumberRE = regexp.MustCompile(`^interim-([0-9]{4})-([a-z0-9][a-z0-9-]*)-([0-9]{2})$`)
)

// NewMeeting is what it takes to create an IETF meeting.
type NewMeeting struct {
	Number, City, Country, VenueName, VenueAddr, TimeZone string
	Date                                                  string // YYYY-MM-DD, the first day
	Days                                                  int    // 0: 6
	Rooms                                                 []NewRoom
	// NoGrid leaves the timeslots out (an import brings its own).
	NoGrid bool
}

// NewRoom is a room and its capacity.
type NewRoom struct {
	Name     string
	Capacity int
}

// DefaultRooms are the rooms a meeting gets when none are named.
var DefaultRooms = []NewRoom{
	{"Plenary Hall", 1000}, {"Room 1", 300}, {"Room 2", 200}, {"Room 3", 150},
	{"Room 4", 100}, {"Room 5", 100}, {"Room 6", 60}, {"Room 7", 60},
}

func checkMeeting(n *NewMeeting) (*time.Location, time.Time, error) {
	n.Number = strings.TrimSpace(strings.ToLower(n.Number))
	n.Country = strings.ToUpper(strings.TrimSpace(n.Country))
	n.City = strings.TrimSpace(n.City)
	if n.Days == 0 {
		n.Days = 6
	}
	var problems []*fail.Error
	if !ietfNumberRE.MatchString(n.Number) {
		problems = append(problems, fail.Field("number", "An IETF meeting's number is a positive whole number, such as 125; got %q.", n.Number))
	}
	if n.City == "" {
		problems = append(problems, fail.Field("city", "Say in which city the meeting is."))
	}
	if !isCountry(n.Country) {
		problems = append(problems, fail.Field("country", "The country is a two-letter ISO 3166 code, such as FR; got %q.", n.Country))
	}
	n.TimeZone = strings.TrimSpace(n.TimeZone)
	loc, err := loadZone(n.TimeZone)
	if err != nil {
		problems = append(problems, err.(*fail.Error))
	}
	var day time.Time
	if loc != nil {
		if day, err = time.ParseInLocation(time.DateOnly, strings.TrimSpace(n.Date), loc); err != nil {
			problems = append(problems, fail.Field("date", "The date is the first day, as YYYY-MM-DD; got %q.", n.Date))
		}
	}
	if n.Days < 1 || n.Days > maxDays {
		problems = append(problems, fail.Field("days", "A meeting lasts 1 to %d days; got %d.", maxDays, n.Days))
	}
	seen := map[string]bool{}
	for _, r := range n.Rooms {
		if err := checkRoom(r); err != nil {
			problems = append(problems, err)
		}
		if seen[strings.ToLower(r.Name)] {
			problems = append(problems, fail.Field("rooms", "The room %q is named twice.", r.Name))
		}
		seen[strings.ToLower(r.Name)] = true
	}
	if len(problems) > 0 {
		return nil, day, fail.Join(fail.Invalid, problems, "The meeting was not created.")
	}
	return loc, day, nil
}

func loadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || !strings.Contains(name, "/") && name != "UTC" {
		return nil, fail.Field("time_zone", "The time zone is an IANA name such as Europe/Paris; got %q.", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fail.Field("time_zone", "%q is not a time zone hum knows (an IANA name such as Europe/Paris).", name)
	}
	return loc, nil
}

func checkRoom(r NewRoom) *fail.Error {
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 100 {
		return fail.Field("rooms", "A room needs a name of at most 100 characters.")
	}
	if r.Capacity < 0 || r.Capacity > 100000 {
		return fail.Field("rooms", "The room %q has a capacity of %d; give a number from 0 to 100000.", r.Name, r.Capacity)
	}
	return nil
}

// Create adds an IETF meeting with its rooms, the usual grid of session
// slots in every room (unless NoGrid), and its official schedule. Only
// the secretariat may.
func (s *Service) Create(ctx context.Context, by groups.Actor, n NewMeeting, why string) (m Meeting, err error) {
	defer fail.Wrap(&err, "meetings.Create(%q)", n.Number)
	if !by.Secretariat() {
		return m, fail.New(fail.Forbidden, "Only the secretariat may create a meeting.")
	}
	loc, day, err := checkMeeting(&n)
	if err != nil {
		return m, err
	}
	if len(n.Rooms) == 0 {
		n.Rooms = DefaultRooms
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		id, err := insertMeeting(ctx, tx, n, day, IETF, 0)
		if db.IsUniqueViolation(err) {
			return fail.Field("number", "IETF %s already exists.", n.Number)
		} else if err != nil {
			return err
		}
		if _, err := addSchedule(ctx, tx, id, by.Actor, "official", true); err != nil {
			return err
		}
		for _, r := range n.Rooms {
			if _, err := insertRoom(ctx, tx, id, r); err != nil {
				return err
			}
		}
		if !n.NoGrid {
			if err := layGrid(ctx, tx, id, day, n.Days); err != nil {
				return err
			}
		}
		return record.Add(ctx, tx, by.Actor, "meeting", n.Number, "meeting_created",
			fmt.Sprintf("Created IETF %s in %s, %s, from %s for %d days (%s), with %d rooms", n.Number, n.City, n.Country, day.Format(time.DateOnly), n.Days, loc, len(n.Rooms)), why)
	})
	if err != nil {
		return m, err
	}
	return s.Get(ctx, n.Number)
}

func insertMeeting(ctx context.Context, tx *db.Tx, n NewMeeting, first time.Time, typ string, groupID int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO meeting (number, type, group_id, city, country, venue_name, venue_addr, time_zone, date, days, end_date, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		n.Number, typ, sql.NullInt64{Int64: groupID, Valid: groupID != 0}, n.City, n.Country, n.VenueName, n.VenueAddr,
		n.TimeZone, first.Format(time.DateOnly), n.Days, first.AddDate(0, 0, n.Days-1).Format(time.DateOnly), tx.Now).Scan(&id)
	return id, err
}

// addSchedule adds a schedule to a meeting; official makes it the
// meeting's agenda.
func addSchedule(ctx context.Context, tx *db.Tx, meetingID int64, owner record.Actor, name string, official bool) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO schedule (meeting_id, name, owner_id, created) VALUES ($1, $2, $3, $4) RETURNING id`,
		meetingID, name, sql.NullInt64{Int64: owner.ID, Valid: owner.ID != 0}, tx.Now).Scan(&id)
	if err != nil || !official {
		return id, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE meeting SET schedule_id = $1 WHERE id = $2`, id, meetingID)
	return id, err
}

// touch marks a meeting changed, for caches and feeds.
func touch(ctx context.Context, tx *db.Tx, meetingID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE meeting SET updated = $1 WHERE id = $2`, tx.Now, meetingID)
	return err
}
