package web

// listRoutes lists the mailing lists' routes (subscribe, moderation, ...).
func (s *Server) listRoutes() {}
