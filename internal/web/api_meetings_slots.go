package web

import (
	"net/http"
	"strconv"

	"hum/internal/meetings"
	"hum/internal/opendata"
)

type apiTimeslot struct {
	ID           int64    `json:"id"`
	Meeting      string   `json:"meeting"`
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	Time         string   `json:"time"`
	Duration     string   `json:"duration"`
	Location     *string  `json:"location"`
	ShowLocation bool     `json:"show_location"`
	Sessions     []string `json:"sessions"`
	ResourceURI  string   `json:"resource_uri"`
}

func (s *Server) apiTimeslotList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "meeting", "meeting__number", "type", "location"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := meetings.SlotFilter{Meeting: q.Get("meeting__number"), Type: opendata.LastSegment(q.Get("type")), Limit: limit, Offset: offset}
	if err := ids(q, map[string]*int64{"id": &f.ID, "meeting": &f.MeetingID, "location": &f.RoomID}); err != nil {
		return err
	}
	ts, total, err := s.Meetings.SlotList(r.Context(), f)
	if err != nil {
		return err
	}
	// The sessions any schedule places in these slots, in one query.
	sessions := map[int64][]string{}
	if len(ts) > 0 {
		slotIDs := make([]int64, len(ts))
		for i, t := range ts {
			slotIDs[i] = t.ID
		}
		as, _, err := s.Meetings.AssignmentList(r.Context(), meetings.AssignmentFilter{TimeslotIDs: slotIDs, Limit: 100000})
		if err != nil {
			return err
		}
		for _, a := range as {
			sessions[a.TimeslotID] = append(sessions[a.TimeslotID], sessionURI(a.SessionID))
		}
	}
	objs := make([]apiTimeslot, 0, len(ts))
	for _, t := range ts {
		a := apiTimeslot{ID: t.ID, Meeting: meetingURI(t.MeetingID), Type: "/api/v1/name/timeslottypename/" + t.Type + "/", Name: t.Name,
			Time: isoTime(t.Start), Duration: apiDuration(t.Duration), ShowLocation: t.RoomID != 0, Sessions: sessions[t.ID], ResourceURI: timeslotURI(t.ID)}
		if a.Sessions == nil {
			a.Sessions = []string{}
		}
		if t.RoomID != 0 {
			u := roomURI(t.RoomID)
			a.Location = &u
		}
		objs = append(objs, a)
	}
	return answer(w, r, one, limit, offset, total, objs, "timeslot")
}

type apiRoom struct {
	ID             int64    `json:"id"`
	Meeting        string   `json:"meeting"`
	Name           string   `json:"name"`
	FunctionalName string   `json:"functional_name"`
	Capacity       int      `json:"capacity"`
	Resources      []string `json:"resources"`
	SessionTypes   []string `json:"session_types"`
	Floorplan      *string  `json:"floorplan"`
	ResourceURI    string   `json:"resource_uri"`
}

func (s *Server) apiRoomList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "meeting", "meeting__number", "name"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := meetings.RoomFilter{Meeting: q.Get("meeting__number"), Name: q.Get("name"), Limit: limit, Offset: offset}
	if err := ids(q, map[string]*int64{"id": &f.ID, "meeting": &f.MeetingID}); err != nil {
		return err
	}
	rs, total, err := s.Meetings.RoomList(r.Context(), f)
	if err != nil {
		return err
	}
	objs := make([]apiRoom, 0, len(rs))
	for _, x := range rs {
		objs = append(objs, apiRoom{ID: x.ID, Meeting: meetingURI(x.MeetingID), Name: x.Name, Capacity: x.Capacity,
			Resources: []string{}, SessionTypes: []string{"/api/v1/name/timeslottypename/regular/"}, ResourceURI: roomURI(x.ID)})
	}
	return answer(w, r, one, limit, offset, total, objs, "room")
}

type apiAssignment struct {
	ID           int64   `json:"id"`
	Timeslot     string  `json:"timeslot"`
	Session      string  `json:"session"`
	Schedule     string  `json:"schedule"`
	Extendedfrom *string `json:"extendedfrom"`
	Modified     string  `json:"modified"`
	Notes        string  `json:"notes"`
	Badness      int     `json:"badness"`
	Pinned       bool    `json:"pinned"`
	ResourceURI  string  `json:"resource_uri"`
}

func (s *Server) apiAssignmentList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "schedule", "session", "timeslot", "schedule__meeting__number", "session__meeting__number",
		"session__group__acronym"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := meetings.AssignmentFilter{Meeting: q.Get("schedule__meeting__number") + q.Get("session__meeting__number"),
		Group: q.Get("session__group__acronym"), Limit: limit, Offset: offset}
	var slot int64
	if err := ids(q, map[string]*int64{"id": &f.ID, "schedule": &f.ScheduleID, "session": &f.SessionID, "timeslot": &slot}); err != nil {
		return err
	}
	if slot != 0 {
		f.TimeslotIDs = []int64{slot}
	}
	as, total, err := s.Meetings.AssignmentList(r.Context(), f)
	if err != nil {
		return err
	}
	objs := make([]apiAssignment, 0, len(as))
	for _, a := range as {
		objs = append(objs, apiAssignment{ID: a.ID, Timeslot: timeslotURI(a.TimeslotID), Session: sessionURI(a.SessionID),
			Schedule: scheduleURI(a.ScheduleID), Modified: isoTime(a.Modified), Notes: a.Notes,
			ResourceURI: "/api/v1/meeting/schedtimesessassignment/" + strconv.FormatInt(a.ID, 10) + "/"})
	}
	return answer(w, r, one, limit, offset, total, objs, "assignment")
}
