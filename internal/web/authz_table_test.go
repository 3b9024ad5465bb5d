package web

import (
	"net/url"
)

// authzProbes is the authorization matrix: for each state-changing route
// (and, where a route does several things, each of them), who may, from
// the IETF's rules (RULES.md) and the Datatracker's practice. A role not
// in ok or held is refused with no (403 unless said), anonymous with 401
// unless said; except gives other refusals (404 for a thing that is not
// where the URL says, 409 for a move the rules forbid anyone).

var (
	everyone   = []string{"anonymous", "participant", "other-chair", "chair", "other-ad", "ad", "iesg", "iab", "ietf-chair", "secretariat"}
	everyLogin = everyone[1:]
	sittingADs = []string{"other-ad", "ad", "ietf-chair"} // R42: the ADs of active areas, the IETF Chair as General AD
)

func static(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }

func values(kv ...string) func(*authzFixture, string) url.Values {
	return func(*authzFixture, string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
}

func allOf(code int, roles ...string) map[string]int {
	m := map[string]int{}
	for _, r := range roles {
		m[r] = code
	}
	return m
}

func count(table string) func(*authzFixture) string {
	return func(f *authzFixture) string { return f.scalar(`SELECT COUNT(*) FROM ` + table) }
}

func docCol(name, col string) func(*authzFixture) string {
	return func(f *authzFixture) string { return f.docField(name, col) }
}

// edit is the document edit form's action on a document.
func edit(name, what string, kv ...string) authzProbe {
	return authzProbe{route: "POST /doc/{name}/edit/", what: what, path: static("/doc/" + name + "/edit/"), form: values(kv...)}
}

// upload is a new revision of a draft, as a file.
func upload(name, rev string, as func(*authzFixture, string) string) func(*authzFixture, string) (string, string, []byte) {
	return func(f *authzFixture, who string) (string, string, []byte) {
		return "xml", name + "-" + rev + ".xml", draftXML(name, rev, as(f, who))
	}
}

// selfOrAnon is the role's own address, or one for anonymous.
func selfOrAnon(f *authzFixture, who string) string {
	if e := f.email(who); e != "" {
		return e
	}
	return "someone@example.net"
}

var authzProbes = append(append(append(accountProbes, groupProbes...), append(listProbes, submitProbes...)...), docProbes...)

var accountProbes = []authzProbe{
	// R18: anyone may register, log in and out, reset a password.
	{route: "POST /accounts/create/", what: "an account for a new address", path: static("/accounts/create/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"email": {"new-" + who + "@example.net"}}
		},
		ok: everyone, shared: true, target: count("token")},
	{route: "POST /accounts/create/confirm/{token}/", what: "a made-up token", path: static("/accounts/create/confirm/madeup/"),
		form: values("name", "Mallory", "password", "long enough pw", "password2", "long enough pw"), no: 404, anon: 404},
	{route: "POST /accounts/login/", what: "with one's own password", path: static("/accounts/login/"),
		form: func(f *authzFixture, who string) url.Values {
			e := f.email(who)
			if e == "" {
				e = "pat@example.org" // anonymous logs in as Pat
			}
			return url.Values{"email": {e}, "password": {testPassword}}
		}, ok: everyone, shared: true},
	{route: "POST /accounts/logout/", what: "", path: static("/accounts/logout/"), ok: everyone, shared: true},
	{route: "POST /accounts/logout/everywhere/", what: "", path: static("/accounts/logout/everywhere/"), ok: everyLogin, shared: true},
	{route: "POST /accounts/reset/", what: "any address", path: static("/accounts/reset/"), form: values("email", victim),
		ok: everyone, shared: true},
	{route: "POST /accounts/reset/confirm/{token}/", what: "a made-up token", path: static("/accounts/reset/confirm/madeup/"),
		form: values("password", "taken over!", "password2", "taken over!"), no: 404, anon: 404},
	{route: "POST /accounts/password/", what: "one's own", path: static("/accounts/password/"),
		form: values("current", testPassword, "password", "another password", "password2", "another password"), ok: everyLogin, shared: true},
	{route: "POST /accounts/profile/", what: "one's own", path: static("/accounts/profile/"),
		form: values("name", "New Name", "biography", "Hello."), ok: everyLogin, shared: true},
	{route: "POST /accounts/email/add/", what: "an address to one's own account", path: static("/accounts/email/add/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"email": {"extra-" + who + "@example.net"}}
		},
		ok: everyLogin, shared: true, target: count("token")},
	{route: "POST /accounts/email/confirm/{token}/", what: "a made-up token", path: static("/accounts/email/confirm/madeup/"),
		no: 404, anon: 404},
	{route: "POST /accounts/email/primary/", what: "the victim's address", path: static("/accounts/email/primary/"),
		form: values("email", victim), no: 400},
	{route: "POST /accounts/email/remove/", what: "the victim's address", path: static("/accounts/email/remove/"),
		form: values("email", victim), no: 400},
	{route: "POST /accounts/apikey/", what: "a key of one's own", path: static("/accounts/apikey/"),
		form: values("label", "scripts"), ok: everyLogin, shared: true},
	{route: "POST /accounts/apikey/{id}/revoke/", what: "the victim's key",
		setup: func(f *authzFixture) { f.saved["victimKey"] = f.victimKey() },
		path:  func(f *authzFixture) string { return "/accounts/apikey/" + f.saved["victimKey"] + "/revoke/" }, no: 404},
}

var groupProbes = []authzProbe{
	// An AD creates a WG in their own area (R44: the responsible AD); the
	// secretariat any.
	{route: "POST /group/create/", what: "a WG in art", path: static("/group/create/"),
		form: values("acronym", "newwg", "name", "New WG", "type", "wg", "parent", "art"),
		ok:   []string{"ad", "secretariat"}, no: 403, target: count("grp")},
	// Chairs edit their group's description; its AD and the secretariat too.
	{route: "POST /group/{acronym}/edit/", what: "the description", path: static("/group/httpbis/edit/"),
		form: func(f *authzFixture, who string) url.Values { return url.Values{"description": {"Edited by " + who}} },
		ok:   []string{"chair", "ad", "secretariat"}, no: 403, shared: true,
		target: func(f *authzFixture) string { return f.scalar(`SELECT description FROM grp WHERE acronym = 'httpbis'`) }},
	// R14: closing a WG is the responsible AD's decision, announced with
	// its reason (POST /group/{acronym}/conclude/); a state change that
	// skips it is refused to everyone who may change the state.
	{route: "POST /group/{acronym}/edit/", what: "the state, to concluded (R14)", path: static("/group/httpbis/edit/"),
		form: values("state", "conclude", "why", "done"), no: 403, except: allOf(409, "ad", "secretariat")},
	// R13: nobody makes a WG active but the IESG's approval of its charter.
	{route: "POST /group/{acronym}/edit/", what: "a BOF's state, to active (R13)",
		setup: func(f *authzFixture) { f.state("httpbis", "bof") }, path: static("/group/httpbis/edit/"),
		form: values("state", "active"), no: 403, except: allOf(409, "ad", "secretariat")},
	// R13, R44: a WG's charter is the AD's (and the IESG's) to change:
	// a new text is a revision of its charter document, under review.
	{route: "POST /group/{acronym}/charter/", what: "a new revision", path: static("/group/httpbis/charter/"),
		form: func(f *authzFixture, who string) url.Values { return url.Values{"text": {"Charter by " + who}} },
		ok:   []string{"ad", "secretariat"}, no: 403, shared: true, target: count("charter_draft")},
	{route: "POST /group/{acronym}/milestones/", what: "a new milestone", path: static("/group/httpbis/milestones/"),
		form: values("description", "Send it to the IESG", "due", "2027-03"),
		ok:   []string{"chair", "ad", "secretariat"}, no: 403, shared: true, target: count("milestone")},
	{route: "POST /group/{acronym}/milestones/{id}/", what: "resolve httpbis's milestone",
		setup: func(f *authzFixture) { f.saved["m"] = f.milestone("httpbis") },
		path:  func(f *authzFixture) string { return "/group/httpbis/milestones/" + f.saved["m"] + "/" },
		form:  values("action", "resolve"), ok: []string{"chair", "ad", "secretariat"}, no: 403,
		target: func(f *authzFixture) string {
			return f.scalar(`SELECT resolved FROM milestone WHERE id = $1`, f.id(f.saved["m"]))
		}},
	{route: "POST /group/{acronym}/milestones/{id}/", what: "quic's milestone through httpbis's URL",
		setup: func(f *authzFixture) { f.saved["m"] = f.milestone("quic") },
		path:  func(f *authzFixture) string { return "/group/httpbis/milestones/" + f.saved["m"] + "/" },
		form:  values("action", "delete"), no: 403, except: allOf(404, "chair", "ad", "secretariat")},
	// Chairs appoint secretaries; R44: the AD appoints chairs; ADs are
	// seated by the NomCom process, which the secretariat records.
	{route: "POST /group/{acronym}/roles/", what: "a secretary of httpbis", path: static("/group/httpbis/roles/"),
		form: values("email", victim, "role", "secr"), ok: []string{"chair", "ad", "secretariat"}, no: 403, target: count("role")},
	{route: "POST /group/{acronym}/roles/", what: "a chair of httpbis", path: static("/group/httpbis/roles/"),
		form: values("email", victim, "role", "chair"), ok: []string{"ad", "secretariat"}, no: 403, target: count("role")},
	{route: "POST /group/{acronym}/roles/", what: "an AD of art", path: static("/group/art/roles/"),
		form: values("email", victim, "role", "ad"), ok: []string{"secretariat"}, no: 403, target: count("role")},
	{route: "POST /group/{acronym}/roles/", what: "a member of the IAB", path: static("/group/iab/roles/"),
		form: values("email", victim, "role", "member"), ok: []string{"secretariat"}, no: 403, target: count("role")},
	// R42: the IESG is seated by the NomCom process, not by its chair
	// (the IETF Chair chairs the IESG).
	{route: "POST /group/{acronym}/roles/", what: "a member of the IESG", path: static("/group/iesg/roles/"),
		form: values("email", victim, "role", "member"), ok: []string{"secretariat"}, no: 403, target: count("role")},
	{route: "POST /group/{acronym}/roles/{id}/revoke/", what: "httpbis's chair",
		path: func(f *authzFixture) string {
			return "/group/httpbis/roles/" + f.roleID("httpbis", "chair", "chair@example.org") + "/revoke/"
		},
		ok: []string{"ad", "secretariat"}, no: 403, target: count("role")},
	{route: "POST /group/{acronym}/roles/{id}/revoke/", what: "quic's chair through httpbis's URL",
		path: func(f *authzFixture) string {
			return "/group/httpbis/roles/" + f.roleID("quic", "chair", "oc@example.org") + "/revoke/"
		},
		no: 404},
}

var listProbes = []authzProbe{
	// R18: anyone may subscribe; an address is confirmed by mail.
	{route: "POST /list/{name}/subscribe/", what: "oneself", path: static("/list/httpbis/subscribe/"),
		form: values("email", "someone@example.net", "mode", "each"), ok: everyone, shared: true,
		target: func(f *authzFixture) string {
			return f.scalar(`SELECT COUNT(*) FROM subscription`) + "/" + f.scalar(`SELECT COUNT(*) FROM list_pending`)
		}},
	{route: "POST /list/{name}/options/", what: "one's own delivery mode",
		setup: func(f *authzFixture) {
			for _, r := range authzRoles[1:] {
				f.subscribe("httpbis", r.email)
			}
		},
		path: static("/list/httpbis/options/"), form: values("mode", "digest"), ok: everyLogin, shared: true},
	{route: "POST /list/{name}/unsubscribe/", what: "any address (a link is mailed to it)", path: static("/list/httpbis/unsubscribe/"),
		setup: func(f *authzFixture) { f.subscribe("httpbis", victim) },
		form:  values("email", victim), ok: everyone, shared: true},
	{route: "POST /list/{name}/unsubscribe/{token}/", what: "a made-up token", path: static("/list/httpbis/unsubscribe/madeup/"),
		setup: func(f *authzFixture) { f.subscribe("httpbis", victim) }, no: 404, anon: 404},
	{route: "POST /list/{name}/confirm/{token}/", what: "a made-up token", path: static("/list/httpbis/confirm/madeup/"),
		no: 404, anon: 404},
	// The WG's chairs and the secretariat moderate its list (RFC 3934 R20
	// gives the chairs the list's discipline).
	{route: "POST /list/{name}/moderation/{id}/", what: "approve a held post",
		setup: func(f *authzFixture) { f.saved["post"] = f.heldPost("httpbis") },
		path:  func(f *authzFixture) string { return "/list/httpbis/moderation/" + f.saved["post"] + "/" },
		form:  values("action", "approve"), ok: []string{"chair", "secretariat"}, no: 403,
		target: func(f *authzFixture) string {
			return f.scalar(`SELECT state FROM list_post WHERE id = $1`, f.id(f.saved["post"]))
		}},
	{route: "POST /list/{name}/moderation/{id}/", what: "quic's held post through httpbis's URL",
		setup: func(f *authzFixture) { f.saved["post"] = f.heldPost("quic") },
		path:  func(f *authzFixture) string { return "/list/httpbis/moderation/" + f.saved["post"] + "/" },
		form:  values("action", "approve"), no: 403, except: allOf(404, "chair", "secretariat")},
	{route: "POST /list/{name}/settings/", what: "description and policy", path: static("/list/httpbis/settings/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"description": {"Set by " + who}, "post_policy": {"subscribers"}, "max_kb": {"1024"}, "archive_public": {"on"}}
		},
		ok: []string{"chair", "secretariat"}, no: 403, shared: true,
		target: func(f *authzFixture) string { return f.scalar(`SELECT description FROM list WHERE name = 'httpbis'`) }},
	{route: "POST /list/{name}/settings/moderators/", what: "add a moderator", path: static("/list/httpbis/settings/moderators/"),
		form: values("action", "add", "email", victim), ok: []string{"chair", "secretariat"}, no: 403, target: count("list_moderator")},
}
