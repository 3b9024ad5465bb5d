package web

import (
	"fmt"
	"net/http"
	"sync"
)

// Most readers of a standards body are anonymous, and for them a page is
// the same for everyone until something changes. publicGet serves such a
// reader from rendered pages kept per URL and validated against the
// record's version (see cache.go), with an ETag so feeds and scripts can
// ask "has anything changed?" for free. Logged-in readers, whose pages
// show their name and edit controls, are always rendered afresh.

type renderedPage struct {
	body  []byte
	ctype string
}

type pageCache struct {
	mu      sync.Mutex
	version int64
	size    int
	pages   map[string]renderedPage
}

const pageCacheBytes = 64 << 20

func (c *pageCache) get(key string, version int64) (renderedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return renderedPage{}, false
	}
	p, ok := c.pages[key]
	return p, ok
}

func (c *pageCache) put(key string, version int64, p renderedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || c.pages == nil {
		c.version, c.size, c.pages = version, 0, map[string]renderedPage{}
	}
	if c.size+len(p.body) > pageCacheBytes {
		// Full: start again rather than refuse, so pages asked for once
		// (a crawler's odd query strings) cannot crowd out popular ones
		// for good.
		c.size, c.pages = 0, map[string]renderedPage{}
	}
	c.pages[key] = p
	c.size += len(p.body)
}

// recorder captures a handler's response so it can be kept.
type recorder struct {
	header http.Header
	code   int
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }

// publicGet registers a GET route whose anonymous responses are cached.
func (s *Server) publicGet(pattern string, h handlerFunc) {
	s.publicGetVariant(pattern, h, nil)
}

// publicGetVariant is publicGet for a page that also changes with time
// (an agenda's "now" marker, a list of upcoming meetings): variant names
// the version of the page the clock gives, and is part of its cache key
// and ETag.
func (s *Server) publicGetVariant(pattern string, h handlerFunc, variant func(*http.Request) (string, error)) {
	s.handle("GET "+pattern, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
			return h(w, r)
		}
		v, err := s.versions.get(r.Context())
		if err != nil {
			return err
		}
		var vary string
		if variant != nil {
			if vary, err = variant(r); err != nil {
				return err
			}
		}
		etag := fmt.Sprintf(`W/"hum-%d%s"`, v, vary)
		w.Header().Set("Vary", "Cookie")
		if r.Header.Get("If-None-Match") == etag {
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		key := r.URL.RequestURI() + vary
		p, ok := s.pages.get(key, v)
		if !ok {
			rec := &recorder{header: http.Header{}, code: http.StatusOK}
			if err := h(rec, r); err != nil {
				return err
			}
			if rec.code != http.StatusOK || rec.header.Get("Set-Cookie") != "" {
				for k, vs := range rec.header {
					w.Header()[k] = vs
				}
				w.WriteHeader(rec.code)
				_, err := w.Write(rec.body)
				return err
			}
			p = renderedPage{body: rec.body, ctype: rec.header.Get("Content-Type")}
			s.pages.put(key, v, p)
		}
		w.Header().Set("Content-Type", p.ctype)
		w.Header().Set("ETag", etag)
		_, err = w.Write(p.body)
		return err
	})
}
