package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/lists"
	"hum/internal/mail"
)

// callSite is the small standards body with the WGs' lists, archived as
// app.New wires them, so a call's post and its replies form a thread.
type callSite struct {
	*site
	as      *archive.Service
	replies int
}

// callArchiver adapts archive.Service to lists.Archiver, as app.New does.
type callArchiver struct{ s *archive.Service }

func (a callArchiver) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}

func newCallSite(t *testing.T) *callSite {
	t.Helper()
	b := newBody(t)
	as := &archive.Service{DB: b.DB}
	ls := &lists.Service{DB: b.DB, Archive: callArchiver{as}, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	s := &callSite{site: serve(t, b, Config{Lists: ls, Archive: as}), as: as}
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// draft stores an individual draft with revisions 00..last.
func (s *callSite) draft(name string, last int) {
	s.t.Helper()
	now := time.Now().UTC()
	var id int64
	if err := s.db.QueryRow(`INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ($1, 'draft', $2, 'A draft', 'active', $3, $3) RETURNING id`,
		name, fmt.Sprintf("%02d", last), now).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	for r := 0; r <= last; r++ {
		if _, err := s.db.Exec(`INSERT INTO doc_rev (doc_id, rev, title, posted) VALUES ($1, $2, 'A draft', $3)`, id, fmt.Sprintf("%02d", r), now); err != nil {
			s.t.Fatal(err)
		}
	}
}

// lastCall is the id and root Message-Id of the newest call.
func (s *callSite) lastCall() (id int64, msgID string) {
	s.t.Helper()
	if err := s.db.QueryRow(`SELECT id, message_id FROM consensus_call ORDER BY id DESC LIMIT 1`).Scan(&id, &msgID); err != nil {
		s.t.Fatal(err)
	}
	return id, msgID
}

// open opens a call as c through the form and returns its page's path.
func (s *callSite) open(c *client, group string, form url.Values) (string, string) {
	s.t.Helper()
	if form.Get("deadline") == "" {
		form.Set("deadline", time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02T15:04"))
	}
	code, body := c.post("/group/"+group+"/calls/new/", form)
	want(s.t, "open a call", code, body, 200, "The call is open and posted to the "+group+" list.")
	id, msgID := s.lastCall()
	return fmt.Sprintf("/group/%s/calls/%d/", group, id), msgID
}

// reply archives a plain mail reply to the call on list, as the list
// pipeline would, and returns its Message-Id.
func (s *callSite) reply(list, callMsgID, from, text string) string {
	s.t.Helper()
	s.replies++
	id := fmt.Sprintf("reply-%d@example.com", s.replies)
	raw := fmt.Sprintf("From: %s\r\nTo: %s@hum.test\r\nSubject: Re: call\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nDate: %s\r\n\r\n%s\r\n",
		from, list, id, callMsgID, callMsgID, time.Now().Format(time.RFC1123Z), text)
	if err := s.db.Write(context.Background(), func(tx *db.Tx) error {
		_, err := s.as.Add(context.Background(), tx, list, []byte(raw))
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// snapshot is what a refused request must leave as it was: the rows of
// the tables people act on, the calls, their issues and the drafts.
func (s *callSite) snapshot() string {
	s.t.Helper()
	var b strings.Builder
	for _, t := range []string{"event", "consensus_call", "consensus_note", "consensus_issue", "list_post", "outbox", "arch_message"} {
		n, err := db.Scalar[int](s.db.QueryRow(`SELECT COUNT(*) FROM ` + t))
		if err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", t, n)
	}
	for _, q := range []string{`SELECT name || ':' || wg_state || ':' || COALESCE(group_id, 0) FROM doc ORDER BY name`,
		`SELECT id || ':' || state || ':' || outcome || ':' || deadline FROM consensus_call ORDER BY id`,
		`SELECT id || ':' || state || ':' || addressed_message_id FROM consensus_issue ORDER BY id`,
		`SELECT call_id || ':' || message_id || ':' || kind || ':' || note FROM consensus_note ORDER BY call_id, message_id`} {
		rows, err := s.db.Query(q)
		if err != nil {
			s.t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			b.WriteString(v + " ")
		}
		rows.Close()
	}
	return b.String()
}

// unchanged runs f and fails when it changed anything snapshot sees.
func (s *callSite) unchanged(what string, f func()) {
	s.t.Helper()
	before := s.snapshot()
	f()
	if after := s.snapshot(); after != before {
		s.t.Errorf("%s changed something:\nbefore %s\nafter  %s", what, before, after)
	}
}

func (s *callSite) wgState(name string) string {
	s.t.Helper()
	v, err := db.Scalar[string](s.db.QueryRow(`SELECT wg_state FROM doc WHERE name = $1`, name))
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

const callDraft = "draft-smith-httpbis-frob"

// The chair's whole flow over HTTP: open an adoption call, note the
// replies, be refused consensus while the objection is open (R33, R34),
// mark it addressed (R33), close; each step's flash or error, and a
// refused step changes nothing.
func TestCallFlowWebR33(t *testing.T) {
	s := newCallSite(t)
	s.draft(callDraft, 1)
	chair := s.client()
	chair.login("chair@example.org")

	code, body := chair.get("/group/httpbis/calls/new/?doc=" + callDraft)
	want(t, "the form", code, body, 200, "httpbis: open a consensus call", `value="`+callDraft+`"`, "call for adoption of "+callDraft)
	path, callID := s.open(chair, "httpbis", url.Values{"kind": {"adoption"}, "doc": {callDraft}})
	if st := s.wgState(callDraft); st != "c-adopt" {
		t.Fatalf("after opening, the draft is %q, want c-adopt", st)
	}
	code, body = chair.get(path)
	want(t, "the call's page", code, body, 200, "Call for adoption #", callDraft+"-01", "Message-Id: "+callID, "Close the call", "the thread in the archive")
	code, body = chair.get("/group/httpbis/calls/")
	want(t, "the group's calls", code, body, 200, path)

	ann := s.reply("httpbis", callID, "Ann <ann@example.com>", "I support adoption.")
	bo := s.reply("httpbis", callID, "Bo <bo@example.net>", "I object: section 3 breaks old clients.")
	cy := s.reply("httpbis", callID, "Cy <cy@example.org>", "Section 3 can keep the old header.")
	s.unchanged("noting an unknown message", func() {
		code, body = chair.post(path, url.Values{"action": {"note"}, "message": {"nowhere@example.org"}, "kind": {"supports"}})
		want(t, "noting an unknown message", code, body, 400, "has no message", "nowhere@example.org")
	})
	s.unchanged("noting with an unknown reading", func() {
		code, body = chair.post(path, url.Values{"action": {"note"}, "message": {ann}, "kind": {"vote"}})
		want(t, "noting with an unknown reading", code, body, 400, "is not a reading of a message")
	})
	for _, n := range []struct{ id, kind, note string }{{ann, "supports", ""}, {"<" + bo + ">", "objects", "breaks old clients"}, {cy, "comment", "keep the old header"}} {
		code, body = chair.post(path, url.Values{"action": {"note"}, "message": {n.id}, "kind": {n.kind}, "note": {n.note}})
		want(t, "noting "+n.id, code, body, 200, "Noted.")
	}
	want(t, "the notes", code, body, 200, "<strong>objects</strong>: breaks old clients", "<strong>comment</strong>: keep the old header", `id="issue-`)
	issue, err := db.Scalar[int64](s.db.QueryRow(`SELECT id FROM consensus_issue WHERE message_id = $1`, bo))
	if err != nil {
		t.Fatalf("noting an objection opened no issue: %v", err)
	}

	// R33, R34: no (rough) consensus while Bo's objection is open.
	for _, outcome := range []string{"consensus", "rough"} {
		s.unchanged("R33: "+outcome+" with an open objection", func() {
			code, body = chair.post(path, url.Values{"action": {"close"}, "outcome": {outcome}, "explanation": {"Broad support."}})
			want(t, "R33: "+outcome+" with an open objection", code, body, 409, "R33, R34", bo, "bo@example.net", "Close the call")
		})
	}
	if st := s.wgState(callDraft); st != "c-adopt" {
		t.Errorf("R33: after the refusals, the draft is %q", st)
	}
	s.unchanged("R33: addressed by nothing", func() {
		code, body = chair.post(path, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {""}, "rev": {""}})
		want(t, "R33: addressed by nothing", code, body, 400, "R33", "Link what addressed the issue")
	})
	s.unchanged("R33: addressed by a message not in the thread", func() {
		code, body = chair.post(path, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {"elsewhere@example.org"}})
		want(t, "R33: addressed by a message not in the thread", code, body, 400, "R33", "elsewhere@example.org")
	})
	s.unchanged("R33: addressed by a revision never posted", func() {
		code, body = chair.post(path, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "rev": {"07"}})
		want(t, "R33: addressed by a revision never posted", code, body, 400, "R33", "no revision")
	})
	code, body = chair.post(path, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {cy}, "note": {"Keeps the old header."}})
	want(t, "address", code, body, 200, "The issue is marked addressed.", "message "+cy, "Keeps the old header.")
	s.unchanged("addressing it twice", func() {
		code, body = chair.post(path, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {cy}})
		want(t, "addressing it twice", code, body, 409, "already addressed")
	})

	// Extending: later only, with a reason.
	s.unchanged("extend to the past", func() {
		code, body = chair.post(path, url.Values{"action": {"extend"}, "deadline": {"2001-01-01T00:00"}, "why": {"x"}})
		want(t, "extend to the past", code, body, 400, "must be later than the present one")
	})
	s.unchanged("extend without a reason", func() {
		code, body = chair.post(path, url.Values{"action": {"extend"}, "deadline": {"2099-01-01T12:00"}, "why": {" "}})
		want(t, "extend without a reason", code, body, 400, "Say why the deadline moves")
	})
	code, body = chair.post(path, url.Values{"action": {"extend"}, "deadline": {"2099-01-01T12:00"}, "why": {"IETF week"}})
	want(t, "extend", code, body, 200, "The deadline is extended.", "2099-01-01 12:00", "IETF week")

	// R34: an outcome needs its reasoned explanation.
	s.unchanged("R34: no explanation", func() {
		code, body = chair.post(path, url.Values{"action": {"close"}, "outcome": {"consensus"}, "explanation": {"  "}})
		want(t, "R34: no explanation", code, body, 400, "R34", "reasoned explanation")
	})
	s.unchanged("an unknown outcome", func() {
		code, body = chair.post(path, url.Values{"action": {"close"}, "outcome": {"majority"}, "explanation": {"Most said yes."}})
		want(t, "an unknown outcome", code, body, 400, "is not an outcome")
	})
	outbox := s.snapshot()
	code, body = chair.post(path, url.Values{"action": {"close"}, "outcome": {"consensus"}, "explanation": {"Broad support; the objection was addressed."}})
	want(t, "close", code, body, 200, "The call is closed and its outcome posted to the list.", "<strong>Consensus</strong>", "Broad support; the objection was addressed.")
	if strings.Contains(body, "Close the call") || strings.Contains(body, `name="action" value="note"`) {
		t.Error("a closed call's page still offers the chair's forms")
	}
	if st := s.wgState(callDraft); st != "adopt-wg" {
		t.Errorf("after consensus, the draft is %q, want adopt-wg", st)
	}
	if s.snapshot() == outbox {
		t.Error("closing changed nothing")
	}
	posts, _ := s.as.ThreadOf(context.Background(), "httpbis", callID)
	if n := len(posts); n != 5 || posts[n-1].InReplyTo != callID || posts[n-1].FromAddr != "chair@example.org" {
		t.Errorf("the thread after closing: %d posts, want the call, 3 replies and the outcome In-Reply-To the call", n)
	}
	s.unchanged("noting on a closed call", func() {
		code, body = chair.post(path, url.Values{"action": {"note"}, "message": {ann}, "kind": {"objects"}})
		want(t, "noting on a closed call", code, body, 409, "is closed")
	})
	s.unchanged("an unknown action", func() {
		code, body = chair.post(path, url.Values{"action": {"reopen"}})
		want(t, "an unknown action", code, body, 400, "is not something to do with a call")
	})

	// The outcome is a decision of the chairs: appealable from its page,
	// and the page links the appeal once filed (R37).
	pat := s.client()
	pat.login("pat@example.org")
	code, body = pat.get(path)
	want(t, "the closed call to a participant", code, body, 200, `href="/appeals/new/?decision=`+strings.ToLower(url.QueryEscape(path))+`"`)
	code, body = pat.post("/appeals/new/", url.Values{"decision": {path}, "facts": {appealFacts}, "remedy": {"Reopen the call."}})
	want(t, "appealing the outcome", code, body, 200, "awaiting the WG chairs")
	code, body = pat.get(path)
	want(t, "the call links its appeal", code, body, 200, "Appealed:", `href="/appeals/1/"`)
}

// numberWords are the words a count of replies would come with.
var countRE = regexp.MustCompile(`(?i)(?:^|[^#\w])\d+\s*(?:%|percent|votes?|voters?|supports?|supporters?|supporting|objections?|objectors?|objects|objecting|in favou?r|against|for|yes|no|replies|ayes|nays)\b`)

// A call's page and its JSON, with several notes of each reading, show
// the notes one by one and no count or percentage of anything (R30, R32).
func TestCallShowsNoCountR32(t *testing.T) {
	s := newCallSite(t)
	s.draft(callDraft, 0)
	chair := s.client()
	chair.login("chair@example.org")
	path, callID := s.open(chair, "httpbis", url.Values{"kind": {"adoption"}, "doc": {callDraft}})
	readings := []struct{ from, kind, note string }{
		{"Ann <ann@example.com>", "supports", "needed for caching"},
		{"Al <al@example.com>", "supports", "implemented it twice"},
		{"Amy <amy@example.com>", "supports", "clear and short"},
		{"Bo <bo@example.net>", "objects", "breaks old clients"},
		{"Ben <ben@example.net>", "objects", "wrong layer"},
		{"Ida <ida@example.org>", "issue", "section 5 is vague"},
		{"Cy <cy@example.org>", "comment", "typo in the abstract"},
	}
	for _, r := range readings {
		id := s.reply("httpbis", callID, r.from, "My view: "+r.note)
		code, body := chair.post(path, url.Values{"action": {"note"}, "message": {id}, "kind": {r.kind}, "note": {r.note}})
		want(t, "note", code, body, 200, "Noted.")
	}
	id, _ := s.lastCall()
	for _, who := range []*client{chair, s.client()} {
		code, body := who.get(path)
		want(t, "the call's page", code, body, 200)
		main := body[strings.Index(body, "<main"):]
		for _, r := range readings {
			if !strings.Contains(main, "<strong>"+r.kind+"</strong>: "+r.note) {
				t.Errorf("R32: the page lacks the note %q", r.kind+": "+r.note)
			}
		}
		if m := countRE.FindString(html.UnescapeString(main)); m != "" {
			t.Errorf("R32: the call's page shows a count: %q", m)
		}
		// The one mention of votes says there are none.
		rest := strings.Replace(main, "hum counts no votes (R32)", "", 1)
		for _, w := range []string{"vote", "tally", "percent", "%", "majority"} {
			if strings.Contains(strings.ToLower(rest), w) {
				t.Errorf("R32: the call's page says %q", w)
			}
		}
	}

	// The API: each note's issue is there with its state; no field is a
	// number but ids, and no key names a count.
	code, body := s.client().get(fmt.Sprintf("/api/v1/consensus/call/%d/", id))
	want(t, "the call in the API", code, body, 200, `"state": "open"`, "breaks old clients")
	var one map[string]any
	if err := json.Unmarshal([]byte(body), &one); err != nil {
		t.Fatal(err)
	}
	notes, _ := one["notes"].([]any)
	for _, r := range readings {
		found := false
		for _, n := range notes {
			n, _ := n.(map[string]any)
			found = found || n["kind"] == r.kind && n["note"] == r.note
		}
		if !found {
			t.Errorf("R32: the API lacks the note %q", r.kind+": "+r.note)
		}
	}
	if is, _ := one["issues"].([]any); len(is) != 3 {
		t.Errorf("the API gives %d issues, want the 2 objections and the issue", len(is))
	}
	noCounts(t, "the call in the API", one)
	code, body = s.client().get("/api/v1/consensus/call/?group__acronym=httpbis")
	want(t, "the calls in the API", code, body, 200)
	var list struct{ Objects []map[string]any }
	json.Unmarshal([]byte(body), &list)
	if len(list.Objects) != 1 {
		t.Fatalf("the list has %d calls", len(list.Objects))
	}
	noCounts(t, "the list in the API", list.Objects[0])
	if strings.Contains(body, "%") {
		t.Error("R32: the API's list has a %")
	}
}

// noCounts fails when a call's JSON has a number other than an id, or a
// key that names a count (R32).
func noCounts(t *testing.T, what string, v any) {
	t.Helper()
	var walk func(key string, v any)
	walk = func(key string, v any) {
		k := strings.ToLower(key)
		for _, w := range []string{"count", "tally", "vote", "percent", "support", "object", "ratio", "total"} {
			if strings.Contains(k, w) {
				t.Errorf("R32: %s has a field %q", what, key)
			}
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case float64:
			if key != "id" && key != "decision" {
				t.Errorf("R32: %s has a number %q = %v", what, key, x)
			}
		case string:
			if countRE.MatchString(x) {
				t.Errorf("R32: %s has %q = %q", what, key, x)
			}
		}
	}
	walk("", v)
}

// Asking for a count of a call's replies, on the page or in the API, is
// refused naming R32.
func TestCallTallyRefusedR32(t *testing.T) {
	s := newCallSite(t)
	chair := s.client()
	chair.login("chair@example.org")
	path, _ := s.open(chair, "httpbis", url.Values{"kind": {"question"}, "question": {"Shall we meet at IETF 130?"}})
	for _, who := range []*client{chair, s.client()} {
		code, body := who.get(path + "tally/")
		want(t, "R32: the tally page", code, body, 404, "R32", "never will")
	}
	code, body := chair.get("/group/httpbis/calls/424242/tally/")
	want(t, "the tally of no call", code, body, 404, "no consensus call #424242")
	for _, q := range []string{"tally=1", "count=1", "votes=1", "percent=50", "support_count__gt=2", "objections=0", "order_by=-support", "order_by=objectors",
		"group__acronym=httpbis&tally=true", "TALLY=1", "hum_count=1"} {
		code, body := s.client().get("/api/v1/consensus/call/?" + q)
		want(t, "R32: the API with "+q, code, body, 404, `"rule": "R32"`, "never will")
	}
}

// The API's list: the Datatracker's list shape, and the filters it
// knows; a filter on a field that allows none, or bad paging, is refused.
func TestCallAPIFilters(t *testing.T) {
	s := newCallSite(t)
	s.draft(callDraft, 0)
	chair, sec := s.client(), s.client()
	chair.login("chair@example.org")
	sec.login("sec@example.org")
	adopt, _ := s.open(chair, "httpbis", url.Values{"kind": {"adoption"}, "doc": {callDraft}})
	q1, _ := s.open(chair, "httpbis", url.Values{"kind": {"question"}, "question": {"Interim in May?"}})
	s.open(sec, "quic", url.Values{"kind": {"question"}, "question": {"Rename the WG?"}})
	code, body := chair.post(q1, url.Values{"action": {"close"}, "outcome": {"withdrawn"}, "explanation": {"Asked too early."}})
	want(t, "withdraw", code, body, 200, "The call is closed")

	type page struct {
		Meta struct {
			Limit, Offset int
			TotalCount    int `json:"total_count"`
			Next          *string
		}
		Objects []struct {
			ID          int64
			Kind        string
			ResourceURI string `json:"resource_uri"`
		}
	}
	get := func(q string) page {
		t.Helper()
		code, body := s.client().get("/api/v1/consensus/call/?" + q)
		var p page
		if code != 200 || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("?%s: %d %s", q, code, body)
		}
		var meta map[string]map[string]any
		json.Unmarshal([]byte(body), &meta)
		for _, k := range []string{"limit", "offset", "total_count", "next", "previous"} {
			if _, ok := meta["meta"][k]; !ok {
				t.Errorf("?%s: meta lacks %q", q, k)
			}
		}
		return p
	}
	for _, tc := range []struct {
		q     string
		total int
		kinds string // of the objects, newest first
	}{
		{"", 3, "question question adoption"},
		{"group__acronym=httpbis", 2, "question adoption"},
		{"group__acronym__iexact=HTTPBIS", 2, "question adoption"},
		{"group__acronym=HTTPBIS", 0, ""}, // exact is exact, as in Tastypie
		{"group__acronym=quic", 1, "question"},
		{"group__acronym=nosuch", 0, ""},
		{"doc__name=" + callDraft, 1, "adoption"},
		{"doc__name=draft-none", 0, ""},
		{"state=open", 2, "question adoption"},
		{"state=closed", 1, "question"},
		{"kind=adoption", 1, "adoption"},
		{"kind=/api/v1/name/callkind/question/", 2, "question question"},
		{"group__acronym=httpbis&state=open&kind=adoption", 1, "adoption"},
	} {
		p := get(tc.q)
		var kinds []string
		for _, o := range p.Objects {
			kinds = append(kinds, o.Kind)
			if o.ResourceURI != "/api/v1/consensus/call/"+strconv.FormatInt(o.ID, 10)+"/" {
				t.Errorf("?%s: resource_uri %q", tc.q, o.ResourceURI)
			}
		}
		if p.Meta.TotalCount != tc.total || strings.Join(kinds, " ") != tc.kinds {
			t.Errorf("?%s: total_count %d, kinds %q; want %d, %q", tc.q, p.Meta.TotalCount, strings.Join(kinds, " "), tc.total, tc.kinds)
		}
	}
	p := get("limit=1")
	if len(p.Objects) != 1 || p.Meta.TotalCount != 3 || p.Meta.Limit != 1 || p.Meta.Next == nil || !strings.Contains(*p.Meta.Next, "offset=1") {
		t.Errorf("limit=1: %d objects, meta %+v", len(p.Objects), p.Meta)
	}
	p = get("limit=2&offset=2")
	if len(p.Objects) != 1 || p.Meta.Offset != 2 || p.Meta.Next != nil || p.Objects[0].Kind != "adoption" {
		t.Errorf("offset=2: %+v", p)
	}
	if p := get("offset=50"); len(p.Objects) != 0 || p.Meta.TotalCount != 3 {
		t.Errorf("offset past the end: %+v", p)
	}
	id := adopt[strings.LastIndex(strings.TrimSuffix(adopt, "/"), "/")+1:]
	code, body = s.client().get("/api/v1/consensus/call/" + id)
	want(t, "one call", code, body, 200, `"doc": "/api/v1/doc/document/`+callDraft+`/"`, `"kind": "adoption"`, `"html_url": "http://hum.test`+adopt+`"`, `"thread": "http://hum.test/arch/msg/httpbis/`)
	for _, tc := range []struct{ q, text string }{
		{"explanation=x", "does not allow filtering"}, {"group__nosuch=x", "not a valid field name"},
		{"limit=x", "Invalid limit"}, {"limit=-1", "Invalid limit"}, {"offset=-3", "Invalid offset"},
	} {
		code, body := s.client().get("/api/v1/consensus/call/?" + tc.q)
		want(t, "?"+tc.q, code, body, 400, tc.text)
	}
	code, body = s.client().get("/api/v1/consensus/call/999999/")
	want(t, "no such call", code, body, 404, `no consensus/call \"999999\"`)
	// A parameter that names no field is no filter, as in Tastypie.
	if p := get("acronym=httpbis"); p.Meta.TotalCount != 3 {
		t.Errorf("acronym=httpbis: %d calls, want all 3", p.Meta.TotalCount)
	}
}

// Bad input on the forms shows the error and changes nothing; only the
// chairs open and judge calls (R30).
func TestCallFormsBadInputR30(t *testing.T) {
	s := newCallSite(t)
	s.draft(callDraft, 0)
	chair, pat, ad := s.client(), s.client(), s.client()
	chair.login("chair@example.org")
	pat.login("pat@example.org")
	ad.login("ad@example.org")
	future := time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02T15:04")
	for _, tc := range []struct {
		what string
		who  *client
		form url.Values
		code int
		text []string
	}{
		{"past deadline", chair, url.Values{"kind": {"adoption"}, "doc": {callDraft}, "deadline": {"2001-02-03T04:05"}}, 400, []string{"has passed", `value="` + callDraft + `"`}},
		{"a deadline that is not a date", chair, url.Values{"kind": {"adoption"}, "doc": {callDraft}, "deadline": {"next week"}}, 400, []string{"is not a date and time"}},
		{"unknown draft", chair, url.Values{"kind": {"adoption"}, "doc": {"draft-nobody-nothing"}, "deadline": {future}}, 400, []string{"There is no draft called", "draft-nobody-nothing"}},
		{"no draft", chair, url.Values{"kind": {"wglc"}, "doc": {""}, "deadline": {future}}, 400, []string{"Name the draft"}},
		{"WG last call on an individual draft", chair, url.Values{"kind": {"wglc"}, "doc": {callDraft}, "deadline": {future}}, 400, []string{"not a document of httpbis"}},
		{"unknown kind", chair, url.Values{"kind": {"referendum"}, "question": {"?"}, "deadline": {future}}, 400, []string{"is not a kind of call"}},
		{"question without a question", chair, url.Values{"kind": {"question"}, "question": {"  "}, "deadline": {future}}, 400, []string{"Say what the working group is asked"}},
		{"confirmation of no decision", chair, url.Values{"kind": {"confirm"}, "decision": {"77"}, "deadline": {future}}, 400, []string{"has no decision #77"}},
		{"a decision that is not a number", chair, url.Values{"kind": {"confirm"}, "decision": {"seven"}, "deadline": {future}}, 400, []string{"is not a decision number"}},
		{"R30: a participant", pat, url.Values{"kind": {"adoption"}, "doc": {callDraft}, "deadline": {future}}, 403, []string{"R30", "Only the chairs of httpbis"}},
		{"R30: the area's AD", ad, url.Values{"kind": {"question"}, "question": {"Shall we?"}, "deadline": {future}}, 403, []string{"R30"}},
		{"R30: another WG's call", chair, url.Values{"kind": {"question"}, "question": {"Shall we?"}, "deadline": {future}}, 403, []string{"R30", "quic"}},
		{"nobody logged in", s.client(), url.Values{"kind": {"question"}, "question": {"Shall we?"}, "deadline": {future}}, 401, nil},
	} {
		group := "httpbis"
		if strings.Contains(tc.what, "another WG") {
			group = "quic"
		}
		s.unchanged(tc.what, func() {
			code, body := tc.who.post("/group/"+group+"/calls/new/", tc.form)
			want(t, tc.what, code, body, tc.code, tc.text...)
		})
	}
	for _, who := range []*client{pat, ad} {
		code, body := who.get("/group/httpbis/calls/new/")
		want(t, "R30: the form for a non-chair", code, body, 403, "R30")
	}

	// The chair's actions on a call, by anyone else: 403 naming R30.
	path, callID := s.open(chair, "httpbis", url.Values{"kind": {"adoption"}, "doc": {callDraft}})
	bo := s.reply("httpbis", callID, "Bo <bo@example.net>", "I object.")
	code, body := chair.post(path, url.Values{"action": {"note"}, "message": {bo}, "kind": {"objects"}})
	want(t, "note", code, body, 200, "Noted.")
	issue, _ := db.Scalar[int64](s.db.QueryRow(`SELECT id FROM consensus_issue`))
	code, body = pat.get(path)
	want(t, "the call for a participant", code, body, 200, "I object.")
	if strings.Contains(body, `name="action"`) {
		t.Error("R30: the call's page offers a participant the chair's forms")
	}
	for _, form := range []url.Values{
		{"action": {"note"}, "message": {bo}, "kind": {"supports"}},
		{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {bo}},
		{"action": {"extend"}, "deadline": {"2099-01-01T00:00"}, "why": {"more time"}},
		{"action": {"close"}, "outcome": {"none"}, "explanation": {"No."}},
	} {
		for _, who := range []*client{pat, ad} {
			s.unchanged("R30: "+form.Get("action")+" by a non-chair", func() {
				code, body := who.post(path, form)
				want(t, "R30: "+form.Get("action")+" by a non-chair", code, body, 403, "R30")
			})
		}
	}
	// A call is the page of its own group only.
	code, body = chair.get(strings.Replace(path, "httpbis", "quic", 1))
	want(t, "the call under another group", code, body, 404, "quic has no consensus call")
	s.unchanged("acting on the call under another group", func() {
		code, body := chair.post(strings.Replace(path, "httpbis", "quic", 1), url.Values{"action": {"close"}, "outcome": {"none"}, "explanation": {"No."}})
		want(t, "acting on the call under another group", code, body, 404)
	})
}

// An objection is addressed on its own call's page: the page of another
// call does not change it, even for someone who leads both groups.
func TestCallAddressOnlyItsOwnIssue(t *testing.T) {
	s := newCallSite(t)
	sec := s.client()
	sec.login("sec@example.org")
	a, aMsg := s.open(sec, "httpbis", url.Values{"kind": {"question"}, "question": {"Meet in May?"}})
	b, _ := s.open(sec, "quic", url.Values{"kind": {"question"}, "question": {"Rename the WG?"}})
	bo := s.reply("httpbis", aMsg, "Bo <bo@example.net>", "I object.")
	code, body := sec.post(a, url.Values{"action": {"note"}, "message": {bo}, "kind": {"objects"}})
	want(t, "note", code, body, 200, "Noted.")
	issue, _ := db.Scalar[int64](s.db.QueryRow(`SELECT id FROM consensus_issue`))
	s.unchanged("addressing call A's objection on call B's page", func() {
		code, body := sec.post(b, url.Values{"action": {"address"}, "issue": {fmt.Sprint(issue)}, "message": {bo}})
		want(t, "addressing call A's objection on call B's page", code, body, 404, fmt.Sprintf("#%d", issue))
	})
}

// No input makes a call's handler fail on its side (500, or a panic,
// which the server turns into a 500), and garbage changes nothing.
func TestCallHandlersTakeGarbage(t *testing.T) {
	s := newCallSite(t)
	s.draft(callDraft, 0)
	chair := s.client()
	chair.login("chair@example.org")
	path, _ := s.open(chair, "httpbis", url.Values{"kind": {"adoption"}, "doc": {callDraft}})
	huge := "99999999999999999999999"
	long := strings.Repeat("x", 5000)
	for _, p := range []string{
		"/group/httpbis/calls/abc/", "/group/httpbis/calls/" + huge + "/", "/group/httpbis/calls/-1/", "/group/httpbis/calls/0/",
		"/group/httpbis/calls/9223372036854775807/", "/group/httpbis/calls/9223372036854775807/tally/", "/group/httpbis/calls/abc/tally/",
		"/group/nosuch/calls/", "/group/nosuch/calls/1/", "/group/nosuch/calls/new/", "/group/art/calls/", "/group/art/calls/new/",
		"/group/httpbis/calls/new/?kind=confirm&decision=abc&request=-1", "/group/httpbis/calls/new/?decision=" + huge + "&request=" + huge,
		"/group/httpbis/calls/new/?request=5", "/group/httpbis/calls/new/?kind=wglc&doc=" + long, "/group/httpbis/calls/new/?kind=%00&doc=%ff",
		"/api/v1/consensus/call/abc/", "/api/v1/consensus/call/" + huge + "/", "/api/v1/consensus/call/-5/",
		"/api/v1/consensus/call/?limit=" + huge, "/api/v1/consensus/call/?offset=" + huge, "/api/v1/consensus/call/?offset=9223372036854775807",
		"/api/v1/consensus/call/?limit=1000&offset=9223372036854775000", "/api/v1/consensus/call/?state=%00", "/api/v1/consensus/call/?kind=" + long,
		"/api/v1/consensus/call/?doc__name=%27%3B--", "/api/v1/consensus/call/?group__acronym=" + long,
	} {
		code, body := chair.get(p)
		if code >= 500 {
			t.Errorf("GET %s: %d\n%.500s", p, code, body)
		}
	}
	s.unchanged("garbage posts", func() {
		for _, f := range []url.Values{
			{}, {"action": {""}}, {"action": {"note"}}, {"action": {"note"}, "message": {"<>"}, "kind": {"supports"}}, {"action": {"note"}, "message": {long}, "kind": {"supports"}},
			{"action": {"address"}}, {"action": {"address"}, "issue": {"abc"}}, {"action": {"address"}, "issue": {huge}}, {"action": {"address"}, "issue": {"-1"}, "message": {"x"}},
			{"action": {"extend"}}, {"action": {"extend"}, "deadline": {"9999-99-99"}, "why": {"x"}}, {"action": {"extend"}, "deadline": {"0000-01-01T00:00"}, "why": {"x"}},
			{"action": {"extend"}, "deadline": {long}, "why": {long}},
			{"action": {"close"}}, {"action": {"close"}, "outcome": {"consensus"}}, {"action": {"close"}, "outcome": {"none"}, "explanation": {""}, "why_abc": {"x"}, "why_" + huge: {"x"}},
			{"action": {"close"}, "outcome": {long}, "explanation": {long}},
			// A NUL or bytes that are not UTF-8, which PostgreSQL refuses to store.
			{"action": {"note"}, "message": {"\x00"}, "kind": {"supports"}}, {"action": {"extend"}, "deadline": {"2099-01-01T00:00"}, "why": {"a\x00b"}},
			{"action": {"extend"}, "deadline": {"2099-01-01T00:00"}, "why": {"\xff\xfe"}},
			{"action": {"close"}, "outcome": {"none"}, "explanation": {"nul \x00 here"}},
		} {
			code, body := chair.post(path, f)
			if code >= 500 || code < 400 {
				t.Errorf("POST %s %v: %d\n%.500s", path, f, code, body)
			}
		}
		for _, f := range []url.Values{
			{}, {"kind": {"adoption"}}, {"kind": {"confirm"}, "decision": {huge}}, {"kind": {"confirm"}, "decision": {"-1"}}, {"kind": {"adoption"}, "doc": {callDraft}, "request": {huge}},
			{"kind": {"adoption"}, "doc": {callDraft}, "request": {"12"}}, {"kind": {"question"}, "question": {"?"}, "deadline": {"99999-01-01T00:00"}},
			{"kind": {"adoption"}, "doc": {"%00"}}, {"kind": {"adoption"}, "doc": {callDraft}}, // already under a call
			{"kind": {"question"}, "question": {"Meet\x00?"}}, {"kind": {"question"}, "question": {"\xc3\x28"}}, {"kind": {"adoption"}, "doc": {"draft-\x00"}},
		} {
			code, body := chair.post("/group/httpbis/calls/new/", f)
			if code >= 500 || code < 400 {
				t.Errorf("POST new %v: %d\n%.500s", f, code, body)
			}
		}
		for _, p := range []string{"/group/httpbis/calls/abc/", "/group/httpbis/calls/" + huge + "/", "/group/nosuch/calls/1/", "/group/nosuch/calls/new/", "/group/art/calls/new/"} {
			code, body := chair.post(p, url.Values{"action": {"close"}, "outcome": {"none"}, "explanation": {"x"}, "kind": {"question"}, "question": {"?"}})
			if code >= 500 || code < 400 {
				t.Errorf("POST %s: %d\n%.500s", p, code, body)
			}
		}
	})
}
