package web

import (
	"io"
	"net/url"
	"strings"
	"testing"
)

// TestNULAndNonUTF8Refused: a query or form value holding a NUL or bytes
// that are not UTF-8 is bad input on every page, refused with a 400 that
// says so, never a 500 (PostgreSQL cannot store or compare such text).
func TestNULAndNonUTF8Refused(t *testing.T) {
	st := newSite(t)
	c := st.client()
	for _, path := range []string{
		"/doc/draft-x%00/",
		"/api/v1/group/group/?acronym=%FF",
		"/doc/search/?name=draft%00x",
		"/arch/search/?q=%C3%28",
		"/api/v1/meeting/meeting/?number=8%003",
		"/api/v1/person/person/?name=%00",
	} {
		code, body := c.get(path)
		if code != 400 || !strings.Contains(body, "not UTF-8") {
			t.Errorf("GET %s: %d, want 400 saying the text is not UTF-8\n%.300s", path, code, body)
		}
	}
	c.login("pat@example.org")
	code, body := c.post("/accounts/profile/", url.Values{"name": {"Pat\x00"}})
	if code != 400 || !strings.Contains(body, "not UTF-8") {
		t.Errorf("POST with a NUL in a field: %d, want 400\n%.300s", code, body)
	}
}

// TestUnreadableFormRefused: a POST whose Content-Type is not a media type
// is refused with a 400 that says so, on every route, before its handler
// could take it for an empty form; nothing changes.
func TestUnreadableFormRefused(t *testing.T) {
	st := newSite(t)
	c := st.client()
	c.login("pat@example.org")
	for _, path := range []string{"/accounts/profile/", "/appeals/new/"} {
		res, err := c.c.Post(st.srv.URL+path, "form;;=", strings.NewReader("name=Someone+Else"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 400 || !strings.Contains(string(b), "could not be read") {
			t.Errorf("POST %s with Content-Type %q: %d, want 400 saying the form could not be read\n%.300s", path, "form;;=", res.StatusCode, b)
		}
	}
	code, body := c.get("/accounts/profile/")
	if code != 200 || strings.Contains(body, "Someone Else") {
		t.Errorf("the profile changed: %d", code)
	}
}
