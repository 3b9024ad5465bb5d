package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hum/internal/archive"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/jobs"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

// TestOneClickUnsubscribeCrossSite: RFC 8058 one-click POSTs come from
// mail providers, with their Origin; cross-origin protection lets exactly
// that path through and still refuses other cross-site POSTs.
func TestOneClickUnsubscribeCrossSite(t *testing.T) {
	st, ls := newListSite(t)
	ctx := context.Background()
	sub, err := ls.Subscribe(ctx, record.System, "httpbis", "reader@example.net", "each")
	if err != nil {
		t.Fatal(err)
	}
	pat := st.client()
	pat.login("pat@example.org")
	crossSite := func(c *client, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", st.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://mail.google.com")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	for _, path := range []string{
		"/list/httpbis/unsubscribe/" + sub.Token + "/x", // below the one-click path
		"/list/httpbis/unsubscribe/",
		"/list/httpbis/subscribe/",
		"/group/quic/edit/",
	} {
		code, body := crossSite(pat, path, url.Values{"email": {"pat@example.org"}, "description": {"pwned"}}.Encode())
		want(t, "cross-site POST "+path, code, body, 403, "another site")
	}
	if _, err := ls.Subscription(ctx, "httpbis", "pat@example.org"); err == nil {
		t.Error("a cross-site POST subscribed pat")
	}

	code, body := crossSite(st.client(), "/list/httpbis/unsubscribe/"+sub.Token+"/", "List-Unsubscribe=One-Click")
	want(t, "one-click unsubscribe from mail.google.com", code, body, 200, "Unsubscribed")
	if s, _ := ls.Subscription(ctx, "httpbis", "reader@example.net"); s.State != "gone" {
		t.Errorf("after a cross-site one-click: state %q, want gone", s.State)
	}
}

// newServer builds a Server as hum serve does, with every service: those
// c lacks are made on c.DB, as serve makes them.
func newServer(tb testing.TB, c Config) *Server {
	tb.Helper()
	d := c.DB
	if c.People == nil {
		c.People = &people.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", From: "hum@hum.test", Argon2: testbody.Cheap}
	}
	if c.Groups == nil {
		c.Groups = &groups.Service{DB: d}
	}
	if c.Archive == nil {
		c.Archive = &archive.Service{DB: d}
	}
	if c.Lists == nil {
		c.Lists = &lists.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	}
	if c.Docs == nil {
		c.Docs = &docs.Service{DB: d, Groups: c.Groups, Mail: c.Lists.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test", Lists: c.Lists}
	}
	if c.Meetings == nil {
		c.Meetings = &meetings.Service{DB: d, Groups: c.Groups, Mail: c.Lists.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test", Lists: c.Lists}
	}
	if c.Jobs == nil {
		c.Jobs = jobs.New(slog.New(slog.DiscardHandler))
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(testLog{tb}, nil))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://hum.test"
	}
	s, err := New(c)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// testLog sends the server's log to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
