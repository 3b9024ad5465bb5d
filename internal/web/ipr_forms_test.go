package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestIPRFormUnreadableIs400: a disclosure form that cannot be read (a
// bad %-escape, or a Content-Type that does not parse) gets a clear 400
// and files nothing, instead of being taken as an empty form.
func TestIPRFormUnreadableIs400(t *testing.T) {
	s := iprSite(t)
	pat := s.client()
	pat.login("pat@example.org")
	for _, c := range []struct{ what, ct, body string }{
		{"a bad escape", "application/x-www-form-urlencoded", "holder_legal_name=Example&statement=%zz"},
		{"a Content-Type that does not parse", "text/plain; =bad", "holder_legal_name=Example"},
	} {
		req, err := http.NewRequest("POST", pat.srv.URL+"/ipr/new-specific/", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", c.ct)
		res, err := pat.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want(t, c.what, res.StatusCode, string(b), 400, "The form could not be read")
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM ipr_disclosure`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d disclosures filed (%v)", n, err)
	}
}
