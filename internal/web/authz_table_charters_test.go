package web

import (
	"context"
	"net/url"
	"time"

	"hum/internal/charters"
	"hum/internal/groups"
	"hum/internal/mail"
)

// The authorization matrix's rows for chartering (R13) and concluding a
// WG (R14):
//   - the group's responsible AD and the secretariat post a charter's
//     texts and move it through review; a move before its week, or one
//     that skips a step, is refused to them too (409, R13);
//   - only sitting ADs ballot on a charter (R42);
//   - only the responsible AD, or the secretariat on their behalf,
//     concludes a WG, with a reason (R14).
// The charter acted on is httpbis's, taken to the state a row needs
// through the service in its setup.

func init() { authzProbes = append(authzProbes, charterProbes...) }

const charterDoc = "/doc/charter-ietf-httpbis/"

var charterProbes = []authzProbe{
	{route: "POST /doc/{name}/submit/", what: "a new text of httpbis's charter", path: static(charterDoc + "submit/"),
		form: func(f *authzFixture, who string) url.Values { return url.Values{"text": {"Charter by " + who}} },
		ok:   []string{"ad", "secretariat"}, no: 403, shared: true, target: count("charter_draft")},
	{route: "POST /doc/{name}/state/", what: "start internal review", setup: charterAt(charters.Draft),
		path: static(charterDoc + "state/"), form: values("state", "intrev"), ok: []string{"ad", "secretariat"}, no: 403, target: charterState},
	{route: "POST /doc/{name}/state/", what: "external review a day into internal review (R13)",
		setup: func(f *authzFixture) { charterAt(charters.Internal)(f); f.later(24 * time.Hour) },
		path:  static(charterDoc + "state/"), form: values("state", "extrev"), no: 403, except: allOf(409, "ad", "secretariat")},
	{route: "POST /doc/{name}/state/", what: "external review after a week, the ballot passed",
		setup: func(f *authzFixture) {
			charterAt(charters.Internal)(f)
			f.later(8 * 24 * time.Hour)
			f.charterPosition("ad@example.org", charters.PosYes)
		},
		path: static(charterDoc + "state/"), form: values("state", "extrev"), ok: []string{"ad", "secretariat"}, no: 403, target: charterState},
	{route: "POST /doc/{name}/state/", what: "IESG review straight from internal review (R13)", setup: charterAt(charters.Internal),
		path: static(charterDoc + "state/"), form: values("state", "iesgrev"), no: 403, except: allOf(409, "ad", "secretariat")},
	{route: "POST /doc/{name}/approve/", what: "a week after external review, the ballot passed",
		setup: func(f *authzFixture) {
			charterAt(charters.IESGReview)(f)
			f.later(8 * 24 * time.Hour)
			f.charterPosition("ad@example.org", charters.PosYes)
		},
		path: static(charterDoc + "approve/"), ok: []string{"ad", "secretariat"}, no: 403, target: charterState},
	{route: "POST /doc/{name}/approve/", what: "in external review, with no IESG ballot (R13)",
		setup: func(f *authzFixture) { charterAt(charters.External)(f); f.later(8 * 24 * time.Hour) },
		path:  static(charterDoc + "approve/"), no: 403, except: allOf(409, "ad", "secretariat")},
	{route: "POST /doc/{name}/abandon/", what: "httpbis's recharter", setup: charterAt(charters.Draft),
		path: static(charterDoc + "abandon/"), form: values("why", "not now"), ok: []string{"ad", "secretariat"}, no: 403, target: charterState},
	// R42: only sitting ADs ballot.
	{route: "POST /doc/{name}/ballot/", what: "a position on a charter's ballot", setup: charterAt(charters.Internal),
		path: static(charterDoc + "ballot/"), form: values("position", "yes"), ok: sittingADs, no: 403, shared: true,
		target: count("charter_position")},
	// R14: closing a WG is its responsible AD's decision.
	{route: "POST /group/{acronym}/conclude/", what: "httpbis, with the reason", path: static("/group/httpbis/conclude/"),
		form: values("reason", "Its work is done."), ok: []string{"ad", "secretariat"}, no: 403,
		target: func(f *authzFixture) string { return f.scalar(`SELECT state FROM grp WHERE acronym = 'httpbis'`) }},
	{route: "POST /group/{acronym}/conclude/", what: "httpbis, with no reason", path: static("/group/httpbis/conclude/"),
		form: values("reason", ""), no: 403, except: allOf(400, "ad", "secretariat")},
}

var charterState = query(`SELECT state || ' ' || rev FROM charter WHERE name = 'charter-ietf-httpbis'`)

func (f *authzFixture) charters() *charters.Service {
	return &charters.Service{DB: f.db, Groups: f.groups, Lists: f.lists, Mail: f.lists.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test"}
}

// charterAt takes httpbis's charter, as the operator, to state: a text
// (Draft Charter), internal review, external review a week later with
// the AD's YES, or IESG review.
func charterAt(state string) func(*authzFixture) {
	return func(f *authzFixture) {
		ctx, cs := context.Background(), f.charters()
		const name = "charter-ietf-httpbis"
		_, err := cs.Submit(ctx, f.op, name, "The HTTP WG maintains HTTP.", "")
		f.must(err)
		if state == charters.Draft {
			return
		}
		f.must(cs.SetState(ctx, f.op, name, charters.Internal, ""))
		if state == charters.Internal {
			return
		}
		f.later(8 * 24 * time.Hour)
		f.charterPosition("ad@example.org", charters.PosYes)
		f.must(cs.SetState(ctx, f.op, name, charters.External, ""))
		if state == charters.External {
			return
		}
		f.must(cs.SetState(ctx, f.op, name, charters.IESGReview, ""))
	}
}

// charterPosition takes who's position on httpbis's charter ballot.
func (f *authzFixture) charterPosition(who, pos string) {
	f.must(f.charters().SetPosition(context.Background(), f.actor(who), "charter-ietf-httpbis", charters.PositionChange{Pos: pos}))
}

// state puts a group in a state, as the operator records one.
func (f *authzFixture) state(acronym, state string) {
	f.must(f.groups.Update(context.Background(), f.op, acronym, groups.Changes{State: &state}, ""))
}
