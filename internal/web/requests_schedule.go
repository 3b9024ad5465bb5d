package web

import (
	"net/http"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
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
	Broken   int // constraints the schedule breaks
	Err      *fail.Error
}

type scheduleDay struct {
	Day  string
	Rows []scheduleRow
}

// scheduleRow is one time of a day: a cell per room, or a slot in no
// room (a break) shown across the grid.
type scheduleRow struct {
	When   string
	Name   string
	NoRoom bool
	Cells  []scheduleCell
}

type scheduleCell struct {
	SlotID  int64
	Exists  bool // the room has a slot at this time
	Regular bool // a slot sessions go into
	Placed  *placedView
}

// placedView is a session in a cell, with what its placement breaks.
type placedView struct {
	SessionID int64
	Group     string
	Minutes   int
	Attendees int
	Capacity  int
	Broken    []meetings.Broken
}

// TooSmall reports whether more people are expected than the room holds.
func (p placedView) TooSmall() bool { return p.Capacity > 0 && p.Attendees > p.Capacity }

func (s *Server) schedule(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	var by groups.Actor
	if u := s.user(r); u != nil {
		if by, err = s.powers(r.Context(), u); err != nil {
			return err
		}
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
	rooms, err := s.Meetings.Rooms(ctx, m.ID)
	if err != nil {
		return err
	}
	slots, err := s.Meetings.Timeslots(ctx, m.ID)
	if err != nil {
		return err
	}
	items, err := s.Meetings.Placed(ctx, m.ScheduleID)
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
	p.Rooms, p.Broken = rooms, len(broken)
	for _, sess := range waiting {
		p.Unplaced = append(p.Unplaced, viewSession(sess))
	}
	byRoom := map[int64]int{}
	capacity := map[int64]int{}
	for i, room := range rooms {
		byRoom[room.ID] = i
		capacity[room.ID] = room.Capacity
	}
	in := map[int64]meetings.Item{}
	for _, it := range items {
		in[it.Slot.ID] = it
	}
	bySession := map[int64][]meetings.Broken{}
	for _, b := range broken {
		bySession[b.SessionID] = append(bySession[b.SessionID], b)
	}
	type key struct {
		start time.Time
		dur   time.Duration
	}
	rowAt := map[key]*scheduleRow{}
	var rows []*scheduleRow
	var starts []time.Time
	for _, t := range slots {
		when := viewSlot(m, t)
		if t.RoomID == 0 {
			rows = append(rows, &scheduleRow{When: when.When, Name: t.Name, NoRoom: true})
			starts = append(starts, t.Start)
			continue
		}
		k := key{t.Start, t.Duration}
		row := rowAt[k]
		if row == nil {
			row = &scheduleRow{When: when.When, Name: t.Name, Cells: make([]scheduleCell, len(rooms))}
			rowAt[k] = row
			rows = append(rows, row)
			starts = append(starts, t.Start)
		}
		c := scheduleCell{SlotID: t.ID, Exists: true, Regular: t.Type == "regular" || t.Type == "plenary" || t.Type == "other"}
		if it, ok := in[t.ID]; ok {
			c.Placed = &placedView{SessionID: it.Session.ID, Group: it.Session.Group, Minutes: int(it.Session.RequestedDuration / time.Minute),
				Attendees: it.Session.Attendees, Capacity: capacity[t.RoomID], Broken: bySession[it.Session.ID]}
		}
		row.Cells[byRoom[t.RoomID]] = c
	}
	// Slots come by start, so the rows do: group them into days.
	for i, row := range rows {
		day := starts[i].In(m.Location).Format("Monday 2 January 2006")
		if len(p.Days) == 0 || p.Days[len(p.Days)-1].Day != day {
			p.Days = append(p.Days, scheduleDay{Day: day})
		}
		d := &p.Days[len(p.Days)-1]
		d.Rows = append(d.Rows, *row)
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
