package web

import (
	"net/http"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/groups"
)

func (s *Server) milestoneAdd(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Actor.MayMilestones)
	if err != nil {
		return err
	}
	docs := strings.Fields(strings.ReplaceAll(r.PostFormValue("docs"), ",", " "))
	if err := s.Groups.AddMilestone(r.Context(), by, g.Acronym, r.PostFormValue("description"), strings.TrimSpace(r.PostFormValue("due")), docs, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, "The milestone has been added.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/#milestones")
}

func (s *Server) milestoneChange(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Actor.MayMilestones)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var c groups.MilestoneChange
	switch r.PostFormValue("action") {
	case "resolve":
		done := r.PostFormValue("resolved")
		if done == "" {
			done = "Done"
		}
		c.Resolved = &done
	case "reopen":
		empty := ""
		c.Resolved = &empty
	case "delete":
		c.Delete = true
	default:
		return fail.New(fail.Invalid, "Unknown milestone action %q: use resolve, reopen or delete.", r.PostFormValue("action"))
	}
	if err := s.Groups.ChangeMilestone(r.Context(), by, g.Acronym, id, c, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, "The milestone has been updated.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/#milestones")
}
