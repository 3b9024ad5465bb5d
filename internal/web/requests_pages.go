package web

import (
	"net/http"
	"sort"
	"time"

	"hum/internal/groups"
	"hum/internal/meetings"
)

// requestsPage is the model of meeting_requests.html: every request of
// a meeting, by area, as the Datatracker's session requests page.
type requestsPage struct {
	Page
	Meeting  meetings.Meeting
	Deadline time.Time
	Areas    []requestArea
	Groups   int // requests, "not meeting" included
	Sessions int
	Minutes  int
}

// requestArea is an area's requests and the groups that gave no answer.
type requestArea struct {
	Area     string
	Requests []requestRow
	Missing  []string
}

// requestRow is one group's request as the table shows it.
type requestRow struct {
	meetings.GroupRequest
	StatusName string
	Ranges     []string // the time ranges' names
	Relation   string   // the time relation's name
}

func (s *Server) requestsTable(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, err := s.Meetings.Get(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	rs, err := s.Meetings.Requests(ctx, m.Number)
	if err != nil {
		return err
	}
	missing, err := s.Meetings.NotRequested(ctx, m.Number)
	if err != nil {
		return err
	}
	deadline, err := s.Meetings.SessionRequestDeadline(ctx, m)
	if err != nil {
		return err
	}
	p := requestsPage{Page: s.page(r, m.Title()+" session requests"), Meeting: m, Deadline: deadline}
	at := map[string]int{}
	area := func(a string) *requestArea {
		i, ok := at[a]
		if !ok {
			i = len(p.Areas)
			at[a] = i
			p.Areas = append(p.Areas, requestArea{Area: a})
		}
		return &p.Areas[i]
	}
	for _, gr := range rs {
		row := requestRow{GroupRequest: gr, StatusName: meetings.StatusNames[gr.Status]}
		for _, slug := range gr.Request.TimeRanges {
			tr, _ := meetings.Range(slug)
			row.Ranges = append(row.Ranges, tr.Desc)
		}
		for _, rel := range meetings.TimeRelations {
			if rel.Slug == gr.Request.TimeRelation {
				row.Relation = rel.Name
			}
		}
		a := area(gr.Area)
		a.Requests = append(a.Requests, row)
		p.Groups++
		p.Sessions += len(gr.Sessions)
		for _, l := range gr.Lengths() {
			p.Minutes += l
		}
	}
	for a, acrs := range missing {
		area(a).Missing = acrs
	}
	// By area, groups in none ("Other groups") last.
	sort.SliceStable(p.Areas, func(i, j int) bool {
		a, b := p.Areas[i].Area, p.Areas[j].Area
		return a != "" && (b == "" || a < b)
	})
	return s.show(w, "meeting_requests.html", p)
}

// groupMeetingsPage is the model of group_meetings.html.
type groupMeetingsPage struct {
	Page
	Group    groups.Group
	Upcoming []groupMeetingView
	Past     []groupMeetingView
	// Open are the IETF meetings ahead that the viewer may request
	// sessions for.
	Open []meetings.Meeting
}

// groupMeetingView is a group's sessions at one meeting, with times in
// the meeting's zone.
type groupMeetingView struct {
	Meeting  meetings.Meeting
	Sessions []sessionView
}

// sessionView is a session as a page lists it.
type sessionView struct {
	meetings.Session
	StatusName string
	Minutes    int
	Slots      []slotView
}

// slotView is where and when a session is placed.
type slotView struct {
	Day, When, Room string
}

func viewSlot(m meetings.Meeting, t meetings.Timeslot) slotView {
	start := t.Start.In(m.Location)
	return slotView{Day: start.Format("Monday 2 January"), When: start.Format("15:04") + "–" + t.End().In(m.Location).Format("15:04"), Room: t.Room}
}

func (s *Server) groupMeetings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g, err := s.Groups.Get(ctx, r.PathValue("acronym"))
	if err != nil {
		return err
	}
	gms, err := s.Meetings.GroupMeetings(ctx, g.Acronym)
	if err != nil {
		return err
	}
	p := groupMeetingsPage{Page: s.page(r, g.Acronym+": meetings"), Group: g}
	now := s.DB.Now()
	for _, gm := range gms {
		v := groupMeetingView{Meeting: gm.Meeting}
		for _, pl := range gm.Sessions {
			sv := sessionView{Session: pl.Session, StatusName: meetings.StatusNames[pl.Status], Minutes: int(pl.RequestedDuration / time.Minute)}
			for _, t := range pl.Slots {
				sv.Slots = append(sv.Slots, viewSlot(gm.Meeting, t))
			}
			v.Sessions = append(v.Sessions, sv)
		}
		if gm.Meeting.End().After(now) {
			p.Upcoming = append([]groupMeetingView{v}, p.Upcoming...) // soonest first
		} else {
			p.Past = append(p.Past, v)
		}
	}
	if u := s.user(r); u != nil {
		by, err := s.powers(ctx, u)
		if err != nil {
			return err
		}
		if meetings.MayRequest(by, g) {
			ahead, _, err := s.Meetings.List(ctx, meetings.Filter{Type: meetings.IETF, EndFrom: now})
			if err != nil {
				return err
			}
			p.Open = ahead
		}
	}
	return s.show(w, "group_meetings.html", p)
}
