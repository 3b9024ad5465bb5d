package web

// consensusChairRoutes lists the routes of decisions from meetings (R31),
// requests for calls and the chairs' dashboard. The consensus calls'
// own routes are in routes_calls.go; consensus/decision in the API is on
// the opendata registry (consensus/opendata.go).
func (s *Server) consensusChairRoutes() {
	s.publicGet("/group/{acronym}/chair/", s.chairDashboard)
	s.handle("GET /me/", s.mePage)
	s.publicGet("/group/{acronym}/decisions/", s.groupDecisions)
	s.handle("POST /meeting/{number}/session/{acronym}/decisions/", s.decisionRecord)
	s.handle("POST /meeting/{number}/session/{acronym}/decisions/minutes/", s.decisionsFromMinutes)
	s.handle("POST /doc/{name}/request_call/", s.requestCall)
	s.handle("GET /group/{acronym}/requests/{id}/", s.callRequestPage)
	s.handle("POST /group/{acronym}/requests/{id}/decline/", s.requestDecline)
}
