package web

// attendRoutes lists the routes of meeting registration, the blue
// sheets, attendance numbers and charts, and the ISOC fellowship.
func (s *Server) attendRoutes() {
	s.handle("GET /meeting/{number}/register/", s.attendRegisterForm)
	s.handle("POST /meeting/{number}/register/", s.attendRegister)
	s.handle("GET /meeting/{number}/register/confirm/{secret}/", s.attendConfirmForm)
	s.handle("POST /meeting/{number}/register/confirm/{secret}/", s.attendConfirm)
	s.publicGet("/meeting/{number}/attendees/", s.attendAttendees)
	s.handle("POST /meeting/{number}/attendees/{id}/checkin/", s.attendCheckIn)

	s.publicGet("/meeting/{number}/session/{acronym}/attendance/", s.attendSheet)
	s.handle("POST /meeting/{number}/session/{acronym}/attendance/", s.attendMark)
	s.handle("POST /meeting/{number}/session/{acronym}/attendance/correct/", s.attendCorrect)
	s.publicGet("/meeting/{number}/session/{acronym}/attendance/qr.png", s.attendQR)
	s.handle("GET /a/{code}/", s.attendShort)

	s.publicGet("/meeting/{number}/attendance/", s.attendSummary)
	s.publicGet("/meeting/{number}/attendance.svg", s.attendSummarySVG)
	s.publicGet("/group/{acronym}/meetings/attendance/", s.attendGroup)
	s.publicGet("/group/{acronym}/meetings/attendance.svg", s.attendGroupSVG)

	s.handle("GET /meeting/{number}/fellowship/", s.fellowPage)
	s.handle("POST /meeting/{number}/fellowship/", s.fellowApply)
	s.handle("POST /meeting/{number}/fellowship/deadline/", s.fellowDeadline)
	s.handle("POST /meeting/{number}/fellowship/{id}/score/", s.fellowScore)
	s.handle("POST /meeting/{number}/fellowship/{id}/decide/", s.fellowDecide)
}
