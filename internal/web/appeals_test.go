package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAppealPages files an appeal through the form, refused first for
// its short facts (R41) and at the wrong level (R37), then shows it on
// /appeals/, its page, the document's history ("Appealed:") and the API;
// the chair's response and the appellant's escalation go through the
// page's forms, and a late appeal is refused naming R41 and the date.
func TestAppealPages(t *testing.T) {
	f := newAuthzFixture(t, authzProbe{})
	f.appealedDecision()
	ev := f.saved["event"]
	pat, chair := f.client("participant"), f.client("chair")

	code, body := pat.get("/appeals/new/?decision=" + ev)
	want(t, "the form", code, body, 200, `value="`+ev+`"`, "R41")
	form := url.Values{"decision": {"/doc/draft-ietf-httpbis-appealed/history/#event-" + ev}, "facts": {"Wrong."}, "remedy": {"Reopen the call."}}
	code, body = pat.post("/appeals/new/", form)
	want(t, "short facts", code, body, 400, "in detail", "R41", "Reopen the call.")
	form.Set("facts", appealFacts)
	form.Set("level", "iab")
	code, body = pat.post("/appeals/new/", form)
	want(t, "the IAB first", code, body, 400, "R37", "the WG chairs")
	form.Set("level", "")
	code, body = pat.post("/appeals/new/", form)
	want(t, "filing", code, body, 200, "Appeal 1:", "awaiting the WG chairs", appealFacts)
	if n := f.scalar(`SELECT COUNT(*) FROM list_post WHERE subject LIKE 'Appeal 1 filed%'`); n != "1" {
		t.Errorf("%s announcements of the filing, want 1", n)
	}

	code, body = pat.get("/appeals/")
	want(t, "the list", code, body, 200, `href="/appeals/1/"`, "the WG chairs", "open")
	code, body = pat.get("/doc/draft-ietf-httpbis-appealed/history/")
	want(t, "the history", code, body, 200, "Appealed:", `href="/appeals/1/"`, `id="event-`+ev+`"`)

	res, err := http.Get(f.srv.URL + "/event/" + ev + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/doc/draft-ietf-httpbis-appealed/history/" {
		t.Errorf("/event/%s/ went to %s", ev, res.Request.URL)
	}

	code, body = pat.post("/appeals/1/respond/", url.Values{"response": {"Mine."}})
	want(t, "the appellant answering", code, body, 403, "chairs of httpbis")
	code, body = chair.get("/appeals/1/")
	want(t, "the chair's view", code, body, 200, "Record the response of the WG chairs")
	// The chairs' dashboards show the appeal waiting on them.
	code, body = pat.get("/group/httpbis/chair/")
	want(t, "the chairs' dashboard", code, body, 200, `id="appeals-httpbis"`)
	if !strings.Contains(sectionOf(body, `id="appeals-httpbis"`), `href="/appeals/1/"`) {
		t.Errorf("R37: the chairs' dashboard does not list the appeal addressed to them:\n%s", sectionOf(body, `id="appeals-httpbis"`))
	}
	code, body = chair.get("/me/")
	want(t, "the chair's /me/", code, body, 200, `id="your-appeals"`)
	if !strings.Contains(sectionOf(body, `id="your-appeals"`), `href="/appeals/1/"`) {
		t.Errorf("the chair's /me/ does not list the appeal awaiting their response")
	}

	code, body = chair.post("/appeals/1/respond/", url.Values{"response": {"The objections were answered at the meeting."}})
	want(t, "the chairs' response", code, body, 200, "answered", "The objections were answered at the meeting.")
	code, body = pat.get("/group/httpbis/chair/")
	if strings.Contains(sectionOf(body, `id="appeals-httpbis"`), `href="/appeals/1/"`) {
		t.Errorf("the chairs' dashboard still lists the appeal they answered")
	}
	code, body = chair.post("/appeals/1/escalate/", url.Values{"reason": {"Not mine to escalate."}})
	want(t, "the chair escalating", code, body, 403, "Only the appellant")
	code, body = pat.post("/appeals/1/escalate/", url.Values{"reason": {"The meeting is not the list (R31)."}})
	want(t, "escalation", code, body, 200, "awaiting the Area Director(s)", "The meeting is not the list")

	code, body = pat.get("/api/v1/group/appeal/?state=open")
	if code != 200 {
		t.Fatalf("API: %d %s", code, body)
	}
	var list struct {
		Meta struct {
			TotalCount int `json:"total_count"`
		} `json:"meta"`
		Objects []struct {
			Name, Kind, Level, State string
			Group                    *string
			Decision                 struct{ Event int64 }
			Levels                   []struct{ Level, Response string }
		} `json:"objects"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Meta.TotalCount != 1 || len(list.Objects) != 1 {
		t.Fatalf("API: %s", body)
	}
	o := list.Objects[0]
	if o.Kind != "wg" || o.Level != "ad" || o.Group == nil || !strings.HasPrefix(*o.Group, "/api/v1/group/group/") || len(o.Levels) != 2 ||
		o.Levels[0].Response == "" || ev != strconv.FormatInt(o.Decision.Event, 10) {
		t.Errorf("API object: %+v", o)
	}
	code, body = pat.get("/api/v1/group/appeal/?state=final")
	want(t, "API filter", code, body, 200, `"total_count": 0`)
	// On the registry: the Datatracker's filters and hum's, Tastypie's 400.
	for q, n := range map[string]string{
		"event=" + ev: "1", "event=" + ev + "0": "0", "level__in=ad,iesg": "1", "kind=iesg": "0",
		"group=" + strings.Trim(strings.TrimPrefix(*o.Group, "/api/v1/group/group/"), "/"): "1", "group__acronym=nosuchgroup": "0", "name__icontains=APPEAL": "1",
	} {
		code, body = pat.get("/api/v1/group/appeal/?" + q)
		want(t, "API filter "+q, code, body, 200, `"total_count": `+n)
	}
	code, body = pat.get("/api/v1/group/appeal/?facts=x")
	want(t, "a field that does not filter", code, body, 400, `The 'facts' field does not allow filtering.`)

	// Two months and a day later, a new appeal of the decision is late.
	f.later(62 * 24 * time.Hour)
	code, body = pat.post("/appeals/new/", form)
	want(t, "late", code, body, 400, "R41", "4 March 2024")
}

// sectionOf is the page from the element with attr to the next heading.
func sectionOf(body, attr string) string {
	i := strings.Index(body, attr)
	if i < 0 {
		return ""
	}
	body = body[i+len(attr):]
	if j := strings.Index(body, "<h"); j >= 0 {
		body = body[:j]
	}
	return body
}
