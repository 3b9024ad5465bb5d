package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The matrix's rows for submissions and documents (see authz_table_test.go).

// newDraft is a first revision of a draft of the role's own.
func newDraft(f *authzFixture, who string) (string, string, []byte) {
	name := "draft-matrix-" + strings.ReplaceAll(who, "-", "") + "-new"
	return "xml", name + "-00.xml", draftXML(name, "00", selfOrAnon(f, who))
}

// userField names the submitter, as i-d-template does.
func userField(f *authzFixture, who string) url.Values {
	return url.Values{"user": {selfOrAnon(f, who)}}
}

// takeover is the victim's draft's next revision, naming whoever sends
// it as its author: it must wait for the victim (the previous revision's
// author), as in the Datatracker, and the link must not go to the sender.
func takeover(route, path string, kind reqKind) authzProbe {
	return authzProbe{route: route, what: "-01 of the victim's draft, naming oneself its author", kind: kind,
		setup: func(f *authzFixture) { f.indivDraft() }, path: static(path), form: userField,
		file: upload(indivDoc, "01", selfOrAnon), held: everyone,
		target: func(f *authzFixture) string {
			// The revision, and the confirmation mails to anyone but the victim.
			return f.docField(indivDoc, "rev") + "/" + f.scalar(`SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Confirm submission%' AND rcpt_to NOT LIKE '%'||$1||'%'`, victim)
		}}
}

// waitingForChairs is a new httpbis draft Pat uploaded, waiting for a chair.
func waitingForChairs(f *authzFixture) {
	sub := f.submit("draft-ietf-httpbis-new", "00", "pat@example.org", "pat@example.org")
	f.saved["sub"] = strconv.FormatInt(sub.ID, 10)
}

func subState(f *authzFixture) string {
	return f.scalar(`SELECT state FROM submission WHERE id = $1`, f.id(f.saved["sub"]))
}

var submitProbes = []authzProbe{
	// Anyone may submit a draft (R18); a logged-in author's posts at once.
	{route: "POST /api/submission", what: "a new draft of one's own", kind: apiUpload, path: static("/api/submission"),
		form: userField, file: newDraft, ok: everyone, shared: true, target: count("submission")},
	{route: "POST /api/submission/", what: "a new draft of one's own", kind: apiUpload, path: static("/api/submission/"),
		form: userField, file: newDraft, ok: everyone, shared: true, target: count("submission")},
	{route: "POST /submit/", what: "a new draft of one's own", kind: uploadPost, path: static("/submit/"),
		form: userField, file: newDraft, ok: everyone, shared: true, target: count("submission")},
	takeover("POST /submit/", "/submit/", uploadPost),
	takeover("POST /api/submission", "/api/submission", apiUpload),
	// A WG's -00 waits for its chairs; the Datatracker lets the area's
	// AD and the secretariat approve it too (submit/views.py,
	// can_group_approve).
	{route: "POST /submit/status/{id}/", what: "approve a WG -00 waiting for the chairs", setup: waitingForChairs,
		path: func(f *authzFixture) string { return "/submit/status/" + f.saved["sub"] + "/" }, form: values("action", "approve"),
		ok: []string{"chair", "ad", "secretariat"}, no: 403, target: subState},
	// Those who may approve it may turn it down; its submitter may
	// withdraw it.
	{route: "POST /submit/status/{id}/", what: "cancel it", setup: waitingForChairs,
		path: func(f *authzFixture) string { return "/submit/status/" + f.saved["sub"] + "/" }, form: values("action", "cancel"),
		ok: []string{"participant", "chair", "ad", "secretariat"}, no: 403, target: subState},
	{route: "POST /submit/status/{id}/confirm/{secret}/", what: "a made-up secret",
		setup: func(f *authzFixture) {
			sub := f.submit("draft-someone-else", "00", "someone@example.net", "")
			f.saved["sub"] = strconv.FormatInt(sub.ID, 10)
		},
		path: func(f *authzFixture) string { return "/submit/status/" + f.saved["sub"] + "/confirm/madeup/" },
		no:   403, anon: 403},
}

var docProbes = []authzProbe{
	// R15: the WG's chairs move its drafts between WG states.
	withSetup(edit(wgDoc, "WG state, to WG Last Call", "action", "wgstate", "state", "wg-lc"), (*authzFixture).wgDraft,
		[]string{"chair", "secretariat"}, docCol(wgDoc, "wg_state")),
	// R16: adoption is the adopting WG's chairs'.
	withSetup(edit(indivDoc, "adopt the victim's draft into httpbis", "action", "wgstate", "state", "c-adopt", "group", "httpbis"),
		(*authzFixture).indivDraft, []string{"chair", "secretariat"}, docCol(indivDoc, "wg_state")),
	withSetup(edit(wgDoc, "tags", "action", "tags", "tag", "w-expert"), (*authzFixture).wgDraft,
		[]string{"chair", "ad", "secretariat"}, count("doc_tag")),
	withSetup(edit(wgDoc, "request publication", "action", "iesgstate", "state", "pub-req"), (*authzFixture).wgDraft,
		[]string{"chair", "ad", "secretariat"}, docCol(wgDoc, "iesg_state")),
	// R42: the responsible AD moves the IESG state, not any AD.
	withSetup(edit(lcReqDoc, "IESG state, back to AD Evaluation", "action", "iesgstate", "state", "ad-eval"), (*authzFixture).lcReqDraft,
		[]string{"ad", "secretariat"}, docCol(lcReqDoc, "iesg_state")),
	withSetup(edit(lcReqDoc, "issue the IETF Last Call", "action", "lastcall"), (*authzFixture).lcReqDraft,
		[]string{"ad", "secretariat"}, docCol(lcReqDoc, "iesg_state")),
	// R44 (hardening 4): a WG draft's AD is one of its area's ADs, chosen
	// by them, the IETF Chair or the secretariat.
	adProbe(wgDoc, "make Ada responsible for the WG draft", (*authzFixture).wgDraft, func(f *authzFixture, _ string) string { return "ad@example.org" },
		[]string{"ad", "ietf-chair", "secretariat"}),
	adProbe(lcReqDoc, "hand Ada's WG draft to an AD of another area", (*authzFixture).lcReqDraft, func(f *authzFixture, _ string) string { return "oad@example.org" },
		[]string{"ietf-chair", "secretariat"}),
	// R42: any AD may take on an individual draft no AD holds yet.
	adProbe(indivDoc, "take on the victim's individual draft", (*authzFixture).indivDraft, func(f *authzFixture, who string) string {
		if slices.Contains(sittingADs, who) {
			return f.email(who)
		}
		return "ad@example.org"
	}, append([]string{"secretariat"}, sittingADs...)),
	withSetup(edit(wgDoc, "the shepherd", "action", "shepherd", "shepherd", victim), (*authzFixture).wgDraft,
		[]string{"chair", "ad", "secretariat"}, docCol(wgDoc, "shepherd_id")),
	withSetup(edit(queueDoc, "publish as an RFC", "action", "publish", "number", "9999"), (*authzFixture).queueDraft,
		[]string{"secretariat"}, docCol(queueDoc, "state")),
	// R17: the shepherd, the chairs, the responsible AD, the secretariat.
	{route: "POST /doc/{name}/writeup/", what: "the shepherd write-up", setup: (*authzFixture).wgDraft, path: static("/doc/" + wgDoc + "/writeup/"),
		form: values("q1", "Rewritten: broad agreement in the WG."), ok: []string{"chair", "ad", "secretariat"}, no: 403, target: writeupAnswer(wgDoc, 1)},
	// R42: only sitting ADs ballot.
	{route: "POST /doc/{name}/ballot/", what: "one's own position", setup: (*authzFixture).evalDraft, path: static("/doc/" + evalDoc + "/ballot/"),
		form: values("position", "noobj"), ok: sittingADs, no: 403, shared: true, target: count("ballot_position")},
	// R36: the secretariat records the alternate ballot.
	{route: "POST /doc/{name}/ballot/alternate/", what: "a YES from Ada", setup: (*authzFixture).discussed, path: static("/doc/" + evalDoc + "/ballot/alternate/"),
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"alt-" + strconv.FormatInt(f.ids["ad@example.org"], 10): {"yes"}}
		},
		ok: []string{"secretariat"}, no: 403, target: count("ballot_alt")},
	{route: "POST /api/iesg/position", what: "one's own position, by API key", kind: apiPost, setup: (*authzFixture).evalDraft,
		path: static("/api/iesg/position"), form: values("doc", evalDoc, "position", "yes"), ok: sittingADs, no: 403, shared: true, target: count("ballot_position")},
	{route: "POST /api/iesg/position/", what: "one's own position, by API key", kind: apiPost, setup: (*authzFixture).evalDraft,
		path: static("/api/iesg/position/"), form: values("doc", evalDoc, "position", "yes"), ok: sittingADs, no: 403, shared: true, target: count("ballot_position")},
}

func withSetup(p authzProbe, setup func(*authzFixture), ok []string, target func(*authzFixture) string) authzProbe {
	p.setup, p.ok, p.target, p.no = setup, ok, target, 403
	return p
}

// adProbe names the responsible AD of a draft: the person at the address
// to gives.
func adProbe(name, what string, setup func(*authzFixture), to func(*authzFixture, string) string, ok []string) authzProbe {
	p := withSetup(edit(name, what), setup, ok, docCol(name, "ad_id"))
	p.form = func(f *authzFixture, who string) url.Values {
		return url.Values{"action": {"ad"}, "ad": {strconv.FormatInt(f.ids[to(f, who)], 10)}}
	}
	return p
}

// writeupAnswer is the answer to one question of a draft's write-up.
func writeupAnswer(name string, q int) func(*authzFixture) string {
	return func(f *authzFixture) string {
		return f.scalar(`SELECT COALESCE(MAX(a.answer), '') FROM doc_writeup_answer a JOIN doc d ON d.id = a.doc_id WHERE d.name = $1 AND a.question = $2`, name, q)
	}
}
