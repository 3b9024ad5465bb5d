package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"hum/internal/meetings"
)

// hum speaks HTTP through fasthttp rather than net/http's server. Issue 17
// asks that an anonymous page that has not changed cost no more than a
// static file, and net/http's per-request work alone stays well under
// nginx's rate: on this machine (wrk -t2 -c50, a 27 KB page of fixed
// bytes) net/http served 26,000 requests/s, fasthttp 37,000-39,000 and
// nginx 33,000-40,000. So fasthttp answers a kept anonymous page (front.go)
// itself, from the kept bytes; every other request goes down the same
// handler chain as before (Handler) through fasthttpadaptor, which gives
// it a net/http request and response writer.
//
// What changes for a request that goes down the chain:
//   - its body is read whole before the handler runs, up to maxRequestBody;
//     a longer one is refused (413) before it is read;
//   - a response is held until the handler returns, or until it has
//     written streamAfter bytes, from when it streams (chunked, without
//     its Content-Length): the public dump runs to hundreds of megabytes;
//   - a header block longer than maxHeader is refused (431).

// maxRequestBody is the largest request body hum reads: its largest upload
// (a submission's XML and text, or a meeting's materials) and a megabyte
// of form around it. The handlers' own limits, just under it, give the
// clear error; this one keeps a longer body from being read at all.
const maxRequestBody = max(maxUpload, meetings.MaxUpload+1<<20) + 1<<20

// maxHeader bounds a request's line and header fields (fasthttp's read
// buffer): browsers send a few kilobytes at most.
const maxHeader = 16 << 10

// streamAfter is how much of a response is held before it is streamed.
const streamAfter = 256 << 10

// HTTPServer serves a Server's site over HTTP/1.1.
type HTTPServer struct {
	s  *Server
	fs *fasthttp.Server
}

// HTTPServer returns the server that hum serve runs: kept anonymous pages
// answered by fasthttp, the rest by Handler's chain.
func (s *Server) HTTPServer() *HTTPServer {
	chain := fasthttpadaptor.NewFastHTTPHandler(streaming(detached(s.Handler())))
	h := &HTTPServer{s: s}
	h.fs = &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			defer h.recover(ctx)
			if !s.serveKeptFast(ctx) {
				chain(ctx)
			}
		},
		ErrorHandler: refuseRequest,
		// The request line and header must come within 10 s (net/http's
		// ReadHeaderTimeout was that); its body within a minute.
		ReadTimeout: 10 * time.Second,
		HeaderReceived: func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
			return fasthttp.RequestConfig{ReadTimeout: time.Minute}
		},
		IdleTimeout:                  2 * time.Minute,
		MaxRequestBodySize:           maxRequestBody,
		ReadBufferSize:               maxHeader,
		NoDefaultServerHeader:        true,
		NoDefaultContentType:         true, // the chain's responses have theirs, as net/http gave them
		DisablePreParseMultipartForm: true, // the handlers parse their forms, with their limits
		CloseOnShutdown:              true,
		Logger:                       fastLogger{s},
	}
	return h
}

// Serve answers HTTP on ln until Shutdown.
func (h *HTTPServer) Serve(ln net.Listener) error { return h.fs.Serve(ln) }

// Shutdown stops taking connections, closes the idle ones and waits for
// the requests under way, until ctx is done.
func (h *HTTPServer) Shutdown(ctx context.Context) error { return h.fs.ShutdownWithContext(ctx) }

// recover turns a panic below the front into a 500, as Server.recover does
// in the chain (which catches the chain's own): fasthttp recovers none, and
// a panic would end the process.
func (h *HTTPServer) recover(ctx *fasthttp.RequestCtx) {
	v := recover()
	if v == nil {
		return
	}
	h.s.Log.Error("panic", "path", string(ctx.Path()), "panic", v, "stack", string(debug.Stack()))
	ctx.Response.Reset()
	ctx.Error("internal error", http.StatusInternalServerError)
}

// refuseRequest answers a request fasthttp could not read, saying why.
func refuseRequest(ctx *fasthttp.RequestCtx, err error) {
	var netErr net.Error
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		ctx.Error(fmt.Sprintf("The request is larger than hum takes (%d MiB).", maxRequestBody>>20), http.StatusRequestEntityTooLarge)
	case errors.As(err, &small):
		ctx.Error(fmt.Sprintf("The request's header is larger than hum takes (%d KiB).", maxHeader>>10), http.StatusRequestHeaderFieldsTooLarge)
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, os.ErrDeadlineExceeded):
		ctx.Error("The request did not arrive in time.", http.StatusRequestTimeout)
	default:
		ctx.Error("hum could not read the request: it is not well-formed HTTP/1.1.", http.StatusBadRequest)
	}
}

type fastLogger struct{ s *Server }

func (l fastLogger) Printf(format string, args ...any) {
	l.s.Log.Warn("http: " + fmt.Sprintf(format, args...))
}

// detached gives the chain a request of its own. fasthttpadaptor's
// request reads its method, target, URL, host, header and body out of
// fasthttp's buffers, which the next request on the connection writes
// over; the chain keeps some of them past the request (kept pages are
// kept under their URI, counts under their query), so each is copied
// once here, as net/http's server would have made them.
func detached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body) // already in memory: fasthttp read it whole
		if err != nil {
			http.Error(w, "hum could not read the request's body.", http.StatusBadRequest)
			return
		}
		// Nor is its context fasthttp's RequestCtx, which the server
		// resets for the next request while goroutines that contexts
		// derived from it start (database/sql's, for one) may still ask
		// it for values. Like net/http's, this one ends with the handler.
		rctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		d := r.Clone(rctx) // a new header map, URL and slices; their strings are still shared
		d.Method, d.Proto, d.Host, d.RequestURI = strings.Clone(r.Method), strings.Clone(r.Proto), strings.Clone(r.Host), strings.Clone(r.RequestURI)
		u := d.URL
		u.Scheme, u.Opaque, u.Host, u.Path, u.RawPath = strings.Clone(u.Scheme), strings.Clone(u.Opaque), strings.Clone(u.Host), strings.Clone(u.Path), strings.Clone(u.RawPath)
		u.RawQuery, u.Fragment, u.RawFragment = strings.Clone(u.RawQuery), strings.Clone(u.Fragment), strings.Clone(u.RawFragment)
		if u.User != nil {
			if pw, ok := u.User.Password(); ok {
				u.User = url.UserPassword(strings.Clone(u.User.Username()), strings.Clone(pw))
			} else {
				u.User = url.User(strings.Clone(u.User.Username()))
			}
		}
		d.Header = make(http.Header, len(r.Header))
		for k, vs := range r.Header {
			c := make([]string, len(vs))
			for i, v := range vs {
				c[i] = strings.Clone(v)
			}
			d.Header[strings.Clone(k)] = c
		}
		for i, v := range d.TransferEncoding {
			d.TransferEncoding[i] = strings.Clone(v)
		}
		d.Body = io.NopCloser(bytes.NewReader(body)) // ReadAll's own slice
		next.ServeHTTP(w, d)
	})
}

// streaming makes a response the chain writes stream once it passes
// streamAfter bytes: fasthttpadaptor holds a response whole until the
// handler returns, unless it flushes.
func streaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&streamWriter{ResponseWriter: w}, r)
	})
}

type streamWriter struct {
	http.ResponseWriter
	held int // bytes written since the last flush
}

func (w *streamWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	if w.held += n; w.held >= streamAfter {
		w.Flush()
	}
	return n, err
}

func (w *streamWriter) Flush() {
	w.held = 0
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the adaptor's writer.
func (w *streamWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Kept pages' security headers, as secure sets them.
var fastSecure = [][2][]byte{
	{[]byte("X-Content-Type-Options"), []byte(nosniff[0])},
	{[]byte("Referrer-Policy"), []byte(sameOrigin[0])},
	{[]byte("X-Frame-Options"), []byte(deny[0])},
	{[]byte("Content-Security-Policy"), []byte(csp[0])},
}

var (
	fastVary = []byte(varyHeader[0])
	fastGzip = []byte(gzipHeader[0])
)

// serveKeptFast is serveKept (front.go) for fasthttp: it writes the kept
// page ctx asks for, the same bytes and headers, and reports whether there
// was one.
func (s *Server) serveKeptFast(ctx *fasthttp.RequestCtx) bool {
	if !ctx.IsGet() && !ctx.IsHead() {
		return false
	}
	if ctx.Request.Header.Cookie(s.sessions.Cookie.Name) != nil {
		return false // a logged-in reader: see serveKept
	}
	// Never ctx as a context: see detached.
	v, err := s.versions.Get(context.Background())
	if err != nil {
		return false
	}
	// A page with a variant has it read through a request kept makes,
	// whose context is the background's.
	key, p, ok := s.kept(string(ctx.RequestURI()), v, nil)
	if !ok {
		return false
	}
	hd := &ctx.Response.Header
	for _, kv := range fastSecure {
		hd.SetCanonical(kv[0], kv[1])
	}
	hd.SetBytesV("Vary", fastVary)
	hd.Set("Etag", p.etag[0])
	if string(ctx.Request.Header.Peek("If-None-Match")) == p.etag[0] {
		ctx.SetStatusCode(http.StatusNotModified)
		return true
	}
	for k, vs := range p.header {
		for _, v := range vs {
			hd.Add(k, v)
		}
	}
	body := p.body
	if len(p.body) >= minGzip && acceptsGzipValues(ctx.Request.Header.PeekAll("Accept-Encoding")) {
		body = s.gzipKept(key, v, &p)
		hd.SetBytesV("Content-Encoding", fastGzip)
	}
	// Kept bytes never change: fasthttp may write them as they are. For a
	// HEAD it writes their length and not them.
	ctx.Response.SetBodyRaw(body)
	return true
}
