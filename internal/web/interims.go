package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// interimFormData is what the request form offers: the groups the
// person may request for, and the modes.
type interimFormData struct {
	Groups []groups.Group
	Rows   []interimRow
	Modes  []mode
}

// interimRow is one session's row on the form: its index in the field
// names, its number as shown.
type interimRow struct{ I, N int }

type mode struct{ Slug, Name string }

const interimRows = 3

func (s *Server) interimRequestForm(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[interimFormData](s, r, "Request an interim meeting")
	f.V = map[string][]string{"mode": {meetings.Online}, "time_zone": {"UTC"}, "minutes_0": {"60"}}
	if g := r.URL.Query().Get("group"); g != "" {
		f.V.Set("group", g)
	}
	return s.showInterimForm(w, r, f, by)
}

func (s *Server) showInterimForm(w http.ResponseWriter, r *http.Request, f form[interimFormData], by groups.Actor) error {
	gs, _, err := s.Groups.List(r.Context(), groups.Filter{State: "active", Limit: 2000})
	if err != nil {
		return err
	}
	for _, g := range gs {
		if by.LeadsGroup(g.ID) || by.AD(g) || by.Secretariat() && (g.Type == "wg" || g.Type == "rg") {
			f.Data.Groups = append(f.Data.Groups, g)
		}
	}
	if len(f.Data.Groups) == 0 {
		return fail.New(fail.Forbidden, "Interims are requested by a group's chairs (or its AD, or the secretariat); you hold none of those roles.")
	}
	for i := range interimRows {
		f.Data.Rows = append(f.Data.Rows, interimRow{i, i + 1})
	}
	for _, m := range []string{meetings.Online, meetings.Hybrid, meetings.InPerson} {
		f.Data.Modes = append(f.Data.Modes, mode{m, meetings.ModeNames[m]})
	}
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "interim_request.html", f)
}

func (s *Server) interimRequest(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[interimFormData](s, r, "Request an interim meeting")
	v := r.PostForm
	n := meetings.InterimRequest{Group: v.Get("group"), Mode: v.Get("mode"), City: v.Get("city"), Country: v.Get("country"), TimeZone: v.Get("time_zone")}
	for i := range interimRows {
		k := func(name string) string { return v.Get(fmt.Sprintf("%s_%d", name, i)) }
		if i > 0 && strings.TrimSpace(k("date")+k("time")) == "" {
			continue // an unused row
		}
		minutes, _ := strconv.Atoi(strings.TrimSpace(k("minutes")))
		n.Sessions = append(n.Sessions, meetings.InterimSessionRequest{Date: k("date"), Time: k("time"), Minutes: minutes, Agenda: k("agenda"), Remote: k("remote")})
	}
	it, err := s.Meetings.RequestInterim(r.Context(), by, n, v.Get("why"))
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden {
			return err
		}
		f.Err = fe
		return s.showInterimForm(w, r, f, by)
	}
	if it.Status == meetings.StatusApprWait {
		s.flash(r, it.Meeting.Number+" is requested; it waits for the responsible AD's approval.")
	} else {
		s.flash(r, it.Meeting.Number+" is scheduled and announced.")
	}
	return redirect(w, r, "/meeting/interim/request/"+it.Meeting.Number+"/")
}

// interimPage is the model of interim.html.
type interimPage struct {
	Page
	Err        *fail.Error
	Interim    meetings.InterimMeeting
	MayApprove bool
	MayChange  bool // cancel, post agendas
}

func (s *Server) interimPage(w http.ResponseWriter, r *http.Request) error {
	return s.showInterim(w, r, nil)
}

func (s *Server) showInterim(w http.ResponseWriter, r *http.Request, fe *fail.Error) error {
	it, err := s.Meetings.Interim(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	p := interimPage{Page: s.page(r, it.Meeting.Number), Err: fe, Interim: it}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		g, err := s.Groups.Get(r.Context(), it.Meeting.Group)
		if err != nil {
			return err
		}
		p.MayApprove = meetings.MayApprove(by, g)
		p.MayChange = p.MayApprove || by.LeadsGroup(g.ID)
	}
	if fe != nil {
		w.WriteHeader(status(fe.Kind))
	}
	return s.show(w, "interim.html", p)
}

func (s *Server) interimAction(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	number, why := r.PathValue("number"), r.PostFormValue("why")
	var msg string
	switch r.PostFormValue("action") {
	case "approve":
		err, msg = s.Meetings.ApproveInterim(r.Context(), by, number, why), "Approved and announced."
	case "decline":
		err, msg = s.Meetings.DeclineInterim(r.Context(), by, number, why), "Declined; the requester is told."
	case "cancel":
		err, msg = s.Meetings.CancelInterim(r.Context(), by, number, why), "Cancelled."
	case "agenda":
		sid, _ := strconv.ParseInt(r.PostFormValue("session"), 10, 64)
		err, msg = s.Meetings.SetInterimAgenda(r.Context(), by, number, sid, r.PostFormValue("agenda"), why), "The agenda is published."
	default:
		return fail.New(fail.Invalid, "Unknown action %q: use approve, decline, cancel or agenda.", r.PostFormValue("action"))
	}
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.NotFound {
			return err
		}
		return s.showInterim(w, r, fe)
	}
	s.flash(r, msg)
	return redirect(w, r, "/meeting/interim/request/"+number+"/")
}
