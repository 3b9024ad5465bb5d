package web

// apiRoutes lists the read-only JSON API, in the Datatracker's list
// shape. The API calls that change things sit with their areas
// (/api/submission with submission, /api/iesg/position with documents).
func (s *Server) apiRoutes() {
	s.publicGet("/api/v1/group/group/", s.apiGroups)
	s.publicGet("/api/v1/group/group/{id}/", s.apiGroup)
	s.publicGet("/api/v1/group/role/", s.apiRoles)
	s.publicGet("/api/v1/group/role/{id}/", s.apiRole)
	s.publicGet("/api/v1/person/person/", s.apiPeople)
	s.publicGet("/api/v1/person/person/{id}/", s.apiPerson)
	s.handle("GET /api/v1/person/me/", s.apiMe)
	s.apiMeetingRoutes()
}
