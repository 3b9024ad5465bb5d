package web

import (
	"net/http"
	"time"

	"hum/internal/meetings"
)

// proceedingsPage is the model of proceedings.html: every group's
// sessions and materials at a meeting, by area.
type proceedingsPage struct {
	Page
	Meeting     meetings.Meeting
	Areas       []proceedingsArea
	Secretariat bool
}

type proceedingsArea struct {
	Area   string
	Groups []meetings.GroupMaterials
}

// Local is t in the meeting's time zone.
func (p proceedingsPage) Local(t time.Time) string {
	return t.In(p.Meeting.Location).Format("Mon 15:04")
}

func (s *Server) proceedings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, err := s.Meetings.Get(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	gs, err := s.Meetings.Proceedings(ctx, m)
	if err != nil {
		return err
	}
	p := proceedingsPage{Page: s.page(r, "Proceedings of "+m.Title()), Meeting: m}
	for _, g := range gs {
		if n := len(p.Areas); n == 0 || p.Areas[n-1].Area != g.Area {
			p.Areas = append(p.Areas, proceedingsArea{Area: g.Area})
		}
		a := &p.Areas[len(p.Areas)-1]
		a.Groups = append(a.Groups, g)
	}
	if p.User != nil {
		by, err := s.powers(ctx, p.User)
		if err != nil {
			return err
		}
		p.Secretariat = by.Secretariat()
	}
	return s.show(w, "proceedings.html", p)
}

func (s *Server) proceedingsFinalize(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := s.Meetings.Finalize(r.Context(), by, m.Number, r.PostFormValue("why")); err != nil {
		return err
	}
	s.flash(r, "The proceedings of "+m.Title()+" are final; its materials and blue sheets are closed to all but the secretariat.")
	return redirect(w, r, "/meeting/"+m.Number+"/proceedings/")
}
