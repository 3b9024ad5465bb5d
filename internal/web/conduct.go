package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/lists"
)

// conductPageModel is the model of conduct.html: the conduct records of a
// WG's list (R20), for its chairs, its ADs and the secretariat.
type conductPageModel struct {
	Page
	C      lists.Conduct
	Domain string
	Max    int
	Err    *fail.Error
	V      url.Values
}

func (s *Server) conductModel(r *http.Request) (conductPageModel, error) {
	_, by, err := s.need(r)
	if err != nil {
		return conductPageModel{}, err
	}
	acronym := r.PathValue("acronym")
	c, err := s.Lists.ConductOf(r.Context(), by, acronym)
	if err != nil {
		return conductPageModel{}, err
	}
	return conductPageModel{Page: s.page(r, "Posting conduct on "+c.List.Name), C: c, Domain: s.Lists.Domain, Max: lists.MaxSuspensionDays}, nil
}

// conductPage is /group/{acronym}/chair/conduct/.
func (s *Server) conductPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.conductModel(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "conduct.html", p)
}

// conductDone answers a conduct form: back to the page with a flash, or
// the page again with the refusal beside the values sent.
func (s *Server) conductDone(w http.ResponseWriter, r *http.Request, err error, done string) error {
	if err == nil {
		s.flash(r, done)
		return redirect(w, r, "/group/"+r.PathValue("acronym")+"/chair/conduct/")
	}
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden || fe.Kind == fail.NotFound || fe.Kind == fail.Unauthorized {
		return err
	}
	p, perr := s.conductModel(r)
	if perr != nil {
		return perr
	}
	p.Err, p.V = fe, r.PostForm
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "conduct.html", p)
}

func (s *Server) conductWarn(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	public := r.PostFormValue("public") != ""
	err = s.Lists.Warn(r.Context(), by, r.PathValue("acronym"), r.PostFormValue("address"), r.PostFormValue("note"), public)
	done := "The warning is recorded and mailed to them."
	if public {
		done = "The warning is recorded and posted to the list."
	}
	return s.conductDone(w, r, err, done)
}

func (s *Server) conductConsult(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	ad, _ := strconv.ParseInt(r.PostFormValue("ad"), 10, 64)
	err = s.Lists.RecordConsultation(r.Context(), by, r.PathValue("acronym"), r.PostFormValue("address"), ad, r.PostFormValue("note"))
	return s.conductDone(w, r, err, "The consultation of the AD is recorded.")
}

func (s *Server) conductSuspend(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	days, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
	if perr != nil {
		return s.conductDone(w, r, fail.Field("days", "Give the length of the suspension as a number of days."), "")
	}
	_, err = s.Lists.Suspend(r.Context(), by, r.PathValue("acronym"), r.PostFormValue("address"), days, r.PostFormValue("reason"))
	return s.conductDone(w, r, err, "Posting privileges are suspended; the poster is told how to appeal.")
}

func (s *Server) conductLift(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.Lists.Lift(r.Context(), by, r.PathValue("acronym"), id, r.PostFormValue("reason"))
	return s.conductDone(w, r, err, "The suspension is lifted; the poster is told.")
}
