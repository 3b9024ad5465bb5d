package web

// meetingRoutes lists the meetings' public pages: the index, the
// meetings ahead, a meeting's home page and its agenda in every format.
// Pages that depend on the date or the time (what is ahead, the agenda's
// "now" marker) are cached per day or per minute as well as per version.
func (s *Server) meetingRoutes() {
	s.publicGetVariant("/meeting/", s.meetingIndex, s.byDay)
	s.publicGetVariant("/meeting/upcoming/", s.meetingUpcoming, s.byDay)
	s.publicGetVariant("/meeting/upcoming.ics", s.meetingUpcomingICS, s.byDay)
	s.publicGetVariant("/meeting/{num}/", s.meetingHome, s.byDay)
	s.handle("GET /meeting/{num}/agenda", s.agendaRedirect)
	s.publicGetVariant("/meeting/{num}/agenda/", s.agenda, s.agendaVariant)
	s.publicGet("/meeting/{num}/agenda.ics", s.agendaICS)
	s.publicGet("/meeting/{num}/agenda.json", s.agendaJSON)
	s.publicGet("/meeting/{num}/agenda.txt", s.agendaText)
	s.publicGet("/meeting/{num}/agenda.csv", s.agendaCSV)
}
