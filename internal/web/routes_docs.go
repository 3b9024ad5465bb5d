package web

// docRoutes lists the documents' routes (/doc/..., /submit/, /api/submission).
func (s *Server) docRoutes() {
	if s.Docs == nil {
		return
	}
	// Submission, as the Datatracker's /submit/ and /api/submission.
	s.handle("POST /api/submission", s.apiSubmit)
	s.handle("POST /api/submission/", s.apiSubmit)
	s.handle("GET /api/submission/{id}/status", s.apiSubmissionStatus)
	s.handle("GET /api/submission/{id}/status/", s.apiSubmissionStatus)
	s.handle("GET /submit/", s.submitForm)
	s.handle("POST /submit/", s.submitPost)
	s.handle("GET /submit/status/{id}/", s.submitStatus)
	s.handle("POST /submit/status/{id}/", s.submitAction)
	s.handle("GET /submit/status/{id}/confirm/{secret}/", s.submitConfirmForm)
	s.handle("POST /submit/status/{id}/confirm/{secret}/", s.submitConfirm)

	// Documents.
	s.publicGet("/doc/search/", s.docSearch)
	s.publicGet("/doc/{name}/", s.docMain)
	s.publicGet("/doc/{name}/{rev}/", s.docRev)
	s.publicGet("/doc/{name}/history/", s.docHistory)
	s.publicGet("/doc/{name}/doc.json", s.docJSON)
	s.publicGet("/doc/{name}/bibtex/", s.docBibtex)
	s.publicGet("/doc/{name}/diff/", s.docDiff)
	s.publicGet("/id/{file}", s.docFile)
	s.publicGet("/feed/document-changes/{name}/", s.docFeed)
	s.publicGet("/group/{acronym}/documents/", s.groupDocs)

	// The lifecycle: WG and IESG states, shepherd write-up, Last Call,
	// the IESG ballot, publication.
	s.handle("GET /doc/{name}/edit/", s.docEdit)
	s.handle("POST /doc/{name}/edit/", s.docEditPost)
	s.publicGet("/doc/{name}/writeup/", s.docWriteup)
	s.handle("POST /doc/{name}/writeup/", s.docWriteupPost)
	s.publicGet("/doc/{name}/ballot/", s.docBallot)
	s.handle("POST /doc/{name}/ballot/", s.docBallotPost)
	s.handle("POST /doc/{name}/ballot/alternate/", s.docAltBallotPost)
	s.handle("POST /api/iesg/position", s.apiPosition)
	s.handle("POST /api/iesg/position/", s.apiPosition)
}
