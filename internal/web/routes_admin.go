package web

// adminRoutes lists the secretariat's views (/admin/...): mail that has
// not gone out, and the copies of every list waiting for the smarthost or
// failed.
func (s *Server) adminRoutes() {
	s.handle("GET /admin/outbox/", s.outbox)
	s.handle("GET /admin/outbox/{id}/", s.outboxMessage)
	s.handle("GET /admin/deliveries/", s.listDeliveries)
}
