package web

import (
	"net/http"
	"strconv"
)

// The front serves a kept anonymous page (public.go) at the very start of
// the handler chain, before the session is loaded, the cross-origin check
// made or the route found: for a reader with no session cookie, a GET or
// HEAD of a page kept for the record's current version is a map lookup and
// a copy, as near to a static server's cost as Go's HTTP server allows.
// Anything else (a session cookie, a page not kept or kept for an older
// version, a version the database would not give) goes on down the full
// chain, where publicGet renders and keeps it.
//
// What the front writes is what the full chain writes for the same page:
// the security headers, Vary, ETag, Content-Type, Content-Length and, for a
// client that accepts gzip, the gzipped bytes; a 304 for its ETag.

// front serves kept pages ahead of next.
func (s *Server) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.serveKept(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// serveKept writes the kept page r asks for and reports whether there was
// one to write.
func (s *Server) serveKept(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.Header["Cookie"] != nil {
		// A logged-in reader's page shows their name and their controls:
		// never the anonymous copy. Other cookies do not matter.
		if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
			return false
		}
	}
	v, err := s.versions.Get(r.Context())
	if err != nil {
		return false // the full chain reports it
	}
	key, p, ok := s.kept(requestURI(r), v, r)
	if !ok {
		return false
	}
	hd := w.Header()
	secure(hd)
	if r.Header.Get("If-None-Match") == p.etag[0] {
		hd["Vary"], hd["Etag"] = varyHeader, p.etag
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	// A failed write is a client gone away: nothing to tell it.
	_ = s.writeKept(w, r, key, v, p)
	return true
}

// kept finds the page kept for uri at version v. For a URI whose route
// names a variant of its page, the page is kept under the variant too,
// which the route's function reads from r; a nil r is a request made
// with only the path values learnt for the URI (the fasthttp front has no
// net/http request).
func (s *Server) kept(uri string, v int64, r *http.Request) (string, renderedPage, bool) {
	key := uri
	if vr := s.pages.variantOf(uri); vr != nil {
		if r == nil {
			r = &http.Request{Method: http.MethodGet}
		}
		for _, kv := range vr.params {
			r.SetPathValue(kv[0], kv[1])
		}
		vary, err := vr.of(r)
		if err != nil {
			return "", renderedPage{}, false
		}
		key = pageKey(uri, true, vary)
	}
	p, ok := s.pages.get(key, v)
	return key, p, ok
}

// Header values every kept page shares. Each slice is full (its length
// is its capacity), so a middleware's Header.Add copies rather than
// writes into it.
var (
	varyHeader = []string{"Cookie, Accept-Encoding"}
	gzipHeader = []string{"gzip"}
)

// writeKept writes kept page p, kept under key for version v, gzipped for
// a client that accepts it (gzipping it the first time).
func (s *Server) writeKept(w http.ResponseWriter, r *http.Request, key string, v int64, p renderedPage) error {
	hd := w.Header()
	for k, vs := range p.header {
		hd[k] = vs
	}
	hd["Vary"], hd["Etag"] = varyHeader, p.etag
	body, length := p.body, p.length
	if len(p.body) >= minGzip && acceptsGzip(r) {
		// Two statements: in one, Go does not say whether p.gzLength is
		// read before or after gzipKept sets it.
		body = s.gzipKept(key, v, &p)
		length = p.gzLength
		hd["Content-Encoding"] = gzipHeader
	}
	hd["Content-Length"] = length
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// gzipKept returns kept page p gzipped, gzipping it and keeping that the
// first time.
func (s *Server) gzipKept(key string, v int64, p *renderedPage) []byte {
	if p.gz == nil {
		p.gz = gzipped(p.body)
		p.gzLength = []string{strconv.Itoa(len(p.gz))}
		s.pages.putGzip(key, v, p.gz, p.gzLength)
	}
	return p.gz
}

// requestURI is the URI a page is kept under: the request's target as
// the client sent it, which the server has already read (URL.RequestURI
// would build it again).
func requestURI(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
