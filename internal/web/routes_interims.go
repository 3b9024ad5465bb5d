package web

// interimRoutes lists the interims' pages and the meetings' important
// dates, at the Datatracker's URLs.
func (s *Server) interimRoutes() {
	s.handle("GET /meeting/interim/request/", s.interimRequestForm)
	s.handle("POST /meeting/interim/request/", s.interimRequest)
	s.publicGet("/meeting/interim/request/{number}/", s.interimPage)
	s.handle("POST /meeting/interim/request/{number}/", s.interimAction)
	s.publicGet("/meeting/important-dates/", s.upcomingDates)
	s.publicGet("/meeting/{number}/important-dates/", s.importantDates)
	s.handle("POST /meeting/{number}/important-dates/", s.importantDatesEdit)
	s.publicGet("/meeting/{number}/important-dates.ics", s.importantDatesICS)
}
