package web

// adminRoutes lists the secretariat's views (/admin/...): mail that has
// not gone out, the copies of every list waiting for the smarthost or
// failed, and the background jobs.
func (s *Server) adminRoutes() {
	s.handle("GET /admin/outbox/", s.outbox)
	s.handle("GET /admin/outbox/{id}/", s.outboxMessage)
	s.handle("GET /admin/deliveries/", s.listDeliveries)
	s.handle("GET /admin/jobs/", s.adminJobs)
}
