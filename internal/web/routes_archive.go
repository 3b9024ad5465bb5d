package web

// archiveRoutes lists the mail archive's routes (/arch/...), with the
// IETF mail archive's URLs. Downloads (raw message, attachment, mbox
// export) are not page-cached: they carry Content-Disposition, and the
// page cache keeps only the body and its type.
func (s *Server) archiveRoutes() {
	s.publicGet("/arch/", s.archIndex)
	s.publicGet("/arch/browse/{list}/", s.archBrowse)
	s.publicGet("/arch/msg/{list}/{id}/", s.archMessage)
	s.handle("GET /arch/msg/{list}/{id}/raw/", s.archRaw)
	s.handle("GET /arch/msg/{list}/{id}/{part}", s.archPart)
	s.publicGet("/arch/search/", s.archSearch)
	s.handle("GET /arch/export/mbox/", s.archExport)
	s.publicGet("/feed/arch/{list}/", s.archFeed)
}
