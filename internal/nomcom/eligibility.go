package nomcom

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// The paths to eligibility (RFC 9389 §3), by their rules.
const (
	PathAttendance = "R45" // three of the last five IETF meetings
	PathService    = "R46" // a WG chair or secretary in the three years before
	PathAuthorship = "R47" // two IETF-stream RFCs or queued drafts in the five years before
)

// PathNames say what each path is.
var PathNames = map[string]string{
	PathAttendance: "attended three of the last five IETF meetings",
	PathService:    "WG chair or secretary in the last three years",
	PathAuthorship: "author of two IETF-stream RFCs in the last five years",
}

// Thresholds of the paths.
const (
	meetingsNeeded = 3 // of LastMeetings (R45)
	LastMeetings   = 5 // R50
	serviceYears   = 3 // R46
	authorYears    = 5 // R47
	worksNeeded    = 2 // R47
)

// Attendance is what one of the last five meetings says of a person, and
// whether it counts toward R45: registered, and there (checked in at
// the venue, or on a session's blue sheet, in person or online).
type Attendance struct {
	Meeting    meetings.Meeting
	Registered bool
	Type       string // onsite, remote
	CheckedIn  bool
	Sessions   int
	Counts     bool
}

// Eligibility is one person's eligibility on a day, with the evidence of
// each path and what bars them from volunteering.
type Eligibility struct {
	PersonID   int64
	Name       string
	Day        time.Time
	Attendance []Attendance    // each of the last five meetings (R50)
	Attended   int             // of them, those that count (R45)
	Offices    []groups.Tenure // WG chair and secretary tenures in the window (R46)
	Works      []docs.Work     // RFCs and queued drafts in the window (R47)
	Paths      []string        // the paths met, by rule
	Bars       []Bar           // sitting offices (R48)
}

// Eligible reports whether any path is met.
func (e Eligibility) Eligible() bool { return len(e.Paths) > 0 }

// Meets reports whether a path (R45, R46, R47) is met.
func (e Eligibility) Meets(path string) bool { return slices.Contains(e.Paths, path) }

// MayVolunteer reports whether the person is eligible and not barred.
func (e Eligibility) MayVolunteer() bool { return e.Eligible() && len(e.Bars) == 0 }

// Window is the span a path looks back over from the call's day: from
// the same day years before (28 February for a 29 February) to the end
// of the call's day, UTC.
func Window(call time.Time, years int) (from, to time.Time) {
	y, m, d := call.UTC().Date()
	if m == time.February && d == 29 {
		d = 28
	}
	return time.Date(y-years, m, d, 0, 0, 0, 0, time.UTC), time.Date(y, call.Month(), call.Day(), 0, 0, 0, 0, time.UTC).Add(24*time.Hour - time.Nanosecond)
}

// Report is everyone eligible on a day.
type Report struct {
	Day      time.Time
	Meetings []meetings.Meeting // the last five (R50), latest first
	People   []Eligibility      // the eligible, by name
}

// Count is how many meet a path.
func (r Report) Count(path string) int {
	n := 0
	for _, e := range r.People {
		if e.Meets(path) {
			n++
		}
	}
	return n
}

// Eligible computes everyone's eligibility on day (the call for
// volunteers) and returns those who meet a path.
func (s *Service) Eligible(ctx context.Context, day time.Time) (r Report, err error) {
	defer fail.Wrap(&err, "nomcom.Eligible(%s)", day.Format(time.DateOnly))
	ms, all, err := s.compute(ctx, day, 0)
	if err != nil {
		return r, err
	}
	r = Report{Day: day, Meetings: ms}
	for _, e := range all {
		if e.Eligible() {
			r.People = append(r.People, *e)
		}
	}
	slices.SortFunc(r.People, func(a, b Eligibility) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.PersonID - b.PersonID)
	})
	return r, nil
}

// EligibilityOf is one person's eligibility on day, with all the
// evidence (each of the last five meetings, met or not).
func (s *Service) EligibilityOf(ctx context.Context, personID int64, day time.Time) (e Eligibility, err error) {
	defer fail.Wrap(&err, "nomcom.EligibilityOf(%d, %s)", personID, day.Format(time.DateOnly))
	var name string
	if err := s.DB.QueryRowContext(ctx, `SELECT name FROM person_name WHERE id = $1`, personID).Scan(&name); err != nil {
		return e, fail.New(fail.NotFound, "There is no person %d.", personID)
	}
	ms, all, err := s.compute(ctx, day, personID)
	if err != nil {
		return e, err
	}
	if p := all[personID]; p != nil {
		e = *p
	} else {
		e = Eligibility{PersonID: personID, Name: name, Day: day}
	}
	e.Name = name
	// The five meetings, each with what it says of them.
	have := map[int64]Attendance{}
	for _, a := range e.Attendance {
		have[a.Meeting.ID] = a
	}
	e.Attendance = nil
	for _, m := range ms {
		a, ok := have[m.ID]
		if !ok {
			a = Attendance{Meeting: m}
		}
		e.Attendance = append(e.Attendance, a)
	}
	return e, nil
}

// compute gathers the evidence of every path on day, for everyone
// (personID 0) or one person.
func (s *Service) compute(ctx context.Context, day time.Time, personID int64) ([]meetings.Meeting, map[int64]*Eligibility, error) {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	all := map[int64]*Eligibility{}
	of := func(id int64, name string) *Eligibility {
		e := all[id]
		if e == nil {
			e = &Eligibility{PersonID: id, Day: day}
			all[id] = e
		}
		if e.Name == "" {
			e.Name = name
		}
		return e
	}
	if personID != 0 {
		of(personID, "")
	}
	// R45 over R50's five meetings.
	ms, err := s.Meetings.LastIETF(ctx, day, LastMeetings)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]meetings.Meeting{}
	var ids []int64
	for _, m := range ms {
		byID[m.ID] = m
		ids = append(ids, m.ID)
	}
	ps, err := s.Meetings.Participations(ctx, ids, personID)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		e := of(p.PersonID, "")
		a := Attendance{Meeting: byID[p.MeetingID], Registered: p.Registered, Type: p.Type, CheckedIn: p.CheckedIn, Sessions: p.Sessions}
		a.Counts = a.Registered && (a.CheckedIn || a.Sessions > 0)
		if a.Counts {
			e.Attended++
		}
		e.Attendance = append(e.Attendance, a)
	}
	// R46.
	from, to := Window(day, serviceYears)
	ts, err := s.Groups.Tenures(ctx, groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair", "secr"}, From: from, To: to, PersonID: personID})
	if err != nil {
		return nil, nil, err
	}
	for _, t := range ts {
		if personID == 0 || t.PersonID == personID {
			e := of(t.PersonID, t.Person)
			e.Offices = append(e.Offices, t)
		}
	}
	// R47.
	from, to = Window(day, authorYears)
	ws, err := s.Docs.IETFWorks(ctx, from, to, personID)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range ws {
		e := of(w.PersonID, "")
		e.Works = append(e.Works, w)
	}
	bars, err := s.Barred(ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	for id, e := range all {
		if e.Attended >= meetingsNeeded {
			e.Paths = append(e.Paths, PathAttendance)
		}
		if len(e.Offices) > 0 {
			e.Paths = append(e.Paths, PathService)
		}
		if distinctWorks(e.Works) >= worksNeeded {
			e.Paths = append(e.Paths, PathAuthorship)
		}
		e.Bars = bars[id]
		slices.SortFunc(e.Attendance, func(a, b Attendance) int { return b.Meeting.Date.Compare(a.Meeting.Date) })
	}
	if personID == 0 { // EligibilityOf names its one person itself
		if err := s.names(ctx, all); err != nil {
			return nil, nil, err
		}
	}
	return ms, all, nil
}

func distinctWorks(ws []docs.Work) int {
	seen := map[string]bool{}
	for _, w := range ws {
		seen[w.Name] = true
	}
	return len(seen)
}

// names fills in the names of the people who have none yet (those found
// through attendance or authorship).
func (s *Service) names(ctx context.Context, all map[int64]*Eligibility) error {
	var missing []int64
	for id, e := range all {
		if e.Name == "" {
			missing = append(missing, id)
		}
	}
	for len(missing) > 0 {
		part := missing[:min(len(missing), 500)]
		missing = missing[len(part):]
		var ph []string
		var args []any
		for i, id := range part {
			ph = append(ph, fmt.Sprintf("$%d", i+1))
			args = append(args, id)
		}
		rows, err := s.DB.QueryContext(ctx, `SELECT id, name FROM person_name WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			all[id].Name = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Explain says in words why someone is eligible or not, path by path.
func (e Eligibility) Explain() []string {
	var out []string
	if e.Meets(PathAttendance) {
		out = append(out, fmt.Sprintf("R45: registered for and attended %d of the last five IETF meetings.", e.Attended))
	} else {
		out = append(out, fmt.Sprintf("R45 not met: attended %d of the last five IETF meetings; three are needed.", e.Attended))
	}
	if e.Meets(PathService) {
		var what []string
		for _, t := range e.Offices {
			what = append(what, groups.RoleName(t.Role)+" of "+t.Acronym)
		}
		out = append(out, "R46: "+strings.Join(dedupe(what), ", ")+" within the three years before the call.")
	} else {
		out = append(out, "R46 not met: no WG chair or secretary role within the three years before the call.")
	}
	if e.Meets(PathAuthorship) {
		out = append(out, fmt.Sprintf("R47: front-page author of %d IETF-stream RFCs or RFC Editor queue drafts within the five years before the call.", distinctWorks(e.Works)))
	} else {
		out = append(out, fmt.Sprintf("R47 not met: front-page author of %d IETF-stream RFCs or queued drafts within the five years before the call; two are needed.", distinctWorks(e.Works)))
	}
	for _, b := range e.Bars {
		out = append(out, "R48: sitting member ("+b.What+"), so may not volunteer as a voting member.")
	}
	return out
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
