package web

// nomcomRoutes lists the Nominating Committees' pages and forms, at the
// Datatracker's /nomcom/{year}/: eligibility by each path with its
// evidence (R45-R47, R50), volunteering (R48 refused), the pool, the
// random sources and the computation (RFC 3797, R49), the positions,
// nominations and confirmations; and the private page of feedback and
// deliberations, for the committee alone.
func (s *Server) nomcomRoutes() {
	if s.NomCom == nil {
		return // a server built without meetings or documents (some benches)
	}
	s.publicGet("/nomcom/", s.nomcomIndex)
	s.handle("POST /nomcom/", s.nomcomCreate)
	s.publicGet("/nomcom/bodies/", s.nomcomBodies)
	s.handle("POST /nomcom/bodies/", s.nomcomRecordMember)
	s.publicGet("/nomcom/{year}/", s.nomcomHome)
	s.handle("POST /nomcom/{year}/chair/", s.nomcomAppoint)
	s.handle("POST /nomcom/{year}/call/", s.nomcomOpenCall)
	s.publicGetVariant("/nomcom/{year}/eligibility/", s.nomcomEligibility, s.nomcomToday)
	s.publicGetVariant("/nomcom/{year}/eligibility/{id}/", s.nomcomEligibilityOf, s.nomcomToday)
	s.handle("GET /nomcom/{year}/volunteer/", s.nomcomVolunteerForm)
	s.handle("POST /nomcom/{year}/volunteer/", s.nomcomVolunteer)
	s.handle("POST /nomcom/{year}/volunteer/withdraw/", s.nomcomWithdraw)
	s.publicGet("/nomcom/{year}/volunteers/", s.nomcomVolunteers)
	s.handle("POST /nomcom/{year}/sources/", s.nomcomSources)
	s.handle("POST /nomcom/{year}/values/", s.nomcomValues)
	s.publicGet("/nomcom/{year}/selection/", s.nomcomSelection)
	s.handle("POST /nomcom/{year}/positions/", s.nomcomAddPosition)
	s.publicGet("/nomcom/{year}/positions/{id}/", s.nomcomPosition)
	s.handle("POST /nomcom/{year}/positions/{id}/nominate/", s.nomcomNominate)
	s.handle("POST /nomcom/{year}/positions/{id}/choose/", s.nomcomChoose)
	s.handle("POST /nomcom/{year}/positions/{id}/confirm/", s.nomcomConfirm)
	s.handle("POST /nomcom/{year}/nominations/{id}/respond/", s.nomcomRespond)
	s.handle("POST /nomcom/{year}/nominations/{id}/comment/", s.nomcomComment)
	s.handle("GET /nomcom/{year}/private/", s.nomcomPrivate)
}
