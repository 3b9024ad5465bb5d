package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/telechat"
)

type ballotPage struct {
	Page
	docs.BallotView
	Mine   *docs.Position // the viewer's current position, when they are a sitting AD
	MayPos bool
	MayAlt bool // the viewer is the secretariat and the alternate ballot applies (R36)
	// Telechat is where the document is on the telechat agendas;
	// MayTelechat offers the responsible AD (and the secretariat) the
	// telechats to come, Telechats.
	Telechat    telechat.Placement
	MayTelechat bool
	Telechats   []time.Time
}

// docBallot is /doc/{name}/ballot/: every sitting AD's position, who
// still has to ballot, and what is missing for the document to pass (R35).
func (s *Server) docBallot(w http.ResponseWriter, r *http.Request) error {
	if name := strings.ToLower(r.PathValue("name")); charters.IsName(name) {
		return s.charterBallot(w, r, name)
	}
	ctx := r.Context()
	v, err := s.Docs.Ballot(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := ballotPage{Page: s.page(r, "IESG ballot for "+v.Doc.Name), BallotView: v}
	if p.Telechat, err = s.Telechat.PlacementOf(ctx, v.Doc.ID); err != nil {
		return err
	}
	if p.User != nil {
		for i := range v.Positions {
			if v.Positions[i].PersonID == p.User.ID && v.Positions[i].Sitting {
				p.Mine = &v.Positions[i]
			}
		}
		p.MayPos = p.Mine != nil && v.Open
		pw, err := s.powers(ctx, p.User)
		if err != nil {
			return err
		}
		p.MayAlt = v.Alt.Applies && pw.Secretariat()
		if !v.Doc.IsRFC() && v.Doc.IESGState != "" && v.Doc.IESGState != "dead" && v.Doc.IESGState != "pub" {
			if p.MayTelechat, err = s.Docs.Responsible(ctx, v.Doc.Name, pw); err != nil {
				return err
			}
			if p.MayTelechat {
				if p.Telechats, err = s.Telechat.Upcoming(ctx, 8); err != nil {
					return err
				}
			}
		}
	}
	return s.show(w, "doc_ballot.html", p)
}

// docBallotPost records the logged-in AD's position from the ballot page.
func (s *Server) docBallotPost(w http.ResponseWriter, r *http.Request) error {
	if name := strings.ToLower(r.PathValue("name")); charters.IsName(name) {
		return s.charterBallotPost(w, r, name)
	}
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := docs.BaseName(r.PathValue("name"))
	if err := s.Docs.SetPosition(r.Context(), name, by, positionOf(r)); err != nil {
		return err
	}
	s.flash(r, "Your position was recorded.")
	return redirect(w, r, "/doc/"+name+"/ballot/")
}

// docAltBallotPost records the alternate ballot (R36) from the ballot
// page: one field alt-{person id} per sitting AD, yes, no, recuse or "".
func (s *Server) docAltBallotPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fail.New(fail.Invalid, "The form could not be read.")
	}
	votes := map[int64]string{}
	for k, vs := range r.PostForm {
		id, ok := strings.CutPrefix(k, "alt-")
		if !ok || len(vs) == 0 {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return fail.Field(k, "%q names no person.", k)
		}
		votes[n] = vs[0]
	}
	name := docs.BaseName(r.PathValue("name"))
	if err := s.Docs.RecordAltBallot(r.Context(), name, by, votes); err != nil {
		return err
	}
	s.flash(r, "The alternate ballot was recorded.")
	return redirect(w, r, "/doc/"+name+"/ballot/")
}

func positionOf(r *http.Request) docs.PositionChange {
	return docs.PositionChange{Pos: r.FormValue("position"), Discuss: r.FormValue("discuss"), Comment: r.FormValue("comment")}
}

// apiPosition is POST /api/iesg/position, as the Datatracker's: form
// fields apikey, doc, position (yes, noobj, discuss, abstain, recuse),
// discuss and comment, sent with an AD's personal API key. It answers
// "Done" with status 200, as the Datatracker does; errors are JSON.
func (s *Server) apiPosition(w http.ResponseWriter, r *http.Request) error {
	u, err := s.apiUser(r)
	if err != nil {
		return err
	}
	pw, err := s.powers(r.Context(), &u)
	if err != nil {
		return err
	}
	doc := strings.TrimSpace(r.FormValue("doc"))
	if doc == "" {
		return fail.Field("doc", "Name the document in the field \"doc\".")
	}
	if err := s.Docs.SetPosition(r.Context(), doc, pw, positionOf(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte("Done"))
	return err
}
