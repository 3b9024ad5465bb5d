package web

import (
	"net/http"
	"strconv"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/nomcom"
)

// The selection, step by step, and the positions the NomCom fills.

// nomcomSelectionPage is the model of nomcom_selection.html.
type nomcomSelectionPage struct {
	Page
	Err    *fail.Error
	NomCom nomcom.NomCom
	C      nomcom.Computation
	Ready  bool     // there is a computation to show
	Trial  bool     // computed with values from the query, not the entered ones
	Values []string // the trial's values, one per source
}

// Canonical is a value in RFC 3797's canonical form.
func (nomcomSelectionPage) Canonical(v string) string {
	c, err := nomcom.CanonicalSource(v)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return c
}

func (s *Server) nomcomSelection(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	p := nomcomSelectionPage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": the selection"), NomCom: n}
	if n.State == nomcom.New || n.State == nomcom.Open {
		return s.show(w, "nomcom_selection.html", p)
	}
	// Anyone may try values (a GET, which changes nothing): before they
	// are entered, or to check the published computation.
	var values []string
	if q := r.URL.Query(); q.Has("value") {
		values, p.Trial, p.Values = q["value"], true, q["value"]
	}
	if !p.Trial && n.State != nomcom.Selected {
		srcs, err := s.NomCom.Sources(r.Context(), year)
		if err != nil {
			return err
		}
		p.C.Sources, p.Values = srcs, make([]string, len(srcs))
		vs, err := s.NomCom.Volunteers(r.Context(), year)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.Position > 0 {
				p.C.Pool = append(p.C.Pool, nomcom.Candidate{Position: v.Position, PersonID: v.PersonID, Name: v.Name, Affiliation: v.Affiliation})
			}
		}
		return s.show(w, "nomcom_selection.html", p)
	}
	c, err := s.NomCom.Compute(r.Context(), year, values)
	if err != nil {
		fe, ok := mendable(err)
		if !ok {
			return err
		}
		p.Err = fe
		p.C = c
		// One field per source, whatever the query held.
		p.Values = append(p.Values, make([]string, max(0, len(c.Sources)-len(p.Values)))...)[:len(c.Sources)]
		w.WriteHeader(status(fe.Kind))
		return s.show(w, "nomcom_selection.html", p)
	}
	p.C, p.Ready = c, true
	if p.Values == nil {
		for _, x := range c.Sources {
			p.Values = append(p.Values, x.Value)
		}
	}
	return s.show(w, "nomcom_selection.html", p)
}

// nomcomPositionPage is the model of nomcom_position.html.
type nomcomPositionPage struct {
	Page
	Err        *fail.Error
	NomCom     nomcom.NomCom
	P          nomcom.Position
	Me         int64
	LoggedIn   bool
	MayRun     bool
	Insider    bool
	MayConfirm bool
	Comments   []nomcom.Comment // this position's, for the NomCom only
}

func (s *Server) nomcomPosition(w http.ResponseWriter, r *http.Request) error {
	return s.showNomcomPosition(w, r, nil)
}

func (s *Server) showNomcomPosition(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	ctx := r.Context()
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(ctx, year)
	if err != nil {
		return err
	}
	pos, err := s.NomCom.Position(ctx, year, id)
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := nomcomPositionPage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": "+pos.Name), Err: ferr, NomCom: n, P: pos, Me: by.ID, LoggedIn: by.ID != 0,
		MayRun: n.MayRun(by), Insider: n.Insider(by), MayConfirm: nomcom.MayConfirm(pos, by)}
	if p.Insider {
		w.Header().Set("Cache-Control", "private, no-store")
		cs, err := s.NomCom.Comments(ctx, by, year)
		if err != nil {
			return err
		}
		for _, c := range cs {
			for _, m := range pos.Nominations {
				if c.NominationID == m.ID {
					p.Comments = append(p.Comments, c)
				}
			}
		}
	}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "nomcom_position.html", p)
}

// nomcomPositionAct runs a form of a position's page (the path's {id} is
// the position, or with nomination a nomination of it).
func (s *Server) nomcomPositionAct(w http.ResponseWriter, r *http.Request, nomination bool, done string, act func(by groups.Actor, year int, id int64) error) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	position := id
	if nomination {
		var perr error
		if position, perr = s.nominationPosition(r, year, id); perr != nil {
			return perr
		}
	}
	if err := act(by, year, id); err != nil {
		fe, ok := mendable(err)
		if !ok {
			return err
		}
		r.SetPathValue("id", strconv.FormatInt(position, 10))
		return s.showNomcomPosition(w, r, fe)
	}
	s.flash(r, done)
	return redirect(w, r, "/nomcom/"+strconv.Itoa(year)+"/positions/"+strconv.FormatInt(position, 10)+"/")
}

// nominationPosition is the position a nomination of a year's NomCom is
// for.
func (s *Server) nominationPosition(r *http.Request, year int, id int64) (int64, error) {
	ps, err := s.NomCom.Positions(r.Context(), year)
	if err != nil {
		return 0, err
	}
	for _, p := range ps {
		for _, m := range p.Nominations {
			if m.ID == id {
				return p.ID, nil
			}
		}
	}
	return 0, fail.New(fail.NotFound, "NomCom %d has no nomination %d.", year, id)
}

func (s *Server) nomcomNominate(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomPositionAct(w, r, false, "The nomination is recorded; the nominee is asked to accept or decline.", func(by groups.Actor, year int, id int64) error {
		return s.NomCom.Nominate(r.Context(), by, year, id, r.PostForm.Get("email"), r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomChoose(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomPositionAct(w, r, false, "The choice is recorded and sent for confirmation.", func(by groups.Actor, year int, id int64) error {
		nom, err := strconv.ParseInt(r.PostForm.Get("nomination"), 10, 64)
		if err != nil {
			return fail.Field("nomination", "Choose one of the nominees who accepted.")
		}
		return s.NomCom.Choose(r.Context(), by, year, id, nom, r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomPositionAct(w, r, false, "The confirmation is recorded and announced.", func(by groups.Actor, year int, id int64) error {
		return s.NomCom.Confirm(r.Context(), by, year, id, r.PostForm.Get("start"), r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomRespond(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomPositionAct(w, r, true, "Your answer is recorded.", func(by groups.Actor, year int, id int64) error {
		switch r.PostForm.Get("answer") {
		case "accept":
			return s.NomCom.Respond(r.Context(), by, year, id, true)
		case "decline":
			return s.NomCom.Respond(r.Context(), by, year, id, false)
		}
		return fail.Field("answer", "Accept or decline.")
	})
}

func (s *Server) nomcomComment(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomPositionAct(w, r, true, "Thank you: only the NomCom reads it.", func(by groups.Actor, year int, id int64) error {
		kind := r.PostForm.Get("kind")
		if kind == "" {
			kind = nomcom.Feedback
		}
		return s.NomCom.Comment(r.Context(), by, year, id, kind, r.PostForm.Get("body"))
	})
}

// nomcomPrivatePage is the model of nomcom_private.html.
type nomcomPrivatePage struct {
	Page
	NomCom   nomcom.NomCom
	Comments []nomcom.Comment
}

// nomcomPrivate is the feedback and the deliberations, for the NomCom's
// members and chair; everyone else is refused.
func (s *Server) nomcomPrivate(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	cs, err := s.NomCom.Comments(r.Context(), by, year)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.show(w, "nomcom_private.html", nomcomPrivatePage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": feedback and deliberations"), NomCom: n, Comments: cs})
}
