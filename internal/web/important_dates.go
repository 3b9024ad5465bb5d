package web

import (
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// datesPage is the model of important_dates.html: one meeting's dates,
// or the dates of every upcoming meeting.
type datesPage struct {
	Page
	Err      *fail.Error
	Meetings []meetings.MeetingDates
	One      bool
	MayEdit  bool
	Today    time.Time
}

func (s *Server) meetingForDates(r *http.Request) (meetings.Meeting, error) {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err == nil && m.Type != meetings.IETF {
		err = fail.New(fail.NotFound, "%s is an interim; only IETF meetings have important dates.", m.Title())
	}
	return m, err
}

func (s *Server) importantDates(w http.ResponseWriter, r *http.Request) error {
	return s.showDates(w, r, nil)
}

func (s *Server) showDates(w http.ResponseWriter, r *http.Request, fe *fail.Error) error {
	m, err := s.meetingForDates(r)
	if err != nil {
		return err
	}
	ds, err := s.Meetings.ImportantDates(r.Context(), m)
	if err != nil {
		return err
	}
	p := datesPage{Page: s.page(r, "IETF "+m.Number+" important dates"), Err: fe, One: true, Today: s.DB.Now().UTC(),
		Meetings: []meetings.MeetingDates{{Meeting: m, Dates: ds}}}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		p.MayEdit = by.Secretariat()
	}
	if fe != nil {
		w.WriteHeader(status(fe.Kind))
	}
	return s.show(w, "important_dates.html", p)
}

func (s *Server) upcomingDates(w http.ResponseWriter, r *http.Request) error {
	today := s.DB.Now().UTC()
	ms, err := s.Meetings.UpcomingDates(r.Context(), today)
	if err != nil {
		return err
	}
	return s.show(w, "important_dates.html", datesPage{Page: s.page(r, "Important dates of upcoming IETF meetings"), Meetings: ms, Today: today})
}

// importantDatesEdit takes the secretariat's form: one date field per
// name; an empty field puts the default back.
func (s *Server) importantDatesEdit(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	m, err := s.meetingForDates(r)
	if err != nil {
		return err
	}
	ds, err := s.Meetings.ImportantDates(r.Context(), m)
	if err != nil {
		return err
	}
	r.ParseForm()
	var cs []meetings.DateChange
	for _, d := range ds {
		v, ok := r.PostForm[d.Slug]
		if !ok {
			continue
		}
		val := strings.TrimSpace(v[0])
		if val == d.Date.Format(time.DateOnly) || val == "" && d.Default {
			continue // unchanged
		}
		cs = append(cs, meetings.DateChange{Slug: d.Slug, Date: val})
	}
	if err := s.Meetings.SetImportantDates(r.Context(), by, m.Number, cs, r.PostFormValue("why")); err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal {
			return err
		}
		return s.showDates(w, r, fe)
	}
	s.flash(r, "Important dates saved.")
	return redirect(w, r, "/meeting/"+m.Number+"/important-dates/")
}

// importantDatesICS is a meeting's important dates as all-day events,
// each with a UID that stays the same when the date moves, so calendars
// update rather than duplicate.
func (s *Server) importantDatesICS(w http.ResponseWriter, r *http.Request) error {
	m, err := s.meetingForDates(r)
	if err != nil {
		return err
	}
	ds, err := s.Meetings.ImportantDates(r.Context(), m)
	if err != nil {
		return err
	}
	cal := ics.NewCalendarFor(s.SiteName)
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("IETF " + m.Number + " important dates")
	host := strings.TrimPrefix(strings.TrimPrefix(s.BaseURL, "https://"), "http://")
	for _, d := range ds {
		e := cal.AddEvent("ietf-" + m.Number + "-" + d.Slug + "@" + host)
		e.SetDtStampTime(m.Updated.UTC())
		e.SetAllDayStartAt(d.Date)
		e.SetAllDayEndAt(d.Date.AddDate(0, 0, 1))
		e.SetSummary("IETF " + m.Number + ": " + d.Name)
		e.SetDescription(d.Desc)
		e.SetURL(s.BaseURL + "/meeting/" + m.Number + "/important-dates/")
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	_, err = w.Write([]byte(cal.Serialize()))
	return err
}
