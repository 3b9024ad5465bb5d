package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
)

// listSite is the test site with mailing lists.
func newListSite(t *testing.T) (*site, *lists.Service) {
	t.Helper()
	b := newBody(t)
	ls := &lists.Service{DB: b.DB, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	st := serve(t, b, Config{Lists: ls})
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st, ls
}

var confirmLinkRE = regexp.MustCompile(`/list/httpbis/confirm/([a-z2-7]{32})/`)

func TestListSubscribeByMailedLink(t *testing.T) {
	st, ls := newListSite(t)
	c := st.client()
	if code, body := c.get("/list/"); code != 200 || !strings.Contains(body, `href="/list/httpbis/"`) {
		t.Fatalf("/list/: %d", code)
	}
	if code, body := c.get("/list/httpbis/"); code != 200 || !strings.Contains(body, "Subscribe") {
		t.Fatalf("/list/httpbis/: %d", code)
	}
	if code, _ := c.get("/list/nosuch/"); code != 404 {
		t.Errorf("unknown list: %d", code)
	}
	code, body := c.post("/list/httpbis/subscribe/", url.Values{"email": {"reader@example.net"}, "mode": {"digest"}})
	if code != 200 || !strings.Contains(body, "Check your mail") {
		t.Fatalf("subscribe: %d\n%s", code, body)
	}
	qs, _ := mail.List(context.Background(), st.db, "", 10)
	m := confirmLinkRE.FindStringSubmatch(string(qs[0].Raw))
	if m == nil {
		t.Fatalf("no link in\n%s", qs[0].Raw)
	}
	// Following the link only shows a button.
	if code, _ := c.get("/list/httpbis/confirm/" + m[1] + "/"); code != 200 {
		t.Fatalf("confirm page: %d", code)
	}
	if _, err := ls.Subscription(context.Background(), "httpbis", "reader@example.net"); err == nil {
		t.Fatal("a GET subscribed")
	}
	if code, _ := c.post("/list/httpbis/confirm/"+m[1]+"/", nil); code != 200 {
		t.Fatalf("confirm: %d", code)
	}
	sub, err := ls.Subscription(context.Background(), "httpbis", "reader@example.net")
	if err != nil || sub.Mode != lists.ModeDigest {
		t.Fatalf("after confirming: %+v %v", sub, err)
	}
	if code, _ := c.post("/list/httpbis/confirm/"+m[1]+"/", nil); code != 409 {
		t.Errorf("second use of the link: %d, want 409", code)
	}
}

func TestListOneClickAndLoggedIn(t *testing.T) {
	st, ls := newListSite(t)
	c := st.client()
	c.login("pat@example.org")
	if code, _ := c.post("/list/httpbis/subscribe/", url.Values{"mode": {"each"}}); code != 200 {
		t.Fatalf("one-click subscribe: %d", code)
	}
	sub, err := ls.Subscription(context.Background(), "httpbis", "pat@example.org")
	if err != nil || sub.State != "active" {
		t.Fatalf("logged-in subscribe: %+v %v", sub, err)
	}
	if code, _ := c.get("/list/httpbis/subscribers/"); code != 403 {
		t.Errorf("a participant saw the subscribers: %d", code)
	}
	chair := st.client()
	chair.login("chair@example.org")
	if code, body := chair.get("/list/httpbis/subscribers/"); code != 200 || !strings.Contains(body, "pat@example.org") {
		t.Errorf("the chair cannot see the subscribers: %d", code)
	}
	sec := st.client()
	sec.login("sec@example.org")
	if code, _ := sec.get("/list/httpbis/subscribers/"); code != 200 {
		t.Errorf("the secretariat cannot see the subscribers: %d", code)
	}
	// RFC 8058: a mail provider POSTs List-Unsubscribe=One-Click, with
	// no cookie and no Origin.
	if code, _ := st.client().get("/list/httpbis/unsubscribe/" + sub.Token + "/"); code != 200 {
		t.Fatalf("unsubscribe page: %d", code)
	}
	res, err := http.Post(st.srv.URL+"/list/httpbis/unsubscribe/"+sub.Token+"/", "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
	}
	if sub, _ := ls.Subscription(context.Background(), "httpbis", "pat@example.org"); sub.State != "gone" {
		t.Errorf("after one-click: state %q", sub.State)
	}
	res, _ = http.Post(st.srv.URL+"/list/httpbis/unsubscribe/nottherighttoken/", "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if res.StatusCode != 404 {
		t.Errorf("bad token: %d, want 404", res.StatusCode)
	}
}

func TestListModerationPages(t *testing.T) {
	st, ls := newListSite(t)
	ctx := context.Background()
	raw := "From: outsider@example.net\r\nSubject: Held <b>one</b>\r\nMessage-ID: <held@example.net>\r\n\r\nbody\r\n"
	if err := ls.Receive(ctx, mail.Envelope{From: "outsider@example.net", To: []string{"httpbis@hum.test"}}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	pat := st.client()
	pat.login("pat@example.org")
	if code, _ := pat.get("/list/httpbis/moderation/"); code != 403 {
		t.Errorf("a participant saw the queue: %d", code)
	}
	chair := st.client()
	chair.login("chair@example.org")
	code, body := chair.get("/list/httpbis/moderation/")
	if code != 200 || !strings.Contains(body, "Held &lt;b&gt;one&lt;/b&gt;") {
		t.Fatalf("queue: %d\n%s", code, body)
	}
	id := regexp.MustCompile(`/list/httpbis/moderation/(\d+)/`).FindStringSubmatch(body)[1]
	if code, _ := chair.get("/list/httpbis/moderation/" + id + "/"); code != 200 {
		t.Fatalf("held message page: %d", code)
	}
	if code, _ := chair.post("/list/httpbis/moderation/"+id+"/", url.Values{"action": {"approve"}, "allow": {"1"}}); code != 200 {
		t.Fatalf("approve: %d", code)
	}
	if _, body := chair.get("/list/httpbis/moderation/"); !strings.Contains(body, "Nothing is waiting") {
		t.Error("the approved message is still in the queue")
	}
	if code, _ := chair.post("/list/httpbis/settings/", url.Values{"description": {"HTTP things"}, "post_policy": {"moderated"}, "max_kb": {"100"}, "archive_public": {"1"}}); code != 200 {
		t.Fatalf("settings: %d", code)
	}
	if l, _ := ls.Get(ctx, "httpbis"); l.PostPolicy != "moderated" || l.MaxBytes != 100*1024 || l.Description != "HTTP things" {
		t.Errorf("settings not saved: %+v", l)
	}
}

func TestListDeliveriesPage(t *testing.T) {
	st, ls := newListSite(t)
	ctx := context.Background()
	for _, a := range []string{"alice@example.org", "bob@example.net"} {
		if _, err := ls.Subscribe(ctx, record.System, "httpbis", a, lists.ModeEach); err != nil {
			t.Fatal(err)
		}
	}
	raw := "From: alice@example.org\r\nSubject: Queued <i>post</i>\r\nMessage-ID: <q1@example.org>\r\n\r\nbody\r\n"
	if err := ls.Receive(ctx, mail.Envelope{From: "alice@example.org", To: []string{"httpbis@hum.test"}}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	// The copies are queued after the 250; without a Deliverer, the
	// "list fan-out" job does it.
	if _, err := ls.ExpandFanouts(ctx); err != nil {
		t.Fatal(err)
	}
	pat := st.client()
	pat.login("pat@example.org")
	for _, p := range []string{"/list/httpbis/deliveries/", "/admin/deliveries/"} {
		if code, _ := pat.get(p); code != 403 {
			t.Errorf("a participant saw %s: %d", p, code)
		}
	}
	chair := st.client()
	chair.login("chair@example.org")
	code, body := chair.get("/list/httpbis/deliveries/")
	if code != 200 || !strings.Contains(body, "bob@example.net") || !strings.Contains(body, "Queued &lt;i&gt;post&lt;/i&gt;") || !strings.Contains(body, "without <code>--smarthost</code>") {
		t.Fatalf("the chair's deliveries page: %d\n%s", code, body)
	}
	if strings.Contains(body, ">alice@example.org<") {
		t.Error("the author is listed as a recipient of her own post")
	}
	if code, _ := chair.get("/admin/deliveries/"); code != 403 {
		t.Errorf("a chair saw every list's deliveries: %d", code)
	}
	if code, body := chair.get("/list/httpbis/deliveries/?state=sent"); code != 200 || strings.Contains(body, "bob@example.net") {
		t.Errorf("?state=sent shows a queued copy: %d", code)
	}
	if code, _ := chair.get("/list/httpbis/deliveries/?state=bogus"); code != 400 {
		t.Errorf("?state=bogus: %d, want 400", code)
	}
	sec := st.client()
	sec.login("sec@example.org")
	if code, body := sec.get("/admin/deliveries/"); code != 200 || !strings.Contains(body, `href="/list/httpbis/deliveries/"`) || !strings.Contains(body, "bob@example.net") {
		t.Errorf("the secretariat's deliveries page: %d\n%s", code, body)
	}
}

// TestListModeratorsOnSettingsPage: those who may change a list's
// settings add and remove moderators by address there, and each change
// goes on the record.
func TestListModeratorsOnSettingsPage(t *testing.T) {
	st, ls := newListSite(t)
	ctx := context.Background()
	pat := st.client()
	pat.login("pat@example.org")
	if code, _ := pat.get("/list/httpbis/settings/"); code != 403 {
		t.Errorf("a participant saw the settings page: %d", code)
	}
	if code, _ := pat.post("/list/httpbis/settings/moderators/", url.Values{"action": {"add"}, "email": {"pat@example.org"}}); code != 403 {
		t.Errorf("a participant made themself a moderator: %d", code)
	}
	chair := st.client()
	chair.login("chair@example.org")
	if code, body := chair.get("/list/httpbis/"); !strings.Contains(body, `href="/list/httpbis/settings/"`) {
		t.Errorf("the list page (%d) has no link to the settings", code)
	}
	if code, body := chair.get("/list/httpbis/settings/"); code != 200 || !strings.Contains(body, "Nobody has been added") || !strings.Contains(body, `name="max_kb"`) {
		t.Fatalf("settings page: %d\n%s", code, body)
	}
	code, body := chair.post("/list/httpbis/settings/moderators/", url.Values{"action": {"add"}, "email": {"nobody@example.net"}})
	if code != 400 || !strings.Contains(body, "Nobody has an account with nobody@example.net") {
		t.Errorf("adding an address with no account: %d\n%s", code, body)
	}
	code, body = chair.post("/list/httpbis/settings/moderators/", url.Values{"action": {"add"}, "email": {"Pat@Example.org"}})
	if code != 200 || !strings.Contains(body, "Pat Participant") || !strings.Contains(body, "now moderates httpbis") {
		t.Fatalf("add: %d\n%s", code, body)
	}
	if code, _ := pat.get("/list/httpbis/moderation/"); code != 200 {
		t.Errorf("the new moderator cannot see the queue: %d", code)
	}
	if code, _ := chair.post("/list/httpbis/settings/moderators/", url.Values{"action": {"remove"}, "email": {"pat@example.org"}}); code != 200 {
		t.Fatalf("remove: %d", code)
	}
	if code, _ := pat.get("/list/httpbis/moderation/"); code != 403 {
		t.Errorf("a removed moderator still sees the queue: %d", code)
	}
	var added, removed int
	st.db.QueryRow(`SELECT COUNT(*) FROM event WHERE subject = 'httpbis' AND kind = 'moderator_added' AND summary = 'Pat Participant now moderates the list'`).Scan(&added)
	st.db.QueryRow(`SELECT COUNT(*) FROM event WHERE subject = 'httpbis' AND kind = 'moderator_removed'`).Scan(&removed)
	if added != 1 || removed != 1 {
		t.Errorf("events: %d added, %d removed; want 1 and 1", added, removed)
	}
	if ms, err := ls.Moderators(ctx, groups.Actor{Actor: record.System}, "httpbis"); err == nil || len(ms) != 0 {
		t.Errorf("Moderators without a moderator asking: %v, %v", ms, err)
	}
}

// TestListSecondAddress: someone whose list mail goes to another address
// of their account sees that subscription on the list page, not a
// Subscribe button that would send them a second copy of every post, and
// their delivery option and leaving act on that address.
func TestListSecondAddress(t *testing.T) {
	st, ls := newListSite(t)
	ctx := context.Background()
	pat, err := st.people.ByEmail(ctx, "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.people.StartAddEmail(ctx, pat.ID, "pat.work@example.net"); err != nil {
		t.Fatal(err)
	}
	qs, _ := mail.List(ctx, st.db, "", 10)
	m := regexp.MustCompile(`/accounts/email/confirm/([^/\s]+)/`).FindStringSubmatch(string(qs[0].Raw))
	if m == nil {
		t.Fatalf("no confirmation link in\n%s", qs[0].Raw)
	}
	if _, err := st.people.FinishAddEmail(ctx, m[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.Subscribe(ctx, record.System, "httpbis", "pat.work@example.net", lists.ModeEach); err != nil {
		t.Fatal(err)
	}
	c := st.client()
	c.login("pat@example.org")
	code, body := c.get("/list/httpbis/")
	want(t, "list page", code, body, 200, "pat.work@example.net is subscribed")
	if strings.Contains(body, `action="/list/httpbis/subscribe/"`) {
		t.Errorf("the list page offers to subscribe someone already subscribed through their second address")
	}
	if code, _ := c.post("/list/httpbis/options/", url.Values{"mode": {"digest"}}); code != 200 {
		t.Fatalf("delivery option: %d", code)
	}
	if sub, _ := ls.Subscription(ctx, "httpbis", "pat.work@example.net"); sub.Mode != lists.ModeDigest {
		t.Errorf("after choosing digests the second address's mode is %q", sub.Mode)
	}
	if _, err := ls.Subscription(ctx, "httpbis", "pat@example.org"); err == nil {
		t.Errorf("choosing a delivery option subscribed the primary address")
	}
	if code, _ := c.post("/list/httpbis/options/", url.Values{"action": {"unsubscribe"}}); code != 200 {
		t.Fatalf("leaving: %d", code)
	}
	if sub, _ := ls.Subscription(ctx, "httpbis", "pat.work@example.net"); sub.State != "gone" {
		t.Errorf("after leaving, the second address's subscription is %q", sub.State)
	}
}
