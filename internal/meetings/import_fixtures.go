package meetings

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/fail"
)

// The Datatracker's fixtures, as much of them as hum reads. Field names
// are Django's; "meeting", "group", "location" and the like hold the pk
// of another object.

type dtObject struct {
	PK     int64           `json:"pk"`
	Model  string          `json:"model"`
	Fields json.RawMessage `json:"fields"`
}

type dtMeeting struct {
	Number    string `json:"number"`
	Type      string `json:"type"`
	City      string `json:"city"`
	Country   string `json:"country"`
	TimeZone  string `json:"time_zone"`
	Date      string `json:"date"`
	VenueName string `json:"venue_name"`
	VenueAddr string `json:"venue_addr"`
	Agenda    *int64 `json:"agenda"`   // the official schedule, 2012
	Schedule  *int64 `json:"schedule"` // the same, later
}

type dtSchedule struct {
	Meeting int64  `json:"meeting"`
	Name    string `json:"name"`
}

type dtRoom struct {
	Meeting  int64  `json:"meeting"`
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

type dtTimeslot struct {
	Meeting  int64  `json:"meeting"`
	Name     string `json:"name"`
	Location *int64 `json:"location"`
	Time     string `json:"time"`
	Duration int64  `json:"duration"` // seconds
	Type     string `json:"type"`
}

type dtSession struct {
	Meeting           int64  `json:"meeting"`
	Group             int64  `json:"group"`
	Name              string `json:"name"`
	Status            string `json:"status"`
	Requested         string `json:"requested"`
	Modified          string `json:"modified"`
	Attendees         int    `json:"attendees"`
	Comments          string `json:"comments"`
	AgendaNote        string `json:"agenda_note"`
	RequestedDuration int64  `json:"requested_duration"` // seconds
}

type dtAssignment struct {
	Schedule int64  `json:"schedule"`
	Session  *int64 `json:"session"`
	Timeslot int64  `json:"timeslot"`
	Notes    string `json:"notes"`
}

type dtConstraint struct {
	Meeting int64  `json:"meeting"`
	Source  int64  `json:"source"`
	Target  *int64 `json:"target"`
	Name    string `json:"name"`
}

type dtGroup struct {
	Acronym   string `json:"acronym"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	State     string `json:"state"`
	Parent    *int64 `json:"parent"`
	ListEmail string `json:"list_email"`
	AD        *int64 `json:"ad"` // the responsible AD, a Datatracker person id
}

// fixtures is one meeting's objects, checked and ready to insert.
type fixtures struct {
	meeting     dtMeeting
	loc         *time.Location
	first       time.Time
	days        int
	schedule    dtSchedule
	rooms       []pkOf[dtRoom]
	slots       []importSlot
	sessions    []importSession
	assignments []pkOf[dtAssignment]
	constraints []pkOf[dtConstraint]
	groups      map[int64]dtGroup
}

type pkOf[T any] struct {
	pk int64
	f  T
}

type importSlot struct {
	pkOf[dtTimeslot]
	room  int64 // room pk, 0 for none
	typ   string
	start time.Time
}

type importSession struct {
	pkOf[dtSession]
	requested sql.NullTime
	modified  time.Time
}

// ConflictNames are the Datatracker's conflict levels, first to third.
var ConflictNames = []string{"conflict", "conflic2", "conflic3"}

// readFixtures parses the fixture files and picks out meeting number's
// objects, refusing what hum cannot place: a timeslot in a room the
// meeting lacks, a session of a group the group list lacks, and so on.
func readFixtures(files [][]byte, number string) (*fixtures, error) {
	number = strings.TrimSpace(strings.ToLower(number))
	byModel := map[string][]dtObject{}
	for i, f := range files {
		var objs []dtObject
		dec := json.NewDecoder(bytes.NewReader(f))
		if err := dec.Decode(&objs); err != nil {
			return nil, fail.New(fail.Invalid, "Fixture file %d is not a Datatracker fixture (a JSON list of objects): %v", i+1, err)
		}
		for _, o := range objs {
			byModel[o.Model] = append(byModel[o.Model], o)
		}
	}
	fx := &fixtures{groups: map[int64]dtGroup{}}
	var meetingPK int64 = -1
	for _, o := range byModel["meeting.meeting"] {
		var m dtMeeting
		if err := json.Unmarshal(o.Fields, &m); err != nil {
			return nil, badObject(o, err)
		}
		if strings.ToLower(m.Number) == number {
			fx.meeting, meetingPK = m, o.PK
		}
	}
	if meetingPK < 0 {
		return nil, fail.New(fail.Invalid, "The fixtures hold no meeting numbered %q.", number)
	}
	if fx.meeting.Type != "" && fx.meeting.Type != IETF {
		return nil, fail.New(fail.Invalid, "Meeting %s is of type %q; only IETF meetings are imported.", number, fx.meeting.Type)
	}
	if !ietfNumberRE.MatchString(fx.meeting.Number) {
		return nil, fail.New(fail.Invalid, "%q is not an IETF meeting number.", fx.meeting.Number)
	}
	var err error
	if fx.loc, err = loadZone(fx.meeting.TimeZone); err != nil {
		return nil, err
	}
	if fx.first, err = time.ParseInLocation(time.DateOnly, fx.meeting.Date, fx.loc); err != nil {
		return nil, fail.New(fail.Invalid, "Meeting %s has the date %q, not YYYY-MM-DD.", number, fx.meeting.Date)
	}
	for _, o := range byModel["group.group"] {
		var g dtGroup
		if err := json.Unmarshal(o.Fields, &g); err != nil {
			return nil, badObject(o, err)
		}
		g.Acronym = strings.ToLower(g.Acronym)
		fx.groups[o.PK] = g
	}
	if err := fx.readSchedule(byModel, meetingPK); err != nil {
		return nil, err
	}
	if err := fx.readRoomsAndSlots(byModel, meetingPK); err != nil {
		return nil, err
	}
	if err := fx.readSessions(byModel, meetingPK); err != nil {
		return nil, err
	}
	return fx, nil
}

func badObject(o dtObject, err error) error {
	return fail.New(fail.Invalid, "The fixtures' %s %d cannot be read: %v", o.Model, o.PK, err)
}

func decodeAll[T any](objs []dtObject, keep func(T) bool) ([]pkOf[T], error) {
	var out []pkOf[T]
	for _, o := range objs {
		var f T
		if err := json.Unmarshal(o.Fields, &f); err != nil {
			return nil, badObject(o, err)
		}
		if keep(f) {
			out = append(out, pkOf[T]{o.PK, f})
		}
	}
	slices.SortFunc(out, func(a, b pkOf[T]) int { return int(a.pk - b.pk) })
	return out, nil
}

func (fx *fixtures) readSchedule(byModel map[string][]dtObject, meetingPK int64) error {
	official := fx.meeting.Agenda
	if official == nil {
		official = fx.meeting.Schedule
	}
	if official == nil {
		return fail.New(fail.Invalid, "Meeting %s has no official schedule in the fixtures.", fx.meeting.Number)
	}
	ss, err := decodeAll(byModel["meeting.schedule"], func(s dtSchedule) bool { return s.Meeting == meetingPK })
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ss, func(s pkOf[dtSchedule]) bool { return s.pk == *official })
	if i < 0 {
		return fail.New(fail.Invalid, "Meeting %s's official schedule %d is not in the fixtures.", fx.meeting.Number, *official)
	}
	fx.schedule = ss[i].f
	return nil
}

// timeslotType maps the Datatracker's timeslot types of 2012 to today's.
func timeslotType(t string) string {
	if t == "session" {
		return "regular"
	}
	return t
}

func (fx *fixtures) readRoomsAndSlots(byModel map[string][]dtObject, meetingPK int64) error {
	var err error
	if fx.rooms, err = decodeAll(byModel["meeting.room"], func(r dtRoom) bool { return r.Meeting == meetingPK }); err != nil {
		return err
	}
	rooms := map[int64]bool{}
	for _, r := range fx.rooms {
		if err := checkRoom(NewRoom{Name: r.f.Name, Capacity: r.f.Capacity}); err != nil {
			return err
		}
		rooms[r.pk] = true
	}
	slots, err := decodeAll(byModel["meeting.timeslot"], func(t dtTimeslot) bool { return t.Meeting == meetingPK })
	if err != nil {
		return err
	}
	last := fx.first
	for _, t := range slots {
		s := importSlot{pkOf: t, typ: timeslotType(t.f.Type)}
		if !slices.Contains(TimeslotTypes, s.typ) {
			return fail.New(fail.Invalid, "Timeslot %d has the type %q, which hum does not know.", t.pk, t.f.Type)
		}
		if t.f.Location != nil {
			if !rooms[*t.f.Location] {
				return fail.New(fail.Invalid, "Timeslot %d is in room %d, which meeting %s does not have.", t.pk, *t.f.Location, fx.meeting.Number)
			}
			s.room = *t.f.Location
		}
		if s.start, err = fixtureTime(t.f.Time, fx.loc); err != nil {
			return fail.New(fail.Invalid, "Timeslot %d starts at %q, which is not a time.", t.pk, t.f.Time)
		}
		if t.f.Duration <= 0 || t.f.Duration > 24*3600 {
			return fail.New(fail.Invalid, "Timeslot %d lasts %d seconds.", t.pk, t.f.Duration)
		}
		if d := s.start.In(fx.loc); d.After(last) {
			last = d
		}
		fx.slots = append(fx.slots, s)
	}
	slices.SortFunc(fx.slots, func(a, b importSlot) int { return a.start.Compare(b.start) })
	// The meeting lasts from its date to its last timeslot's day; slots
	// the day before (a code sprint) stay on the agenda.
	fx.days = 1
	for fx.first.AddDate(0, 0, fx.days).Before(last) && fx.days < maxDays {
		fx.days++
	}
	return nil
}

func (fx *fixtures) readSessions(byModel map[string][]dtObject, meetingPK int64) error {
	ss, err := decodeAll(byModel["meeting.session"], func(s dtSession) bool { return s.Meeting == meetingPK })
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, s := range ss {
		if _, ok := fx.groups[s.f.Group]; !ok {
			return fail.New(fail.Invalid, "Session %d is of group %d, which the group list does not hold; give the group list too.", s.pk, s.f.Group)
		}
		if StatusNames[s.f.Status] == "" {
			return fail.New(fail.Invalid, "Session %d has the status %q, which hum does not know.", s.pk, s.f.Status)
		}
		is := importSession{pkOf: s}
		if t, err := fixtureTime(s.f.Requested, time.UTC); err == nil {
			is.requested = sql.NullTime{Time: t, Valid: true}
		}
		if is.modified, err = fixtureTime(s.f.Modified, time.UTC); err != nil {
			is.modified = fx.first.UTC()
		}
		fx.sessions = append(fx.sessions, is)
		known[s.pk] = true
	}
	slots := map[int64]bool{}
	for _, t := range fx.slots {
		slots[t.pk] = true
	}
	official := fx.meeting.Agenda
	if official == nil {
		official = fx.meeting.Schedule
	}
	keep := func(a dtAssignment) bool { return a.Schedule == *official && a.Session != nil }
	var as []pkOf[dtAssignment]
	for _, model := range []string{"meeting.scheduledsession", "meeting.schedtimesessassignment"} {
		part, err := decodeAll(byModel[model], keep)
		if err != nil {
			return err
		}
		as = append(as, part...)
	}
	used := map[int64]bool{}
	for _, a := range as {
		if !known[*a.f.Session] || !slots[a.f.Timeslot] {
			return fail.New(fail.Invalid, "Assignment %d places session %d in timeslot %d, and the fixtures lack one of them.", a.pk, *a.f.Session, a.f.Timeslot)
		}
		if used[a.f.Timeslot] {
			return fail.New(fail.Invalid, "Assignment %d puts a second session in timeslot %d.", a.pk, a.f.Timeslot)
		}
		used[a.f.Timeslot] = true
	}
	fx.assignments = as
	if fx.constraints, err = decodeAll(byModel["meeting.constraint"], func(c dtConstraint) bool { return c.Meeting == meetingPK }); err != nil {
		return err
	}
	for _, c := range fx.constraints {
		if _, ok := fx.groups[c.f.Source]; !ok {
			return fail.New(fail.Invalid, "Constraint %d is of group %d, which the group list does not hold.", c.pk, c.f.Source)
		}
		if c.f.Target != nil {
			if _, ok := fx.groups[*c.f.Target]; !ok {
				return fail.New(fail.Invalid, "Constraint %d names group %d, which the group list does not hold.", c.pk, *c.f.Target)
			}
		}
		cn, ok := Constraint(c.f.Name)
		if !ok {
			return fail.New(fail.Invalid, "Constraint %d is a %q, which is not a constraint name the Datatracker (or hum) knows.", c.pk, c.f.Name)
		}
		if cn.GroupConflict && c.f.Target == nil {
			return fail.New(fail.Invalid, "Constraint %d is a %q and names no group.", c.pk, c.f.Name)
		}
	}
	return nil
}

// fixtureTime reads a Datatracker time: naive ("2012-03-27 09:00:00",
// local to loc, as 2012's fixtures are) or with a zone (RFC 3339).
func fixtureTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}
