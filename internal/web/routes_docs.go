package web

// docRoutes lists the documents' routes (/doc/..., /id/...), with the
// lifecycle: WG and IESG states, shepherd write-up, Last Call, the IESG
// ballot, publication.
func (s *Server) docRoutes() {
	s.publicGet("/doc/search/", s.docSearch)
	s.publicGet("/doc/{name}/", s.docMain)
	// /doc/{name}/{rev}/ also serves the AD dashboards at /doc/ad/{name}/
	// (the Datatracker's URL), which a pattern of their own would make
	// ambiguous with /doc/{name}/history/ and the rest.
	s.publicGetVariant("/doc/{name}/{rev}/", s.docRev, s.adDashboardDay)
	s.publicGet("/doc/{name}/history/", s.docHistory)
	s.publicGet("/doc/{name}/doc.json", s.docJSON)
	s.publicGet("/doc/{name}/bibtex/", s.docBibtex)
	s.publicGet("/doc/{name}/diff/", s.docDiff)
	s.publicGet("/id/{file}", s.docFile)
	s.publicGet("/feed/document-changes/{name}/", s.docFeed)
	s.publicGet("/group/{acronym}/documents/", s.groupDocs)

	s.handle("GET /doc/{name}/edit/", s.docEdit)
	s.handle("POST /doc/{name}/edit/", s.docEditPost)
	s.handle("GET /doc/{name}/edit/notify/", s.docNotify)
	s.handle("POST /doc/{name}/edit/notify/", s.docNotifyPost)
	s.publicGet("/doc/{name}/writeup/", s.docWriteup)
	s.handle("POST /doc/{name}/writeup/", s.docWriteupPost)
	s.publicGetVariant("/doc/{name}/ballot/", s.docBallot, s.byUTCDay) // a placement lapses when its telechat is over
	s.handle("POST /doc/{name}/ballot/", s.docBallotPost)
	s.handle("POST /doc/{name}/ballot/alternate/", s.docAltBallotPost)
	s.handle("POST /api/iesg/position", s.apiPosition)
	s.handle("POST /api/iesg/position/", s.apiPosition)
}
