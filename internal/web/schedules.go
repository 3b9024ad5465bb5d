package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/scheduler"
)

// maxRunTime is the longest search the pages run: the request waits for
// it. The scheduler reaches IETF 83's best in about a second; the command
// (hum schedule --time) is there for longer searches.
const maxRunTime = 60 * time.Second

// schedulesPage is the model of schedules.html: a meeting's schedules
// with their costs, and for the secretariat the forms that run the
// scheduler and compare two schedules.
type schedulesPage struct {
	Page
	Meeting   meetings.Meeting
	Schedules []meetings.Schedule
	MayEdit   bool
	Run       runForm
	Err       *fail.Error
}

// Newest is the name of the schedule made last.
func (p schedulesPage) Newest() string {
	if len(p.Schedules) == 0 {
		return ""
	}
	return p.Schedules[len(p.Schedules)-1].Name
}

// runForm is the scheduler's run form as sent, so that a refused run
// shows what was asked again.
type runForm struct {
	Number  string // the meeting's
	Name    string
	From    string
	Seed    string
	Seconds string
	// Choices are the schedules the list's form may start from; the
	// schedule page's form starts from its schedule, From.
	Choices []string
}

func defaultRun(number, from string) runForm {
	return runForm{Number: number, From: from, Seed: "1", Seconds: "10"}
}

// request reads the form: a seed, and a time budget in whole seconds of
// at most maxRunTime.
func (f runForm) request() (scheduler.RunRequest, error) {
	r := scheduler.RunRequest{Name: f.Name, From: f.From}
	var err error
	if f.Seed != "" {
		if r.Seed, err = strconv.ParseUint(f.Seed, 10, 64); err != nil {
			return r, fail.Field("seed", "The seed is a whole number of 0 or more; got %q.", f.Seed)
		}
	}
	secs, err := strconv.Atoi(f.Seconds)
	switch {
	case err != nil:
		return r, fail.Field("seconds", "The time budget is a whole number of seconds; got %q.", f.Seconds)
	case secs < 1:
		return r, fail.Field("seconds", "The time budget is at least 1 second; got %d.", secs)
	case time.Duration(secs)*time.Second > maxRunTime:
		return r, fail.Field("seconds", "The time budget is at most %d seconds here, as the page waits for the run; got %d. Use hum schedule --time for longer searches.",
			int(maxRunTime/time.Second), secs)
	}
	r.Time = time.Duration(secs) * time.Second
	return r, nil
}

// actorOf is whoever is logged in, with their roles; nobody has none.
func (s *Server) actorOf(r *http.Request) (groups.Actor, error) {
	if u := s.user(r); u != nil {
		return s.powers(r.Context(), u)
	}
	return groups.Actor{}, nil
}

// secretariat is the logged-in secretariat, or the refusal every change
// to a schedule gets from anyone else.
func (s *Server) secretariat(r *http.Request) (groups.Actor, error) {
	_, by, err := s.need(r)
	if err == nil && !by.Secretariat() {
		err = fail.New(fail.Forbidden, "Only the secretariat may change schedules.")
	}
	return by, err
}

func (s *Server) schedules(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p := schedulesPage{Page: s.page(r, m.Title()+" schedules"), Meeting: m, MayEdit: by.Secretariat(), Run: defaultRun(m.Number, "")}
	return s.showSchedules(w, r, p)
}

func (s *Server) showSchedules(w http.ResponseWriter, r *http.Request, p schedulesPage) (err error) {
	if p.Schedules, err = s.Meetings.Schedules(r.Context(), p.Meeting.Number); err != nil {
		return err
	}
	for _, sc := range p.Schedules {
		p.Run.Choices = append(p.Run.Choices, sc.Name)
	}
	if p.Err != nil {
		w.WriteHeader(status(p.Err.Kind))
	}
	return s.show(w, "schedules.html", p)
}

// scheduleRun runs the scheduler, from scratch or from a schedule
// (keeping what is pinned in it), and shows the schedule it made.
func (s *Server) scheduleRun(w http.ResponseWriter, r *http.Request) error {
	by, err := s.secretariat(r)
	if err != nil {
		return err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	r.ParseForm()
	f := runForm{Number: m.Number, Name: strings.TrimSpace(r.PostForm.Get("name")), From: r.PostForm.Get("from"),
		Seed: strings.TrimSpace(r.PostForm.Get("seed")), Seconds: strings.TrimSpace(r.PostForm.Get("seconds"))}
	req, err := f.request()
	var out scheduler.RunOutcome
	if err == nil {
		req.Moves, req.Workers = s.RunMoves, s.RunWorkers
		req.Why = strings.TrimSpace(r.PostForm.Get("why"))
		out, err = s.Scheduler.Run(r.Context(), by, m.Number, req)
	}
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Forbidden || fe.Kind == fail.Internal {
			return err
		}
		p := schedulesPage{Page: s.page(r, m.Title()+" schedules"), Meeting: m, MayEdit: true, Run: f, Err: fe}
		return s.showSchedules(w, r, p)
	}
	rep := out.Result.Report
	s.flash(r, fmt.Sprintf("The scheduler made %q%s in %s: cost %s, %d of %d sessions placed (lower bound %s; %s).",
		out.Schedule.Name, scheduler.FromWhere(req.From), out.Result.Elapsed.Round(time.Millisecond), scheduler.Thousands(rep.Cost), rep.Placed,
		len(out.Problem.Sessions), scheduler.Thousands(out.Result.LowerBound), out.Result.Stopped))
	return redirect(w, r, schedulePath(m.Number, out.Schedule.Name))
}

// scheduleCompareForm sends the compare form (schedules a and b) on to
// the page comparing them.
func (s *Server) scheduleCompareForm(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("b")
	if a == "" || b == "" {
		return fail.Field("b", "Choose two schedules to compare.")
	}
	return redirect(w, r, schedulePath(number, a)+"compare/"+url.PathEscape(b)+"/")
}

// schedulePath is the page of a meeting's schedule.
func schedulePath(number, name string) string {
	return "/meeting/" + url.PathEscape(number) + "/schedule/" + url.PathEscape(name) + "/"
}

// officialName is the name of a meeting's official schedule, "" if it
// has none.
func (s *Server) officialName(ctx context.Context, m meetings.Meeting) (string, error) {
	if m.ScheduleID == 0 {
		return "", nil
	}
	all, err := s.Meetings.Schedules(ctx, m.Number)
	if err != nil {
		return "", err
	}
	for _, sc := range all {
		if sc.Official {
			return sc.Name, nil
		}
	}
	return "", nil
}

// costText is a schedule's stored cost, or says it has none.
func costText(badness *int64) string {
	if badness == nil {
		return "not scored"
	}
	return scheduler.Thousands(*badness)
}

// signed is a change in cost: +100,000, −10,000 or ±0.
func signed(d int64) string {
	switch {
	case d > 0:
		return "+" + scheduler.Thousands(d)
	case d < 0:
		return "−" + scheduler.Thousands(-d)
	}
	return "±0"
}
