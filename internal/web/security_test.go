package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hum/internal/record"
)

// postRaw posts a form with c's cookies and returns the answer as it
// came, redirect and all: the client would refuse to parse a bad Location.
func (c *client) postRaw(path string, form url.Values) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, k := range c.c.Jar.Cookies(req.URL) {
		req.AddCookie(k)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// browserResolve is where a browser goes for a Location: it removes tab,
// CR and LF anywhere, trims C0 controls and spaces, and reads \ as /.
func browserResolve(base *url.URL, loc string) (*url.URL, error) {
	loc = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.ReplaceAll(loc, `\`, "/")
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	return base.ResolveReference(u), nil
}

func TestLoginNextStaysOnSite(t *testing.T) {
	var s *site
	for i, tc := range []struct{ next, want string }{
		{"", "/accounts/profile/"},
		{"/group/httpbis/about/", "/group/httpbis/about/"},
		{"/doc/x/?a=b#c", "/doc/x/?a=b#c"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // a path on this site
		{"/\t/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/\t\\evil.example", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{`/\evil.example`, "/"},
		{`\/evil.example`, "/"},
		{`\\evil.example`, "/"},
		{"https://evil.example", "/"},
		{"https:evil.example", "/"},
		{"http:/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,x", "/"},
		{"evil.example", "/"},
		{" //evil.example", "/"},
		{"\x00//evil.example", ""}, // refused before the handler: a NUL is bad input
		{"/\x0b/evil.example", "/"},
		{"//%09/evil.example", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // still encoded: a path here
	} {
		if i%8 == 0 { // within the login limits of one client
			s = newSite(t)
		}
		base, _ := url.Parse(s.srv.URL)
		c := s.client()
		// The form carries next from the link into its hidden field.
		_, page := c.get("/accounts/login/?next=" + url.QueryEscape(tc.next))
		if strings.Contains(page, "evil.example") && (tc.want == "/" || tc.want == "") {
			t.Errorf("next=%q: the login form keeps it", tc.next)
		}
		res := c.postRaw("/accounts/login/", url.Values{
			"email": {"pat@example.org"}, "password": {testPassword}, "next": {tc.next}})
		loc := res.Header.Get("Location")
		if tc.want == "" {
			if res.StatusCode != http.StatusBadRequest || loc != "" {
				t.Errorf("next=%q: %d Location %q, want a 400 and no redirect", tc.next, res.StatusCode, loc)
			}
			continue
		}
		if res.StatusCode != http.StatusSeeOther || loc != tc.want {
			t.Errorf("next=%q: %d Location %q, want %q", tc.next, res.StatusCode, loc, tc.want)
		}
		if u, err := browserResolve(base, loc); err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Errorf("next=%q: Location %q takes a browser to %v (%v)", tc.next, loc, u, err)
		}
	}
}

// call sends a request with an optional X-API-Key and form body.
func (c *client) call(method, path, key string, form url.Values) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.srv.URL+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestAPIKeyNeverInTheQueryString(t *testing.T) {
	s := newSite(t)
	key := s.apiKey("pat@example.org")
	c := s.client()
	q := "?apikey=" + url.QueryEscape(key)
	for _, tc := range []struct {
		what, method, path, header string
		form                       url.Values
		code                       int
		text                       string
	}{
		{"GET, header", "GET", "/api/v1/person/me/", key, nil, 200, "pat@example.org"},
		{"GET, query", "GET", "/api/v1/person/me/" + q, "", nil, 401, "query string"},
		{"GET, query and header", "GET", "/api/v1/person/me/" + q, key, nil, 401, "X-API-Key header"},
		// Past the key, the call wants a document: a 400 about "doc" is
		// an accepted key.
		{"POST, form field", "POST", "/api/iesg/position", "", url.Values{"apikey": {key}}, 400, `"field": "doc"`},
		{"POST, header", "POST", "/api/iesg/position", key, url.Values{}, 400, `"field": "doc"`},
		{"POST, query", "POST", "/api/iesg/position" + q, "", url.Values{}, 401, "query string"},
		{"POST, query and form", "POST", "/api/iesg/position" + q, "", url.Values{"apikey": {key}}, 401, "query string"},
		{"submission, query", "POST", "/api/submission" + q, "", url.Values{}, 401, "query string"},
		{"made-up key", "GET", "/api/v1/person/me/", "hum_madeup", nil, 401, "not valid"},
	} {
		code, body := c.call(tc.method, tc.path, tc.header, tc.form)
		want(t, tc.what, code, body, tc.code, tc.text)
		if tc.code == 401 && strings.Contains(body, "pat@example.org") {
			t.Errorf("%s: refused, yet answers as pat", tc.what)
		}
	}
}

// loggedIn says whether c's session is still someone's.
func (c *client) loggedIn() bool {
	c.t.Helper()
	code, _ := c.get("/accounts/profile/")
	return code == http.StatusOK
}

func (c *client) loginWith(email, password string) {
	c.t.Helper()
	code, body := c.post("/accounts/login/", url.Values{"email": {email}, "password": {password}})
	want(c.t, "login "+email, code, body, 200, "Your account")
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	a, b := s.client(), s.client()
	a.login("pat@example.org")
	b.login("pat@example.org")
	other := s.client()
	other.login("chair@example.org")
	if !a.loggedIn() || !b.loggedIn() {
		t.Fatal("not logged in")
	}

	// A change keeps the session that made it and ends the others.
	code, body := a.post("/accounts/password/", url.Values{"current": {testPassword}, "password": {"second password"}, "password2": {"second password"}})
	want(t, "change", code, body, 200, "password has been changed")
	if !a.loggedIn() || b.loggedIn() {
		t.Errorf("after a change: a logged in %v (want true), b %v (want false)", a.loggedIn(), b.loggedIn())
	}

	// A reset ends every session; the browser that used the link starts
	// a new one.
	b.loginWith("pat@example.org", "second password")
	c := s.client()
	c.post("/accounts/reset/", url.Values{"email": {"pat@example.org"}})
	code, body = c.post(s.lastLink("pat@example.org"), url.Values{"password": {"third password"}, "password2": {"third password"}})
	want(t, "reset", code, body, 200, "new password is set")
	if a.loggedIn() || b.loggedIn() || !c.loggedIn() {
		t.Errorf("after a reset: a %v, b %v (want false), c %v (want true)", a.loggedIn(), b.loggedIn(), c.loggedIn())
	}

	// Log out everywhere ends them all, this one too.
	a.loginWith("pat@example.org", "third password")
	code, body = c.get("/accounts/profile/")
	want(t, "profile offers it", code, body, 200, `action="/accounts/logout/everywhere/"`)
	code, body = c.post("/accounts/logout/everywhere/", nil)
	want(t, "log out everywhere", code, body, 200)
	if a.loggedIn() || c.loggedIn() {
		t.Errorf("after log out everywhere: a %v, c %v (want false)", a.loggedIn(), c.loggedIn())
	}

	// So does an administrator's new password.
	a.loginWith("pat@example.org", "third password")
	p, _ := s.people.ByEmail(ctx, "pat@example.org")
	if err := s.people.SetPassword(ctx, record.Actor{Name: "admin"}, p.ID, "fourth password"); err != nil {
		t.Fatal(err)
	}
	if a.loggedIn() {
		t.Error("after an administrator set the password: still logged in")
	}
	if !other.loggedIn() {
		t.Error("another person's session ended too")
	}
}

func TestRemovalsTakeEffectAtOnce(t *testing.T) {
	s := newSite(t)
	a := s.client()
	a.login("chair@example.org")
	key := s.apiKey("chair@example.org")
	if code, body := a.call("GET", "/api/v1/person/me/", key, nil); code != 200 {
		t.Fatalf("key: %d %s", code, body)
	}
	keys, _ := s.people.APIKeys(context.Background(), 3)
	code, body := a.post("/accounts/apikey/"+strconv.FormatInt(keys[len(keys)-1].ID, 10)+"/revoke/", nil)
	want(t, "revoke", code, body, 200, "revoked")
	code, body = a.call("GET", "/api/v1/person/me/", key, nil)
	want(t, "revoked key", code, body, 401, "not valid")

	a.post("/accounts/email/add/", url.Values{"email": {"chris@work.example"}})
	a.post(s.lastLink("chris@work.example"), nil)
	anon := s.client()
	code, body = anon.get("/person/chris@work.example/") // now cached
	want(t, "second address", code, body, 200, "Chris Chair")
	code, body = a.post("/accounts/email/remove/", url.Values{"email": {"chris@work.example"}})
	want(t, "remove", code, body, 200, "has been removed")
	code, body = anon.get("/person/chris@work.example/")
	want(t, "removed address", code, body, 404)
	code, body = anon.post("/accounts/login/", url.Values{"email": {"chris@work.example"}, "password": {testPassword}})
	want(t, "login by removed address", code, body, 401, "do not match an account")
}

// clientFrom is a browser that connects from another loopback address,
// so the server sees another client (hum trusts no X-Forwarded-For).
func (s *site) clientFrom(ip string) *client {
	c := s.client()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.c.Transport = afterAnswer{&http.Transport{DialContext: d.DialContext}} // see answered
	return c
}

func TestLoginLimitLocksOutOnlyTheGuesser(t *testing.T) {
	s := newSite(t)
	a, b := s.clientFrom("127.0.0.2"), s.clientFrom("127.0.0.3")
	last := 0
	for range 22 {
		last, _ = a.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"guessing guess"}})
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("22nd wrong login: status %d, want 429", last)
	}
	code, body := a.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {testPassword}})
	want(t, "the guesser, with the right password", code, body, http.StatusTooManyRequests)
	// A forwarded-for header does not make the guesser someone else.
	req, _ := http.NewRequest("POST", s.srv.URL+"/accounts/login/", strings.NewReader(url.Values{"email": {"pat@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "127.0.0.3")
	if res, err := a.c.Do(req); err != nil || res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("guesser behind X-Forwarded-For: %v %v, want 429", res.StatusCode, err)
	}
	b.loginWith("pat@example.org", testPassword)
	if !b.loggedIn() || a.loggedIn() {
		t.Errorf("owner logged in %v (want true), guesser %v (want false)", b.loggedIn(), a.loggedIn())
	}
	// The owner mistyping once is a failure from their client, counted
	// apart from the guesser's.
	o := s.clientFrom("127.0.0.4")
	code, body = o.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"typo typo typo"}})
	want(t, "owner's typo", code, body, 401, "do not match")
	o.loginWith("pat@example.org", testPassword)

	// Five wrong passwords for one address hold that address back for
	// this client, before the client's own limit on all attempts; the
	// same client may still log in as someone else.
	g := s.clientFrom("127.0.0.5")
	for i := range 5 {
		code, body = g.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"guessing guess"}})
		want(t, fmt.Sprintf("wrong password %d", i+1), code, body, 401)
	}
	code, body = g.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {testPassword}})
	want(t, "the sixth try for the address", code, body, http.StatusTooManyRequests)
	g.loginWith("chair@example.org", testPassword)
}
