package web

import (
	"net/http"
	"strconv"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// attendRegisterData is what the registration page shows beside its form.
type attendRegisterData struct {
	Meeting meetings.Meeting
	Mine    meetings.Registration // ID 0: not registered yet
	Sent    bool                  // a link was mailed
}

func (s *Server) attendRegisterForm(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	f := newForm[attendRegisterData](s, r, "Register for "+m.Title())
	f.Data.Meeting = m
	f.V = map[string][]string{"type": {meetings.Onsite}}
	if u := s.user(r); u != nil {
		mine, ok, err := s.Meetings.RegistrationOf(r.Context(), m.Number, u.ID)
		if err != nil {
			return err
		}
		f.V["name"] = []string{u.Name}
		if ok {
			f.Data.Mine = mine
			f.V = map[string][]string{"name": {mine.Name}, "affiliation": {mine.Affiliation}, "country": {mine.Country}, "type": {mine.Type}, "update": {"1"}}
		}
	}
	return s.show(w, "attend_register.html", f)
}

func (s *Server) attendRegister(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	f := newForm[attendRegisterData](s, r, "Register for "+m.Title())
	f.Data.Meeting = m
	n := meetings.NewRegistration{Name: r.PostForm.Get("name"), Affiliation: r.PostForm.Get("affiliation"), Country: r.PostForm.Get("country"),
		Type: r.PostForm.Get("type"), Update: r.PostForm.Get("update") != ""}
	if u := s.user(r); u != nil {
		_, by, err := s.need(r)
		if err != nil {
			return err
		}
		if f.Data.Mine, _, err = s.Meetings.RegistrationOf(r.Context(), m.Number, u.ID); err != nil {
			return err
		}
		reg, err := s.Meetings.Register(r.Context(), by, m.Number, n)
		if err != nil {
			return again(s, w, "attend_register.html", f, err)
		}
		s.flash(r, "You are registered for "+m.Title()+" ("+reg.Type+"). Thank you.")
		return redirect(w, r, "/meeting/"+m.Number+"/attendees/")
	}
	if err := s.limits.allow("mail", clientIP(r)); err != nil {
		return err
	}
	n.Email = r.PostForm.Get("email")
	if err := s.Meetings.StartRegistration(r.Context(), m.Number, n); err != nil {
		return again(s, w, "attend_register.html", f, err)
	}
	f.Data.Sent = true
	return s.show(w, "attend_register.html", f)
}

// attendConfirmData is what a mailed registration link stands for.
type attendConfirmData struct {
	Number  string
	Pending meetings.PendingRegistration
}

// attendConfirmForm shows what the link registers and asks for a click:
// mail scanners fetch links, and a GET must not register anyone.
func (s *Server) attendConfirmForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Meetings.CheckRegistrationLink(r.Context(), r.PathValue("number"), r.PathValue("secret"))
	if err != nil {
		return err
	}
	f := newForm[attendConfirmData](s, r, "Confirm your registration")
	f.Token, f.Data = r.PathValue("secret"), attendConfirmData{p.Meeting, p}
	return s.show(w, "attend_confirm.html", f)
}

func (s *Server) attendConfirm(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.Meetings.ConfirmRegistration(r.Context(), r.PathValue("number"), r.PathValue("secret"))
	if err != nil {
		return err
	}
	s.flash(r, reg.Name+", you are registered for IETF "+reg.Meeting+" ("+reg.Type+"). Thank you.")
	return redirect(w, r, "/meeting/"+reg.Meeting+"/attendees/")
}

// attendAttendeesPage is the public list of a meeting's registrations.
type attendAttendeesPage struct {
	Page
	Meeting     meetings.Meeting
	A           meetings.Attendees
	Type        string
	Secretariat bool
}

func (s *Server) attendAttendees(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	typ := r.URL.Query().Get("type")
	if typ != meetings.Onsite && typ != meetings.Remote {
		typ = ""
	}
	a, err := s.Meetings.Attendees(r.Context(), m.Number, meetings.AttendeeFilter{Type: typ})
	if err != nil {
		return err
	}
	p := attendAttendeesPage{Page: s.page(r, "Attendees of "+m.Title()), Meeting: m, A: a, Type: typ}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		p.Secretariat = by.Secretariat()
	}
	return s.show(w, "attend_attendees.html", p)
}

func (s *Server) attendCheckIn(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fail.New(fail.NotFound, "There is no registration %q.", r.PathValue("id"))
	}
	number := r.PathValue("number")
	in := r.PostFormValue("undo") == ""
	if err := s.Meetings.CheckIn(r.Context(), by, number, id, in, r.PostFormValue("why")); err != nil {
		return err
	}
	s.flash(r, "Check-in recorded.")
	return redirect(w, r, "/meeting/"+number+"/attendees/?type=onsite")
}
