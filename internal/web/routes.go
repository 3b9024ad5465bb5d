package web

import (
	"io/fs"
	"net/http"
)

// routes registers the static files and the front page, then each area's
// table (routes_*.go).
func (s *Server) routes() {
	static, _ := fs.Sub(files, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	s.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	s.publicGet("/", s.index)

	s.accountRoutes()
	s.groupRoutes()
	s.apiRoutes()
	s.archiveRoutes()
	s.listRoutes()
	s.submitRoutes()
	s.docRoutes()
	s.implementationRoutes()
	s.adminRoutes()
	s.interimRoutes()
	s.materialRoutes()
	s.requestRoutes()
	s.scheduleRoutes()
	s.attendRoutes()
	s.meetingRoutes()
	s.callRoutes()
	s.consensusChairRoutes()
	s.appealRoutes()
	s.iprRoutes()
	s.charterRoutes()
	s.addressRoutes()
	s.conductRoutes()
	s.iesgRoutes()
	s.nomcomRoutes()
	s.trackRoutes()
}
