package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// TestFastFrontAsFront: fasthttp's front (serveKeptFast) serves a kept
// page itself, and a client gets from it the status, headers and bytes the
// net/http front (serveKept) writes for the same request: plain, gzipped,
// gzip refused, HEAD, and a 304 for the page's ETag. A session cookie, a
// POST and a page not kept go down the chain.
func TestFastFrontAsFront(t *testing.T) {
	s, _, _ := frontServer(t, later)
	srv := startHTTP(t, s)
	// The agenda is a page with a variant (its route's clock), which
	// serveKeptFast reads from a request it makes.
	for _, path := range []string{"/group/quic/about/", "/meeting/99/agenda/"} {
		fast := func(method string, hdr ...string) bool {
			var req fasthttp.Request
			req.Header.SetMethod(method)
			req.SetRequestURI(path)
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			var ctx fasthttp.RequestCtx
			ctx.Init(&req, nil, nil)
			return s.serveKeptFast(&ctx)
		}
		if fast("GET") {
			t.Fatalf("%s: a page never asked for is served by fasthttp's front", path)
		}
		first := viaChain(s, request("GET", path))
		etag := first.Header().Get("ETag")
		client := &http.Client{Transport: afterAnswer{&http.Transport{DisableCompression: true}}}
		for _, c := range []struct {
			method string
			hdr    []string
		}{
			{"GET", nil},
			{"GET", []string{"Accept-Encoding", "gzip, deflate, br"}},
			{"GET", []string{"Accept-Encoding", "gzip;q=0"}},
			{"HEAD", nil},
			{"HEAD", []string{"Accept-Encoding", "gzip"}},
			{"GET", []string{"If-None-Match", etag}},
			{"GET", []string{"If-None-Match", `W/"hum-0"`}},
			{"GET", []string{"Cookie", "theme=dark"}},
		} {
			name := path + " " + c.method + " " + strings.Join(c.hdr, ": ")
			if !fast(c.method, c.hdr...) {
				t.Errorf("%s: not served by fasthttp's front", name)
				continue
			}
			want := viaFront(s, request(c.method, path, c.hdr...))
			if want == nil {
				t.Fatalf("%s: the net/http front does not serve it", name)
			}
			req, _ := http.NewRequest(c.method, srv.URL+path, nil)
			for i := 0; i+1 < len(c.hdr); i += 2 {
				req.Header.Set(c.hdr[i], c.hdr[i+1])
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			got := res.Header.Clone()
			if got.Get("Date") == "" {
				t.Errorf("%s: no Date", name)
			}
			got.Del("Date") // the server's, which the recorder has none of
			if res.StatusCode != want.Code || string(body) != want.Body.String() || !maps.EqualFunc(got, want.Header(), slices.Equal) {
				t.Errorf("%s: fasthttp's front sent %d, %d bytes, %v\nthe net/http front %d, %d bytes, %v",
					name, res.StatusCode, len(body), got, want.Code, want.Body.Len(), want.Header())
			}
		}
		for _, c := range [][]string{{"GET", "Cookie", "theme=dark; hum_session=anything"}, {"POST"}} {
			if fast(c[0], c[1:]...) {
				t.Errorf("%s %v: served the anonymous copy", path, c)
			}
		}
	}
}

// oneConn sends raw HTTP/1.1 requests over one kept-alive connection.
type oneConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dial(t *testing.T, addr string) *oneConn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(addr, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &oneConn{t: t, conn: c, r: bufio.NewReader(c)}
}

func (c *oneConn) do(raw string) (*http.Response, string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, raw); err != nil {
		c.t.Fatal(err)
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// serveChain serves h as hum serve's chain is served (HTTPServer: through
// fasthttpadaptor, detached and streaming) on a local port.
func serveChain(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs := &fasthttp.Server{Handler: fasthttpadaptor.NewFastHTTPHandler(streaming(detached(h))), MaxRequestBodySize: maxRequestBody}
	go fs.Serve(ln)
	t.Cleanup(func() { fs.Shutdown() })
	return "http://" + ln.Addr().String()
}

// TestChainRequestIsItsOwn: what a handler keeps of a request (its
// target, path, query, method, a header, its body) stays as it was after
// later requests on the same connection. fasthttpadaptor's request reads
// them out of buffers the next request writes over; kept pages are kept
// under their URI, so a page would be served for another's.
func TestChainRequestIsItsOwn(t *testing.T) {
	type seen struct{ uri, path, query, method, hdr, body string }
	var mu sync.Mutex
	var kept []seen
	addr := serveChain(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		kept = append(kept, seen{r.RequestURI, r.URL.Path, r.URL.RawQuery, r.Method, r.Header.Get("X-Name"), string(b)})
		mu.Unlock()
	}))
	c := dial(t, addr)
	var want []seen
	for i := range 40 {
		method, body := "GET", ""
		if i%2 == 1 {
			method, body = "POST", fmt.Sprintf("form=%03d", i)
		}
		s := seen{fmt.Sprintf("/page/%03d/?n=%03d", i, i), fmt.Sprintf("/page/%03d/", i), fmt.Sprintf("n=%03d", i), method, fmt.Sprintf("name-%03d", i), body}
		want = append(want, s)
		if res, _ := c.do(method + " " + s.uri + " HTTP/1.1\r\nHost: hum.test\r\nX-Name: " + s.hdr + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body); res.StatusCode != 200 {
			t.Fatalf("request %d: %s", i, res.Status)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range want {
		if kept[i] != want[i] {
			t.Errorf("request %d: kept %+v, want %+v", i, kept[i], want[i])
		}
	}
}

// TestChainResponseStreams: a long response reaches the client while the
// handler is still writing it, rather than whole once it returns: the
// public dump of a large archive is hundreds of megabytes.
func TestChainResponseStreams(t *testing.T) {
	arrived := make(chan struct{})
	chunk := strings.Repeat("x", 64<<10)
	addr := serveChain(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 2 * streamAfter / len(chunk) {
			io.WriteString(w, chunk)
		}
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Error("the client had nothing of the response after 10 s of waiting")
		}
		io.WriteString(w, "end")
	}))
	res, err := http.Get(addr + "/dump")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.ReadFull(res.Body, make([]byte, streamAfter)); err != nil {
		t.Fatal(err)
	}
	close(arrived)
	rest, err := io.ReadAll(res.Body)
	if err != nil || !strings.HasSuffix(string(rest), "end") {
		t.Errorf("the rest of the response: %d bytes, %v", len(rest), err)
	}
}

// TestRequestLimits: a body longer than hum takes is refused before it
// is read, and a header longer than it reads, each with a status and a
// sentence that say so.
func TestRequestLimits(t *testing.T) {
	s, _, _ := frontServer(t, later)
	srv := startHTTP(t, s)
	res, body := dial(t, srv.URL).do("POST /submit/ HTTP/1.1\r\nHost: hum.test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + strconv.Itoa(maxRequestBody+1) + "\r\n\r\n")
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, fmt.Sprintf("larger than hum takes (%d MiB)", maxRequestBody>>20)) {
		t.Errorf("a body over the limit: %s %q", res.Status, body)
	}
	res, body = dial(t, srv.URL).do("GET / HTTP/1.1\r\nHost: hum.test\r\nX-Long: " + strings.Repeat("a", maxHeader) + "\r\n\r\n")
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.Contains(body, "header is larger than hum takes") {
		t.Errorf("a header over the limit: %s %q", res.Status, body)
	}
	res, body = dial(t, srv.URL).do("GET /group/quic/about/ HTTP/1.1\r\nHost: hum.test\r\n\r\n")
	if res.StatusCode != 200 || !strings.Contains(body, "QUIC") {
		t.Errorf("after them, a page: %s", res.Status)
	}
}

// TestChainContextEndsWithTheHandler: a request's context is done once
// its handler has returned, as under net/http, and is not fasthttp's
// RequestCtx, which the server resets for the next request while
// goroutines that database/sql starts on a context derived from it may
// still read its values (the race detector caught one).
func TestChainContextEndsWithTheHandler(t *testing.T) {
	ctxs := make(chan context.Context, 1)
	addr := serveChain(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, fast := r.Context().(*fasthttp.RequestCtx); fast {
			t.Error("the handler's context is fasthttp's RequestCtx")
		}
		ctxs <- r.Context()
	}))
	res, err := http.Get(addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	select {
	case <-(<-ctxs).Done():
	case <-time.After(10 * time.Second):
		t.Error("the request's context is not done after its handler returned")
	}
}
