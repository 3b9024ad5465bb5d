package web

// materialRoutes lists the routes of a meeting's materials: the session
// page of a group at a meeting with its materials and the forms that
// change them, slide proposals, the materials' files and pages, and the
// proceedings.
func (s *Server) materialRoutes() {
	s.publicGet("/meeting/{num}/session/{acronym}/", s.sessionPage)
	s.handle("POST /meeting/{num}/session/{acronym}/materials/", s.materialUpload)
	s.handle("POST /meeting/{num}/session/{acronym}/agenda/", s.agendaEdit)
	s.handle("POST /meeting/{num}/session/{acronym}/remove/", s.materialRemove)
	s.handle("POST /meeting/{num}/session/{acronym}/propose_slides/", s.slidesPropose)
	s.handle("POST /meeting/{num}/session/{acronym}/report/", s.sessionReport)
	s.handle("GET /meeting/{num}/slidesubmission/{id}/", s.proposalPage)
	s.handle("POST /meeting/{num}/slidesubmission/{id}/", s.proposalDecide)
	s.handle("GET /meeting/{num}/slidesubmission/{id}/file", s.proposalFile)
	s.handle("GET /meeting/{num}/materials/{doc}", s.materialFile)
	s.handle("GET /meeting/{num}/materials/{doc}/", s.materialFile)
	s.publicGet("/meeting/{num}/proceedings/", s.proceedings)
	s.handle("POST /meeting/{num}/proceedings/finalize/", s.proceedingsFinalize)
}
