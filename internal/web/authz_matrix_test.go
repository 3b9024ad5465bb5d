package web

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The authorization matrix (issue 13): every state-changing route, tried
// as every kind of person, against a table of what the IETF's rules and
// the Datatracker allow each of them. The table is authzProbes
// (authz_table_test.go); this file finds the routes, builds the
// standards body and runs the table.

// The people the matrix acts as, with the address they log in with ("" is
// nobody logged in). Each acts from a loopback address of their own, so
// the per-client limits on logins and mail never mix them up.
var authzRoles = []struct{ name, email string }{
	{"anonymous", ""},
	{"participant", "pat@example.org"}, // an account and no role
	{"other-chair", "oc@example.org"},  // chair of quic, another WG of the same area
	{"chair", "chair@example.org"},     // chair of httpbis, the group acted on
	{"other-ad", "oad@example.org"},    // AD of rtg, another area
	{"ad", "ad@example.org"},           // AD of art, responsible for httpbis
	{"iesg", "exo@example.org"},        // an ex-officio IESG member, not an AD (R42)
	{"iab", "iab@example.org"},         // an IAB member
	{"ietf-chair", "ic@example.org"},   // the IETF Chair: General AD, IESG chair, IAB member
	{"secretariat", "sec@example.org"}, // the secretariat
}

// Outcomes other than a refusal's status.
const (
	isAllowed = 1 // 2xx (after redirects), and the target changed
	held      = 2 // 2xx, but the target must not change: it waits for someone else
)

type reqKind int

const (
	formPost   reqKind = iota // a browser's form, with its session
	apiPost                   // a script's form, with the role's API key
	uploadPost                // a browser's multipart upload
	apiUpload                 // a script's multipart upload, with the role's API key
)

// authzProbe is one case of one route: the request, and what each role
// must get.
type authzProbe struct {
	route string // the pattern as routes*.go registers it
	what  string
	kind  reqKind
	// setup makes what the request acts on; path and form build the
	// request (who is the role's name).
	setup func(f *authzFixture)
	path  func(f *authzFixture) string
	form  func(f *authzFixture, who string) url.Values
	file  func(f *authzFixture, who string) (field, name string, data []byte)
	// target describes what the request acts on: an allowed request must
	// change it, a held one must not.
	target func(f *authzFixture) string
	ok     []string       // allowed
	held   []string       // taken, but changing nothing yet
	anon   int            // the status anonymous gets when not listed above (401 if 0)
	no     int            // the status every other role gets
	except map[string]int // roles whose refusal has another status
	// shared: allowed requests of different roles do not get in each
	// other's way, so one standards body serves every role; otherwise
	// each allowed role gets a fresh one.
	shared bool
}

func (p authzProbe) want(role string) int {
	switch {
	case slices.Contains(p.ok, role):
		return isAllowed
	case slices.Contains(p.held, role):
		return held
	case p.except[role] != 0:
		return p.except[role]
	case role == "anonymous" && p.anon != 0:
		return p.anon
	case role == "anonymous":
		return http.StatusUnauthorized
	}
	return p.no
}

func outcome(c int) string {
	switch c {
	case isAllowed:
		return "allowed"
	case held:
		return "held"
	}
	return "refused " + strconv.Itoa(c)
}

// stateChangingRoutes reads the route tables (routes*.go) and returns
// every pattern registered for a method other than GET and HEAD. A
// pattern registered without a method answers every method, so it
// counts too.
func stateChangingRoutes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("routes*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no route files: %v", err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				if slices.Contains([]string{"handle", "publicGet", "Handle", "HandleFunc"}, sel.Sel.Name) {
					t.Errorf("%s: a route registered with a pattern that is not a literal; the matrix cannot read it", fset.Position(call.Pos()))
				}
				return true
			}
			pattern, _ := strconv.Unquote(lit.Value)
			switch sel.Sel.Name {
			case "publicGet":
				pattern = "GET " + pattern
			case "handle", "Handle", "HandleFunc":
			default:
				return true
			}
			method, _, found := strings.Cut(pattern, " ")
			if !found || (method != "GET" && method != "HEAD") {
				out = append(out, pattern)
			}
			return true
		})
	}
	return out
}

// TestAuthzMatrix tries every state-changing route as every role. A
// refused request must change nothing: no event, no mail, no token, no
// row in the tables people act on.
func TestAuthzMatrix(t *testing.T) {
	routes := stateChangingRoutes(t)
	if len(routes) < 40 {
		t.Fatalf("found only %d state-changing routes; is the route reader broken?", len(routes))
	}
	covered := map[string]bool{}
	for _, p := range authzProbes {
		if !slices.Contains(routes, p.route) {
			t.Errorf("the table has %q, which no route file registers", p.route)
		}
		covered[p.route] = true
	}
	for _, r := range routes {
		if !covered[r] {
			t.Errorf("%s has no row in the authorization matrix (authz_table_test.go): say who may use it", r)
		}
	}
	var checks atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d state-changing routes, %d cases, %d roles: %d checks", len(routes), len(authzProbes), len(authzRoles), checks.Load())
	})
	for _, p := range authzProbes {
		t.Run(p.route+" "+p.what, func(t *testing.T) {
			t.Parallel() // each case has standards bodies of its own
			// One standards body serves the roles until a request
			// changes it; a refusal leaves it as it was, which try checks.
			var f *authzFixture
			for _, r := range authzRoles {
				want := p.want(r.name)
				if f == nil {
					f = newAuthzFixture(t, p)
				}
				f.try(p, r.name, want)
				checks.Add(1)
				if (want == isAllowed || want == held) && !p.shared {
					f = nil // it has changed: the next role gets a fresh one
				}
			}
		})
	}
}

// try sends p's request as role and checks the outcome.
func (f *authzFixture) try(p authzProbe, role string, want int) {
	t := f.t
	t.Helper()
	f.client(role) // logged in before anything is counted
	before, target := f.fingerprint(), ""
	if p.target != nil {
		target = p.target(f)
	}
	code, body := f.send(p, role)
	after := f.fingerprint()
	got := code
	if code >= 200 && code < 300 {
		got = isAllowed
		if p.target != nil && p.target(f) == target {
			got = held
		}
	}
	if want == held && got == isAllowed && p.target == nil {
		t.Fatalf("%s: a held row needs a target", p.what)
	}
	if got != want {
		t.Errorf("%-11s %s (%s): %s, want %s\n%.600s", role, p.route, p.what, outcome(got), outcome(want), textOf(body))
		return
	}
	if want != isAllowed && want != held && after != before {
		t.Errorf("%-11s %s (%s): refused with %d, yet it changed\n  before %s\n  after  %s", role, p.route, p.what, code, before, after)
	}
}

// textOf is a page's text, roughly, for a failure message.
func textOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	var b strings.Builder
	in := false
	for _, r := range body {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// send makes p's request as role, from that role's own client.
func (f *authzFixture) send(p authzProbe, role string) (int, string) {
	t := f.t
	t.Helper()
	c := f.client(role)
	path := p.path(f)
	var form url.Values
	if p.form != nil {
		form = p.form(f, role)
	}
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	switch p.kind {
	case formPost, apiPost:
		body = strings.NewReader(form.Encode())
	case uploadPost, apiUpload:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		field, name, data := p.file(f, role)
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
		mw.Close()
		body, ctype = &b, mw.FormDataContentType()
	}
	req, _ := http.NewRequest("POST", f.srv.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	if (p.kind == apiPost || p.kind == apiUpload) && role != "anonymous" {
		req.Header.Set("X-API-Key", f.keys[role])
	}
	res, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// fingerprint sums up everything a request could change: the newest
// event (every change records one) and the rows of the tables people
// change without one being needed first (mail, tokens, sessions' keys).
func (f *authzFixture) fingerprint() string {
	f.t.Helper()
	var parts []string
	for _, q := range []string{
		`SELECT COALESCE(MAX(id), 0) FROM event`,
		`SELECT COUNT(*) FROM outbox`,
		`SELECT COUNT(*) FROM token`,
		`SELECT COUNT(*) FROM list_pending`,
		`SELECT COUNT(*) FROM submission`,
		`SELECT COUNT(*) FROM api_key WHERE revoked IS NULL`,
		`SELECT COUNT(*) FROM subscription`,
		`SELECT COUNT(*) FROM role`,
		`SELECT COUNT(*) FROM email`,
		`SELECT COUNT(*) FROM list_moderator`,
	} {
		var n int64
		if err := f.db.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
		parts = append(parts, strconv.FormatInt(n, 10))
	}
	return strings.Join(parts, "/")
}

// scalar runs a query that returns one value, as text.
func (f *authzFixture) scalar(q string, args ...any) string {
	f.t.Helper()
	var v any
	if err := f.db.QueryRowContext(context.Background(), q, args...).Scan(&v); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// idOf is the id of the row q selects.
func (f *authzFixture) idOf(q string, args ...any) string { return f.scalar(q, args...) }

// now is the fixture's clock.
func (f *authzFixture) later(d time.Duration) { f.now = f.now.Add(d) }
