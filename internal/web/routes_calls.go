package web

// callRoutes lists a WG's consensus calls: the list, the form that opens
// one, a call's page and the chair's actions on it. The API's
// consensus/call is on the opendata registry (consensus/opendata.go).
func (s *Server) callRoutes() {
	s.publicGet("/group/{acronym}/calls/", s.callList)
	s.handle("GET /group/{acronym}/calls/new/", s.callNewForm)
	s.handle("POST /group/{acronym}/calls/new/", s.callOpen)
	s.publicGet("/group/{acronym}/calls/{id}/", s.callPage)
	s.handle("POST /group/{acronym}/calls/{id}/", s.callAction)
	s.handle("GET /group/{acronym}/calls/{id}/tally/", s.callTally)
}
