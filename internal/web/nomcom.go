package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/nomcom"
	"hum/internal/record"
)

// The Nominating Committees' pages (routes in routes_nomcom.go): the
// list, a year's home page with the chair's forms, and the R48 bodies.

// pathYear is the {year} of the path.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1000 || y > 9999 {
		return 0, fail.New(fail.NotFound, "%q is not a year.", r.PathValue("year"))
	}
	return y, nil
}

// nomcomToday is the variant of the eligibility pages: before a call
// they are computed for today, so a page cached yesterday is not today's.
func (s *Server) nomcomToday(*http.Request) (string, error) {
	return s.DB.Now().UTC().Format(time.DateOnly), nil
}

// nomcomIndexPage is the model of nomcom_index.html.
type nomcomIndexPage struct {
	Page
	Err         *fail.Error
	NomComs     []nomcom.NomCom
	Secretariat bool
	Year        int // proposed for a new NomCom
}

func (s *Server) nomcomIndex(w http.ResponseWriter, r *http.Request) error {
	return s.showNomcomIndex(w, r, nil)
}

func (s *Server) showNomcomIndex(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	ns, err := s.NomCom.List(r.Context())
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := nomcomIndexPage{Page: s.page(r, "Nominating Committees"), Err: ferr, NomComs: ns, Secretariat: by.Secretariat(), Year: s.DB.Now().Year()}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "nomcom_index.html", p)
}

func (s *Server) nomcomCreate(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err != nil {
		return s.showNomcomIndex(w, r, fail.Field("year", "Give the NomCom's year, such as %d.", s.DB.Now().Year()))
	}
	if _, err := s.NomCom.Create(r.Context(), by, year, r.PostFormValue("chair"), r.PostFormValue("why")); err != nil {
		if fe, ok := mendable(err); ok {
			return s.showNomcomIndex(w, r, fe)
		}
		return err
	}
	s.flash(r, "NomCom "+strconv.Itoa(year)+" is started.")
	return redirect(w, r, "/nomcom/"+strconv.Itoa(year)+"/")
}

// mendable is a refusal worth showing beside the form that was sent:
// bad input or a conflict with the state. Who may is the error page's.
func mendable(err error) (*fail.Error, bool) {
	fe, ok := fail.As(err)
	if !ok || (fe.Kind != fail.Invalid && fe.Kind != fail.Conflict) {
		return nil, false
	}
	return fe, true
}

// nomcomHomePage is the model of nomcom_home.html.
type nomcomHomePage struct {
	Page
	Err        *fail.Error
	NomCom     nomcom.NomCom
	Volunteers []nomcom.Volunteer
	Sources    []nomcom.Source
	Positions  []nomcom.Position
	Events     []record.Event
	MayRun     bool // the chair, or the secretariat
	Secretary  bool
	Insider    bool
	Volunteer  bool // the viewer volunteered
	Today      string
}

// InPool is how many volunteers are in the published pool.
func (p nomcomHomePage) InPool() int {
	n := 0
	for _, v := range p.Volunteers {
		if v.Position > 0 {
			n++
		}
	}
	return n
}

func (s *Server) nomcomHome(w http.ResponseWriter, r *http.Request) error {
	return s.showNomcomHome(w, r, nil)
}

func (s *Server) showNomcomHome(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	ctx := r.Context()
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(ctx, year)
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := nomcomHomePage{Page: s.page(r, "NomCom "+strconv.Itoa(year)), Err: ferr, NomCom: n, MayRun: n.MayRun(by),
		Secretary: by.Secretariat(), Insider: n.Insider(by), Today: s.DB.Now().UTC().Format(time.DateOnly)}
	if p.Volunteers, err = s.NomCom.Volunteers(ctx, year); err != nil {
		return err
	}
	for _, v := range p.Volunteers {
		p.Volunteer = p.Volunteer || (by.ID != 0 && v.PersonID == by.ID)
	}
	if p.Sources, err = s.NomCom.Sources(ctx, year); err != nil {
		return err
	}
	if p.Positions, err = s.NomCom.Positions(ctx, year); err != nil {
		return err
	}
	if p.Events, err = record.List(ctx, s.DB, "nomcom", n.Subject(), 200); err != nil {
		return err
	}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "nomcom_home.html", p)
}

// nomcomAct runs a form of a NomCom's home page as the logged-in person;
// a refusal they can mend shows the page again with it.
func (s *Server) nomcomAct(w http.ResponseWriter, r *http.Request, done string, act func(by groups.Actor, year int) error) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	if err := act(by, year); err != nil {
		if fe, ok := mendable(err); ok {
			return s.showNomcomHome(w, r, fe)
		}
		return err
	}
	s.flash(r, done)
	return redirect(w, r, "/nomcom/"+strconv.Itoa(year)+"/")
}

func (s *Server) nomcomAppoint(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomAct(w, r, "The chair's appointment is recorded.", func(by groups.Actor, year int) error {
		return s.NomCom.AppointChair(r.Context(), by, year, r.PostForm.Get("chair"), r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomOpenCall(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomAct(w, r, "The call for volunteers is open and announced.", func(by groups.Actor, year int) error {
		seats := 0
		if v := strings.TrimSpace(r.PostForm.Get("seats")); v != "" {
			var err error
			if seats, err = strconv.Atoi(v); err != nil {
				return fail.Field("seats", "The number of voting members is a whole number.")
			}
		}
		return s.NomCom.OpenCall(r.Context(), by, year, r.PostForm.Get("call_date"), seats, r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomSources(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomAct(w, r, "The pool and the random sources are published and announced.", func(by groups.Actor, year int) error {
		return s.NomCom.AnnounceSources(r.Context(), by, year, strings.Split(r.PostForm.Get("sources"), "\n"), r.PostForm.Get("values_date"), r.PostForm.Get("why"))
	})
}

func (s *Server) nomcomValues(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomAct(w, r, "The values are in: the voting members are selected, seated and announced.", func(by groups.Actor, year int) error {
		_, err := s.NomCom.EnterValues(r.Context(), by, year, r.PostForm["value"], r.PostForm.Get("why"))
		return err
	})
}

func (s *Server) nomcomAddPosition(w http.ResponseWriter, r *http.Request) error {
	return s.nomcomAct(w, r, "The position is listed.", func(by groups.Actor, year int) error {
		_, err := s.NomCom.AddPosition(r.Context(), by, year, r.PostForm.Get("name"), r.PostForm.Get("group"), r.PostForm.Get("incumbent"), r.PostForm.Get("why"))
		return err
	})
}

// nomcomBodiesPage is the model of nomcom_bodies.html.
type nomcomBodiesPage struct {
	Page
	Err         *fail.Error
	Members     []nomcom.BodyMember
	Bodies      []nomcom.Body
	Secretariat bool
}

func (s *Server) nomcomBodies(w http.ResponseWriter, r *http.Request) error {
	return s.showNomcomBodies(w, r, nil)
}

func (s *Server) showNomcomBodies(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	ms, err := s.NomCom.Sitting(r.Context())
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := nomcomBodiesPage{Page: s.page(r, "Bodies whose members may not volunteer"), Err: ferr, Members: ms, Bodies: nomcom.Bodies, Secretariat: by.Secretariat()}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "nomcom_bodies.html", p)
}

func (s *Server) nomcomRecordMember(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.NomCom.RecordMember(r.Context(), by, r.PostFormValue("body"), r.PostFormValue("role"), r.PostFormValue("email"), r.PostFormValue("why")); err != nil {
		if fe, ok := mendable(err); ok {
			return s.showNomcomBodies(w, r, fe)
		}
		return err
	}
	s.flash(r, "The membership is recorded.")
	return redirect(w, r, "/nomcom/bodies/")
}
