package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"

	"hum/internal/db/dbtest"
)

// TestE2EConsensusCallR33 is issue 11's acceptance test for consensus
// calls, on the whole server with real SMTP (PostgreSQL when
// HUM_TEST_POSTGRES is set): a WG chair opens an adoption call on an
// individual draft from the web form; three participants reply by plain
// mail to the WG's list, one objecting, two of them with no hum account;
// the chair notes each message; closing with consensus is refused naming
// R33 while the objection is open, and changes nothing; the chair marks
// it addressed, linking the reply that answered it, and closes with
// consensus; the draft is Adopted by a WG; the outcome reaches the list's
// subscribers in the call's thread and is in the archive's thread.
func TestE2EConsensusCallR33(t *testing.T) {
	const (
		wg      = "widgets"
		draft   = "draft-smith-widgets-frob"
		chair   = "chair@example.org"
		pat     = "pat@example.org" // has an account
		ann     = "ann@example.com" // no account
		bo      = "bo@example.net"  // no account
		lurker  = "lee@example.org" // no account, reads only
		pw      = "a long enough passphrase"
		adopted = "Adopted by a WG"
		calling = "Call For Adoption By WG Issued"
	)
	dsn := dbtest.DSN(t)
	humSteps(t, [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", wg, "--name", "Widgets", "--parent", "art"},
		{"user", "add", "--db", dsn, "--email", chair, "--name", "Chris Chair", "--password", pw},
		{"user", "add", "--db", dsn, "--email", pat, "--name", "Pat Participant", "--password", pw},
		{"role", "grant", "--db", dsn, chair, "chair", wg},
	})
	newDraft(t, dsn, draft, 1)

	sink := startSink(t, true)
	base, smtpAddr := serveWithMail(t, dsn, sink.addr)
	// The WG's list exists once hum has started (lists.Ensure); its
	// policy lets subscribers post, so the repliers subscribe, with or
	// without an account.
	for _, a := range []string{chair, pat, ann, bo, lurker} {
		if out, err := hum(t, "list", "subscribe", "--db", dsn, wg, a); err != nil {
			t.Fatalf("list subscribe %s: %v %s", a, err, out)
		}
	}

	w := newWebClient(t, base)
	w.login(chair, pw)

	// 1. The chair opens the call from the form.
	code, body, _ := w.get("/group/" + wg + "/calls/new/?doc=" + draft)
	wantPage(t, "the form", code, body, 200, `name="question"`, draft)
	code, body, at := w.post("/group/"+wg+"/calls/new/", url.Values{"kind": {"adoption"}, "doc": {draft}, "question": {""},
		"deadline": {time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02T15:04")}})
	wantPage(t, "opening the call", code, body, 200, "The call is open and posted to the "+wg+" list.", "Call for adoption", draft+"-01")
	callPath := at.Path
	if !regexp.MustCompile(`^/group/` + wg + `/calls/\d+/$`).MatchString(callPath) {
		t.Fatalf("after opening, the chair is at %s, not a call's page", callPath)
	}
	if s := w.wgState(draft); s != calling {
		t.Errorf("after opening: wg_state %q, want %q", s, calling)
	}

	// The call reaches the subscribers from the chair; its Message-Id is
	// what the replies thread on.
	callCopy := waitSubject(t, sink, chair, "Call for adoption: "+draft+"-01", lurker, ann, bo, pat)
	callID := messageID(t, callCopy)
	if !strings.Contains(callCopy, `From: "Chris Chair" <`+chair+">") {
		t.Errorf("the call is not from the chair:\n%s", callCopy)
	}
	code, body, _ = w.get(callPath)
	wantPage(t, "the call's page", code, body, 200, "Message-Id: "+callID)

	// 2. Three replies by plain mail, one objecting; Pat's answers Bo.
	annID, boID, patID := "<ann-1@example.com>", "<bo-1@example.net>", "<pat-1@example.org>"
	reply := func(from, name, id, refs, text string) {
		postTo(t, smtpAddr, from, wg+"@hum.test", fmt.Sprintf("From: %s <%s>\nTo: %s@hum.test\nSubject: Re: Call for adoption: %s-01\nMessage-ID: %s\nIn-Reply-To: %s\nReferences: %s\nDate: %s\n\n%s\n",
			name, from, wg, draft, id, refs[strings.LastIndex(refs, "<"):], refs, time.Now().Format(time.RFC1123Z), text), nil)
	}
	reply(ann, "Ann Adopter", annID, "<"+callID+">", "I support adoption: we need frobbing.")
	reply(bo, "Bo Objector", boID, "<"+callID+">", "I object: section 3 breaks existing widgets.")
	reply(pat, "Pat Participant", patID, "<"+callID+"> "+boID, "Section 3 can keep the old code point; that fixes Bo's case.")
	body = w.waitPage(callPath, strings.Trim(annID, "<>"), strings.Trim(boID, "<>"), strings.Trim(patID, "<>"))

	// 3. The chair notes each message.
	for _, n := range []struct{ id, kind, note string }{
		{annID, "supports", ""}, {boID, "objects", "section 3 breaks existing widgets"}, {patID, "comment", "proposes keeping the old code point"},
	} {
		code, body, _ = w.post(callPath, url.Values{"action": {"note"}, "message": {strings.Trim(n.id, "<>")}, "kind": {n.kind}, "note": {n.note}})
		wantPage(t, "noting "+n.id, code, body, 200, "Noted.")
	}
	wantPage(t, "the notes", code, body, 200, "supports", "objects</strong>: section 3 breaks existing widgets", "comment</strong>: proposes keeping")
	issueID, state := w.issue(callPath)
	if state != "open" {
		t.Fatalf("Bo's objection is %q, want open", state)
	}

	// 4. Consensus is refused while Bo's objection is open (R33), and
	// nothing changes.
	code, body, _ = w.post(callPath, url.Values{"action": {"close"}, "outcome": {"consensus"}, "explanation": {"Broad support."}})
	wantPage(t, "R33: consensus with the objection open", code, body, http.StatusConflict, "R33", strings.Trim(boID, "<>"), bo)
	if s := w.wgState(draft); s != calling {
		t.Errorf("R33: after the refused close, wg_state %q, want still %q", s, calling)
	}
	if c := w.callJSON(callPath); c.State != "open" || c.Outcome != "" {
		t.Errorf("R33: after the refused close, the call is %q with outcome %q", c.State, c.Outcome)
	}
	if n := len(sink.withSubject(chair, "Re: Call for adoption")); n != 0 {
		t.Errorf("R33: the refused close sent %d copies of an outcome", n)
	}

	// 5. The chair marks it addressed by Pat's reply, and closes.
	code, body, _ = w.post(callPath, url.Values{"action": {"address"}, "issue": {issueID}, "message": {patID}, "note": {"Keep the old code point."}})
	wantPage(t, "addressing the objection", code, body, 200, "The issue is marked addressed.", "message "+strings.Trim(patID, "<>"))
	if _, state := w.issue(callPath); state != "addressed" {
		t.Errorf("after addressing, the issue is %q", state)
	}
	explanation := "Support is broad; Bo's objection is addressed by keeping the old code point."
	code, body, _ = w.post(callPath, url.Values{"action": {"close"}, "outcome": {"consensus"}, "explanation": {explanation}})
	wantPage(t, "closing", code, body, 200, "The call is closed and its outcome posted to the list.", "Consensus", html(explanation))
	if s := w.wgState(draft); s != adopted {
		t.Errorf("after consensus: wg_state %q, want %q", s, adopted)
	}
	code, body, _ = w.get("/doc/" + draft + "/")
	wantPage(t, "the draft's page", code, body, 200, adopted)
	c := w.callJSON(callPath)
	if c.State != "closed" || c.Outcome != "consensus" {
		t.Errorf("the call after closing: %+v", c)
	}

	// 6. The outcome reaches the subscribers in the call's thread.
	outcome := waitSubject(t, sink, chair, "Re: Call for adoption: "+draft+"-01", lurker, ann, bo, pat)
	for _, h := range []string{"In-Reply-To: <" + callID + ">", "References: <" + callID + ">", "List-Id: <" + wg + ".hum.test>"} {
		if !strings.Contains(outcome, h+"\r\n") {
			t.Errorf("the outcome's copy lacks %q:\n%s", h, outcome)
		}
	}
	if text := bodyText(t, outcome); !strings.Contains(text, "The call closes with this outcome: Consensus.") || !strings.Contains(text, explanation) {
		t.Errorf("the outcome's copy lacks the outcome and explanation:\n%s", outcome)
	}
	outID := messageID(t, outcome)

	// 7. And it is in the archive's thread of the call.
	if c.Thread == "" {
		t.Fatal("the API gives no archive thread for the call")
	}
	threadPath := c.Thread[strings.Index(c.Thread, "/arch/"):]
	code, body, _ = w.get(threadPath)
	wantPage(t, "the call in the archive", code, body, 200, "Call for adoption: "+draft+"-01", "Re: Call for adoption: "+draft+"-01", "Ann Adopter", "Bo Objector")
	out := regexp.MustCompile(`<a href="(/arch/msg/` + wg + `/[^"]+/)">Re: Call for adoption[^<]*</a> <span class="who">Chris Chair`).FindStringSubmatch(body)
	if out == nil {
		t.Fatalf("the archive's thread of the call has no outcome from the chair:\n%s", body)
	}
	code, body, _ = w.get(out[1])
	wantPage(t, "the outcome in the archive", code, body, 200, "In-Reply-To", html(callID), html(outID), html(explanation))
}

// html escapes text as a page shows it.
func html(s string) string { return template.HTMLEscapeString(s) }

// bodyText is the decoded body of a raw message.
func bodyText(t *testing.T, raw string) string {
	t.Helper()
	e, err := message.Read(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(e.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func messageID(t *testing.T, raw string) string {
	t.Helper()
	m := regexp.MustCompile(`(?mi)^Message-Id:\s*<([^>]+)>`).FindStringSubmatch(raw)
	if m == nil {
		t.Fatalf("no Message-Id in\n%s", raw)
	}
	return m[1]
}

func (w *webClient) wgState(name string) string {
	w.t.Helper()
	code, body, _ := w.get("/doc/" + name + "/doc.json")
	var d struct {
		WGState string `json:"wg_state"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &d) != nil {
		w.t.Fatalf("doc.json of %s: %d %s", name, code, body)
	}
	return d.WGState
}

type e2eCall struct {
	State, Outcome, Thread string
	Issues                 []struct {
		ID    int64
		State string
	}
}

// callJSON reads a call through the API, by the id in its page's path.
func (w *webClient) callJSON(callPath string) e2eCall {
	w.t.Helper()
	id := strings.TrimSuffix(callPath[strings.LastIndex(strings.TrimSuffix(callPath, "/"), "/")+1:], "/")
	code, body, _ := w.get("/api/v1/consensus/call/" + id + "/")
	var c e2eCall
	if code != 200 || json.Unmarshal([]byte(body), &c) != nil {
		w.t.Fatalf("the call in the API: %d %s", code, body)
	}
	return c
}

// issue is the call's one objection: its id and state.
func (w *webClient) issue(callPath string) (string, string) {
	w.t.Helper()
	c := w.callJSON(callPath)
	if len(c.Issues) != 1 {
		w.t.Fatalf("the call has %d issues, want 1: %+v", len(c.Issues), c.Issues)
	}
	return fmt.Sprint(c.Issues[0].ID), c.Issues[0].State
}
