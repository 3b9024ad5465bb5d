package web

// iprRoutes lists the IPR disclosures (RFC 8179, BCP 79) at the
// Datatracker's URLs: the list, each disclosure and its history, the
// three forms to file one, the update form, search, the machine-readable
// list by draft, the secretariat's queues and moves, and a draft's
// authors' confirmations (R11). /ipr/{id}/update/ stands for the
// Datatracker's /ipr/update/{id}/, which Go's mux cannot hold beside
// /ipr/{id}/history/.
func (s *Server) iprRoutes() {
	s.publicGet("/ipr/", s.iprList)
	s.publicGet("/ipr/search/", s.iprSearch)
	s.publicGet("/ipr/by-draft/", s.iprByDraft)
	s.publicGet("/ipr/{id}/", s.iprShow)
	s.publicGet("/ipr/{id}/history/", s.iprHistory)

	s.publicGet("/ipr/new-specific/", s.iprNewForm)
	s.publicGet("/ipr/new-generic/", s.iprNewForm)
	s.publicGet("/ipr/new-third-party/", s.iprNewForm)
	s.handle("POST /ipr/new-specific/", s.iprNew)
	s.handle("POST /ipr/new-generic/", s.iprNew)
	s.handle("POST /ipr/new-third-party/", s.iprNew)
	s.handle("GET /ipr/{id}/update/", s.iprUpdateForm)
	s.handle("POST /ipr/{id}/update/", s.iprUpdate)

	s.handle("GET /ipr/admin/", s.iprAdminMain)
	s.handle("GET /ipr/admin/pending/", s.iprAdmin)
	s.handle("GET /ipr/admin/parked/", s.iprAdmin)
	s.handle("GET /ipr/admin/removed/", s.iprAdmin)
	s.handle("POST /ipr/{id}/post/", s.iprPost)
	s.handle("POST /ipr/{id}/state/", s.iprState)

	s.handle("POST /doc/{name}/ipr/confirm/", s.iprConfirm)
}
