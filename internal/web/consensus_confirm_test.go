package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestR31DecisionPendingUntilItsCallCloses is issue 11's acceptance: a
// decision taken at a meeting stays pending while its confirmation call
// is open, and shows as confirmed once the call closes with consensus;
// one whose call finds no consensus shows as reversed, with the reason.
func TestR31DecisionPendingUntilItsCallCloses(t *testing.T) {
	st, _ := materialsSite(t)
	chair, pat := st.client(), st.client()
	chair.login("chair@example.org")
	const page = "/meeting/125/session/httpbis/"
	for _, text := range []string{"Use structured fields for the new header.", "Drop the caching section."} {
		code, body := chair.post(page+"decisions/", url.Values{"text": {text}})
		want(t, "record", code, body, 200, "pending list confirmation")
	}
	ids := map[string]string{}
	rows, err := st.db.QueryContext(context.Background(), `SELECT id, text FROM decision`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, text string
		rows.Scan(&id, &text)
		ids[text] = id
	}
	rows.Close()

	callOf := regexp.MustCompile(`/group/httpbis/calls/([0-9]+)/`)
	open := func(text string) string {
		t.Helper()
		code, body := chair.get("/group/httpbis/calls/new/?kind=confirm&decision=" + ids[text])
		want(t, "the confirmation form", code, body, 200, text)
		code, at, body := chair.send("/group/httpbis/calls/new/", url.Values{"kind": {"confirm"}, "decision": {ids[text]}, "question": {"Do we confirm: " + text}})
		want(t, "open the confirmation call", code, body, 200, "The call is open")
		m := callOf.FindStringSubmatch(at)
		if m == nil {
			t.Fatalf("no call page after opening; at %s", at)
		}
		return m[0]
	}
	confirm, reverse := open("Use structured fields for the new header."), open("Drop the caching section.")

	// Both calls are open: both decisions are still pending (R31).
	code, body := pat.get("/group/httpbis/decisions/")
	want(t, "pending while the calls are open", code, body, 200)
	if n := strings.Count(body, "pending list confirmation"); n < 2 || strings.Contains(body, "confirmed on the list") {
		t.Errorf("R31: with the calls open, the decisions page shows %d pending (want 2) or one confirmed:\n%s", n, body)
	}

	code, body = chair.post(confirm, url.Values{"action": {"close"}, "outcome": {"consensus"}, "explanation": {"No one objected on the list."}})
	want(t, "close with consensus", code, body, 200, "The call is closed")
	code, body = chair.post(reverse, url.Values{"action": {"close"}, "outcome": {"none"}, "explanation": {"The list wants to keep the caching section."}})
	want(t, "close with no consensus", code, body, 200, "The call is closed")

	code, body = pat.get("/group/httpbis/decisions/")
	want(t, "R31 settled by the list", code, body, 200, "confirmed on the list", "reversed", "The list wants to keep the caching section.", confirm)
	code, body = pat.get("/group/httpbis/about/")
	if i := strings.Index(body, `id="pending-decisions"`); i >= 0 {
		t.Errorf("R31: the WG page still lists decisions pending after both calls closed:\n%s", body[i:min(len(body), i+400)])
	}
	code, body = pat.get(page)
	want(t, "the session page", code, body, 200, "confirmed on the list", "reversed")
}
