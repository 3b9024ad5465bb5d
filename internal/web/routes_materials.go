package web

// materialRoutes lists the routes of a meeting's materials: the session
// page of a group at a meeting with its materials and the forms that
// change them, slide proposals, the materials' files and pages, and the
// proceedings.
func (s *Server) materialRoutes() {
	s.publicGet("/meeting/{number}/session/{acronym}/", s.sessionPage)
	s.handle("POST /meeting/{number}/session/{acronym}/materials/", s.materialUpload)
	s.handle("POST /meeting/{number}/session/{acronym}/agenda/", s.agendaEdit)
	s.handle("POST /meeting/{number}/session/{acronym}/remove/", s.materialRemove)
	s.handle("POST /meeting/{number}/session/{acronym}/propose_slides/", s.slidesPropose)
	s.handle("POST /meeting/{number}/session/{acronym}/report/", s.sessionReport)
	s.handle("GET /meeting/{number}/slidesubmission/{id}/", s.proposalPage)
	s.handle("POST /meeting/{number}/slidesubmission/{id}/", s.proposalDecide)
	s.handle("GET /meeting/{number}/slidesubmission/{id}/file", s.proposalFile)
	s.handle("GET /meeting/{number}/materials/{doc}", s.materialFile)
	s.handle("GET /meeting/{number}/materials/{doc}/", s.materialFile)
	s.publicGet("/meeting/{number}/proceedings/", s.proceedings)
	s.handle("POST /meeting/{number}/proceedings/finalize/", s.proceedingsFinalize)
}
