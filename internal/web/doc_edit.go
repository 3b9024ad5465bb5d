package web

import (
	"net/http"
	"strconv"
	"strings"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
)

// docEditPage is /doc/{name}/edit/: the lifecycle forms a person's roles
// allow on one document.
type docEditPage struct {
	Page
	Doc    docs.Document
	Tags   []string
	May    docs.Powers
	ADs    []docs.Person
	Ballot docs.BallotView
}

// by is the logged-in person acting on documents.
func (s *Server) by(r *http.Request) (groups.Actor, error) {
	_, a, err := s.need(r)
	return a, err
}

func (s *Server) docEdit(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := docEditPage{Page: s.page(r, "Change "+d.Name), Doc: d}
	if p.May, err = s.Docs.PowersOn(ctx, d.Name, by); err != nil {
		return err
	}
	if !p.May.Any() {
		return fail.New(fail.Forbidden, "Your roles do not let you change %s: its WG's chairs, its responsible AD and the secretariat do.", d.Name)
	}
	if p.Tags, err = s.Docs.DocTags(ctx, d.ID); err != nil {
		return err
	}
	if p.ADs, err = s.Docs.SittingADs(ctx); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "doc_edit.html", p)
}

// docEditPost applies one lifecycle form from the edit page; the
// service decides whether the person may, and says which rule refuses.
func (s *Server) docEditPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	ctx, name := r.Context(), docs.BaseName(r.PathValue("name"))
	why := strings.TrimSpace(r.PostFormValue("why"))
	var msg string
	switch r.PostFormValue("action") {
	case "wgstate":
		err = s.Docs.SetWGState(ctx, name, by, docs.WGChange{State: r.PostFormValue("state"), Group: strings.TrimSpace(r.PostFormValue("group")), Why: why})
		msg = "WG state changed."
	case "tags":
		r.ParseForm()
		err = s.Docs.SetTags(ctx, name, by, r.PostForm["tag"], why)
		msg = "Tags changed."
	case "iesgstate":
		err = s.Docs.SetIESGState(ctx, name, by, r.PostFormValue("state"), why)
		msg = "IESG state changed."
	case "lastcall":
		days := 0
		if v := strings.TrimSpace(r.PostFormValue("days")); v != "" {
			if days, err = strconv.Atoi(v); err != nil {
				return fail.Field("days", "Give the length of the Last Call as a number of days.")
			}
		}
		err = s.Docs.IssueLastCall(ctx, name, by, days, why)
		msg = "IETF Last Call issued and announced on ietf-announce."
	case "ad":
		id, _ := strconv.ParseInt(r.PostFormValue("ad"), 10, 64)
		err = s.Docs.SetAD(ctx, name, by, id, why)
		msg = "Responsible AD changed."
	case "shepherd":
		var id int64
		if e := strings.TrimSpace(r.PostFormValue("shepherd")); e != "" {
			p, err := s.People.ByEmail(ctx, e)
			if err != nil {
				return fail.Field("shepherd", "No one has an account with the address %q.", e)
			}
			id = p.ID
		}
		err = s.Docs.SetShepherd(ctx, name, by, id, why)
		msg = "Shepherd changed."
	case "publish":
		n := 0
		if v := strings.TrimSpace(r.PostFormValue("number")); v != "" {
			if n, err = strconv.Atoi(v); err != nil {
				return fail.Field("number", "Give the RFC number as a number.")
			}
		}
		var rfc string
		if rfc, err = s.Docs.Publish(ctx, name, by, n); err == nil {
			s.flash(r, "Published as "+strings.ToUpper(rfc)+".")
			return redirect(w, r, "/doc/"+rfc+"/")
		}
	default:
		return fail.New(fail.Invalid, "Choose what to change.")
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	return redirect(w, r, "/doc/"+name+"/edit/")
}

// docWriteupPage is the model of doc_writeup.html.
type docWriteupPage struct {
	Page
	Doc docs.Document
	May docs.Powers
}

// docWriteup is /doc/{name}/writeup/: the shepherd write-up (R17), shown
// to everyone and editable by the shepherd, chairs, AD and secretariat.
func (s *Server) docWriteup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := docWriteupPage{Page: s.page(r, "Shepherd write-up for "+d.Name), Doc: d}
	if p.User != nil {
		pw, err := s.powers(ctx, p.User)
		if err != nil {
			return err
		}
		if p.May, err = s.Docs.PowersOn(ctx, d.Name, pw); err != nil {
			return err
		}
	}
	return s.show(w, "doc_writeup.html", p)
}

func (s *Server) docWriteupPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := docs.BaseName(r.PathValue("name"))
	if err := s.Docs.SetWriteup(r.Context(), name, by, r.PostFormValue("writeup")); err != nil {
		return err
	}
	s.flash(r, "Shepherd write-up saved.")
	return redirect(w, r, "/doc/"+name+"/writeup/")
}
