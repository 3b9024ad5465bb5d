package web

// apiRoutes lists the read-only JSON API, in the Datatracker's shapes.
// Every resource of package opendata is served by the four generic
// routes below (api_opendata.go): each capability's OpenData, meetings'
// and consensus' included. The API calls that change things sit
// with their areas (/api/submission with submission, /api/iesg/position
// with documents).
func (s *Server) apiRoutes() {
	s.publicGet("/api/v1/", s.apiTop)
	s.publicGet("/api/v1/{app}/", s.apiApp)
	s.publicGet("/api/v1/{app}/{model}/", s.apiResourceList)
	s.publicGet("/api/v1/{app}/{model}/{key}/", s.apiResourceDetail)
	s.handle("GET /api/v1/person/me/", s.apiMe)
	s.exportRoutes()
}
