package web

import (
	"bytes"
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
// the latest, whole, with its SHA-256 as ETag.
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
	res, err = c.c.Get(s.srv.URL + "/api/export/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || int64(len(body)) != d.Bytes || !bytes.HasPrefix(body, []byte("SQLite format 3\x00")) ||
		res.Header.Get("ETag") != `"`+d.SHA256+`"` || !bytes.Contains(body, []byte("draft-ietf-httpbis-ioam-api")) {
		t.Fatalf("dump: %d, %d bytes (want %d), ETag %q", res.StatusCode, len(body), d.Bytes, res.Header.Get("ETag"))
	}
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/export/", nil)
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
