package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"deflate, *", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"identity", false},
		{"gzipx", false},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		if c.header != "" {
			r.Header.Set("Accept-Encoding", c.header)
		}
		if got := acceptsGzip(r); got != c.want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", c.header, got, c.want)
		}
	}
}

// TestAnonymousPagesGzipped: a kept page goes gzipped to a client that
// asks, as the same bytes, and as it is to one that does not.
func TestAnonymousPagesGzipped(t *testing.T) {
	s := newSite(t)
	get := func(path, enc string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
		// Set explicitly, so the client hands back the bytes as sent.
		req.Header.Set("Accept-Encoding", enc)
		res, err := s.client().c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	res, plain := get("/group/quic/about/", "identity")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("plain: %d, encoding %q, vary %q", res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	for i := range 2 { // made, then kept
		res, body := get("/group/quic/about/", "gzip, deflate")
		if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") == "" {
			t.Fatalf("get %d: encoding %q etag %q", i, res.Header.Get("Content-Encoding"), res.Header.Get("ETag"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unz, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unz, plain) || len(body) >= len(plain) {
			t.Errorf("get %d: gunzipped %d bytes (err %v), want the %d plain bytes, sent as %d", i, len(unz), err, len(plain), len(body))
		}
	}
	if res, _ := get("/group/quic/about/", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got %q", res.Header.Get("Content-Encoding"))
	}
}
