package web

// scheduleRoutes lists the routes of a meeting's schedules: the list
// with its costs, one schedule as a grid with its violations, two
// compared, and the secretariat's changes (running the scheduler,
// pinning, moving by hand, scoring, making one official). Anyone may
// read them; only the secretariat changes them.
func (s *Server) scheduleRoutes() {
	s.publicGet("/meeting/{number}/schedules/", s.schedules)
	s.handle("POST /meeting/{number}/schedules/", s.scheduleRun)
	s.handle("GET /meeting/{number}/schedules/compare/", s.scheduleCompareForm)
	s.publicGet("/meeting/{number}/schedule/{name}/", s.scheduleView)
	s.handle("POST /meeting/{number}/schedule/{name}/pin/", s.schedulePin)
	s.handle("POST /meeting/{number}/schedule/{name}/move/", s.scheduleMove)
	s.handle("POST /meeting/{number}/schedule/{name}/score/", s.scheduleScore)
	s.handle("POST /meeting/{number}/schedule/{name}/official/", s.scheduleOfficial)
	s.publicGet("/meeting/{number}/schedule/{name}/compare/{other}/", s.scheduleCompare)
}
