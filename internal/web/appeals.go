package web

import (
	"context"
	"net/http"
	"strconv"

	"hum/internal/appeals"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// The appeals' pages (routes in routes_appeals.go).

// appealListPage is the model of appeal_list.html.
type appealListPage struct {
	Page
	Appeals []appeals.Appeal
}

func (s *Server) appealList(w http.ResponseWriter, r *http.Request) error {
	svc := s.Appeals
	as, _, err := svc.List(r.Context(), appeals.Filter{})
	if err != nil {
		return err
	}
	if err := svc.WithLevels(r.Context(), as); err != nil {
		return err
	}
	return s.show(w, "appeal_list.html", appealListPage{s.page(r, "Appeals"), as})
}

// appealFormData is what the filing form offers.
type appealFormData struct {
	Kinds  []option
	Levels []option
}

type option struct{ Value, Name string }

func appealOptions() appealFormData {
	d := appealFormData{Kinds: []option{{"", "as the decision shows"}}, Levels: []option{{"", "the first level of its chain"}}}
	for _, k := range []string{appeals.WG, appeals.AD, appeals.IESG} {
		d.Kinds = append(d.Kinds, option{k, appeals.KindNames[k]})
	}
	for _, l := range []string{appeals.Chairs, appeals.ADs, appeals.IESGChair, appeals.WholeIESG, appeals.IAB, appeals.ISOC} {
		d.Levels = append(d.Levels, option{l, appeals.LevelNames[l]})
	}
	return d
}

func (s *Server) appealNewForm(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	f := newForm[appealFormData](s, r, "File an appeal")
	f.V = map[string][]string{"decision": {r.URL.Query().Get("decision")}}
	f.Data = appealOptions()
	return s.show(w, "appeal_new.html", f)
}

func (s *Server) appealFile(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	svc := s.Appeals
	f := newForm[appealFormData](s, r, "File an appeal")
	f.Data = appealOptions()
	v := r.PostForm
	id, err := svc.File(r.Context(), by, appeals.Filing{Decision: v.Get("decision"), Kind: v.Get("kind"), Level: v.Get("level"),
		Facts: v.Get("facts"), Remedy: v.Get("remedy"), Procedural: v.Get("procedural") != ""})
	if err != nil {
		return again(s, w, "appeal_new.html", f, err)
	}
	s.flash(r, "Your appeal is filed and announced.")
	return redirect(w, r, "/appeals/"+strconv.FormatInt(id, 10)+"/")
}

// appealPage is the model of appeal.html.
type appealPage struct {
	Page
	Err        *fail.Error
	Appeal     appeals.Appeal
	Events     []record.Event
	MayRespond bool
	MayAnnul   bool
	Appellant  bool // the viewer filed it
	Next       string
	Late       bool // the ISOC Board's acknowledgement is overdue
}

func (s *Server) appealPage(w http.ResponseWriter, r *http.Request) error {
	return s.showAppeal(w, r, nil)
}

func (s *Server) showAppeal(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	svc := s.Appeals
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	evs, err := record.List(r.Context(), s.DB, "appeal", record.SubjectID(id), 200)
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := appealPage{Page: s.page(r, "Appeal "+strconv.FormatInt(id, 10)), Err: ferr, Appeal: a, Events: evs,
		Appellant: by.ID != 0 && by.ID == a.AppellantID, Late: a.Current().Late(s.DB.Now())}
	if a.State == appeals.Open && appeals.MayRespond(by, a) == nil {
		p.MayRespond = true
		p.MayAnnul = a.Level == appeals.IAB && a.Kind == appeals.IESG
	}
	if a.State == appeals.Answered {
		p.Next = appeals.LevelNames[a.Next()]
	}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "appeal.html", p)
}

// appealAct runs one of the appeal page's forms as the logged-in person,
// showing the page again with a refusal they can mend.
func (s *Server) appealAct(w http.ResponseWriter, r *http.Request, done string, act func(svc *appeals.Service, by groups.Actor, id int64) error) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	svc := s.Appeals
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	if err := act(svc, by, id); err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.NotFound {
			return err
		}
		return s.showAppeal(w, r, fe)
	}
	s.flash(r, done)
	return redirect(w, r, "/appeals/"+strconv.FormatInt(id, 10)+"/")
}

func (s *Server) appealRespond(w http.ResponseWriter, r *http.Request) error {
	return s.appealAct(w, r, "The response is recorded and announced.", func(svc *appeals.Service, by groups.Actor, id int64) error {
		return svc.Respond(r.Context(), by, id, appeals.Response{Text: r.PostForm.Get("response"), Annul: r.PostForm.Get("annul") != ""})
	})
}

func (s *Server) appealAcknowledge(w http.ResponseWriter, r *http.Request) error {
	return s.appealAct(w, r, "The acknowledgement is recorded.", func(svc *appeals.Service, by groups.Actor, id int64) error {
		return svc.Acknowledge(r.Context(), by, id)
	})
}

func (s *Server) appealEscalate(w http.ResponseWriter, r *http.Request) error {
	return s.appealAct(w, r, "The appeal is escalated and announced.", func(svc *appeals.Service, by groups.Actor, id int64) error {
		return svc.Escalate(r.Context(), by, id, r.PostForm.Get("reason"))
	})
}

func (s *Server) appealWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.appealAct(w, r, "The appeal is withdrawn.", func(svc *appeals.Service, by groups.Actor, id int64) error {
		return svc.Withdraw(r.Context(), by, id, r.PostForm.Get("why"))
	})
}

// eventLink sends /event/{id}/ to the event's row on its subject's
// history page: a stable link to one decision of the record.
func (s *Server) eventLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var typ, subject string
	err = s.DB.QueryRowContext(r.Context(), `SELECT subject_type, subject FROM event WHERE id = $1`, id).Scan(&typ, &subject)
	if err != nil {
		return fail.New(fail.NotFound, "The record has no event %d.", id)
	}
	anchor := "#event-" + strconv.FormatInt(id, 10)
	switch typ {
	case "doc":
		http.Redirect(w, r, "/doc/"+subject+"/history/"+anchor, http.StatusFound)
	case "group":
		http.Redirect(w, r, "/group/"+subject+"/history/"+anchor, http.StatusFound)
	case "appeal":
		http.Redirect(w, r, "/appeals/"+subject+"/"+anchor, http.StatusFound)
	case "nomcom":
		http.Redirect(w, r, "/nomcom/"+subject+"/"+anchor, http.StatusFound)
	default:
		return fail.New(fail.NotFound, "Event %d is about %s %s, which has no history page.", id, typ, subject)
	}
	return nil
}

// appealsOf is the appeals of each of evs that was appealed, for the
// pages that show decisions ("Appealed: …").
func (s *Server) appealsOf(ctx context.Context, evs []record.Event) (map[int64][]appeals.Appeal, error) {
	if s.Appeals == nil {
		return nil, nil
	}
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return s.Appeals.ForEvents(ctx, ids)
}
