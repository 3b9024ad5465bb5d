package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// timeslotsData is what the rooms and timeslots page shows: every slot,
// and for the secretariat the forms that add rooms and add, change and
// delete slots. Each form has its own values, so a refused one comes
// back filled in while the others stay empty.
type timeslotsData struct {
	Meeting  meetings.Meeting
	Rooms    []meetings.Room
	Slots    []slotRow
	Types    []string
	MayEdit  bool
	Editing  *slotRow
	RoomV    url.Values
	AddV     url.Values
	EditV    url.Values
	Problems map[string][]string
	Failed   string // the form refused: room, add or edit
}

// slotFields is what the fields of one timeslot form show.
type slotFields struct {
	ID       string // add or edit, to tell the two forms' fields apart
	V        url.Values
	Rooms    []meetings.Room
	Types    []string
	Problems map[string][]string
}

// Fields gives a timeslot form its values, and the problems when it is
// the form that was refused.
func (d timeslotsData) Fields(v url.Values, id string) slotFields {
	f := slotFields{ID: id, V: v, Rooms: d.Rooms, Types: d.Types, Problems: map[string][]string{}}
	if d.Failed == id {
		f.Problems = d.Problems
	}
	return f
}

// slotRow is a timeslot as the page lists it, in the meeting's zone.
type slotRow struct {
	ID      int64
	Day     string
	When    string
	Start   string // as a datetime-local input takes it
	Minutes int
	Room    string
	Type    string
	Name    string
	Used    bool // a session is placed in it
}

const localInput = "2006-01-02T15:04"

func (s *Server) timeslots(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	f := newForm[timeslotsData](s, r, m.Title()+" rooms and timeslots")
	f.Data = timeslotsData{Meeting: m, RoomV: url.Values{}, AddV: url.Values{}, EditV: url.Values{}}
	if v := r.URL.Query().Get("edit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fail.Field("edit", "%q is not a timeslot number.", v)
		}
		t, err := s.Meetings.Timeslot(r.Context(), m.ID, id)
		if err != nil {
			return err
		}
		row := viewSlotRow(m, t, false)
		f.Data.EditV = url.Values{"room": {row.Room}, "type": {row.Type}, "slot_name": {row.Name}, "start": {row.Start}, "minutes": {strconv.Itoa(row.Minutes)}}
		f.Data.Editing = &row
	}
	return s.showTimeslots(w, r, f)
}

func viewSlotRow(m meetings.Meeting, t meetings.Timeslot, used bool) slotRow {
	v := viewSlot(m, t)
	return slotRow{ID: t.ID, Day: v.Day, When: v.When, Start: t.Start.In(m.Location).Format(localInput), Minutes: int(t.Duration / time.Minute),
		Room: t.Room, Type: t.Type, Name: t.Name, Used: used}
}

func (s *Server) showTimeslots(w http.ResponseWriter, r *http.Request, f form[timeslotsData]) error {
	ctx := r.Context()
	d := &f.Data
	m := d.Meeting
	var err error
	if u := s.user(r); u != nil {
		by, err := s.powers(ctx, u)
		if err != nil {
			return err
		}
		d.MayEdit = by.Secretariat()
	}
	if d.Rooms, err = s.Meetings.Rooms(ctx, m.ID); err != nil {
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
	used := map[int64]bool{}
	for _, it := range items {
		used[it.Slot.ID] = true
	}
	for _, t := range slots {
		d.Slots = append(d.Slots, viewSlotRow(m, t, used[t.ID]))
	}
	d.Types = meetings.TimeslotTypes
	d.Problems = problemsByField(f.Err)
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "meeting_timeslots.html", f)
}

// slotForm reads a timeslot form in the meeting's zone.
func slotForm(m meetings.Meeting, v url.Values) (meetings.NewTimeslot, error) {
	n := meetings.NewTimeslot{Room: strings.TrimSpace(v.Get("room")), Type: v.Get("type"), Name: strings.TrimSpace(v.Get("slot_name"))}
	start, err := time.ParseInLocation(localInput, strings.TrimSpace(v.Get("start")), m.Location)
	if err != nil {
		return n, fail.Field("start", "Give the start as a date and time in %s, such as %s.", m.TimeZone, m.Date.Add(9*time.Hour).Format(localInput))
	}
	mins, err := strconv.Atoi(strings.TrimSpace(v.Get("minutes")))
	if err != nil {
		return n, fail.Field("minutes", "Give the length in minutes; got %q.", v.Get("minutes"))
	}
	n.Start, n.Duration = start, time.Duration(mins)*time.Minute
	return n, nil
}

// timeslotChange runs one change of the page and goes back to it, or
// shows the page again with what was refused.
func (s *Server) timeslotChange(w http.ResponseWriter, r *http.Request, form string, change func(meetings.Meeting, groups.Actor) (string, error)) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	f := newForm[timeslotsData](s, r, m.Title()+" rooms and timeslots")
	f.Data = timeslotsData{Meeting: m, RoomV: url.Values{}, AddV: url.Values{}, EditV: url.Values{}}
	done, err := change(m, by)
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Forbidden || fe.Kind == fail.Internal {
			return err
		}
		f.Err = fe
		f.Data.Failed = form
		switch form {
		case "room":
			f.Data.RoomV = r.PostForm
		case "add":
			f.Data.AddV = r.PostForm
		case "edit":
			f.Data.EditV = r.PostForm
			if t, err := s.Meetings.Timeslot(r.Context(), m.ID, slotID(r)); err == nil {
				row := viewSlotRow(m, t, false)
				f.Data.Editing = &row
			}
		}
		return s.showTimeslots(w, r, f)
	}
	s.flash(r, done)
	return redirect(w, r, "/meeting/"+m.Number+"/timeslots/")
}

func slotID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *Server) roomAdd(w http.ResponseWriter, r *http.Request) error {
	return s.timeslotChange(w, r, "room", func(m meetings.Meeting, by groups.Actor) (string, error) {
		capacity := 0
		if v := strings.TrimSpace(r.PostForm.Get("capacity")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", fail.Field("capacity", "The capacity is a number of people; got %q.", v)
			}
			capacity = n
		}
		room, err := s.Meetings.AddRoom(r.Context(), by, m.Number, meetings.NewRoom{Name: r.PostForm.Get("name"), Capacity: capacity}, r.PostForm.Get("why"))
		return "Added " + room.Name + ", with the meeting's session slots.", err
	})
}

func (s *Server) timeslotAdd(w http.ResponseWriter, r *http.Request) error {
	return s.timeslotChange(w, r, "add", func(m meetings.Meeting, by groups.Actor) (string, error) {
		n, err := slotForm(m, r.PostForm)
		if err != nil {
			return "", err
		}
		_, err = s.Meetings.AddTimeslot(r.Context(), by, m.Number, n, r.PostForm.Get("why"))
		return "Added the timeslot.", err
	})
}

func (s *Server) timeslotEdit(w http.ResponseWriter, r *http.Request) error {
	return s.timeslotChange(w, r, "edit", func(m meetings.Meeting, by groups.Actor) (string, error) {
		n, err := slotForm(m, r.PostForm)
		if err != nil {
			return "", err
		}
		return "Changed the timeslot.", s.Meetings.EditTimeslot(r.Context(), by, m.Number, slotID(r), n, r.PostForm.Get("why"))
	})
}

func (s *Server) timeslotDelete(w http.ResponseWriter, r *http.Request) error {
	return s.timeslotChange(w, r, "delete", func(m meetings.Meeting, by groups.Actor) (string, error) {
		return "Deleted the timeslot.", s.Meetings.DeleteTimeslot(r.Context(), by, m.Number, slotID(r), r.PostForm.Get("why"))
	})
}
