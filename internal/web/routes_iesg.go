package web

import "net/http"

// iesgRoutes lists the IESG's pages: the telechat agenda and its dates
// (the Datatracker's /iesg/agenda/..., with a calendar of the
// telechats), the outstanding DISCUSS positions, and each AD's documents.
func (s *Server) iesgRoutes() {
	s.publicGetVariant("/iesg/agenda/", s.iesgAgenda, s.byUTCDay)
	s.publicGetVariant("/iesg/agenda/{date}/", s.iesgAgenda, s.byUTCDay) // lists the telechats to come
	s.publicGetVariant("/iesg/agenda/documents.txt", s.iesgDocumentsTxt, s.byUTCDay)
	s.publicGetVariant("/iesg/agenda/telechat.ics", s.iesgTelechatICS, s.byUTCDay)
	s.publicGet("/iesg/discusses/", s.iesgDiscusses)
	s.publicGetVariant("/iesg/telechat-dates/", s.telechatDates, s.byUTCDay)
	s.handle("POST /iesg/telechat-dates/", s.telechatDatesPost)
	s.handle("POST /doc/{name}/edit/telechat/", s.docTelechatPost)
}

// adDashboardDay is byUTCDay for /doc/ad/{name}/ and nothing for a
// revision of a document, which does not change with the date.
func (s *Server) adDashboardDay(r *http.Request) (string, error) {
	if r.PathValue("name") == "ad" {
		return s.byUTCDay(r)
	}
	return "", nil
}

// byUTCDay keys a page that changes with the date (which telechat is
// next, counted in UTC as telechat does) by that date, as well as by the
// record.
func (s *Server) byUTCDay(*http.Request) (string, error) {
	return "-" + s.DB.Now().UTC().Format("20060102"), nil
}
