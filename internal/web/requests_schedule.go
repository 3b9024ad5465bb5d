package web

import (
	"net/http"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// schedulePage is the model of meeting_schedule.html: the official
// schedule as a grid of rooms by slots, the sessions still to place, and
// for the secretariat the buttons that place and remove them.
type schedulePage struct {
	Page
	Meeting  meetings.Meeting
	Rooms    []meetings.Room
	Days     []scheduleDay
	Unplaced []sessionView
	Placing  *sessionView // the session the secretariat is placing
	MayEdit  bool
	Broken   int    // constraints the schedule breaks
	Official string // the official schedule's name, for the link to its page
	Err      *fail.Error
}

func (s *Server) schedule(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := schedulePage{Page: s.page(r, m.Title()+" schedule"), Meeting: m, MayEdit: by.Secretariat()}
	if v := r.URL.Query().Get("place"); v != "" && p.MayEdit {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fail.Field("place", "%q is not a session number.", v)
		}
		sess, err := s.Meetings.Session(r.Context(), id)
		if err != nil || sess.MeetingID != m.ID {
			return fail.New(fail.NotFound, "%s has no session %d.", m.Title(), id)
		}
		sv := viewSession(sess)
		p.Placing = &sv
	}
	return s.showSchedule(w, r, p)
}

func viewSession(sess meetings.Session) sessionView {
	return sessionView{Session: sess, StatusName: meetings.StatusNames[sess.Status], Minutes: int(sess.RequestedDuration / time.Minute)}
}

func (s *Server) showSchedule(w http.ResponseWriter, r *http.Request, p schedulePage) error {
	ctx := r.Context()
	m := p.Meeting
	g, err := s.gridData(ctx, m, m.ScheduleID)
	if err != nil {
		return err
	}
	broken, err := s.Meetings.BrokenConstraints(ctx, m)
	if err != nil {
		return err
	}
	waiting, _, err := s.Meetings.Sessions(ctx, meetings.SessionFilter{MeetingID: m.ID, Status: []string{meetings.StatusWaiting}})
	if err != nil {
		return err
	}
	p.Rooms, p.Broken = g.Rooms, len(broken)
	for _, sess := range waiting {
		p.Unplaced = append(p.Unplaced, viewSession(sess))
	}
	bySession := map[int64][]meetings.Broken{}
	for _, b := range broken {
		bySession[b.SessionID] = append(bySession[b.SessionID], b)
	}
	p.Days = gridOf(m, g, func(v *placedView) { v.Broken = bySession[v.SessionID] })
	if p.Official, err = s.officialName(ctx, m); err != nil {
		return err
	}
	if p.Err != nil {
		w.WriteHeader(status(p.Err.Kind))
	}
	return s.show(w, "meeting_schedule.html", p)
}

// schedulePost places a session in a slot (action=assign) or takes it
// out (action=unassign), for the secretariat.
func (s *Server) schedulePost(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	r.ParseForm()
	p := schedulePage{Page: s.page(r, m.Title()+" schedule"), Meeting: m, MayEdit: by.Secretariat()}
	sessionID, err1 := strconv.ParseInt(r.PostForm.Get("session"), 10, 64)
	slotID, err2 := strconv.ParseInt(r.PostForm.Get("timeslot"), 10, 64)
	switch {
	case err1 != nil:
		err = fail.Field("session", "Choose a session to place.")
	case err2 != nil:
		err = fail.Field("timeslot", "Choose a timeslot.")
	case r.PostForm.Get("action") == "assign":
		err = s.Meetings.Assign(r.Context(), by, m.Number, sessionID, slotID, r.PostForm.Get("why"))
	case r.PostForm.Get("action") == "unassign":
		err = s.Meetings.Unassign(r.Context(), by, m.Number, sessionID, slotID, r.PostForm.Get("why"))
	default:
		err = fail.Field("action", "The action is assign or unassign; got %q.", r.PostForm.Get("action"))
	}
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Forbidden || fe.Kind == fail.Internal {
			return err
		}
		p.Err = fe
		return s.showSchedule(w, r, p)
	}
	if r.PostForm.Get("action") == "assign" {
		s.flash(r, "Placed the session; the agenda shows it.")
	} else {
		s.flash(r, "Took the session out of its slot; it is waiting for scheduling again.")
	}
	return redirect(w, r, "/meeting/"+m.Number+"/schedule/#slot-"+strconv.FormatInt(slotID, 10))
}
