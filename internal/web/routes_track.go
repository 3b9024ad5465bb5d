package web

// trackRoutes lists the routes of following documents and groups
// (package notices): the page of what one tracks, and the form the Track
// buttons of the document and group pages post to.
func (s *Server) trackRoutes() {
	s.handle("GET /accounts/track/", s.trackPage)
	s.handle("POST /accounts/track/", s.trackPost)
}
