package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/testbody"
)

// frontServer is newBody with IETF 99 imported and a clock set to now,
// as a Server, so a test can ask the front alone (serveKept) whether it
// serves a request, and the whole chain (Handler) to keep the page.
func frontServer(t *testing.T, now time.Time) (*Server, *testbody.Body, *time.Time) {
	t.Helper()
	b, ms, clock := ietf99Body(t, now)
	return newServer(t, Config{DB: b.DB, People: b.People, Groups: b.Groups, Meetings: ms}), b, clock
}

// request is a GET (or method) of path with the headers given as
// name, value pairs.
func request(method, path string, hdr ...string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return r
}

// viaChain serves r through the whole handler chain.
func viaChain(s *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// viaFront asks the front alone; the recorder is nil when it passed r on.
func viaFront(s *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	if !s.serveKept(w, r) {
		return nil
	}
	return w
}

// TestFrontServesKeptPages: once a page is kept, the front serves it to
// an anonymous reader with the headers and bytes the whole chain sent,
// plain or gzipped, for GET and HEAD, and a 304 for its ETag; a reader
// with a session cookie, a POST, and a page not yet kept go on to the
// chain.
func TestFrontServesKeptPages(t *testing.T) {
	s, _, _ := frontServer(t, later)
	const path = "/group/quic/about/"
	if w := viaFront(s, request("GET", path)); w != nil {
		t.Fatalf("a page never asked for is served by the front: %d", w.Code)
	}
	first := viaChain(s, request("GET", path))
	if first.Code != 200 || first.Header().Get("ETag") == "" {
		t.Fatalf("first GET: %d, ETag %q", first.Code, first.Header().Get("ETag"))
	}
	kept := viaFront(s, request("GET", path))
	if kept == nil {
		t.Fatal("the front does not serve the kept page")
	}
	if !bytes.Equal(kept.Body.Bytes(), first.Body.Bytes()) {
		t.Errorf("the front's body differs from the chain's (%d and %d bytes)", kept.Body.Len(), first.Body.Len())
	}
	if !maps.EqualFunc(kept.Header(), first.Header(), slices.Equal) {
		t.Errorf("the front's headers differ from the chain's:\nfront %v\nchain %v", kept.Header(), first.Header())
	}

	gz := viaFront(s, request("GET", path, "Accept-Encoding", "gzip, deflate, br"))
	if gz == nil || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip asked: %v", gz)
	}
	if got, want := gz.Header().Get("Content-Length"), strconv.Itoa(gz.Body.Len()); got != want {
		t.Errorf("gzipped Content-Length %s, sent %s", got, want)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if unz, err := io.ReadAll(zr); err != nil || !bytes.Equal(unz, first.Body.Bytes()) {
		t.Errorf("gunzipped: %d bytes (err %v), want the %d plain bytes", len(unz), err, first.Body.Len())
	}
	if w := viaFront(s, request("GET", path, "Accept-Encoding", "gzip;q=0")); w == nil || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 was sent gzip")
	}

	head := viaFront(s, request("HEAD", path))
	if head == nil || head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(first.Body.Len()) {
		t.Errorf("HEAD: %v", head)
	}
	nm := viaFront(s, request("GET", path, "If-None-Match", first.Header().Get("ETag")))
	if nm == nil || nm.Code != http.StatusNotModified || nm.Body.Len() != 0 || nm.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Errorf("If-None-Match the ETag: %v", nm)
	}
	if w := viaFront(s, request("GET", path, "If-None-Match", `W/"hum-0"`)); w == nil || w.Code != 200 {
		t.Errorf("If-None-Match another ETag: %v", w)
	}

	if w := viaFront(s, request("GET", path, "Cookie", "theme=dark; hum_session=anything")); w != nil {
		t.Error("a request with a session cookie got the anonymous copy")
	}
	if w := viaFront(s, request("GET", path, "Cookie", "theme=dark")); w == nil {
		t.Error("a cookie other than the session's kept the front from serving")
	}
	if w := viaFront(s, request("POST", path)); w != nil {
		t.Error("the front answered a POST")
	}
	if w := viaFront(s, request("GET", path+"?x=1")); w != nil {
		t.Error("the front served another URI's page")
	}
}

// TestFrontFollowsTheRecord: a change to the record ends the front's
// copy at once in this process; the chain then renders and keeps the new
// page, which the front serves under a new ETag.
func TestFrontFollowsTheRecord(t *testing.T) {
	s, b, _ := frontServer(t, later)
	const path = "/group/quic/about/"
	old := viaChain(s, request("GET", path))
	if viaFront(s, request("GET", path)) == nil {
		t.Fatal("the page is not kept")
	}
	if _, err := b.Groups.ReviseCharter(context.Background(), groups.Operator(record.System), "quic", "Changed charter text.", "approved before hum"); err != nil {
		t.Fatal(err)
	}
	if w := viaFront(s, request("GET", path)); w != nil {
		t.Fatalf("after a change the front served the old copy (ETag %s)", w.Header().Get("ETag"))
	}
	fresh := viaChain(s, request("GET", path))
	w := viaFront(s, request("GET", path))
	if w == nil || fresh.Header().Get("ETag") == old.Header().Get("ETag") || w.Header().Get("ETag") != fresh.Header().Get("ETag") {
		t.Fatalf("after a change: chain ETag %q (was %q), front %v", fresh.Header().Get("ETag"), old.Header().Get("ETag"), w)
	}
	if nm := viaFront(s, request("GET", path, "If-None-Match", old.Header().Get("ETag"))); nm == nil || nm.Code != 200 {
		t.Errorf("the old ETag after a change: %v, want the new page", nm)
	}
}

// TestFrontVariants: a page that also varies with the clock (an agenda's
// "now" marker, which reads the route's {num}) is served by the front
// while the clock gives the same variant, and not once it moves on.
func TestFrontVariants(t *testing.T) {
	s, _, clock := frontServer(t, during)
	for _, path := range []string{"/meeting/99/agenda/", "/meeting/"} {
		first := viaChain(s, request("GET", path))
		w := viaFront(s, request("GET", path))
		if first.Code != 200 || w == nil || !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
			t.Fatalf("%s: chain %d, front %v", path, first.Code, w)
		}
	}
	*clock = during.Add(3 * time.Hour)
	if w := viaFront(s, request("GET", "/meeting/99/agenda/")); w != nil {
		t.Errorf("three hours on, the front served the agenda's old now marker (ETag %s)", w.Header().Get("ETag"))
	}
	if w := viaFront(s, request("GET", "/meeting/")); w == nil {
		t.Error("three hours on, the same day, the front does not serve the meetings")
	}
	again := viaChain(s, request("GET", "/meeting/99/agenda/"))
	if w := viaFront(s, request("GET", "/meeting/99/agenda/")); w == nil || w.Header().Get("ETag") != again.Header().Get("ETag") {
		t.Errorf("the new now marker is not kept: %v", w)
	}
	*clock = during.Add(24 * time.Hour)
	if w := viaFront(s, request("GET", "/meeting/")); w != nil {
		t.Errorf("the front served the meetings of an earlier day (ETag %s)", w.Header().Get("ETag"))
	}
}

// TestKeptPagesKeepTheirHeaders: a kept page goes out with the headers
// its handler set (an agenda's calendar is a named attachment), from the
// front as from the chain.
func TestKeptPagesKeepTheirHeaders(t *testing.T) {
	s, _, _ := frontServer(t, later)
	const path = "/meeting/99/agenda.ics"
	for i, w := range []*httptest.ResponseRecorder{viaChain(s, request("GET", path)), viaFront(s, request("GET", path))} {
		if w == nil {
			t.Fatal("the front does not serve the kept calendar")
		}
		if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "ietf-99-agenda.ics") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/calendar") {
			t.Errorf("response %d: Content-Disposition %q, Content-Type %q", i, cd, w.Header().Get("Content-Type"))
		}
	}
}

// discard is a ResponseWriter that keeps one header map and drops the
// body, so only the front's own allocations are counted.
type discard struct {
	hd   http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.hd }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }

// TestFrontAllocatesNothing: serving a kept page, plain or gzipped, makes
// no allocation of the front's own (the version is read without one, and
// every header value is made when the page is kept).
func TestFrontAllocatesNothing(t *testing.T) {
	s, _, _ := frontServer(t, later)
	const path = "/group/quic/about/"
	viaChain(s, request("GET", path))
	viaChain(s, request("GET", path, "Accept-Encoding", "gzip"))
	for _, r := range []*http.Request{request("GET", path), request("GET", path, "Accept-Encoding", "gzip, deflate, br")} {
		w := &discard{hd: http.Header{}}
		if !s.serveKept(w, r) {
			t.Fatalf("%v: not served by the front", r.Header)
		}
		// A version read may fall due during the runs: allow for it by
		// taking the least of a few tries.
		least := 1e9
		for range 3 {
			least = min(least, testing.AllocsPerRun(200, func() { s.serveKept(w, r) }))
		}
		if least != 0 {
			t.Errorf("%v: %v allocations per kept page served", r.Header, least)
		}
	}
}
