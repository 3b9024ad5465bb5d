package web

// groupRoutes lists the groups' routes: the lists of WGs, RGs and areas,
// and each group's pages, forms and change feed.
func (s *Server) groupRoutes() {
	s.publicGet("/wg/", s.wgList)
	s.publicGet("/rg/", s.rgList)
	s.publicGet("/area/", s.areaList)
	s.handle("GET /group/create/", s.groupCreateForm)
	s.handle("POST /group/create/", s.groupCreate)
	s.handle("GET /group/{acronym}/", s.groupRedirect)
	s.publicGet("/group/{acronym}/about/", s.groupAbout)
	s.publicGet("/group/{acronym}/history/", s.groupHistory)
	s.handle("GET /group/{acronym}/edit/", s.groupEditForm)
	s.handle("POST /group/{acronym}/edit/", s.groupEdit)
	s.publicGet("/group/{acronym}/charter/", s.charter)
	s.handle("POST /group/{acronym}/charter/", s.charterPost)
	s.publicGet("/group/{acronym}/charter/{rev}/", s.charterRev)
	s.handle("POST /group/{acronym}/milestones/", s.milestoneAdd)
	s.handle("POST /group/{acronym}/milestones/{id}/", s.milestoneChange)
	s.handle("POST /group/{acronym}/roles/", s.roleGrant)
	s.handle("POST /group/{acronym}/roles/{id}/revoke/", s.roleRevoke)
	s.publicGet("/feed/group-changes/{acronym}/", s.groupFeed)
}
