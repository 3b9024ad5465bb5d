package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// exportRoutes serves the public dump of the record (package export).
func (s *Server) exportRoutes() {
	s.handle("GET /api/export/", s.exportLatest)
}

// exportLatest sends the latest public dump, a SQLite database, as a
// download. It is read from the database, so every process serves the
// same file. The dump is stored gzip-compressed: a client that accepts
// gzip (browsers, curl --compressed, Python's requests) gets the stored
// bytes with Content-Encoding: gzip, and one that does not (curl and wget
// as they come) the SQLite file itself, decompressed as it is sent; both
// save hum-public-DATE.sqlite. The ETag is the file's SHA-256, with
// "-gzip" for the compressed form, so a client that has either gets a
// 304. No page cache: the file is large and already stored.
func (s *Server) exportLatest(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Export.Latest(r.Context())
	if err != nil {
		return err
	}
	gz := d.Gzip > 0 && acceptsGzip(r)
	etag := `"` + d.SHA256 + `"`
	if gz {
		etag = `"` + d.SHA256 + `-gzip"`
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Last-Modified", d.Created.UTC().Format(http.TimeFormat))
	if inm := r.Header.Get("If-None-Match"); strings.Contains(inm, `"`+d.SHA256+`"`) || strings.Contains(inm, `"`+d.SHA256+`-gzip"`) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="hum-public-%s.sqlite"`, d.Created.UTC().Format("2006-01-02")))
	if gz {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.FormatInt(d.Gzip, 10))
	} else {
		h.Set("Content-Length", strconv.FormatInt(d.Bytes, 10))
	}
	if r.Method == http.MethodHead {
		return nil
	}
	if gz {
		return s.Export.CopyGzip(r.Context(), w, d)
	}
	return s.Export.Copy(r.Context(), w, d)
}
