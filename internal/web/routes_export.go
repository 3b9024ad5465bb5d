package web

import (
	"fmt"
	"net/http"
	"strconv"
)

// exportRoutes serves the public dump of the record (package export).
func (s *Server) exportRoutes() {
	s.handle("GET /api/export/", s.exportLatest)
}

// exportLatest sends the latest public dump, a SQLite database, as a
// download. It is read from the database, so every process serves the
// same file; the ETag is the file's SHA-256, so a client that has it gets
// a 304. No page cache: the file is large and already stored.
func (s *Server) exportLatest(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Export.Latest(r.Context())
	if err != nil {
		return err
	}
	etag := `"` + d.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Last-Modified", d.Created.UTC().Format(http.TimeFormat))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Length", strconv.FormatInt(d.Bytes, 10))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="hum-public-%s.sqlite"`, d.Created.UTC().Format("2006-01-02")))
	if r.Method == http.MethodHead {
		return nil
	}
	return s.Export.Copy(r.Context(), w, d)
}
