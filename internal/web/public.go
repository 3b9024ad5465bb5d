package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Most readers of a standards body are anonymous, and for them a page is
// the same for everyone until something changes. publicGet serves such a
// reader from rendered pages kept per URL and validated against the
// record's version (see cache.go), with an ETag so feeds and scripts can
// ask "has anything changed?" for free. Logged-in readers, whose pages
// show their name and edit controls, are always rendered afresh.
//
// A kept page is also kept gzipped, made once when a client first asks for
// it that way, so that a reader whose browser accepts gzip costs what
// nginx's gzip_static would: bytes already compressed, copied out.

type renderedPage struct {
	body  []byte
	ctype string
	gz    []byte // body gzipped; nil until a client accepts gzip
}

// minGzip is the size under which a page is sent as it is: compressing a
// few hundred bytes saves less than the header costs.
const minGzip = 1024

// gzipped compresses b.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 3)
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)                                              // a bytes.Buffer does not fail
	zw.Close()
	return buf.Bytes()
}

// acceptsGzip tells whether the request's Accept-Encoding allows gzip
// (RFC 9110 §12.5.3: "gzip" or "*", unless its weight is 0).
func acceptsGzip(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if coding = strings.TrimSpace(coding); !strings.EqualFold(coding, "gzip") && coding != "*" {
				continue
			}
			name, q, _ := strings.Cut(strings.ReplaceAll(params, " ", ""), "=")
			if name != "q" {
				return true
			}
			w, err := strconv.ParseFloat(q, 64)
			return err == nil && w > 0
		}
	}
	return false
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
	c.size += len(p.body) + len(p.gz)
}

// putGzip keeps the gzipped form of a page already kept, if it still is.
func (c *pageCache) putGzip(key string, version int64, gz []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	if c.version != version || !ok || p.gz != nil || c.size+len(gz) > pageCacheBytes {
		return
	}
	p.gz = gz
	c.pages[key] = p
	c.size += len(gz)
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
		w.Header().Set("Vary", "Cookie, Accept-Encoding")
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
		body := p.body
		if len(body) >= minGzip && acceptsGzip(r) {
			if p.gz == nil {
				p.gz = gzipped(p.body)
				s.pages.putGzip(key, v, p.gz)
			}
			body = p.gz
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, err = w.Write(body)
		return err
	})
}
