package web

// conductRoutes lists the chairs' page for the conduct of their WG's
// list (R20): warnings, the consultation of the responsible AD, and
// suspensions of posting privileges.
func (s *Server) conductRoutes() {
	s.handle("GET /group/{acronym}/chair/conduct/", s.conductPage)
	s.handle("POST /group/{acronym}/chair/conduct/warn/", s.conductWarn)
	s.handle("POST /group/{acronym}/chair/conduct/consult/", s.conductConsult)
	s.handle("POST /group/{acronym}/chair/conduct/suspend/", s.conductSuspend)
	s.handle("POST /group/{acronym}/chair/conduct/{id}/lift/", s.conductLift)
}
