package web

// docRoutes lists the documents' routes (/doc/..., /submit/, /api/submission).
func (s *Server) docRoutes() {}
