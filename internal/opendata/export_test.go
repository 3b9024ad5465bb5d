package opendata

// Trace has f see each page's query and its arguments.
func Trace(s *Service, f func(query string, args []any)) { s.trace = f }
