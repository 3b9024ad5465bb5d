package web

// appealRoutes lists the appeals' pages and forms (RFC 2026 §6.5; the
// Datatracker keeps appeals as uploaded records, at /group/appeals/), the
// generic link to an event of the record. Their API, group/appeal, is
// appeals.OpenData's.
func (s *Server) appealRoutes() {
	s.publicGet("/appeals/", s.appealList)
	s.handle("GET /appeals/new/", s.appealNewForm)
	s.handle("POST /appeals/new/", s.appealFile)
	s.publicGet("/appeals/{id}/", s.appealPage)
	s.handle("POST /appeals/{id}/respond/", s.appealRespond)
	s.handle("POST /appeals/{id}/acknowledge/", s.appealAcknowledge)
	s.handle("POST /appeals/{id}/escalate/", s.appealEscalate)
	s.handle("POST /appeals/{id}/withdraw/", s.appealWithdraw)
	s.publicGet("/event/{id}/", s.eventLink)
}
