package web

// apiMeetingRoutes serves meetings, sessions, timeslots, rooms and the
// schedules' assignments in the Datatracker's API shape and field names
// (ietf/meeting/resources.py), with its usual filters.
func (s *Server) apiMeetingRoutes() {
	s.publicGet("/api/v1/meeting/meeting/", s.apiList(s.apiMeetingList))
	s.publicGet("/api/v1/meeting/meeting/{id}/", s.apiOne(s.apiMeetingList))
	s.publicGet("/api/v1/meeting/session/", s.apiList(s.apiSessionList))
	s.publicGet("/api/v1/meeting/session/{id}/", s.apiOne(s.apiSessionList))
	s.publicGet("/api/v1/meeting/timeslot/", s.apiList(s.apiTimeslotList))
	s.publicGet("/api/v1/meeting/timeslot/{id}/", s.apiOne(s.apiTimeslotList))
	s.publicGet("/api/v1/meeting/room/", s.apiList(s.apiRoomList))
	s.publicGet("/api/v1/meeting/room/{id}/", s.apiOne(s.apiRoomList))
	s.publicGet("/api/v1/meeting/schedtimesessassignment/", s.apiList(s.apiAssignmentList))
	s.publicGet("/api/v1/meeting/schedtimesessassignment/{id}/", s.apiOne(s.apiAssignmentList))
}
