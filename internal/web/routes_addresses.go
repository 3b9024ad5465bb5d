package web

// addressRoutes lists the pages of the addresses hum answers for that
// are not lists (issue 14): a document's aliases, as the Datatracker's
// document "email" tab shows them, and a group's "email expansions".
func (s *Server) addressRoutes() {
	s.publicGet("/doc/{name}/email/", s.docEmail)
	s.publicGet("/group/{acronym}/email/", s.groupEmail)
}
