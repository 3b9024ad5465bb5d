package web

import (
	"net/http"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/nomcom"
)

// Eligibility (R45-R47, R50) and volunteering (R48).

// nomcomDay is the day a NomCom's eligibility is judged on: the query's
// ?date=YYYY-MM-DD, or its call for volunteers, or today before the call
// (each said so on the page); called reports the call's day.
func (s *Server) nomcomDay(r *http.Request, n nomcom.NomCom) (day time.Time, called bool, err error) {
	if q := r.URL.Query().Get("date"); q != "" {
		d, err := time.Parse(time.DateOnly, q)
		if err != nil {
			return d, false, fail.Field("date", "Write the date as YYYY-MM-DD, not %q.", q)
		}
		return d, !n.CallDate.IsZero() && d.Equal(n.CallDate), nil
	}
	if !n.CallDate.IsZero() {
		return n.CallDate, true, nil
	}
	now := s.DB.Now().UTC()
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), false, nil
}

// nomcomEligibilityPage is the model of nomcom_eligibility.html.
type nomcomEligibilityPage struct {
	Page
	NomCom nomcom.NomCom
	Report nomcom.Report
	Called bool // judged on the call's day, not today
	Me     int64
}

// Paths are the paths, in order, for the page's columns.
func (nomcomEligibilityPage) Paths() []string {
	return []string{nomcom.PathAttendance, nomcom.PathService, nomcom.PathAuthorship}
}

// PathName says what a path is.
func (nomcomEligibilityPage) PathName(p string) string { return nomcom.PathNames[p] }

func (s *Server) nomcomEligibility(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	day, called, err := s.nomcomDay(r, n)
	if err != nil {
		return err
	}
	rep, err := s.NomCom.Eligible(r.Context(), day)
	if err != nil {
		return err
	}
	p := nomcomEligibilityPage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": eligibility"), NomCom: n, Report: rep, Called: called}
	if u := s.user(r); u != nil {
		p.Me = u.ID
	}
	return s.show(w, "nomcom_eligibility.html", p)
}

// nomcomPersonPage is the model of nomcom_person.html: one person's
// eligibility, path by path, with the evidence.
type nomcomPersonPage struct {
	Page
	NomCom nomcom.NomCom
	E      nomcom.Eligibility
	Called bool
}

func (s *Server) nomcomEligibilityOf(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	day, called, err := s.nomcomDay(r, n)
	if err != nil {
		return err
	}
	e, err := s.NomCom.EligibilityOf(r.Context(), id, day)
	if err != nil {
		return err
	}
	return s.show(w, "nomcom_person.html", nomcomPersonPage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": eligibility of "+e.Name), NomCom: n, E: e, Called: called})
}

// nomcomVolunteerPage is the model of nomcom_volunteer.html: the
// logged-in person's eligibility and the form.
type nomcomVolunteerPage struct {
	Page
	Err       *fail.Error
	NomCom    nomcom.NomCom
	E         nomcom.Eligibility
	Volunteer nomcom.Volunteer
	Done      bool // they volunteered
	V         string
}

func (s *Server) nomcomVolunteerForm(w http.ResponseWriter, r *http.Request) error {
	return s.showNomcomVolunteer(w, r, nil)
}

func (s *Server) showNomcomVolunteer(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	day := n.CallDate
	if day.IsZero() {
		now := s.DB.Now().UTC()
		day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	p := nomcomVolunteerPage{Page: s.page(r, "Volunteer for NomCom "+strconv.Itoa(year)), Err: ferr, NomCom: n}
	if p.E, err = s.NomCom.EligibilityOf(r.Context(), by.ID, day); err != nil {
		return err
	}
	if p.Volunteer, p.Done, err = s.NomCom.VolunteerOf(r.Context(), year, by.ID); err != nil {
		return err
	}
	if ferr != nil {
		r.ParseForm()
		p.V = r.PostForm.Get("affiliation")
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "nomcom_volunteer.html", p)
}

func (s *Server) nomcomVolunteer(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.NomCom.Volunteer(r.Context(), by, year, r.PostFormValue("affiliation")); err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.NotFound || fe.Kind == fail.Unauthorized {
			return err
		}
		// A refusal by rule (R48, R45-R47) is shown with the person's
		// evidence, which says why.
		return s.showNomcomVolunteer(w, r, fe)
	}
	s.flash(r, "Thank you for volunteering for NomCom "+strconv.Itoa(year)+".")
	return redirect(w, r, "/nomcom/"+strconv.Itoa(year)+"/volunteer/")
}

func (s *Server) nomcomWithdraw(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.NomCom.Withdraw(r.Context(), by, year, r.PostFormValue("why")); err != nil {
		if fe, ok := mendable(err); ok {
			return s.showNomcomVolunteer(w, r, fe)
		}
		return err
	}
	s.flash(r, "You are no longer a volunteer for NomCom "+strconv.Itoa(year)+".")
	return redirect(w, r, "/nomcom/"+strconv.Itoa(year)+"/volunteer/")
}

// nomcomVolunteersPage is the model of nomcom_volunteers.html.
type nomcomVolunteersPage struct {
	Page
	NomCom     nomcom.NomCom
	Volunteers []nomcom.Volunteer
}

func (s *Server) nomcomVolunteers(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.NomCom.Get(r.Context(), year)
	if err != nil {
		return err
	}
	vs, err := s.NomCom.Volunteers(r.Context(), year)
	if err != nil {
		return err
	}
	return s.show(w, "nomcom_volunteers.html", nomcomVolunteersPage{Page: s.page(r, "NomCom "+strconv.Itoa(year)+": volunteers"), NomCom: n, Volunteers: vs})
}
