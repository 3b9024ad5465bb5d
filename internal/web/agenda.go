package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"hum/internal/meetings"
)

// agendaModel is a meeting's agenda, cached until the record moves.
func (s *Server) agendaModel(ctx context.Context, number string) (*meetings.Agenda, error) {
	v, err := s.cache.get(ctx, s.versions, "agenda", strings.ToLower(number), func() (any, error) {
		return s.Meetings.Agenda(ctx, number)
	})
	if err != nil {
		return nil, err
	}
	return v.(*meetings.Agenda), nil
}

// agendaRequest is what a reader asks of an agenda in its query: which
// sessions (show, hide, q) and in which time zone (tz).
type agendaRequest struct {
	Filter  meetings.AgendaFilter
	Zone    *time.Location
	ZoneErr string // the zone asked for is not one hum knows
}

func readAgendaRequest(r *http.Request, m meetings.Meeting) agendaRequest {
	q := r.URL.Query()
	ar := agendaRequest{Zone: m.Location, Filter: meetings.AgendaFilter{
		Show: meetings.ParseList(q["show"]...), Hide: meetings.ParseList(q["hide"]...), Keyword: strings.TrimSpace(q.Get("q")),
	}}
	if len(ar.Filter.Keyword) > 200 {
		ar.Filter.Keyword = ar.Filter.Keyword[:200]
	}
	if tz := strings.TrimSpace(q.Get("tz")); tz != "" {
		if loc, ok := readerZone(tz); ok {
			ar.Zone = loc
		} else {
			ar.ZoneErr = fmt.Sprintf("%q is not a time zone hum knows (an IANA name such as America/New_York, or UTC); times are in the meeting's zone.", tz)
		}
	}
	return ar
}

// readerZone loads an IANA zone a reader names; "Local" (the server's)
// and bare abbreviations are not zones a reader means.
func readerZone(name string) (*time.Location, bool) {
	if strings.EqualFold(name, "utc") {
		return time.UTC, true
	}
	if len(name) > 64 || !strings.Contains(name, "/") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// filterQuery is the show/hide part of a request, for links to the other
// formats of the same selection.
func (ar agendaRequest) filterQuery() string {
	v := url.Values{}
	if len(ar.Filter.Show) > 0 {
		v.Set("show", strings.Join(ar.Filter.Show, ","))
	}
	if len(ar.Filter.Hide) > 0 {
		v.Set("hide", strings.Join(ar.Filter.Hide, ","))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// agendaPage is the model of agenda.html.
type agendaPage struct {
	Page
	M           meetings.Meeting
	Zone        string // the zone times are shown in
	MeetingZone bool   // it is the meeting's
	ZoneErr     string
	TZParam     string // the tz parameter to keep in links
	LastDay     string
	// MeetingTimeURL is this selection in the meeting's time zone.
	MeetingTimeURL string
	Keyword        string
	Formats        string // the query the ICS, JSON, text and CSV links carry
	Filtered       bool
	Selected       int // areas and groups ticked
	Areas          []areaChoice
	Days           []agendaDay
	Shown          int  // sessions shown
	Total          int  // sessions on the agenda
	On             bool // the meeting is on now: a "now" marker
	Zones          []string
}

type areaChoice struct {
	Acronym, Name string
	Checked       bool
	Groups        []groupChoice
}

type groupChoice struct {
	Acronym, Name string
	Checked       bool
}

type agendaDay struct {
	ID, Title string
	Short     string // "Mon 26"
	Slots     []agendaSlot
}

type agendaSlot struct {
	ID         string
	Start, End string // clock times in the zone shown
	StartISO   string
	EndISO     string
	Name       string
	Kind       string // the timeslot type
	Room       string // for a slot with no session
	Now        bool   // the slot on now, or the next one
	Sessions   []agendaSession

	start, end time.Time
}

type agendaSession struct {
	ID                              int64
	Group, GroupName, GroupType     string
	Area, Room, Title, Note, Status string
	BOF, Cancelled                  bool
}

// commonZones offers readers the zones most IETF participants live in;
// any IANA name may be typed.
var commonZones = []string{"UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
	"Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Helsinki", "Africa/Johannesburg", "Asia/Kolkata", "Asia/Shanghai",
	"Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Australia/Sydney", "Pacific/Auckland"}

func (s *Server) agenda(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	ar := readAgendaRequest(r, m)
	p := agendaPage{Page: s.page(r, m.Title()+" agenda"), M: m, Zone: ar.Zone.String(), MeetingZone: ar.Zone.String() == m.Location.String(),
		ZoneErr: ar.ZoneErr, Keyword: ar.Filter.Keyword, Formats: ar.filterQuery(), Filtered: !ar.Filter.Empty(), Total: len(a.Items), Zones: commonZones}
	if !p.MeetingZone {
		p.TZParam = ar.Zone.String()
	}
	p.LastDay = m.Day(m.Days - 1).Format("2 January 2006")
	p.Selected = len(ar.Filter.Show)
	keep := r.URL.Query()
	keep.Del("tz")
	p.MeetingTimeURL = "/meeting/" + url.PathEscape(m.Number) + "/agenda/"
	if len(keep) > 0 {
		p.MeetingTimeURL += "?" + keep.Encode()
	}
	for _, area := range a.Areas {
		c := areaChoice{Acronym: area.Acronym, Name: area.Name, Checked: slices.Contains(ar.Filter.Show, area.Acronym)}
		for _, g := range area.Groups {
			c.Groups = append(c.Groups, groupChoice{g.Acronym, g.Name, slices.Contains(ar.Filter.Show, g.Acronym)})
		}
		p.Areas = append(p.Areas, c)
	}
	items := a.Filtered(ar.Filter)
	p.Shown = len(items)
	var other []meetings.Timeslot
	if ar.Filter.Empty() {
		other = a.Other
	}
	now := s.DB.Now()
	start, end := a.Span()
	p.On = !now.Before(start) && now.Before(end)
	p.Days = agendaDays(a, items, other, ar.Zone, now, p.On)
	return s.show(w, "agenda.html", p)
}

// agendaDays groups sessions into slots (same start, end and name) and
// slots into days, in the zone shown; the slot on now (or next) is
// marked while the meeting is on.
func agendaDays(a *meetings.Agenda, items []meetings.Item, other []meetings.Timeslot, zone *time.Location, now time.Time, on bool) []agendaDay {
	type key struct {
		start, end int64
		name, room string
	}
	var slots []agendaSlot
	index := map[key]int{}
	add := func(t meetings.Timeslot, room string) int {
		k := key{t.Start.Unix(), t.End().Unix(), t.Name, room}
		if i, ok := index[k]; ok {
			return i
		}
		st, en := t.Start.In(zone), t.End().In(zone)
		slots = append(slots, agendaSlot{ID: fmt.Sprintf("slot-%d", t.ID), Start: st.Format("15:04"), End: en.Format("15:04"),
			StartISO: t.Start.UTC().Format(time.RFC3339), EndISO: t.End().UTC().Format(time.RFC3339), Name: t.Name, Kind: t.Type, Room: room,
			start: t.Start, end: t.End()})
		index[k] = len(slots) - 1
		return len(slots) - 1
	}
	for _, it := range items {
		i := add(it.Slot, "")
		ss := it.Session
		slots[i].Sessions = append(slots[i].Sessions, agendaSession{ID: ss.ID, Group: ss.Group, GroupName: ss.GroupName, GroupType: ss.GroupType,
			Area: ss.Area, Room: it.Slot.Room, Title: ss.Title(), Note: ss.AgendaNote, Status: ss.Status,
			BOF: a.GroupStates[ss.Group] == "bof", Cancelled: ss.Status == meetings.StatusCanceled || strings.EqualFold(strings.TrimSpace(ss.AgendaNote), "canceled") || strings.EqualFold(strings.TrimSpace(ss.AgendaNote), "cancelled")})
	}
	for _, t := range other {
		add(t, t.Room)
	}
	slices.SortStableFunc(slots, func(x, y agendaSlot) int {
		if c := x.start.Compare(y.start); c != 0 {
			return c
		}
		return x.end.Compare(y.end)
	})
	var days []agendaDay
	marked := false
	for _, sl := range slots {
		slices.SortFunc(sl.Sessions, func(x, y agendaSession) int {
			if c := strings.Compare(x.Area, y.Area); c != 0 {
				return c
			}
			return strings.Compare(x.Group, y.Group)
		})
		if on && !marked && sl.end.After(now) {
			sl.Now, marked = true, true
		}
		local := sl.start.In(zone)
		id := "day-" + local.Format("2006-01-02")
		if len(days) == 0 || days[len(days)-1].ID != id {
			days = append(days, agendaDay{ID: id, Title: local.Format("Monday, 2 January 2006"), Short: local.Format("Mon 2 Jan")})
		}
		d := &days[len(days)-1]
		d.Slots = append(d.Slots, sl)
	}
	return days
}

// agendaVariant gives the agenda a version per minute while its meeting
// is on, so the cached page's "now" marker moves; otherwise none.
func (s *Server) agendaVariant(r *http.Request) (string, error) {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return "", nil // the handler reports it
	}
	now := s.DB.Now()
	start, end := a.Span()
	if now.Before(start) || !now.Before(end) {
		return "", nil
	}
	return "-t" + now.UTC().Format("200601021504"), nil
}

// agendaRedirect sends /meeting/N/agenda on to /meeting/N/agenda/,
// keeping the query.
func (s *Server) agendaRedirect(w http.ResponseWriter, r *http.Request) error {
	to := "/meeting/" + url.PathEscape(strings.ToLower(r.PathValue("num"))) + "/agenda/"
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return nil
}
