package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/scheduler"
)

// The secretariat's changes to one schedule. Each is a POST that, done,
// goes back to the schedule's page with what happened in a flash; a
// change refused for its input shows the page again with the error, and
// changes nothing.

// scheduleChange is what every change starts from: the secretariat, the
// meeting, the schedule's name and the form.
func (s *Server) scheduleChange(r *http.Request) (groups.Actor, meetings.Meeting, string, error) {
	by, err := s.secretariat(r)
	if err != nil {
		return by, meetings.Meeting{}, "", err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return by, m, "", err
	}
	r.ParseForm()
	return by, m, r.PathValue("name"), nil
}

// refused shows the schedule's page again with err, when err is about
// the input; anything else (no such schedule, not allowed, a fault) is
// the error page.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, m meetings.Meeting, name string, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Forbidden || fe.Kind == fail.Internal || fe.Kind == fail.NotFound {
		return err
	}
	sc, err := s.Meetings.Schedule(r.Context(), m.Number, name)
	if err != nil {
		return err
	}
	p := scheduleViewPage{Page: s.page(r, m.Title()+" schedule "+sc.Name), Meeting: m, Schedule: sc, MayEdit: true, Run: defaultRun(m.Number, sc.Name), Err: fe}
	return s.showScheduleView(w, r, p, 0)
}

func sessionField(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PostForm.Get("session"), 10, 64)
	if err != nil {
		return 0, fail.Field("session", "Choose a session; %q is not a session number.", r.PostForm.Get("session"))
	}
	return id, nil
}

func anchor(id int64) string { return "#session-" + strconv.FormatInt(id, 10) }

// schedulePin pins a session where the schedule has it (pinned=1), or
// unpins it.
func (s *Server) schedulePin(w http.ResponseWriter, r *http.Request) error {
	by, m, name, err := s.scheduleChange(r)
	if err != nil {
		return err
	}
	id, err := sessionField(r)
	pin := r.PostForm.Get("pinned") == "1"
	if err == nil {
		err = s.Meetings.PinSession(r.Context(), by, m.Number, name, id, pin, r.PostForm.Get("why"))
	}
	if err != nil {
		return s.refused(w, r, m, name, err)
	}
	if pin {
		s.flash(r, fmt.Sprintf("Pinned session %d: the scheduler, run again from %q, leaves it where it is.", id, name))
	} else {
		s.flash(r, fmt.Sprintf("Unpinned session %d: the scheduler may move it.", id))
	}
	return redirect(w, r, schedulePath(m.Number, name)+anchor(id))
}

// scheduleMove moves a session by hand to a slot (with the back-to-back
// slots after it that its length takes), or takes it out
// (action=unplace); then scores the schedule again and says what the
// move did to the cost.
func (s *Server) scheduleMove(w http.ResponseWriter, r *http.Request) error {
	by, m, name, err := s.scheduleChange(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	before, err := s.Scheduler.Score(ctx, m.Number, name)
	if err != nil {
		return s.refused(w, r, m, name, err)
	}
	id, err := sessionField(r)
	if err != nil {
		return s.refused(w, r, m, name, err)
	}
	var slots []int64
	if r.PostForm.Get("action") != "unplace" {
		if slots, err = moveTarget(before.Problem, before.Placement, r, id); err != nil {
			return s.refused(w, r, m, name, err)
		}
	}
	why := r.PostForm.Get("why")
	if err := s.Meetings.MoveSession(ctx, by, m.Number, name, id, slots, why); err != nil {
		return s.refused(w, r, m, name, err)
	}
	after, err := s.Scheduler.Rescore(ctx, by, m.Number, name, "after a session was moved by hand")
	if err != nil {
		return err
	}
	label := sessionRefs(before.Problem)[id].Label
	what := "Took " + label + " out of the schedule"
	if slots != nil {
		what = "Moved " + label + " to " + where(before.Problem, slots)
	}
	s.flash(r, fmt.Sprintf("%s. The cost went from %s to %s (%s).", what, scheduler.Thousands(before.Report.Cost), scheduler.Thousands(after.Report.Cost),
		signed(after.Report.Cost-before.Report.Cost)))
	return redirect(w, r, schedulePath(m.Number, name)+anchor(id))
}

// moveTarget is where the form moves session id in placement pl: the
// slot it names, and as many of the back-to-back slots after it that
// the session's length takes as are free.
func moveTarget(p *scheduler.Problem, pl scheduler.Placement, r *http.Request, id int64) ([]int64, error) {
	i := slices.IndexFunc(p.Sessions, func(ss scheduler.Session) bool { return ss.ID == id })
	if i < 0 {
		return nil, fail.Field("session", "Session %d is not one the scheduler places at IETF %s; only those are moved here.", id, p.Meeting)
	}
	first, err := strconv.ParseInt(r.PostForm.Get("timeslot"), 10, 64)
	if err != nil {
		return nil, fail.Field("timeslot", "Choose a slot to move the session to.")
	}
	chain := p.Chain(first, p.Sessions[i].Duration)
	if chain == nil {
		return nil, fail.Field("timeslot", "Timeslot %d is not a session slot in a room of IETF %s.", first, p.Meeting)
	}
	held := map[int64]bool{}
	for s, ts := range pl {
		for _, t := range ts {
			held[t] = held[t] || s != id
		}
	}
	// The first slot stays even if held: MoveSession says by whom.
	for k := 1; k < len(chain); k++ {
		if held[chain[k]] {
			return chain[:k], nil
		}
	}
	return chain, nil
}

// scheduleScore stores what the schedule costs now.
func (s *Server) scheduleScore(w http.ResponseWriter, r *http.Request) error {
	by, m, name, err := s.scheduleChange(r)
	if err != nil {
		return err
	}
	sc, err := s.Scheduler.Rescore(r.Context(), by, m.Number, name, strings.TrimSpace(r.PostForm.Get("why")))
	if err != nil {
		return s.refused(w, r, m, name, err)
	}
	s.flash(r, fmt.Sprintf("Scored %q: it costs %s.", name, scheduler.Thousands(sc.Report.Cost)))
	return redirect(w, r, schedulePath(m.Number, name))
}

// scheduleOfficial makes the schedule the meeting's official one.
func (s *Server) scheduleOfficial(w http.ResponseWriter, r *http.Request) error {
	by, m, name, err := s.scheduleChange(r)
	if err != nil {
		return err
	}
	if err := s.Meetings.MakeOfficial(r.Context(), by, m.Number, name, strings.TrimSpace(r.PostForm.Get("why"))); err != nil {
		return s.refused(w, r, m, name, err)
	}
	s.flash(r, fmt.Sprintf("%q is now the official schedule of %s: the agenda shows it.", name, m.Title()))
	return redirect(w, r, schedulePath(m.Number, name))
}
