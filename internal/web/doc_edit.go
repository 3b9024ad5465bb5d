package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/telechat"
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
	// WriteupGaps are the required questions R17 still waits for.
	WriteupGaps int
	// Telechats are the telechats to come, for the responsible AD's
	// form, and Telechat where the draft is now.
	Telechats []time.Time
	Telechat  telechat.Placement
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
	wu, err := s.Docs.Writeup(ctx, d.Name)
	if err != nil {
		return err
	}
	p.WriteupGaps = len(wu.Gaps())
	if p.May.IESG {
		if p.Telechats, p.Telechat, err = s.telechatChoices(ctx, d); err != nil {
			return err
		}
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
	case "intended":
		err = s.Docs.SetIntendedStatus(ctx, name, by, r.PostFormValue("level"), why)
		msg = "Intended status changed."
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

// telechatChoices are the telechats a draft may be placed on, and where
// it is now.
func (s *Server) telechatChoices(ctx context.Context, d docs.Document) ([]time.Time, telechat.Placement, error) {
	ts, err := s.Telechat.Upcoming(ctx, 8)
	if err != nil {
		return nil, telechat.Placement{}, err
	}
	p, err := s.Telechat.PlacementOf(ctx, d.ID)
	return ts, p, err
}

// docWriteupPage is the model of doc_writeup.html.
type docWriteupPage struct {
	Page
	Doc     docs.Document
	May     docs.Powers
	Writeup docs.Writeup
}

// docWriteup is /doc/{name}/writeup/: the shepherd write-up (R17) as the
// IESG's template with its answers, shown to everyone and editable by the
// shepherd, chairs, AD and secretariat.
func (s *Server) docWriteup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wu, err := s.Docs.Writeup(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := docWriteupPage{Page: s.page(r, "Shepherd write-up for "+wu.Doc.Name), Doc: wu.Doc, Writeup: wu}
	if p.User != nil {
		pw, err := s.powers(ctx, p.User)
		if err != nil {
			return err
		}
		if p.May, err = s.Docs.PowersOn(ctx, wu.Doc.Name, pw); err != nil {
			return err
		}
	}
	return s.show(w, "doc_writeup.html", p)
}

// docWriteupPost saves the answers, one field q{N} per question; a
// question left out of the form keeps its answer.
func (s *Server) docWriteupPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fail.New(fail.Invalid, "The form could not be read.")
	}
	answers := map[int]string{}
	for k, vs := range r.PostForm {
		n, ok := strings.CutPrefix(k, "q")
		if !ok || len(vs) == 0 {
			continue
		}
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 {
			return fail.Field(k, "%q names no question of the write-up.", k)
		}
		answers[i] = vs[0]
	}
	if len(answers) == 0 {
		return fail.Field("q1", "The form has no answers.")
	}
	ctx, name := r.Context(), docs.BaseName(r.PathValue("name"))
	if err := s.Docs.SetWriteup(ctx, name, by, answers); err != nil {
		return err
	}
	msg := "Shepherd write-up saved."
	if wu, err := s.Docs.Writeup(ctx, name); err != nil {
		return err
	} else if gaps := wu.Gaps(); len(gaps) > 0 {
		msg += fmt.Sprintf(" Before publication can be requested (R17), %d required question%s need%s an answer of more than one word.",
			len(gaps), map[bool]string{true: "s"}[len(gaps) > 1], map[bool]string{false: "s"}[len(gaps) > 1])
	}
	s.flash(r, msg)
	return redirect(w, r, "/doc/"+name+"/writeup/")
}
