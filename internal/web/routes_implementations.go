package web

// implementationRoutes lists running code (RFC 7942): a draft's
// implementation reports and their interoperability tests, the matrix,
// the generated "Implementation Status" section (R10). Their API,
// doc/implementation and doc/interoptest, is implementations.OpenData's.
func (s *Server) implementationRoutes() {
	s.publicGet("/doc/{name}/implementations/", s.implementationsPage)
	s.publicGet("/doc/{name}/implementation-status.txt", s.implementationStatusText)
	s.publicGet("/doc/{name}/implementation-status.xml", s.implementationStatusXML)
	s.handle("POST /doc/{name}/implementations/", s.implementationAdd)
	s.handle("POST /doc/{name}/implementations/{id}/", s.implementationChange)
	s.handle("POST /doc/{name}/implementations/{id}/remove/", s.implementationRemove)
	s.handle("POST /doc/{name}/implementations/{id}/interop/", s.interopAdd)
	s.handle("POST /doc/{name}/implementations/{id}/interop/{test}/remove/", s.interopRemove)
}
