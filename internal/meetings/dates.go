package meetings

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// DateName is one of the Datatracker's important-date names
// (ImportantDateName): a slug, its name and description, and how many
// days from the meeting's first day it falls by default.
type DateName struct {
	Slug   string
	Name   string
	Desc   string
	Offset int // days from the meeting's first day
}

// DateNames are the important dates hum keeps for an IETF meeting, in
// the order they fall. The names and offsets are the Datatracker's
// (datatracker-names-2021.json; a test holds them to it), except the two
// materials windows: those follow R29, the 26 and 50 days the
// Datatracker falls back to and that hum enforces on uploads, so the date
// a chair reads is the date that is enforced.
var DateNames = []DateName{
	{"opensched", "Scheduling Opens", "Working Group and BOF scheduling begins", -89},
	{"cutoffwgreq", "Cut-off WG scheduling Requests", "Cut-off date for requests to schedule Working Group Meetings at UTC 23:59", -43},
	{"prelimagenda", "Preliminary Agenda", "Preliminary Agenda published for comment", -29},
	{"finalagenda", "Final Agenda", "Final agenda to be published", -22},
	{"idcutoff", "ID Cutoff", "Internet Draft submission cut-off (for all drafts, including -00) by UTC 23:59", -12},
	{"draftwgagenda", "Draft Working Group Agendas", "Draft Working Group agendas due by UTC 23:59", -10},
	{"revwgagenda", "Revised Working Group Agendas", "Revised Working Group agendas due by UTC 23:59", -5},
	{"procsub", "Proceedings Submission Cut-off", "Proceedings submission cutoff date by UTC 23:59", MaterialsCutoffDays},
	{"revsub", "Proceedings Submission Revision Cut-off", "Proceedings submission corrections cutoff date by UTC 23:59", CorrectionsCutoffDays},
}

func dateName(slug string) (DateName, bool) {
	i := slices.IndexFunc(DateNames, func(n DateName) bool { return n.Slug == slug })
	if i < 0 {
		return DateName{}, false
	}
	return DateNames[i], true
}

// ImportantDate is one of a meeting's dates. Date is the day, at
// midnight UTC: the Datatracker's dates are days that end at 23:59 UTC.
type ImportantDate struct {
	DateName
	Date    time.Time
	Default bool // not set by the secretariat: the meeting's first day plus Offset
}

// End is the last moment of the day, 23:59:59 UTC, when a cut-off bites.
func (d ImportantDate) End() time.Time { return d.Date.Add(24*time.Hour - time.Second) }

// ImportantDates lists an IETF meeting's important dates, by date: those
// the secretariat set and, for the rest, the defaults.
func (s *Service) ImportantDates(ctx context.Context, m Meeting) ([]ImportantDate, error) {
	return importantDates(ctx, s.DB, m)
}

func importantDates(ctx context.Context, q db.Querier, m Meeting) ([]ImportantDate, error) {
	if m.Type != IETF {
		return nil, nil
	}
	type row struct{ name, date string }
	rows, err := db.Query(ctx, q, func(sc db.Scanner) (r row, err error) {
		err = sc.Scan(&r.name, &r.date)
		return r, err
	}, `SELECT name, date FROM important_date WHERE meeting_id = $1`, m.ID)
	if err != nil {
		return nil, err
	}
	set := map[string]time.Time{}
	for _, r := range rows {
		if d, err := time.Parse(time.DateOnly, r.date); err == nil {
			set[r.name] = d
		}
	}
	first := time.Date(m.Date.Year(), m.Date.Month(), m.Date.Day(), 0, 0, 0, 0, time.UTC)
	out := make([]ImportantDate, 0, len(DateNames))
	for _, n := range DateNames {
		d, ok := set[n.Slug]
		if !ok {
			d = first.AddDate(0, 0, n.Offset)
		}
		out = append(out, ImportantDate{DateName: n, Date: d, Default: !ok})
	}
	slices.SortStableFunc(out, func(a, b ImportantDate) int { return a.Date.Compare(b.Date) })
	return out, nil
}

// ImportantDate returns one of a meeting's dates by slug.
func (s *Service) ImportantDate(ctx context.Context, m Meeting, slug string) (ImportantDate, error) {
	ds, err := s.ImportantDates(ctx, m)
	if err != nil {
		return ImportantDate{}, err
	}
	for _, d := range ds {
		if d.Slug == slug {
			return d, nil
		}
	}
	return ImportantDate{}, fail.New(fail.NotFound, "%s has no important date %q.", m.Title(), slug)
}

// SetImportantDate moves one of an IETF meeting's dates; only the
// secretariat may. An empty date puts back the default.
func (s *Service) SetImportantDate(ctx context.Context, by groups.Actor, number, slug, date, why string) error {
	return s.SetImportantDates(ctx, by, number, []DateChange{{slug, date}}, why)
}

// DateChange sets the date named Slug to Date (YYYY-MM-DD); an empty
// Date puts back the default.
type DateChange struct{ Slug, Date string }

// SetImportantDates moves several of an IETF meeting's dates at once:
// all of them, or, when one is refused, none.
func (s *Service) SetImportantDates(ctx context.Context, by groups.Actor, number string, cs []DateChange, why string) (err error) {
	defer fail.Wrap(&err, "meetings.SetImportantDates(%q)", number)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may change a meeting's important dates.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if m.Type != IETF {
			return fail.New(fail.Invalid, "%s is an interim; only IETF meetings have important dates.", m.Title())
		}
		for _, c := range cs {
			if err := s.setDate(ctx, tx, by, m, c, why); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) setDate(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, c DateChange, why string) error {
	n, ok := dateName(c.Slug)
	if !ok {
		var slugs []string
		for _, n := range DateNames {
			slugs = append(slugs, n.Slug)
		}
		return fail.Field("name", "%q is not an important date hum keeps; use one of %s.", c.Slug, strings.Join(slugs, ", "))
	}
	date := strings.TrimSpace(c.Date)
	var day time.Time
	if date != "" {
		var err error
		if day, err = time.Parse(time.DateOnly, date); err != nil {
			return fail.Field(c.Slug, "%s is a day, as YYYY-MM-DD; got %q.", n.Name, date)
		}
		if day.Before(m.Date.AddDate(-1, 0, 0)) || day.After(m.Date.AddDate(1, 0, 0)) {
			return fail.Field(c.Slug, "%s on %s is more than a year from %s's first day, %s.", n.Name, date, m.Title(), m.Date.Format(time.DateOnly))
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM important_date WHERE meeting_id = $1 AND name = $2`, m.ID, c.Slug); err != nil {
		return err
	}
	summary := fmt.Sprintf("Put %s back to its default, %d days from the first day", n.Name, n.Offset)
	if !day.IsZero() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO important_date (meeting_id, name, date) VALUES ($1, $2, $3)`, m.ID, c.Slug, date); err != nil {
			return err
		}
		summary = fmt.Sprintf("Set %s to %s", n.Name, date)
	}
	return s.changed(ctx, tx, by, m, "important_date_changed", summary, why)
}

// CutoffWindow is when I-D submission is closed before an IETF meeting:
// from the end of its idcutoff day (23:59:59 UTC) until the end of the
// meeting's first day in the meeting's time zone, as the Datatracker
// reopens it.
type CutoffWindow struct {
	Meeting  Meeting
	Closed   time.Time
	Reopens  time.Time
	Cutoff   ImportantDate
	Location *time.Location
}

// SubmissionCutoff tells whether I-D submission is closed at a moment
// because an IETF meeting is near, and until when.
func (s *Service) SubmissionCutoff(ctx context.Context, at time.Time) (CutoffWindow, bool, error) {
	ms, _, err := s.List(ctx, Filter{Type: IETF, EndFrom: at.UTC().AddDate(0, 0, -2), Limit: 5})
	if err != nil {
		return CutoffWindow{}, false, err
	}
	for _, m := range ms {
		d, err := s.ImportantDate(ctx, m, "idcutoff")
		if err != nil {
			return CutoffWindow{}, false, err
		}
		w := CutoffWindow{Meeting: m, Cutoff: d, Closed: d.End(), Location: m.Location,
			Reopens: m.Date.Add(24*time.Hour - time.Second)}
		if !w.Closed.Before(w.Reopens) {
			continue // a cut-off on or after the first day closes nothing
		}
		if at.After(w.Closed) && at.Before(w.Reopens) {
			return w, true, nil
		}
	}
	return CutoffWindow{}, false, nil
}

// UpcomingDates lists the important dates of the IETF meetings that have
// not ended by day, soonest first.
func (s *Service) UpcomingDates(ctx context.Context, day time.Time) ([]MeetingDates, error) {
	ms, _, err := s.List(ctx, Filter{Type: IETF, EndFrom: day, Limit: 10})
	if err != nil {
		return nil, err
	}
	out := make([]MeetingDates, 0, len(ms))
	for _, m := range ms {
		ds, err := s.ImportantDates(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, MeetingDates{m, ds})
	}
	return out, nil
}

// MeetingDates is a meeting with its important dates.
type MeetingDates struct {
	Meeting Meeting
	Dates   []ImportantDate
}
