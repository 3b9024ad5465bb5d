package web

import (
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hum/internal/meetings"
)

// The meetings' own pages: the index of meetings, a meeting's home page,
// and the meetings and interims ahead (with their calendar).

// today is the date these pages count from: a meeting is ahead while its
// last day has not passed anywhere on Earth (UTC-12).
func (s *Server) today() time.Time {
	t := s.DB.Now().Add(-12 * time.Hour).UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// byDay gives date-dependent pages a version per day.
func (s *Server) byDay(*http.Request) (string, error) {
	return "-d" + s.today().Format("20060102"), nil
}

type meetingIndexPage struct {
	Page
	Upcoming []meetings.Meeting
	Past     []meetings.Meeting
}

func (s *Server) meetingIndex(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	up, _, err := s.Meetings.List(r.Context(), meetings.Filter{EndFrom: today})
	if err != nil {
		return err
	}
	past, _, err := s.Meetings.List(r.Context(), meetings.Filter{Type: meetings.IETF, Before: today, Desc: true, Limit: 200})
	if err != nil {
		return err
	}
	p := meetingIndexPage{Page: s.page(r, "Meetings"), Upcoming: up}
	for _, m := range past {
		if m.End().Before(today.AddDate(0, 0, 1)) && !inList(up, m) {
			p.Past = append(p.Past, m)
		}
	}
	return s.show(w, "meeting_index.html", p)
}

func inList(ms []meetings.Meeting, m meetings.Meeting) bool {
	for _, x := range ms {
		if x.ID == m.ID {
			return true
		}
	}
	return false
}

type meetingHomePage struct {
	Page
	M        meetings.Meeting
	LastDay  time.Time
	Rooms    int
	Sessions int // placed on the agenda
	Requests int // sessions requested
	Past     bool
}

func (s *Server) meetingHome(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	if r.PathValue("num") != m.Number {
		return redirect(w, r, "/meeting/"+m.Number+"/")
	}
	rooms, err := s.Meetings.Rooms(r.Context(), m.ID)
	if err != nil {
		return err
	}
	_, requests, err := s.Meetings.Sessions(r.Context(), meetings.SessionFilter{MeetingID: m.ID, Limit: 1})
	if err != nil {
		return err
	}
	placed := map[int64]bool{}
	for _, it := range a.Items {
		placed[it.Session.ID] = true
	}
	p := meetingHomePage{Page: s.page(r, m.Title()), M: m, LastDay: m.Day(m.Days - 1), Rooms: len(rooms), Sessions: len(placed),
		Requests: requests, Past: m.End().Before(s.DB.Now())}
	return s.show(w, "meeting_home.html", p)
}

type meetingUpcomingPage struct {
	Page
	Meetings []meetings.Meeting
}

func (s *Server) upcomingMeetings(r *http.Request) ([]meetings.Meeting, error) {
	ms, _, err := s.Meetings.List(r.Context(), meetings.Filter{EndFrom: s.today()})
	return ms, err
}

func (s *Server) meetingUpcoming(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.upcomingMeetings(r)
	if err != nil {
		return err
	}
	return s.show(w, "meeting_upcoming.html", meetingUpcomingPage{s.page(r, "Upcoming meetings"), ms})
}

// meetingUpcomingICS is a calendar of the meetings ahead: an IETF meeting
// as all-day events over its days, an interim as its sessions when it
// has them placed, else as its day.
func (s *Server) meetingUpcomingICS(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.upcomingMeetings(r)
	if err != nil {
		return err
	}
	cal := ics.NewCalendarFor("hum")
	cal.SetProductId("-//hum//upcoming meetings//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("Upcoming IETF meetings and interims")
	domain := s.domain()
	for _, m := range ms {
		var items []meetings.Item
		if m.Type == meetings.Interim && m.ScheduleID != 0 {
			if items, err = s.Meetings.Placed(r.Context(), m.ScheduleID); err != nil {
				return err
			}
		}
		page := s.BaseURL + "/meeting/" + m.Number + "/"
		if len(items) == 0 {
			e := cal.AddEvent("meeting-" + m.Number + "@" + domain)
			e.SetDtStampTime(m.Updated)
			e.SetAllDayStartAt(m.Date)
			e.SetAllDayEndAt(m.End())
			e.SetSummary(meetingSummary(m))
			e.SetLocation(strings.Trim(m.City+", "+m.Country, ", "))
			e.SetURL(page)
			continue
		}
		uids := sessionUIDs(items, m.Number, domain)
		for i, it := range items {
			e := cal.AddEvent(uids[i])
			e.SetDtStampTime(m.Updated)
			e.SetStartAt(it.Slot.Start)
			e.SetEndAt(it.Slot.End())
			e.SetSummary(meetingSummary(m))
			if it.Slot.Room != "" {
				e.SetLocation(it.Slot.Room)
			}
			e.SetURL(page)
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	return cal.SerializeTo(w)
}

func meetingSummary(m meetings.Meeting) string {
	if m.Type == meetings.Interim {
		return m.Group + " interim (" + m.Number + ")"
	}
	return m.Title() + ", " + strings.Trim(m.City+", "+m.Country, ", ")
}
