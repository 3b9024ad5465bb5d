package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"testing"

	"hum/internal/docs"
	"hum/internal/export"
	"hum/internal/lists"
	"hum/internal/mail"
)

// TestAPIExport: /api/export/ is 404 until a dump is made, then serves
// the latest, whole, with its SHA-256 as ETag: the SQLite file to a
// client that accepts no encoding, the stored gzip to one that accepts it.
func TestAPIExport(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	res, err := c.c.Get(s.srv.URL + "/api/export/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("before any dump: %d", res.StatusCode)
	}
	ls := &lists.Service{DB: s.db, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	od, err := OpenData(Config{DB: s.db, Groups: s.groups, People: s.people, Lists: ls, Docs: &docs.Service{DB: s.db, Groups: s.groups}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := (&export.Service{DB: s.db, API: od, Lists: ls}).Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// curl and wget as they come ask for no encoding, and get the SQLite
	// file itself.
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/export/", nil)
	req.Header.Set("Accept-Encoding", "identity")
	res, err = c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || int64(len(body)) != d.Bytes || !bytes.HasPrefix(body, []byte("SQLite format 3\x00")) ||
		res.Header.Get("ETag") != `"`+d.SHA256+`"` || res.Header.Get("Content-Encoding") != "" || !bytes.Contains(body, []byte("draft-ietf-httpbis-ioam-api")) {
		t.Fatalf("dump: %d, %d bytes (want %d), ETag %q, Content-Encoding %q", res.StatusCode, len(body), d.Bytes, res.Header.Get("ETag"), res.Header.Get("Content-Encoding"))
	}
	// A client that accepts gzip gets the stored bytes, compressed, which
	// decompress to the same file.
	req, _ = http.NewRequest("GET", s.srv.URL+"/api/export/", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	res, err = c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || int64(len(zipped)) != d.Gzip || d.Gzip >= d.Bytes/2 ||
		res.Header.Get("ETag") != `"`+d.SHA256+`-gzip"` || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip: %d, Content-Encoding %q, %d bytes (stored %d, file %d), ETag %q", res.StatusCode, res.Header.Get("Content-Encoding"), len(zipped), d.Gzip, d.Bytes, res.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, body) {
		t.Fatalf("gzip body decompresses to %d bytes (%v), not the file", len(unzipped), err)
	}
	req, _ = http.NewRequest("GET", s.srv.URL+"/api/export/", nil)
	req.Header.Set("If-None-Match", `"`+d.SHA256+`"`)
	res, err = c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match the latest: %d", res.StatusCode)
	}
}
