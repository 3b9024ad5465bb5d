package web

import (
	"net/http"
	"strconv"

	"hum/internal/charters"
	"hum/internal/fail"
	"hum/internal/groups"
)

func (s *Server) charter(w http.ResponseWriter, r *http.Request) error {
	return s.showCharter(w, r, nil)
}

// charterData is what the charter page shows beside the form: the
// approved revisions and, for a WG or RG, its charter document, through
// which a WG's new text goes (R13).
type charterData struct {
	Group     groups.Group
	Revs      []groups.CharterRev
	MayManage bool
	Doc       charters.Charter
	HasDoc    bool // the group is a WG or an RG
	Chartered bool // a WG: new texts go through chartering
}

func (s *Server) showCharter(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	revs, err := s.Groups.CharterRevs(r.Context(), g.ID)
	if err != nil {
		return err
	}
	f := newForm[charterData](s, r, "Charter of "+g.Acronym)
	f.Err = ferr
	mayManage := false
	if f.User != nil {
		pw, err := s.powers(r.Context(), f.User)
		if err != nil {
			return err
		}
		mayManage = pw.MayManage(g)
	}
	d := charterData{Group: g, Revs: revs, MayManage: mayManage, Chartered: groups.Chartered(g.Type)}
	if g.Type == "wg" || g.Type == "rg" {
		if d.Doc, err = s.Charters.ForGroup(r.Context(), g); err != nil {
			return err
		}
		d.HasDoc = true
	}
	if f.V.Get("text") == "" {
		if d.Doc.Text() != "" {
			f.V.Set("text", d.Doc.Text())
		} else if len(revs) > 0 {
			f.V.Set("text", revs[0].Text)
		}
	}
	f.Data = d
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "charter.html", f)
}

// charterPost takes a new text of the group's charter: for a WG, a new
// revision of its charter document, which takes effect only when the IESG
// approves it (R13); for other groups, their charter at once.
func (s *Server) charterPost(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Actor.MayManage)
	if err != nil {
		return err
	}
	if groups.Chartered(g.Type) {
		name := groups.CharterName(g)
		rev, err := s.Charters.Submit(r.Context(), by, name, r.PostFormValue("text"), r.PostFormValue("why"))
		if fe, ok := fail.As(err); ok && (fe.Kind == fail.Invalid || fe.Kind == fail.Conflict) {
			return s.showCharter(w, r, fe)
		}
		if err != nil {
			return err
		}
		s.flash(r, "Revision "+rev+" of "+name+" is posted. It becomes the charter when the IESG approves it after review (R13).")
		return redirect(w, r, "/doc/"+name+"/")
	}
	rev, err := s.Groups.ReviseCharter(r.Context(), by, g.Acronym, r.PostFormValue("text"), r.PostFormValue("why"))
	if fe, ok := fail.As(err); ok && (fe.Kind == fail.Invalid || fe.Kind == fail.Conflict) {
		return s.showCharter(w, r, fe)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Charter revision "+strconv.Itoa(rev)+" of "+g.Acronym+" is saved.")
	return redirect(w, r, "/group/"+g.Acronym+"/charter/")
}

// charterRevPage is the model of charter_rev.html.
type charterRevPage struct {
	Page
	Group groups.Group
	Rev   groups.CharterRev
}

func (s *Server) charterRev(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	rev, _ := strconv.Atoi(r.PathValue("rev"))
	revs, err := s.Groups.CharterRevs(r.Context(), g.ID)
	if err != nil {
		return err
	}
	for _, c := range revs {
		if c.Rev == rev {
			return s.show(w, "charter_rev.html", charterRevPage{s.page(r, "Charter of "+g.Acronym+", revision "+r.PathValue("rev")), g, c})
		}
	}
	return fail.New(fail.NotFound, "%s has no charter revision %s.", g.Acronym, r.PathValue("rev"))
}
