package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"hum/internal/testbody"
)

// From adoption to RFC through the web and the ballot API.
func TestDocLifecycleWeb(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	ctx := context.Background()
	author := s.client()
	author.login("kesara@fq.nz")
	code, body := author.upload("/submit/", nil, map[string]string{"txt": "txt/draft-smoke-signals-00.txt"})
	want(t, "posted", code, body, 200, "Posted")
	const doc = "/doc/draft-smoke-signals/"
	edit := doc + "edit/"

	anon := s.client()
	code, _ = anon.post(edit, url.Values{"action": {"wgstate"}, "state": {"wg-doc"}, "group": {"idr"}})
	want(t, "anonymous", code, "", 401)
	code, body = author.get(edit)
	want(t, "author has no powers", code, body, 403, "chairs")

	chair := s.client()
	chair.login("chair@example.org")
	code, body = chair.get(edit)
	want(t, "chair's edit page", code, body, 200, "Change the WG state", `<option value="idr">idr</option>`)
	code, body = chair.post(edit, url.Values{"action": {"wgstate"}, "state": {"wg-doc"}, "group": {"idr"}, "why": {"Adopted after the call"}})
	want(t, "adopted", code, body, 200, "WG Document", "WG state changed.")
	code, body = chair.post(edit, url.Values{"action": {"iesgstate"}, "state": {"pub-req"}})
	want(t, "no write-up", code, body, 409, "shepherd write-up is complete", "rule R17")
	code, body = chair.post(doc+"writeup/", writeupForm(map[int]string{1: "Consensus was broad. <script>x</script>"}))
	want(t, "write-up", code, body, 200, "Shepherd write-up saved.", "&lt;script&gt;")
	code, body = chair.post(edit, url.Values{"action": {"iesgstate"}, "state": {"pub-req"}})
	want(t, "publication requested", code, body, 200, "Publication Requested", "Submitted to IESG for Publication", "Ada Director")

	ad := s.client()
	ad.login("ad@example.org")
	code, body = ad.post(edit, url.Values{"action": {"iesgstate"}, "state": {"iesg-eva"}})
	want(t, "skipping Last Call", code, body, 409, "rule R07")
	for _, st := range []string{"ad-eval", "lc-req"} {
		code, body = ad.post(edit, url.Values{"action": {"iesgstate"}, "state": {st}})
		want(t, st, code, body, 200, "IESG state changed.")
	}
	code, body = ad.post(edit, url.Values{"action": {"lastcall"}, "days": {"10"}})
	want(t, "short Last Call", code, body, 400, "at least 14 days", "rule R05")
	code, body = ad.post(edit, url.Values{"action": {"lastcall"}, "days": {""}})
	want(t, "Last Call", code, body, 200, "In Last Call", "2021-07-03")
	lastMail(t, s, "Last Call: <draft-smoke-signals-00.txt>")
	now = now.Add(15 * 24 * time.Hour)
	if c, err := ds.Tick(ctx); err != nil || c.LastCallsEnded != 1 {
		t.Fatalf("tick: %+v %v", c, err)
	}
	code, body = ad.post(edit, url.Values{"action": {"iesgstate"}, "state": {"iesg-eva"}})
	want(t, "IESG evaluation", code, body, 200, "IESG Evaluation")
	code, body = anon.get(doc + "ballot/")
	want(t, "ballot page", code, body, 200, "Still to ballot: Ada Director", "Missing: at least one YES is needed", "No Record")

	// The Datatracker-compatible API, with API keys.
	adKey := s.apiKey("ad@example.org")
	chairKey := s.apiKey("chair@example.org")
	code, body = anon.post("/api/iesg/position", url.Values{"apikey": {chairKey}, "doc": {"draft-smoke-signals"}, "position": {"yes"}})
	want(t, "chair's position", code, body, 403, `"rule": "R42"`)
	code, body = anon.post("/api/iesg/position", url.Values{"apikey": {adKey}, "doc": {"draft-smoke-signals"}, "position": {"discuss"}})
	want(t, "discuss without text", code, body, 400, `"field": "discuss"`)
	code, body = anon.post("/api/iesg/position", url.Values{"apikey": {adKey}, "doc": {"draft-smoke-signals"}, "position": {"yes"}, "comment": {"Nice <b>work</b>."}})
	want(t, "AD's position", code, body, 200, "Done")
	code, body = anon.get(doc + "ballot/")
	want(t, "ballot passes", code, body, 200, "The ballot passes", "Nice &lt;b&gt;work&lt;/b&gt;.", "1 Yes")
	code, body = ad.get(doc + "ballot/")
	want(t, "AD's form", code, body, 200, "Record the position")
	code, body = ad.post(doc+"ballot/", url.Values{"position": {"noobj"}})
	want(t, "AD changes position", code, body, 200, "Your position was recorded.", "Missing: at least one YES is needed")
	ad.post(doc+"ballot/", url.Values{"position": {"yes"}})

	code, body = ad.post(edit, url.Values{"action": {"iesgstate"}, "state": {"approved"}})
	want(t, "approved", code, body, 200, "Approved-announcement to be sent", "Document Action")
	code, body = ad.post(edit, url.Values{"action": {"iesgstate"}, "state": {"ann"}})
	want(t, "announced", code, body, 200, "RFC Ed Queue")
	lastMail(t, s, "Document Action: 'Standard for Data Transmission via Smoke Signals' to Experimental RFC")

	sec := s.client()
	sec.login("sec@example.org")
	code, body = sec.post(edit, url.Values{"action": {"publish"}, "number": {"9999"}})
	want(t, "published", code, body, 200, "Published as RFC9999.", "RFC 9999", "Standard for Data Transmission via Smoke Signals", `href="/doc/draft-smoke-signals/"`)
	code, body = anon.get(doc)
	want(t, "draft after publication", code, body, 200, "RFC Published", `href="/doc/rfc9999/"`)
	code, body = anon.get(doc + "history/")
	want(t, "history", code, body, 200, "Adopted after the call", "IETF Last Call ended 2021-07-03", "New position, Yes, has been recorded for Ada Director", "Published as RFC 9999")
}

func (s *site) apiKey(email string) string {
	s.t.Helper()
	p, err := s.people.ByEmail(context.Background(), email)
	if err != nil {
		s.t.Fatal(err)
	}
	k, err := s.people.NewAPIKey(context.Background(), p.ID, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	return k
}

// writeupForm is the write-up form with testbody.Writeup's answers, and
// those of over in their place.
func writeupForm(over map[int]string) url.Values {
	v := url.Values{}
	for n, a := range testbody.Writeup() {
		if o, ok := over[n]; ok {
			a = o
		}
		v.Set("q"+strconv.Itoa(n), a)
	}
	return v
}
