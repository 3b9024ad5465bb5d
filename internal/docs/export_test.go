package docs

// UseWordIndex makes s search names and titles as PostgreSQL does without
// pg_trgm, so tests reach that path on a server that has it.
func UseWordIndex(s *Service) { s.search.idx = tsvectorWords{} }
