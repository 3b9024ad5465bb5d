package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"hum/internal/db"
)

// TestTrackButton: a logged-in person tracks a draft and a group with the
// buttons on their pages, sees them at /accounts/track/, changes how and
// untracks; nobody logged in sees no button and can track nothing.
func TestTrackButton(t *testing.T) {
	st, _ := lcSite(t)
	doc := "/doc/" + lcDraft + "/"
	anon := st.client()
	_, body := anon.get(doc)
	if strings.Contains(body, `id="track"`) {
		t.Error("the draft's page shows a Track button to nobody logged in")
	}
	code, _ := anon.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {lcDraft}, "mode": {"each"}})
	if code != 401 {
		t.Errorf("tracking without logging in: status %d, want 401", code)
	}

	pat := st.client()
	pat.login("pat@example.org")
	code, body = pat.get(doc)
	want(t, "the draft's page", code, body, 200, `id="track"`, `name="mode" value="each"`, `name="mode" value="daily"`)
	code, body = pat.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {lcDraft}, "mode": {"each"}, "next": {doc}})
	want(t, "track the draft", code, body, 200, "You track this: a mail for each change", `name="mode" value="untrack"`)
	code, body = pat.get("/group/httpbis/about/")
	want(t, "the group's page", code, body, 200, `id="track"`, `name="mode" value="each"`)
	code, body = pat.post("/accounts/track/", url.Values{"type": {"group"}, "name": {"httpbis"}, "mode": {"daily"}, "next": {"/group/httpbis/about/"}})
	want(t, "track the group", code, body, 200, "You track this: a daily summary")
	code, body = pat.get("/accounts/track/")
	want(t, "what pat tracks", code, body, 200, `href="/doc/`+lcDraft+`/"`, `href="/group/httpbis/about/"`, "each change", "a daily summary")
	follows, err := db.Query(context.Background(), st.db, db.Scalar[string], `SELECT f.subject_type || ' ' || f.subject || ' ' || f.mode
		FROM follow f JOIN email e ON e.person_id = f.person_id WHERE e.address = 'pat@example.org' ORDER BY f.subject_type DESC`)
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{"group httpbis daily", "doc " + lcDraft + " each"}; !slices.Equal(follows, w) {
		t.Errorf("stored follows %v, want %v", follows, w)
	}

	// Bad input changes nothing.
	code, _ = pat.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {"draft-nobody-wrote"}, "mode": {"each"}})
	if code != 404 {
		t.Errorf("tracking a draft that does not exist: status %d, want 404", code)
	}
	code, _ = pat.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {lcDraft}, "mode": {"hourly"}})
	if code != 400 {
		t.Errorf("an unknown mode: status %d, want 400", code)
	}

	// Daily instead, then untrack.
	code, body = pat.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {lcDraft}, "mode": {"daily"}})
	want(t, "daily instead", code, body, 200, "a summary of its changes is mailed to you once a day")
	code, body = pat.post("/accounts/track/", url.Values{"type": {"doc"}, "name": {lcDraft}, "mode": {"untrack"}, "next": {doc}})
	want(t, "untrack the draft", code, body, 200, `name="mode" value="each"`)
	_, body = pat.get("/accounts/track/")
	if strings.Contains(body, `href="/doc/`+lcDraft+`/"`) {
		t.Error("the untracked draft is still listed")
	}
}

// TestNotifyListPage: the draft's chairs change its notify list at
// /doc/{name}/edit/notify/; a participant is refused, and an address
// nobody has is refused with the form shown again.
func TestNotifyListPage(t *testing.T) {
	st, _ := lcSite(t)
	path := "/doc/" + lcDraft + "/edit/notify/"
	pat := st.client()
	pat.login("pat@example.org")
	code, body := pat.get(path)
	want(t, "the notify page", code, body, 200, lcDraft+".notify@hum.test", `id="notify-form"`)
	code, _ = pat.post(path, url.Values{"notify": {"pat@example.org"}})
	if code != 403 {
		t.Errorf("a participant changes the notify list: status %d, want 403", code)
	}
	chair := st.client()
	chair.login("chair@example.org")
	code, body = chair.post(path, url.Values{"notify": {"stranger@example.net"}})
	want(t, "an unknown address", code, body, 400, "stranger@example.net")
	code, body = chair.post(path, url.Values{"notify": {"pat@example.org, sec@example.org"}})
	want(t, "the chair's change", code, body, 200, "Notify list changed.", "pat@example.org\nsec@example.org")
	got, err := db.Query(context.Background(), st.db, db.Scalar[string], `SELECT n.address FROM doc_notify n JOIN doc d ON d.id = n.doc_id
		WHERE d.name = $1 ORDER BY n.ord`, lcDraft)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"pat@example.org", "sec@example.org"}) {
		t.Errorf("notify list %v", got)
	}
}
