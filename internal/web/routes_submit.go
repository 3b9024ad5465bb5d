package web

// submitRoutes lists the submission of Internet-Drafts, as the
// Datatracker's /submit/ and /api/submission.
func (s *Server) submitRoutes() {
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
}
