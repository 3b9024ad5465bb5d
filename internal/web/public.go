package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"slices"
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
	body []byte
	gz   []byte // body gzipped; nil until a client accepts gzip
	// header holds the handler's own headers (Content-Type,
	// Content-Disposition, ...); etag, length and gzLength the values
	// made once, so that a kept page is written without formatting or
	// allocating any.
	header                 http.Header
	etag, length, gzLength []string
}

// newRenderedPage keeps body, written with header, under etag.
func newRenderedPage(body []byte, header http.Header, etag string) renderedPage {
	kept := http.Header{}
	for k, vs := range header {
		switch k {
		case "Vary", "Etag", "Content-Length", "Content-Encoding", "Set-Cookie":
			continue // set for each response, or never kept
		}
		// Full slices: a middleware's Header.Add copies, rather than
		// writes into the kept page.
		kept[k] = slices.Clip(vs)
	}
	return renderedPage{body: body, header: kept, etag: []string{etag}, length: []string{strconv.Itoa(len(body))}}
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
		if accepts, named := gzipIn(h); named {
			return accepts
		}
	}
	return false
}

// acceptsGzipValues is acceptsGzip for the Accept-Encoding fields as
// fasthttp gives them.
func acceptsGzipValues(fields [][]byte) bool {
	for _, h := range fields {
		if accepts, named := gzipIn(string(h)); named {
			return accepts
		}
	}
	return false
}

// gzipIn reads one Accept-Encoding field: whether it names gzip (or *),
// and if so, whether with a weight above 0.
func gzipIn(field string) (accepts, named bool) {
	for part := range strings.SplitSeq(field, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if coding = strings.TrimSpace(coding); !strings.EqualFold(coding, "gzip") && coding != "*" {
			continue
		}
		name, q, _ := strings.Cut(strings.ReplaceAll(params, " ", ""), "=")
		if name != "q" {
			return true, true
		}
		w, err := strconv.ParseFloat(q, 64)
		return err == nil && w > 0, true
	}
	return false, false
}

type pageCache struct {
	mu      sync.RWMutex
	version int64
	size    int
	pages   map[string]renderedPage
	// variants holds, by URI, how to name the version of the page the
	// clock gives, for URIs whose route has one (publicGetVariant): the
	// front (front.go) finds no route, so it learns it here.
	variants map[string]*variant
}

// variant names the version of a page its route's clock gives; params
// are the URI's path values, which the function reads.
type variant struct {
	of     func(*http.Request) (string, error)
	params [][2]string
}

// pageCacheBytes bounds the kept pages' bytes. At 64 MB a reader going
// through a 1,000,000-message archive kept hum serve at 245 MB resident,
// the Go heap holding the pages twice over between collections; issue 17
// asks for under 150 MB. 16 MB still holds thousands of pages: the front
// page, the groups', the agenda and the threads being read.
const pageCacheBytes = 16 << 20

// maxVariants bounds the URIs whose variant is known; past it the front
// forgets them all, and each is learnt again on its next request.
const maxVariants = 10_000

// pageKey is the key a URI's page is kept under: the URI itself, or for a
// route with a variant, the URI and the variant, apart by a NUL no URI
// holds.
func pageKey(uri string, hasVariant bool, vary string) string {
	if !hasVariant {
		return uri
	}
	return uri + "\x00" + vary
}

func (c *pageCache) get(key string, version int64) (renderedPage, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
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
func (c *pageCache) putGzip(key string, version int64, gz []byte, length []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	if c.version != version || !ok || p.gz != nil || c.size+len(gz) > pageCacheBytes {
		return
	}
	p.gz, p.gzLength = gz, length
	c.pages[key] = p
	c.size += len(gz)
}

// variantOf returns how the page at uri varies, if it does.
func (c *pageCache) variantOf(uri string) *variant {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.variants[uri]
}

// learnVariant notes that the page at r's URI varies by of.
func (c *pageCache) learnVariant(uri string, r *http.Request, of func(*http.Request) (string, error)) {
	if c.variantOf(uri) != nil {
		return
	}
	vr := &variant{of: of}
	for _, name := range patternWildcards(r.Pattern) {
		vr.params = append(vr.params, [2]string{name, r.PathValue(name)})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.variants == nil || len(c.variants) >= maxVariants {
		c.variants = map[string]*variant{}
	}
	c.variants[uri] = vr
}

// patternWildcards returns the names of a ServeMux pattern's wildcards
// ("{num}", "{path...}"), which is all a route's path values are.
func patternWildcards(pattern string) []string {
	var names []string
	for rest := pattern; ; {
		_, after, ok := strings.Cut(rest, "{")
		if !ok {
			return names
		}
		name, tail, _ := strings.Cut(after, "}")
		if name = strings.TrimSuffix(name, "..."); name != "$" {
			names = append(names, name)
		}
		rest = tail
	}
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
//
// A kept page is served by the front (front.go) before the session is
// read; this handler serves the rest: a logged-in reader, a page not yet
// kept, and a page the front cannot tell is current.
func (s *Server) publicGetVariant(pattern string, h handlerFunc, variant func(*http.Request) (string, error)) {
	s.handle("GET "+pattern, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
			return h(w, r)
		}
		v, err := s.versions.Get(r.Context())
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
		w.Header()["Vary"] = varyHeader
		if r.Header.Get("If-None-Match") == etag {
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		uri := requestURI(r)
		key := pageKey(uri, variant != nil, vary)
		if variant != nil {
			s.pages.learnVariant(uri, r, variant)
		}
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
			p = newRenderedPage(rec.body, rec.header, etag)
			s.pages.put(key, v, p)
		}
		return s.writeKept(w, r, key, v, p)
	})
}
