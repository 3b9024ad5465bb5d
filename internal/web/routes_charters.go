package web

// charterRoutes lists chartering's forms: a charter document's new text,
// its moves through internal review, external review and IESG review, its
// approval and abandonment, and a WG's conclusion (R13, R14). The
// charter's own pages share the documents' URLs (/doc/charter-ietf-
// {acronym}/, .../{rev}/, .../history/, .../ballot/), whose handlers hand
// a charter's name to charterDoc and its kin; the Datatracker's charter
// views sit under the same paths.
func (s *Server) charterRoutes() {
	s.handle("POST /doc/{name}/submit/", s.charterSubmit)
	s.handle("POST /doc/{name}/state/", s.charterState)
	s.handle("POST /doc/{name}/approve/", s.charterApprove)
	s.handle("POST /doc/{name}/abandon/", s.charterAbandon)
	s.handle("POST /group/{acronym}/conclude/", s.groupConclude)
}
