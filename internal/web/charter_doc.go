package web

import (
	"net/http"
	"time"

	"hum/internal/charters"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// charterDocPage is a charter document's page: its state and R13's
// clocks, a revision's text, the revisions, the ballot's summary, the
// actions its AD or the secretariat may take, and recent history.
type charterDocPage struct {
	Page
	Charter  charters.Charter
	Shown    charters.Revision // the revision shown
	HasShown bool
	Ballot   charters.Ballot
	ADs      []groups.Role
	May      bool // the group's responsible AD or the secretariat
	// MayTelechat: an AD of the group's area or the secretariat, while
	// the IESG reviews the charter, may place it on a telechat (R42).
	MayTelechat bool
	Telechat    time.Time   // the telechat it was last placed on; zero: none
	Telechats   []time.Time // the telechats to come, for the form
	Now         time.Time
	History     []record.Event
	Err         *fail.Error
}

// charterDoc is /doc/charter-ietf-{acronym}/ and, with rev, a revision's
// page.
func (s *Server) charterDoc(w http.ResponseWriter, r *http.Request, name, rev string) error {
	p, err := s.charterPage(r, name, rev)
	if err != nil {
		return err
	}
	return s.show(w, "charter_doc.html", p)
}

func (s *Server) charterPage(r *http.Request, name, rev string) (charterDocPage, error) {
	ctx := r.Context()
	c, b, err := s.Charters.Ballot(ctx, name)
	if err != nil {
		return charterDocPage{}, err
	}
	if rev == "" {
		rev = c.Rev
	}
	p := charterDocPage{Page: s.page(r, "Charter for "+c.Group.Name+" ("+c.Group.Acronym+")"), Charter: c, Ballot: b, Now: s.DB.Now()}
	p.Shown, p.HasShown = c.Revision(rev)
	if !p.HasShown && rev != c.Rev {
		return p, fail.New(fail.NotFound, "%s has no revision %s.", c.Name, rev)
	}
	if p.ADs, err = s.Groups.ADsOf(ctx, c.Group); err != nil {
		return p, err
	}
	if p.History, err = record.List(ctx, s.DB, "doc", c.Name, 10); err != nil {
		return p, err
	}
	if p.User != nil {
		pw, err := s.powers(ctx, p.User)
		if err != nil {
			return p, err
		}
		p.May = pw.MayManage(c.Group) && groups.Chartered(c.Group.Type)
		by, err := s.by(r)
		if err != nil {
			return p, err
		}
		p.MayTelechat = (by.AD(c.Group) || by.Secretariat()) && c.UnderIESGReview()
	}
	if p.Telechat, err = s.Telechat.CharterPlacement(ctx, c.Group.ID); err != nil {
		return p, err
	}
	if p.MayTelechat {
		if p.Telechats, err = s.Telechat.Upcoming(ctx, 8); err != nil {
			return p, err
		}
	}
	return p, nil
}

// charterHistoryPage is a charter's whole record.
type charterHistoryPage struct {
	Page
	Charter charters.Charter
	Events  []record.Event
}

func (s *Server) charterHistory(w http.ResponseWriter, r *http.Request, name string) error {
	c, err := s.Charters.Get(r.Context(), name)
	if err != nil {
		return err
	}
	evs, err := record.List(r.Context(), s.DB, "doc", c.Name, 1000)
	if err != nil {
		return err
	}
	return s.show(w, "charter_history.html", charterHistoryPage{s.page(r, "History of "+c.Name), c, evs})
}

// charterAgain shows the charter's page with a refusal the person can
// read there (bad input, a move the rules refuse, R13), with its status.
func (s *Server) charterAgain(w http.ResponseWriter, r *http.Request, name string, err error) error {
	fe, ok := fail.As(err)
	if !ok || (fe.Kind != fail.Invalid && fe.Kind != fail.Conflict) {
		return err
	}
	p, perr := s.charterPage(r, name, "")
	if perr != nil {
		return err
	}
	p.Err = fe
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "charter_doc.html", p)
}

// charterSubmit posts a new text of the charter.
func (s *Server) charterSubmit(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	rev, err := s.Charters.Submit(r.Context(), by, name, r.PostFormValue("text"), r.PostFormValue("why"))
	if err != nil {
		return s.charterAgain(w, r, name, err)
	}
	s.flash(r, "Revision "+rev+" of "+name+" is posted.")
	return redirect(w, r, "/doc/"+name+"/")
}

// charterState moves the charter along its review (state: infrev, intrev,
// extrev or iesgrev).
func (s *Server) charterState(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name, to := r.PathValue("name"), r.PostFormValue("state")
	if err := s.Charters.SetState(r.Context(), by, name, to, r.PostFormValue("why")); err != nil {
		return s.charterAgain(w, r, name, err)
	}
	s.flash(r, name+" is now in "+charters.StateName(to)+".")
	return redirect(w, r, "/doc/"+name+"/")
}

func (s *Server) charterApprove(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	rev, err := s.Charters.Approve(r.Context(), by, name, r.PostFormValue("why"))
	if err != nil {
		return s.charterAgain(w, r, name, err)
	}
	s.flash(r, "The IESG's approval is recorded: revision "+rev+" is the charter, and it is announced.")
	return redirect(w, r, "/doc/"+name+"/")
}

func (s *Server) charterAbandon(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := s.Charters.Abandon(r.Context(), by, name, r.PostFormValue("why")); err != nil {
		return s.charterAgain(w, r, name, err)
	}
	s.flash(r, "The chartering effort on "+name+" is abandoned.")
	return redirect(w, r, "/doc/"+name+"/")
}

// charterBallotPage is a charter's IESG ballot.
type charterBallotPage struct {
	Page
	Charter charters.Charter
	Ballot  charters.Ballot
	Mine    *charters.Position // the viewer's, when they are a sitting AD
	MayPos  bool
}

func (s *Server) charterBallot(w http.ResponseWriter, r *http.Request, name string) error {
	c, b, err := s.Charters.Ballot(r.Context(), name)
	if err != nil {
		return err
	}
	p := charterBallotPage{Page: s.page(r, "IESG ballot for "+c.Name), Charter: c, Ballot: b}
	if p.User != nil {
		for i := range b.Positions {
			if b.Positions[i].PersonID == p.User.ID && b.Positions[i].Sitting {
				p.Mine = &b.Positions[i]
			}
		}
		p.MayPos = p.Mine != nil && b.Open()
	}
	return s.show(w, "charter_ballot.html", p)
}

func (s *Server) charterBallotPost(w http.ResponseWriter, r *http.Request, name string) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	pc := charters.PositionChange{Pos: r.FormValue("position"), Block: r.FormValue("block"), Comment: r.FormValue("comment")}
	if err := s.Charters.SetPosition(r.Context(), by, name, pc); err != nil {
		return err
	}
	s.flash(r, "Your position was recorded.")
	return redirect(w, r, "/doc/"+name+"/ballot/")
}

// groupConclude closes a WG: its responsible AD's decision (R14).
func (s *Server) groupConclude(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	if err := s.Charters.Conclude(r.Context(), by, g.Acronym, r.PostFormValue("reason")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, g.Acronym+" is concluded, and it is announced on ietf-announce and its list.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}
