package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/opendata"
)

// The JSON API of meetings (routes in routes_api_meetings.go).

// apiList serves a list endpoint.
func (s *Server) apiList(list func(w http.ResponseWriter, r *http.Request, one bool) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return list(w, r, false) }
}

// apiOne serves one object of a list endpoint: the list filtered by the
// path's id, answered with the object alone, or 404.
func (s *Server) apiOne(list func(w http.ResponseWriter, r *http.Request, one bool) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = url.Values{"id": {strconv.FormatInt(id, 10)}}.Encode()
		return list(w, r2, true)
	}
}

func meetingURI(id int64) string  { return fmt.Sprintf("/api/v1/meeting/meeting/%d/", id) }
func sessionURI(id int64) string  { return fmt.Sprintf("/api/v1/meeting/session/%d/", id) }
func timeslotURI(id int64) string { return fmt.Sprintf("/api/v1/meeting/timeslot/%d/", id) }
func roomURI(id int64) string     { return fmt.Sprintf("/api/v1/meeting/room/%d/", id) }
func scheduleURI(id int64) string { return fmt.Sprintf("/api/v1/meeting/schedule/%d/", id) }

// apiDuration is a duration as the Datatracker's TimedeltaField shows
// one: H:MM:SS.
func apiDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
}

// ids reads filters that take an id or a resource URI.
func ids(q url.Values, keys map[string]*int64) error {
	for k, dst := range keys {
		if v := q.Get(k); v != "" {
			id, err := strconv.ParseInt(opendata.LastSegment(v), 10, 64)
			if err != nil || id <= 0 {
				return fail.Field(k, "%s must be an id or resource URI, not %q.", k, v)
			}
			*dst = id
		}
	}
	return nil
}

// answer writes a list, or its one object for an /{id}/ path.
func answer[T any](w http.ResponseWriter, r *http.Request, one bool, limit, offset, total int, objs []T, what string) error {
	if one {
		if len(objs) == 0 {
			return fail.New(fail.NotFound, "There is no %s %s.", what, r.PathValue("id"))
		}
		return writeJSON(w, http.StatusOK, objs[0])
	}
	return writeJSON(w, http.StatusOK, reply(r, limit, offset, total, objs))
}

type apiMeeting struct {
	ID               int64   `json:"id"`
	Number           string  `json:"number"`
	Type             string  `json:"type"`
	Date             string  `json:"date"`
	Days             int     `json:"days"`
	City             string  `json:"city"`
	Country          string  `json:"country"`
	TimeZone         string  `json:"time_zone"`
	VenueName        string  `json:"venue_name"`
	VenueAddr        string  `json:"venue_addr"`
	Schedule         *string `json:"schedule"`
	ProceedingsFinal bool    `json:"proceedings_final"`
	Updated          string  `json:"updated"`
	ResourceURI      string  `json:"resource_uri"`
}

func toAPIMeeting(m meetings.Meeting) apiMeeting {
	a := apiMeeting{ID: m.ID, Number: m.Number, Type: "/api/v1/name/meetingtypename/" + m.Type + "/", Date: m.Date.Format(time.DateOnly),
		Days: m.Days, City: m.City, Country: m.Country, TimeZone: m.TimeZone, VenueName: m.VenueName, VenueAddr: m.VenueAddr,
		ProceedingsFinal: m.ProceedingsFinal, Updated: isoTime(m.Updated), ResourceURI: meetingURI(m.ID)}
	if m.ScheduleID != 0 {
		u := scheduleURI(m.ScheduleID)
		a.Schedule = &u
	}
	return a
}

func (s *Server) apiMeetingList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "number", "type", "date", "date__gte", "date__lt"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	var id int64
	if err := ids(q, map[string]*int64{"id": &id}); err != nil {
		return err
	}
	if id != 0 {
		m, err := s.Meetings.MeetingByID(r.Context(), id)
		if fail.KindOf(err) == fail.NotFound {
			return answer(w, r, one, limit, offset, 0, []apiMeeting{}, "meeting")
		} else if err != nil {
			return err
		}
		return answer(w, r, one, limit, offset, 1, []apiMeeting{toAPIMeeting(m)}, "meeting")
	}
	f := meetings.Filter{Number: q.Get("number"), Type: opendata.LastSegment(q.Get("type")), Limit: limit, Offset: offset}
	day := func(k string) (time.Time, error) {
		v := q.Get(k)
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return t, fail.Field(k, "%s is a day, YYYY-MM-DD, not %q.", k, v)
		}
		return t, nil
	}
	if f.EndFrom, err = day("date__gte"); err != nil {
		return err
	}
	if f.Before, err = day("date__lt"); err != nil {
		return err
	}
	exact, err := day("date")
	if err != nil {
		return err
	}
	if !exact.IsZero() {
		f.EndFrom, f.Before = exact, exact.AddDate(0, 0, 1) // then kept only if it starts that day
	}
	ms, total, err := s.Meetings.List(r.Context(), f)
	if err != nil {
		return err
	}
	objs := make([]apiMeeting, 0, len(ms))
	for _, m := range ms {
		if !exact.IsZero() && m.Date.Format(time.DateOnly) != exact.Format(time.DateOnly) {
			total--
			continue
		}
		objs = append(objs, toAPIMeeting(m))
	}
	return answer(w, r, one, limit, offset, total, objs, "meeting")
}

type apiSession struct {
	ID                 int64   `json:"id"`
	Meeting            string  `json:"meeting"`
	Type               string  `json:"type"`
	Purpose            string  `json:"purpose"`
	Group              string  `json:"group"`
	Name               string  `json:"name"`
	Short              string  `json:"short"`
	Attendees          int     `json:"attendees"`
	AgendaNote         string  `json:"agenda_note"`
	RequestedDuration  string  `json:"requested_duration"`
	Comments           string  `json:"comments"`
	RemoteInstructions string  `json:"remote_instructions"`
	RequestedBy        *string `json:"requested_by"`
	Status             string  `json:"status"`
	Modified           string  `json:"modified"`
	ResourceURI        string  `json:"resource_uri"`
}

func toAPISession(x meetings.Session) apiSession {
	a := apiSession{ID: x.ID, Meeting: meetingURI(x.MeetingID), Type: "/api/v1/name/timeslottypename/regular/",
		Purpose: "/api/v1/name/sessionpurposename/" + x.Purpose + "/", Group: groupURI(x.GroupID), Name: x.Name,
		Attendees: x.Attendees, AgendaNote: x.AgendaNote, RequestedDuration: apiDuration(x.RequestedDuration), Comments: x.Comments,
		RemoteInstructions: x.RemoteInstructions, Status: "/api/v1/name/sessionstatusname/" + x.Status + "/",
		Modified: isoTime(x.Modified), ResourceURI: sessionURI(x.ID)}
	if x.RequestedByID != 0 {
		p := fmt.Sprintf("/api/v1/person/person/%d/", x.RequestedByID)
		a.RequestedBy = &p
	}
	return a
}

func (s *Server) apiSessionList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "meeting", "meeting__number", "group", "group__acronym", "status"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := meetings.SessionFilter{Meeting: q.Get("meeting__number"), Group: q.Get("group__acronym"), Limit: limit, Offset: offset}
	var groupID int64
	if err := ids(q, map[string]*int64{"id": &f.ID, "meeting": &f.MeetingID, "group": &groupID}); err != nil {
		return err
	}
	if v := opendata.LastSegment(q.Get("status")); v != "" {
		f.Status = []string{v}
	}
	if groupID != 0 {
		if f.Group, err = s.groupAcronym(r, groupID); err != nil {
			return err
		}
	}
	ss, total, err := s.Meetings.Sessions(r.Context(), f)
	if err != nil {
		return err
	}
	objs := make([]apiSession, 0, len(ss))
	for _, x := range ss {
		objs = append(objs, toAPISession(x))
	}
	return answer(w, r, one, limit, offset, total, objs, "session")
}

// groupAcronym is the acronym of the group with an id; an unknown id
// matches nothing.
func (s *Server) groupAcronym(r *http.Request, id int64) (string, error) {
	gs, _, err := s.Groups.List(r.Context(), groups.Filter{ID: id})
	if err != nil || len(gs) == 0 {
		return "-", err // no acronym is "-": it matches nothing
	}
	return gs[0].Acronym, nil
}
