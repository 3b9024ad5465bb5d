package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// attendFellowData is the fellowship page: the call and its deadline,
// the form (or one's own application), the public list of fellows, and,
// for the committee and the secretariat only, the applications.
type attendFellowData struct {
	Meeting      meetings.Meeting
	Deadline     time.Time
	HasDeadline  bool
	Open         bool
	Mine         meetings.Application
	HasMine      bool
	Reviewer     bool
	Secretariat  bool
	Applications []meetings.Application
	Fellows      []meetings.Fellow
}

func (s *Server) fellowForm(r *http.Request) (form[attendFellowData], groups.Actor, error) {
	var by groups.Actor
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return form[attendFellowData]{}, by, err
	}
	f := newForm[attendFellowData](s, r, "ISOC fellowship to "+m.Title())
	d := &f.Data
	d.Meeting = m
	if d.Deadline, d.HasDeadline, err = s.Meetings.FellowshipDeadline(r.Context(), m.Number); err != nil {
		return f, by, err
	}
	d.Open = d.HasDeadline && s.DB.Now().Before(d.Deadline)
	if d.Fellows, err = s.Meetings.Fellows(r.Context(), m.Number); err != nil {
		return f, by, err
	}
	if f.User != nil {
		if by, err = s.powers(r.Context(), f.User); err != nil {
			return f, by, err
		}
		d.Secretariat, d.Reviewer = by.Secretariat(), meetings.Reviewer(by)
		if d.Mine, d.HasMine, err = s.Meetings.MyApplication(r.Context(), by, m.Number); err != nil {
			return f, by, err
		}
		if d.Reviewer {
			if d.Applications, err = s.Meetings.Applications(r.Context(), by, m.Number); err != nil {
				return f, by, err
			}
		}
	}
	return f, by, nil
}

func (s *Server) fellowPage(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.fellowForm(r)
	if err != nil {
		return err
	}
	if f.Data.HasMine {
		mine := f.Data.Mine
		f.V = map[string][]string{"statement": {mine.Statement}, "country": {mine.Country}, "affiliation": {mine.Affiliation}}
		if mine.FirstMeeting {
			f.V["first_meeting"] = []string{"1"}
		}
	}
	return s.show(w, "attend_fellowship.html", f)
}

// fellowAfter runs a change, then shows the page with its refusal or
// goes back to the page with done as a flash.
func (s *Server) fellowAfter(w http.ResponseWriter, r *http.Request, change func(groups.Actor, string) error, done string) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	f, by, err := s.fellowForm(r)
	if err != nil {
		return err
	}
	if err := change(by, f.Data.Meeting.Number); err != nil {
		return again(s, w, "attend_fellowship.html", f, err)
	}
	s.flash(r, done)
	return redirect(w, r, "/meeting/"+f.Data.Meeting.Number+"/fellowship/")
}

func (s *Server) fellowApply(w http.ResponseWriter, r *http.Request) error {
	return s.fellowAfter(w, r, func(by groups.Actor, number string) error {
		return s.Meetings.Apply(r.Context(), by, number, meetings.NewApplication{Statement: r.PostFormValue("statement"), Country: r.PostFormValue("country"),
			Affiliation: r.PostFormValue("affiliation"), FirstMeeting: r.PostFormValue("first_meeting") != ""})
	}, "Your application is sent. You will hear from the committee by mail.")
}

func (s *Server) fellowDeadline(w http.ResponseWriter, r *http.Request) error {
	return s.fellowAfter(w, r, func(by groups.Actor, number string) error {
		v := strings.TrimSpace(r.PostFormValue("deadline"))
		t, err := time.Parse("2006-01-02T15:04", v)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, v); err != nil {
				return fail.Field("deadline", "The deadline is a date and time in UTC, as 2026-02-01T23:59; got %q.", v)
			}
		}
		return s.Meetings.SetFellowshipDeadline(r.Context(), by, number, t, r.PostFormValue("why"))
	}, "The fellowship's deadline is set.")
}

func appID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *Server) fellowScore(w http.ResponseWriter, r *http.Request) error {
	return s.fellowAfter(w, r, func(by groups.Actor, number string) error {
		score, err := strconv.Atoi(r.PostFormValue("score"))
		if err != nil {
			return fail.Field("score", "A score is a whole number from 1 to 5.")
		}
		return s.Meetings.ScoreApplication(r.Context(), by, number, appID(r), score, r.PostFormValue("comment"))
	}, "Your score is saved.")
}

func (s *Server) fellowDecide(w http.ResponseWriter, r *http.Request) error {
	return s.fellowAfter(w, r, func(by groups.Actor, number string) error {
		return s.Meetings.Decide(r.Context(), by, number, appID(r), r.PostFormValue("award") == "1", r.PostFormValue("why"))
	}, "The decision is recorded and the applicant told by mail.")
}
