package web

// archiveRoutes lists the mail archive's routes (/arch/...).
func (s *Server) archiveRoutes() {}
