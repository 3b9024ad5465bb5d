package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/meetings"
	"hum/internal/record"
)

// TestR31DecisionsOnTheSessionPage: httpbis's chair records a decision
// on the session page and takes two from the minutes, never twice; a
// participant cannot; the WG page lists them pending with a link to
// open a confirmation call, flags one pending over a month, and no
// longer lists one the list confirmed, which /group/httpbis/decisions/
// shows as confirmed.
func TestR31DecisionsOnTheSessionPage(t *testing.T) {
	st, now := materialsSite(t)
	chair, pat := st.client(), st.client()
	chair.login("chair@example.org")
	pat.login("pat@example.org")
	const page = "/meeting/125/session/httpbis/"

	code, body := pat.post(page+"decisions/", url.Values{"text": {"We decided."}})
	want(t, "R31 a participant records", code, body, 403, "Only the chairs")
	code, body = chair.post(page+"decisions/", url.Values{"text": {"  "}})
	want(t, "R31 an empty decision", code, body, 400, "Write the decision")
	code, body = chair.post(page+"decisions/", url.Values{"text": {"Use structured fields for the new header."}})
	want(t, "R31 record", code, body, 200, "pending confirmation on the list (R31)", "Use structured fields for the new header.", "pending list confirmation")
	code, body = chair.post(page+"decisions/", url.Values{"text": {"Use structured fields for the new header."}})
	want(t, "R31 the same decision again", code, body, 409, "recorded once")

	// Minutes with two Decision: lines, one of them already recorded.
	ms := &meetings.Service{DB: st.db, Groups: st.groups}
	var cid int64
	st.db.QueryRowContext(context.Background(), `SELECT id FROM person WHERE name = 'Chris Chair'`).Scan(&cid)
	by, _ := st.groups.ActorOf(context.Background(), record.Actor{ID: cid, Name: "Chris Chair"})
	if _, err := ms.Upload(context.Background(), by, "125", "httpbis", meetings.Upload{Kind: "minutes", Filename: "minutes.md",
		Content: []byte("# Minutes\n\n- Decision: Use structured fields for the new header.\n- DECISION: Ask the list about caching.\n")}, ""); err != nil {
		t.Fatal(err)
	}
	code, body = chair.get(page)
	want(t, "the minutes' decisions offered", code, body, 200, `id="minutes-decisions"`, `value="Ask the list about caching."`)
	if strings.Contains(body, `value="Use structured fields for the new header."`) {
		t.Error("R31: the decision recorded by hand is offered again from the minutes")
	}
	code, body = pat.get(page)
	if strings.Contains(body, `id="minutes-decisions"`) {
		t.Error("a participant is offered the minutes' decisions")
	}
	code, body = chair.post(page+"decisions/minutes/", url.Values{"decision": {"Ask the list about caching.", "Use structured fields for the new header."}})
	want(t, "R31 from the minutes", code, body, 200, "Recorded 1 decision(s) from the minutes", "1 were recorded already")
	code, body = chair.post(page+"decisions/minutes/", url.Values{"decision": {"Something nobody said."}})
	want(t, "R31 a line not in the minutes", code, body, 400, "The minutes state no decision")
	var n int
	st.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM decision`).Scan(&n)
	if n != 2 {
		t.Errorf("R31: %d decisions recorded, want 2 (never twice)", n)
	}

	// The WG page: both pending; a chair may open a confirmation call.
	code, body = chair.get("/group/httpbis/about/")
	want(t, "WG page, chair", code, body, 200, "Decisions pending list confirmation", "Ask the list about caching.", "/group/httpbis/calls/new/?kind=confirm&amp;decision=")
	code, body = pat.get("/group/httpbis/about/")
	want(t, "WG page, participant", code, body, 200, "Ask the list about caching.")
	if strings.Contains(body, "open a confirmation call") || strings.Contains(body, "pending over a month") {
		t.Error("a participant is offered a confirmation call, or a fresh decision is flagged")
	}
	// A month and a day on: flagged, on the WG page and the dashboard.
	*now = now.AddDate(0, 1, 1)
	code, body = chair.get("/group/httpbis/about/")
	want(t, "R31 WG page after a month", code, body, 200, "pending over a month")
	code, body = chair.get("/group/httpbis/chair/")
	want(t, "R31 dashboard after a month", code, body, 200, "Decisions awaiting list confirmation", "pending over a month", "open a confirmation call")

	// The list confirms one (as closing its confirmation call does).
	if _, err := st.db.ExecContext(context.Background(), `UPDATE decision SET state = 'confirmed', settled = $1 WHERE text = 'Ask the list about caching.'`, *now); err != nil {
		t.Fatal(err)
	}
	code, body = pat.get("/group/httpbis/about/")
	if i := strings.Index(body, `id="pending-decisions"`); i >= 0 {
		body = body[i:]
		body = body[:strings.Index(body, "All decisions")]
	}
	if strings.Contains(body, "Ask the list about caching.") || !strings.Contains(body, "Use structured fields") {
		t.Errorf("WG page after confirmation lists the confirmed decision, or not the pending one:\n%s", body)
	}
	code, body = pat.get("/group/httpbis/chair/")
	if strings.Contains(body, "Ask the list about caching.") || !strings.Contains(body, "Use structured fields") {
		t.Error("the dashboard lists a confirmed decision as awaiting confirmation")
	}
	code, body = pat.get("/group/httpbis/decisions/")
	want(t, "all decisions", code, body, 200, "confirmed on the list", "pending list confirmation", "Ask the list about caching.")
	code, body = pat.get(page)
	want(t, "session page", code, body, 200, "confirmed on the list")

	// The API.
	code, body = pat.get("/api/v1/consensus/decision/?group__acronym=httpbis&state=confirmed")
	var res struct {
		Meta struct {
			TotalCount int `json:"total_count"`
		} `json:"meta"`
		Objects []struct {
			Text    string  `json:"text"`
			Settled *string `json:"settled"`
			Session *string `json:"session"`
		} `json:"objects"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 {
		t.Fatalf("api: %d %v\n%s", code, err, body)
	}
	if res.Meta.TotalCount != 1 || res.Objects[0].Text != "Ask the list about caching." || res.Objects[0].Settled == nil || res.Objects[0].Session == nil {
		t.Errorf("api = %+v", res)
	}
	code, body = pat.get("/api/v1/consensus/decision/?state=nonsense")
	want(t, "api bad state", code, body, 400, "pending, confirmed or reversed")
	code, body = pat.get("/api/v1/consensus/decision/?session=" + url.QueryEscape(*res.Objects[0].Session))
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Meta.TotalCount != 2 {
		t.Errorf("api by session: %d %s", code, body)
	}
	// A parameter that names no field is no filter, as in Tastypie; a
	// filter on a field that allows none is refused.
	code, body = pat.get("/api/v1/consensus/decision/?colour=red")
	want(t, "api unknown parameter", code, body, 200)
	code, body = pat.get("/api/v1/consensus/decision/?reason=x")
	want(t, "api unfiltered field", code, body, 400, "does not allow filtering")
}

// TestRequestForACall: a participant asks httpbis's chairs, from an
// individual draft's page, to call for its adoption; the chair's mail,
// dashboard and /me/ show it; a second request is refused naming the
// first; the chair declines it with a reason and the participant is told.
func TestRequestForACall(t *testing.T) {
	st, _ := materialsSite(t)
	ctx := context.Background()
	var docID int64
	if err := st.db.QueryRowContext(ctx, `INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ('draft-doe-http-thing', 'draft', '01', 'A Thing', 'active', $1, $1) RETURNING id`, time.Now()).Scan(&docID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, `INSERT INTO doc_rev (doc_id, rev, title, posted) VALUES ($1, '01', 'A Thing', $2)`, docID, time.Now()); err != nil {
		t.Fatal(err)
	}
	chair, pat, anon := st.client(), st.client(), st.client()
	chair.login("chair@example.org")
	pat.login("pat@example.org")
	code, body := pat.get("/doc/draft-doe-http-thing/")
	want(t, "doc page", code, body, 200, `action="/doc/draft-doe-http-thing/request_call/"`, `<option value="httpbis">`)
	code, body = anon.post("/doc/draft-doe-http-thing/request_call/", url.Values{"kind": {"adoption"}, "group": {"httpbis"}, "reason": {"Good."}})
	want(t, "not logged in", code, body, 401)
	code, body = pat.post("/doc/draft-doe-http-thing/request_call/", url.Values{"kind": {"adoption"}, "group": {"httpbis"}, "reason": {""}})
	want(t, "no reason", code, body, 400, "why the chairs should start this call")
	code, body = pat.post("/doc/draft-nobody-nothing/request_call/", url.Values{"kind": {"adoption"}, "group": {"httpbis"}, "reason": {"Good."}})
	want(t, "unknown draft", code, body, 404)
	code, body = pat.post("/doc/draft-doe-http-thing/request_call/", url.Values{"kind": {"adoption"}, "group": {"httpbis"}, "reason": {"Two implementations."}})
	want(t, "ask", code, body, 200, "is sent to the chairs of httpbis", "Two implementations.", "waiting")
	code, body = chair.post("/doc/draft-doe-http-thing/request_call/", url.Values{"kind": {"adoption"}, "group": {"httpbis"}, "reason": {"Me too."}})
	want(t, "a second waiting request", code, body, 409, "already waiting for the chairs", "/group/httpbis/requests/1/")
	code, body = pat.get("/doc/draft-doe-http-thing/")
	want(t, "doc page shows the waiting request", code, body, 200, "call for adoption in httpbis", "waits for the chairs")

	code, body = chair.get("/group/httpbis/chair/")
	want(t, "dashboard", code, body, 200, "Requests for calls", "call for adoption of draft-doe-http-thing", "Two implementations.",
		"/group/httpbis/calls/new/?doc=draft-doe-http-thing&amp;kind=adoption&amp;request=1", "Missing minutes")
	code, body = chair.get("/me/")
	want(t, "/me/ for the chair", code, body, 200, `id="board-httpbis"`, "call for adoption of draft-doe-http-thing")
	code, body = anon.get("/me/")
	want(t, "/me/ logged out", code, body, 401)
	code, body = pat.get("/me/")
	want(t, "/me/ for the requester", code, body, 200, "You lead no group", "call for adoption of draft-doe-http-thing in httpbis")

	code, body = pat.post("/group/httpbis/requests/1/decline/", url.Values{"answer": {"No."}})
	want(t, "a participant declines", code, body, 403)
	code, body = chair.post("/group/httpbis/requests/1/decline/", url.Values{"answer": {""}})
	want(t, "decline with no reason", code, body, 400, "Say why")
	code, body = chair.post("/group/httpbis/requests/1/decline/", url.Values{"answer": {"Wait for the recharter."}})
	want(t, "decline", code, body, 200, "declined", "Wait for the recharter.")
	var to, subject string
	st.db.QueryRowContext(ctx, `SELECT rcpt_to, subject FROM outbox ORDER BY id DESC LIMIT 1`).Scan(&to, &subject)
	if !strings.Contains(to, "pat@example.org") || !strings.Contains(subject, "Declined: call for adoption of draft-doe-http-thing in httpbis") {
		t.Errorf("answer mail to %q: %q", to, subject)
	}
	var chairMail string
	st.db.QueryRowContext(ctx, `SELECT subject FROM outbox WHERE rcpt_to LIKE '%chair@example.org%' ORDER BY id LIMIT 1`).Scan(&chairMail)
	if chairMail != "[hum] Request: call for adoption of draft-doe-http-thing in httpbis" {
		t.Errorf("the chairs' mail: %q", chairMail)
	}
}
