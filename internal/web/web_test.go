package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

// site is a hum web server on a fresh database with a standards body.
type site struct {
	t      *testing.T
	db     *db.DB
	srv    *testServer
	people *people.Service
	groups *groups.Service
}

// testPassword is every test person's password.
const testPassword = "correct horse battery"

// newSite serves the small standards body of newBody.
func newSite(t *testing.T) *site {
	t.Helper()
	return serve(t, newBody(t), Config{})
}

// newBody is a small standards body on a fresh database: an area with an
// AD, a WG with a chair, and the secretariat. It is a copy of webBody.
func newBody(t *testing.T) *testbody.Body {
	t.Helper()
	d, ids := webBody.New(t)
	b := testbody.New(t, d)
	b.Password = testPassword
	b.IDs = maps.Clone(ids)
	return b
}

// webBody is newBody's standards body, built once per test binary
// (dbtest.Template); its value is the people's ids.
var webBody = &dbtest.Template[map[string]int64]{Name: "web body", Build: func(t testing.TB, d *db.DB) map[string]int64 {
	b := testbody.New(t, d)
	b.Password = testPassword
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art", ListEmail: "httpbis@ietf.org"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	return b.IDs
}}

// serve starts a server, built by newServer, on b's database with b's
// people and groups services and the other services of c.
func serve(t *testing.T, b *testbody.Body, c Config) *site {
	t.Helper()
	c.DB, c.People, c.Groups = b.DB, b.People, b.Groups
	return &site{t: t, db: b.DB, srv: startHTTP(t, newServer(t, c)), people: b.People, groups: b.Groups}
}

// answered tells the race detector that a request's handler is done
// before its client reads the answer: the detector does not take a
// socket for synchronization, so a test that changes what a handler read
// (a clock, say) after its answer came would be reported as a race. Each
// test server takes and gives it back when a handler returns, before
// fasthttp writes the response; every client of http.DefaultTransport
// (TestMain) takes it once a response has come.
var answered sync.Mutex

type afterAnswer struct{ http.RoundTripper }

func (t afterAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.RoundTripper.RoundTrip(r)
	answered.Lock()
	answered.Unlock()
	return res, err
}

func TestMain(m *testing.M) {
	http.DefaultTransport = afterAnswer{http.DefaultTransport}
	os.Exit(m.Run())
}

// testServer is a Server's HTTPServer, as hum serve runs it, on a local
// port until the test ends.
type testServer struct {
	URL string
}

func startHTTP(t testing.TB, s *Server) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer()
	answer := hs.fs.Handler
	hs.fs.Handler = func(ctx *fasthttp.RequestCtx) {
		answer(ctx)
		answered.Lock() // see answered
		answered.Unlock()
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	t.Cleanup(func() {
		// A test's requests are all answered by its end, so the server
		// stops without fasthttp's graceful wait, which looks for open
		// connections every 100 ms: a context already done closes the
		// listener and the idle connections and returns.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("shutting the HTTP server down: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("HTTP server: %v", err)
		}
	})
	return &testServer{URL: "http://" + ln.Addr().String()}
}

// client is a browser with its own cookies.
type client struct {
	*site
	c *http.Client
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s, &http.Client{Jar: jar}}
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	res, err := c.c.Get(c.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	res, err := c.c.PostForm(c.srv.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (c *client) login(email string) {
	c.t.Helper()
	code, body := c.post("/accounts/login/", url.Values{"email": {email}, "password": {testPassword}})
	if code != 200 || !strings.Contains(body, "Your account") {
		c.t.Fatalf("login %s: %d\n%s", email, code, body)
	}
}

func want(t *testing.T, what string, code int, body string, wantCode int, wantText ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("%s: status %d, want %d\n%.2000s", what, code, wantCode, body)
		return
	}
	for _, w := range wantText {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page lacks %q\n%.3000s", what, w, body)
		}
	}
}

// events counts the recorded events about a group.
func (s *site) events(acronym string) int {
	evs, err := record.List(context.Background(), s.db, "group", acronym, 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	return len(evs)
}

func TestPublicPages(t *testing.T) {
	c := newSite(t).client()
	for _, tc := range []struct {
		path string
		code int
		text []string
	}{
		{"/", 200, []string{"open standards body", "Recent changes"}},
		{"/wg/", 200, []string{"Applications and Real-Time Area", "httpbis", "Chris Chair", "Ada Director"}},
		{"/area/", 200, []string{"art", "Ada Director"}},
		{"/group/httpbis/about/", 200, []string{"HTTP (httpbis)", "Chris Chair", "Ada Director", "httpbis@ietf.org", "History"}},
		{"/group/HTTPBIS/about/", 200, []string{"HTTP (httpbis)"}},
		{"/group/art/about/", 200, []string{"Applications and Real-Time Area", "quic"}},
		{"/group/iesg/about/", 200, []string{"Members", "Ada Director"}},
		{"/group/httpbis/history/", 200, []string{"Chris Chair is now Chair"}},
		{"/person/chair@example.org/", 200, []string{"Chris Chair", "Chair", "httpbis"}},
		{"/person/nobody@example.org/", 404, []string{"No person has the address"}},
		{"/group/nosuch/about/", 404, []string{"no group with the acronym"}},
		{"/group/httpbis/about/extra/", 404, nil},
		{"/accounts/login/", 200, []string{`name="password"`}},
		{"/static/style.css", 200, []string{"font-family"}},
	} {
		code, body := c.get(tc.path)
		want(t, tc.path, code, body, tc.code, tc.text...)
	}
}

var linkRE = regexp.MustCompile(`http://hum\.test(/accounts/[a-z]+/confirm/[A-Za-z0-9_-]+/)`)

// lastLink returns the path of the link in the newest outbox mail to addr.
func (s *site) lastLink(addr string) string {
	s.t.Helper()
	msgs, err := mail.List(context.Background(), s.db, "", 50)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To[0] == addr {
			if l := linkRE.FindStringSubmatch(string(m.Raw)); l != nil {
				return l[1]
			}
			s.t.Fatalf("mail to %s has no link:\n%s", addr, m.Raw)
		}
	}
	s.t.Fatalf("no mail to %s", addr)
	return ""
}

func TestAccountLifecycle(t *testing.T) {
	s := newSite(t)
	c := s.client()
	code, body := c.post("/accounts/create/", url.Values{"email": {"new@example.net"}})
	want(t, "create", code, body, 200, "Check your mail")
	link := s.lastLink("new@example.net")
	code, body = c.get(link)
	want(t, "confirm form", code, body, 200, "new@example.net", `name="password2"`)
	code, body = c.post(link, url.Values{"name": {"Nova Newcomer"}, "password": {"long enough pw"}, "password2": {"different pw!"}})
	want(t, "mismatched passwords", code, body, 400, "not the same")
	code, body = c.post(link, url.Values{"name": {"Nova Newcomer"}, "password": {"long enough pw"}, "password2": {"long enough pw"}})
	want(t, "finish", code, body, 200, "Welcome, Nova Newcomer", "Your account")
	code, body = c.get(link)
	want(t, "reused link", code, body, 409, "already been used")

	code, body = c.post("/accounts/logout/", nil)
	want(t, "logout", code, body, 200)
	code, body = c.get("/accounts/profile/")
	want(t, "profile after logout", code, body, 401, "log in")
	code, body = c.post("/accounts/login/", url.Values{"email": {"new@example.net"}, "password": {"long enough pw"}, "next": {"/group/httpbis/about/"}})
	want(t, "login with next", code, body, 200, "HTTP (httpbis)", "Nova Newcomer")

	code, body = c.post("/accounts/password/", url.Values{"current": {"wrong one!!"}, "password": {"a new password"}, "password2": {"a new password"}})
	want(t, "change with wrong current", code, body, 400, "current password is not right")
	code, body = c.post("/accounts/password/", url.Values{"current": {"long enough pw"}, "password": {"a new password"}, "password2": {"a new password"}})
	want(t, "change password", code, body, 200, "password has been changed")

	code, body = c.post("/accounts/apikey/", url.Values{"label": {"scripts"}})
	want(t, "api key", code, body, 200, "shown only this once", "hum_")

	// A script uses the key; a revoked or made-up key is refused.
	key := regexp.MustCompile(`hum_[A-Za-z0-9_-]+`).FindString(body)
	script := s.client()
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/v1/person/me/", nil)
	req.Header.Set("X-API-Key", key)
	res, err := script.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me map[string]any
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if res.StatusCode != 200 || me["name"] != "Nova Newcomer" || me["email"] != "new@example.net" {
		t.Errorf("api key: %d %v", res.StatusCode, me)
	}
	var e map[string]any
	code, body = script.call("GET", "/api/v1/person/me/", "hum_madeup", nil)
	json.Unmarshal([]byte(body), &e)
	if code != 401 || !strings.Contains(e["error"].(string), "not valid") {
		t.Errorf("made-up key: %d %v", code, e)
	}
}

func TestPasswordReset(t *testing.T) {
	s := newSite(t)
	c := s.client()
	code, known := c.post("/accounts/reset/", url.Values{"email": {"pat@example.org"}})
	want(t, "reset known", code, known, 200, "Check your mail")
	code, unknown := c.post("/accounts/reset/", url.Values{"email": {"ghost@example.org"}})
	want(t, "reset unknown", code, unknown, 200, "Check your mail")
	link := s.lastLink("pat@example.org")
	code, body := c.post(link, url.Values{"password": {"brand new secret"}, "password2": {"brand new secret"}})
	want(t, "reset finish", code, body, 200, "new password is set")
	c2 := s.client()
	code, body = c2.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"brand new secret"}})
	want(t, "login with new password", code, body, 200, "Pat Participant")
}

func TestBadInputChangesNothing(t *testing.T) {
	s := newSite(t)
	anon := s.client()

	// Wrong password and unknown account get the same reply.
	_, wrongPw := anon.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"not the password"}})
	_, noAcct := anon.post("/accounts/login/", url.Values{"email": {"nobody@example.org"}, "password": {"not the password"}})
	if !strings.Contains(wrongPw, "do not match an account") || strings.ReplaceAll(wrongPw, "pat@", "X@") != strings.ReplaceAll(noAcct, "nobody@", "X@") {
		t.Errorf("wrong password and unknown account answer differently")
	}

	code, body := anon.post("/accounts/create/", url.Values{"email": {"not-an-address"}})
	want(t, "invalid email", code, body, 400, "not a valid email address")
	if msgs, _ := mail.List(context.Background(), s.db, "", 10); len(msgs) != 0 {
		t.Errorf("invalid email queued %d mails", len(msgs))
	}

	sec := s.client()
	sec.login("sec@example.org")
	before := s.events("httpbis")
	code, body = sec.post("/group/create/", url.Values{"acronym": {"httpbis"}, "name": {"Again"}, "type": {"wg"}, "parent": {"art"}})
	want(t, "duplicate acronym", code, body, 400, "already taken")
	code, body = sec.post("/group/create/", url.Values{"acronym": {"toolongname"}, "name": {"Long"}, "type": {"wg"}, "parent": {"art"}})
	want(t, "R12", code, body, 400, "at most 8", "R12")
	code, body = sec.post("/group/httpbis/roles/", url.Values{"email": {"pat@example.org"}, "role": {"emperor"}})
	want(t, "unknown role", code, body, 400, "not a role")
	code, body = sec.post("/group/nosuch/roles/", url.Values{"email": {"pat@example.org"}, "role": {"chair"}})
	want(t, "unknown group", code, body, 404, "no group")
	code, body = sec.post("/group/httpbis/roles/", url.Values{"email": {"ghost@example.org"}, "role": {"chair"}})
	want(t, "unknown person", code, body, 400, "must create an account first")
	if after := s.events("httpbis"); after != before {
		t.Errorf("bad input recorded %d events", after-before)
	}
	if _, n, _ := s.groups.List(context.Background(), groups.Filter{Acronym: "toolongname"}); n != 0 {
		t.Errorf("R12 violation created a group")
	}
}

func TestExpiredLink(t *testing.T) {
	s := newSite(t)
	c := s.client()
	c.post("/accounts/create/", url.Values{"email": {"late@example.net"}})
	link := s.lastLink("late@example.net")
	now := s.db.Now()
	s.db.Now = func() time.Time { return now.Add(73 * time.Hour) }
	code, body := c.get(link)
	want(t, "expired link", code, body, 409, "expired")
}

func TestCrossSiteFormRefused(t *testing.T) {
	s := newSite(t)
	c := s.client()
	c.login("sec@example.org")
	before := s.events("quic")
	req, _ := http.NewRequest("POST", s.srv.URL+"/group/quic/edit/", strings.NewReader("description=pwned"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want(t, "cross-site post", res.StatusCode, string(b), 403, "another site")
	if s.events("quic") != before {
		t.Error("cross-site post changed the group")
	}
}

func TestWhoMayChangeWhat(t *testing.T) {
	s := newSite(t)
	chair, ad, pat := s.client(), s.client(), s.client()
	chair.login("chair@example.org")
	ad.login("ad@example.org")
	pat.login("pat@example.org")

	code, body := chair.post("/group/httpbis/milestones/", url.Values{"description": {"Submit HTTP/3 to the IESG"}, "due": {"2027-03"}, "docs": {"draft-ietf-httpbis-h3"}})
	want(t, "chair adds milestone", code, body, 200, "Submit HTTP/3 to the IESG", "draft-ietf-httpbis-h3")
	code, body = chair.post("/group/httpbis/milestones/", url.Values{"description": {"x"}, "due": {"soon"}})
	want(t, "bad due date", code, body, 400, "not a due date")
	code, _ = chair.post("/group/httpbis/charter/", url.Values{"text": {"New charter"}})
	want(t, "chair revises charter", code, "", 403)
	code, _ = chair.post("/group/quic/milestones/", url.Values{"description": {"x"}, "due": {"2027-01"}})
	want(t, "chair of another WG", code, "", 403)
	code, _ = chair.post("/group/httpbis/roles/", url.Values{"email": {"pat@example.org"}, "role": {"chair"}})
	want(t, "chair appoints chair", code, "", 403)
	code, body = chair.post("/group/httpbis/roles/", url.Values{"email": {"pat@example.org"}, "role": {"secr"}})
	want(t, "chair appoints secretary", code, body, 200, "Pat Participant is now Secretary")

	code, body = ad.post("/group/httpbis/charter/", url.Values{"text": {"The HTTP working group maintains HTTP."}, "why": {"recharter"}})
	want(t, "AD proposes a charter (R13)", code, body, 200, "Revision 00-00 of charter-ietf-httpbis is posted", "maintains HTTP", "Draft Charter")
	code, body = ad.post("/group/httpbis/conclude/", url.Values{"reason": {"done"}})
	want(t, "AD concludes WG (R14)", code, body, 200, "Concluded")
	code, _ = pat.post("/group/quic/edit/", url.Values{"description": {"mine"}})
	want(t, "participant edits", code, "", 403)
	code, _ = pat.get("/admin/outbox/")
	want(t, "participant reads outbox", code, "", 403)

	code, body = s.client().get("/group/httpbis/history/")
	want(t, "history", code, body, 200, "New version available: charter-ietf-httpbis-00-00.txt", "State changed to Concluded from Active", "Why: done", "Ada Director", "Chris Chair")
}

func TestGroupFeed(t *testing.T) {
	c := newSite(t).client()
	code, body := c.get("/feed/group-changes/httpbis/")
	want(t, "feed", code, body, 200, "<feed", "Chris Chair is now Chair", "<entry>")
	code, _ = c.get("/feed/group-changes/nosuch/")
	want(t, "feed of unknown group", code, "", 404)
}

func getJSON(t *testing.T, c *client, path string, v any) int {
	t.Helper()
	res, err := c.c.Get(c.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res.StatusCode
}

type apiList struct {
	Meta struct {
		Limit      int     `json:"limit"`
		Offset     int     `json:"offset"`
		TotalCount int     `json:"total_count"`
		Next       *string `json:"next"`
	} `json:"meta"`
	Objects []map[string]any `json:"objects"`
}

func TestAPI(t *testing.T) {
	s := newSite(t)
	c := s.client()
	var l apiList
	getJSON(t, c, "/api/v1/group/group/?acronym=httpbis", &l)
	if l.Meta.TotalCount != 1 || len(l.Objects) != 1 || l.Objects[0]["acronym"] != "httpbis" || l.Objects[0]["type"] != "/api/v1/name/grouptypename/wg/" {
		t.Errorf("acronym filter: %+v", l)
	}
	l = apiList{}
	getJSON(t, c, "/api/v1/group/group/?type=wg&limit=1", &l)
	if l.Meta.TotalCount != 2 || len(l.Objects) != 1 || l.Meta.Next == nil {
		t.Errorf("paging: %+v", l)
	}
	l = apiList{}
	getJSON(t, c, "/api/v1/group/role/?group__acronym=httpbis&name=chair", &l)
	if l.Meta.TotalCount != 1 || l.Objects[0]["email"] != "/api/v1/person/email/chair@example.org/" {
		t.Errorf("roles: %+v (a role holder's role address is public, as on the Datatracker)", l)
	}
	l = apiList{}
	getJSON(t, c, "/api/v1/person/person/?name__icontains=chris", &l)
	if l.Meta.TotalCount != 1 || l.Objects[0]["name"] != "Chris Chair" {
		t.Errorf("people: %+v", l)
	}
	var bad map[string]any
	if code := getJSON(t, c, "/api/v1/group/group/?used_roles=x", &bad); code != 400 || bad["error"] != "The 'used_roles' field does not allow filtering." {
		t.Errorf("a field that does not filter: %d %v", code, bad)
	}

	// A participant's address is not public; once they choose to show
	// their primary address, it is.
	if code := getJSON(t, c, "/api/v1/person/email/pat@example.org/", &bad); code != 404 {
		t.Errorf("a participant's address: %d, want 404", code)
	}
	p, _ := s.people.ByEmail(context.Background(), "pat@example.org")
	if err := s.people.UpdateProfile(context.Background(), p.ID, p.Name, "", true); err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	if code := getJSON(t, c, "/api/v1/person/email/pat@example.org/", &e); code != 200 || e["person"] != fmt.Sprintf("/api/v1/person/person/%d/", p.ID) {
		t.Errorf("a shown address: %d %v", code, e)
	}
}

func TestLoginRateLimit(t *testing.T) {
	s := newSite(t)
	c := s.client()
	last := 0
	for range 12 {
		last, _ = c.post("/accounts/login/", url.Values{"email": {"pat@example.org"}, "password": {"guessing guess"}})
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("12th wrong login: status %d, want 429", last)
	}
}

func TestAnonymousPagesAreCachedUntilAChange(t *testing.T) {
	s := newSite(t)
	anon := s.client()
	get := func(etag string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", s.srv.URL+"/group/quic/about/", nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := anon.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	res, body := get("")
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" || strings.Contains(body, "Now with milestones") {
		t.Fatalf("first get: %d etag %q", res.StatusCode, etag)
	}
	if res, _ := get(etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged page with its ETag: %d, want 304", res.StatusCode)
	}
	sec := s.client()
	sec.login("sec@example.org")
	code, _ := sec.post("/group/quic/edit/", url.Values{"description": {"Now with milestones"}})
	want(t, "edit", code, "", 200)
	res, body = get(etag)
	if res.StatusCode != 200 || !strings.Contains(body, "Now with milestones") || res.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d, etag %q, changed text shown: %v", res.StatusCode, res.Header.Get("ETag"), strings.Contains(body, "Now with milestones"))
	}
	// A logged-in reader's page is never the anonymous one.
	code, body = sec.get("/group/quic/about/")
	want(t, "logged in", code, body, 200, "Sam Secretariat", "Edit group")
}

// TestEveryPageRenders opens the pages no other test opens, as the people
// allowed to see them.
func TestEveryPageRenders(t *testing.T) {
	s := newSite(t)
	sec, chair := s.client(), s.client()
	sec.login("sec@example.org")
	chair.login("chair@example.org")
	code, body := chair.post("/accounts/email/add/", url.Values{"email": {"chris@work.example"}})
	want(t, "add email", code, body, 200, "confirmation link")
	link := s.lastLink("chris@work.example")
	code, body = chair.get(link)
	want(t, "email confirm form", code, body, 200, "chris@work.example")
	code, body = chair.post(link, nil)
	want(t, "email confirmed", code, body, 200, "is now one of the addresses")
	code, body = s.client().get("/person/chris@work.example/")
	want(t, "person by second address", code, body, 200, "Chris Chair")

	code, body = sec.get("/admin/outbox/")
	want(t, "outbox", code, body, 200, "Confirm your address", "chris@work.example")
	msgs, _ := mail.List(context.Background(), s.db, "", 1)
	code, body = sec.get("/admin/outbox/" + record.SubjectID(msgs[0].ID) + "/")
	want(t, "outbox message", code, body, 200, "Subject: Confirm your address")

	code, body = sec.get("/group/httpbis/edit/")
	want(t, "edit form", code, body, 200, `name="state"`, "httpbis@ietf.org")
	code, body = chair.get("/group/httpbis/edit/")
	want(t, "chair's edit form", code, body, 200, `name="description"`)
	if strings.Contains(body, `name="state"`) {
		t.Error("a chair is offered the state field")
	}
	code, body = sec.get("/group/create/")
	want(t, "create form", code, body, 200, `name="acronym"`, "Applications and Real-Time Area")
	code, body = sec.post("/group/httpbis/charter/", url.Values{"text": {"First charter."}})
	want(t, "charter proposed", code, body, 200, "First charter.", "Draft Charter")
	if _, err := s.groups.ReviseCharter(context.Background(), groups.Operator(record.System), "httpbis", "First charter.", "approved before hum"); err != nil {
		t.Fatal(err)
	}
	code, body = s.client().get("/group/httpbis/charter/1/")
	want(t, "charter revision", code, body, 200, "revision 01", "First charter.")
	code, _ = s.client().get("/group/httpbis/charter/7/")
	want(t, "missing charter revision", code, "", 404)
	code, body = sec.get("/rg/")
	want(t, "rg without irtf", code, body, 404)
}
