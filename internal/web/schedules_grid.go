package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/meetings"
	"hum/internal/scheduler"
)

// scheduleViewPage is the model of schedules_grid.html: one schedule of
// a meeting as a grid of rooms by slots, each session marked with what
// the cost function charges it, above it the cost and its breakdown; for
// the secretariat the controls that pin, move, score, run the scheduler
// again from it and make it official.
type scheduleViewPage struct {
	Page
	Meeting  meetings.Meeting
	Schedule meetings.Schedule
	Rooms    []meetings.Room
	Days     []scheduleDay
	Scored   bool // false when the meeting cannot be scored: ScoreErr says why
	ScoreErr string
	Report   scheduler.Report
	Stale    bool // the stored cost is not what the schedule costs now
	Unplaced []unplacedView
	Pinned   int         // sessions pinned
	Moving   *sessionRef // the session the secretariat is moving
	Others   []string    // the meeting's other schedules, to compare with
	MayEdit  bool
	Run      runForm
	Err      *fail.Error
}

// sessionRef names a session the scheduler places: "ccamp", or "sidr
// (session 2)" when its group has more than one.
type sessionRef struct {
	ID      int64
	Label   string
	Minutes int
}

type unplacedView struct {
	sessionRef
	Reason string
}

// chargeMark is what a schedule charges a session for one kind of
// violation: a short label, how many times, and the charges' texts.
type chargeMark struct {
	Label string
	Count int
	Text  string
	Level string // c1, c2 or c3: the penalty's weight, for the colour
}

// kindLabels are the short labels of the cost function's kinds in the
// grid's cells; the breakdown gives their full names.
var kindLabels = map[string]string{
	"conflict": "conflict", "conflic2": "conflict (2nd)", "conflic3": "conflict (3rd)", "bethere": "person needed elsewhere",
	"timerange": "bad time", "time_relation": "days apart", "wg_adjacent": "not adjacent", "chair_conflict": "chair conflict",
	"tech_overlap": "technology overlap", "key_participant": "key participant", "area_overlapping_in_area": "area overlap",
	"area_overlapping_other_area": "areas overlap", "bof_overlapping_area_meeting": "BOF overlap", "bof_overlapping_area_wg": "BOF overlap",
	"bof_overlapping_bof": "BOF overlap", "bof_overlapping_prg": "BOF overlap", "session_overlap_ad": "same AD",
	"session_requires_trim": "trimmed", "sessions_out_of_order": "out of order", "unplaced": "unplaced",
}

func (s *Server) scheduleView(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	sc, err := s.Meetings.Schedule(r.Context(), m.Number, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := scheduleViewPage{Page: s.page(r, m.Title()+" schedule "+sc.Name), Meeting: m, Schedule: sc, MayEdit: by.Secretariat(), Run: defaultRun(m.Number, sc.Name)}
	var moving int64
	if v := r.URL.Query().Get("move"); v != "" && p.MayEdit {
		if moving, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fail.Field("move", "%q is not a session number.", v)
		}
	}
	return s.showScheduleView(w, r, p, moving)
}

// showScheduleView scores the schedule and shows it; moving, if not 0,
// is the session whose free targets the grid offers.
func (s *Server) showScheduleView(w http.ResponseWriter, r *http.Request, p scheduleViewPage, moving int64) error {
	ctx := r.Context()
	m := p.Meeting
	var prob *scheduler.Problem
	scored, err := s.Scheduler.Score(ctx, m.Number, p.Schedule.Name)
	if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
		p.ScoreErr = fe.Message // no rooms, no slots, no requests: the grid is all there is
	} else if err != nil {
		return err
	} else {
		p.Scored, p.Report, p.Schedule, prob = true, scored.Report, scored.Schedule, scored.Problem
		p.Stale = p.Schedule.Badness == nil || *p.Schedule.Badness != p.Report.Cost
	}
	g, err := s.gridData(ctx, m, p.Schedule.ID)
	if err != nil {
		return err
	}
	p.Rooms = g.Rooms
	refs := sessionRefs(prob)
	if moving != 0 {
		ref, ok := refs[moving]
		if !ok {
			return fail.New(fail.NotFound, "%s has no session %d that the scheduler places.", m.Title(), moving)
		}
		p.Moving = &ref
	}
	var pen scheduler.Penalties
	if prob != nil {
		pen = prob.Penalty
	}
	marks := chargeMarks(p.Report, pen)
	pinned := map[int64]bool{}
	p.Days = gridOf(m, g, func(v *placedView) {
		v.Marks, v.Hard = marks[v.SessionID], p.Report.HardOf[v.SessionID]
		_, v.Movable = refs[v.SessionID]
		if v.Pinned {
			pinned[v.SessionID] = true
		}
	})
	p.Pinned = len(pinned)
	if p.Moving != nil {
		markTargets(p.Days, prob)
	}
	for _, u := range p.Report.Unplaced {
		p.Unplaced = append(p.Unplaced, unplacedView{sessionRef: refs[u.Session], Reason: u.Reason})
	}
	all, err := s.Meetings.Schedules(ctx, m.Number)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.ID != p.Schedule.ID {
			p.Others = append(p.Others, o.Name)
		}
	}
	if p.Err != nil {
		w.WriteHeader(status(p.Err.Kind))
	}
	return s.show(w, "schedules_grid.html", p)
}

// sessionRefs names the sessions the scheduler places, by id; none
// without a problem.
func sessionRefs(p *scheduler.Problem) map[int64]sessionRef {
	out := map[int64]sessionRef{}
	if p == nil {
		return out
	}
	many := map[string]bool{}
	for _, ss := range p.Sessions {
		many[ss.Group] = many[ss.Group] || ss.Index > 0
	}
	for _, ss := range p.Sessions {
		label := ss.Group
		if many[ss.Group] {
			label += " (session " + strconv.Itoa(ss.Index+1) + ")"
		}
		out[ss.ID] = sessionRef{ID: ss.ID, Label: label, Minutes: int(ss.Duration / time.Minute)}
	}
	return out
}

// chargeMarks gathers a report's charges by session, one mark per kind.
func chargeMarks(r scheduler.Report, pen scheduler.Penalties) map[int64][]chargeMark {
	out := map[int64][]chargeMark{}
	for _, c := range r.Charges {
		ms := out[c.Session]
		label := kindLabels[c.Kind]
		if label == "" {
			label = c.Kind
		}
		i := slices.IndexFunc(ms, func(m chargeMark) bool { return m.Label == label })
		if i < 0 {
			level := "c3"
			// Colour as the conflict levels: as heavy as a first-level
			// conflict, as a second-level one, or lighter.
			if c.Penalty >= pen.Constraint["conflict"] {
				level = "c1"
			} else if c.Penalty >= pen.Constraint["conflic2"] {
				level = "c2"
			}
			ms = append(ms, chargeMark{Label: label, Level: level})
			i = len(ms) - 1
		}
		ms[i].Count++
		ms[i].Text = strings.TrimPrefix(ms[i].Text+"\n"+c.Text+" ("+scheduler.Thousands(c.Penalty)+")", "\n")
		out[c.Session] = ms
	}
	return out
}

// markTargets marks the free cells the moving session may go to: the
// slots the scheduler places sessions in.
func markTargets(days []scheduleDay, p *scheduler.Problem) {
	slots := map[int64]bool{}
	for _, t := range p.Slots {
		slots[t.ID] = true
	}
	for d := range days {
		for i := range days[d].Rows {
			for j := range days[d].Rows[i].Cells {
				c := &days[d].Rows[i].Cells[j]
				c.Target = c.Exists && c.Free() && slots[c.SlotID]
			}
		}
	}
}

// where says where slots are, as the grid names them: "212/213, Monday
// 26 March 13:00–15:00".
func where(p *scheduler.Problem, ids []int64) string {
	var first, last *scheduler.Slot
	for i := range p.Slots {
		t := &p.Slots[i]
		if !slices.Contains(ids, t.ID) {
			continue
		}
		if first == nil || t.Start.Before(first.Start) {
			first = t
		}
		if last == nil || t.End().After(last.End()) {
			last = t
		}
	}
	if first == nil {
		return "nowhere"
	}
	zone := p.Zone
	if zone == nil {
		zone = time.UTC
	}
	return first.Room + ", " + first.Start.In(zone).Format("Monday 2 January 15:04") + "–" + last.End().In(zone).Format("15:04")
}
