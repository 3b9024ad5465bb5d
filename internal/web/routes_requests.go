package web

// requestRoutes lists the routes of session requests and of the
// secretariat's schedule: a group's request form, every request of a
// meeting, a group's meetings, the grid of rooms by slots and the rooms
// and timeslots editor. URLs follow the Datatracker's.
func (s *Server) requestRoutes() {
	s.publicGet("/meeting/{number}/requests/", s.requestsTable)
	s.handle("GET /meeting/{number}/requests/{acronym}/", s.requestForm)
	s.handle("POST /meeting/{number}/requests/{acronym}/", s.requestSave)
	s.handle("POST /meeting/{number}/requests/{acronym}/withdraw/", s.requestWithdraw)
	s.handle("POST /meeting/{number}/requests/{acronym}/notmeeting/", s.requestNotMeeting)
	s.publicGet("/group/{acronym}/meetings/", s.groupMeetings)
	s.publicGet("/meeting/{number}/schedule/", s.schedule)
	s.handle("POST /meeting/{number}/schedule/", s.schedulePost)
	s.publicGet("/meeting/{number}/timeslots/", s.timeslots)
	s.handle("POST /meeting/{number}/timeslots/", s.timeslotAdd)
	s.handle("POST /meeting/{number}/timeslots/{id}/", s.timeslotEdit)
	s.handle("POST /meeting/{number}/timeslots/{id}/delete/", s.timeslotDelete)
	s.handle("POST /meeting/{number}/rooms/", s.roomAdd)
}
