package web

import (
	"context"
	"net/url"
	"strconv"

	"hum/internal/consensus"
	"hum/internal/mail"
	"hum/internal/meetings"
)

// The authorization matrix's rows for decisions from meetings (R31) and
// requests for calls (issue 11):
//   - a group's chairs, secretaries and delegates, and the secretariat,
//     record the decisions of its sessions (on the session page or from
//     its minutes) and answer requests for its calls; its AD does not, as
//     the chairs judge the WG's consensus (R30, RFC 2418 section 3.3);
//   - any logged-in participant asks the chairs for a call.

func init() { authzProbes = append(authzProbes, consensusChairProbes...) }

// minutesWithDecisions: IETF 119 under way, httpbis's session placed,
// and its minutes stating two decisions.
func (f *authzFixture) minutesWithDecisions() {
	f.underway()
	_, err := f.meetings().Upload(context.Background(), f.op, nowMeeting, "httpbis", meetings.Upload{Kind: "minutes", Filename: "minutes.md",
		Content: []byte("# Minutes\n\nDecision: Adopt the cache design.\nDecision: Meet again at IETF 120.\n")}, "")
	f.must(err)
}

// individualDraft is an active individual draft, as docs holds one.
func (f *authzFixture) individualDraft() {
	f.t.Helper()
	var id int64
	f.must(f.db.QueryRowContext(context.Background(), `INSERT INTO doc (name, type, rev, title, state, created, updated)
		VALUES ('draft-doe-http-thing', 'draft', '00', 'A Thing', 'active', $1, $1) RETURNING id`, f.now).Scan(&id))
	f.saved["doc"] = strconv.FormatInt(id, 10)
}

// requestWaiting: the victim has asked httpbis's chairs to call for
// adoption of an individual draft.
func (f *authzFixture) requestWaiting() {
	f.individualDraft()
	r, err := f.consensus().AskForCall(context.Background(), f.actor(victim), "draft-doe-http-thing", "adoption", "httpbis", "It is ready.")
	f.must(err)
	f.saved["request"] = strconv.FormatInt(r.ID, 10)
}

// consensus is a consensus service on the fixture's database, to set
// the scene as the web's own would.
func (f *authzFixture) consensus() *consensus.Service {
	return &consensus.Service{DB: f.db, Groups: f.groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
}

var consensusChairProbes = []authzProbe{
	{route: "POST /meeting/{number}/session/{acronym}/decisions/", what: "a decision of httpbis's session", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/decisions/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"session": {f.saved["session"]}, "text": {"Adopt the design (" + who + ")."}}
		}, ok: leadsHTTP, no: 403, shared: true, target: count("decision")},
	{route: "POST /meeting/{number}/session/{acronym}/decisions/", what: "httpbis's session through quic's page", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/quic/decisions/"), form: savedForm("session", "{session}", "text", "Adopt the design."), no: 404},
	{route: "POST /meeting/{number}/session/{acronym}/decisions/minutes/", what: "httpbis's minutes' decisions", setup: (*authzFixture).minutesWithDecisions,
		path: onMeeting(nowMeeting, "session/httpbis/decisions/minutes/"),
		form: savedForm("session", "{session}", "decision", "Adopt the cache design.", "decision", "Meet again at IETF 120."),
		ok:   leadsHTTP, no: 403, target: count("decision")},
	{route: "POST /doc/{name}/request_call/", what: "adoption of an individual draft by httpbis", setup: (*authzFixture).individualDraft,
		path: static("/doc/draft-doe-http-thing/request_call/"), form: values("kind", "adoption", "group", "httpbis", "reason", "Ready."),
		ok: everyLogin, target: count("call_request")},
	{route: "POST /group/{acronym}/requests/{id}/decline/", what: "the victim's request", setup: (*authzFixture).requestWaiting,
		path: savedPath("/group/httpbis/requests/{request}/decline/"), form: values("answer", "Not now."),
		ok: leadsHTTP, no: 403, target: query(`SELECT MAX(state) FROM call_request`)},
	{route: "POST /group/{acronym}/requests/{id}/decline/", what: "the victim's request, through quic", setup: (*authzFixture).requestWaiting,
		path: savedPath("/group/quic/requests/{request}/decline/"), form: values("answer", "Not now."), no: 404},
}
