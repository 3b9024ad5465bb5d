package web

import (
	"context"
	"fmt"

	"hum/internal/appeals"
	"hum/internal/db"
	"hum/internal/mail"
	"hum/internal/record"
)

// The authorization matrix's rows for appeals (issue 11, RFC 2026 §6.5):
//   - anyone logged in files an appeal;
//   - each level's response is recorded by that level: the WG's chairs,
//     the responsible AD, an IESG member or the secretariat, an IAB
//     member or the secretariat but never the IETF Chair (R43), the
//     secretariat for the ISOC Board (R40);
//   - only the appellant (here the participant) escalates or withdraws.
// The appeals are made through the service in the setups below.

func init() { authzProbes = append(authzProbes, appealProbes...) }

const appealFacts = "The chairs declared consensus on adoption although three objections on the list were never answered by anyone."

var appealProbes = []authzProbe{
	{route: "POST /appeals/new/", what: "a chair's WG-state change", setup: (*authzFixture).appealedDecision,
		path: static("/appeals/new/"), form: savedForm("decision", "{event}", "facts", appealFacts, "remedy", "Reopen the call."),
		ok: []string{"participant", "other-chair", "chair", "other-ad", "ad", "iesg", "iab", "ietf-chair", "secretariat"}, shared: true,
		target: count("appeal")},
	{route: "POST /appeals/{id}/respond/", what: "at the WG chairs", setup: func(f *authzFixture) { f.appealAt(0) },
		path: savedPath("/appeals/{appeal}/respond/"), form: values("response", "The decision stands."), ok: []string{"chair"}, no: 403,
		target: appealResponses},
	{route: "POST /appeals/{id}/respond/", what: "at the AD", setup: func(f *authzFixture) { f.appealAt(1) },
		path: savedPath("/appeals/{appeal}/respond/"), form: values("response", "The decision stands."), ok: []string{"ad"}, no: 403,
		target: appealResponses},
	{route: "POST /appeals/{id}/respond/", what: "at the IESG", setup: func(f *authzFixture) { f.appealAt(2) },
		path: savedPath("/appeals/{appeal}/respond/"), form: values("response", "The decision stands."),
		ok: []string{"other-ad", "ad", "ietf-chair", "secretariat"}, no: 403, target: appealResponses},
	// R43: the IETF Chair, an IAB member, never records the IAB's response.
	{route: "POST /appeals/{id}/respond/", what: "at the IAB (R43)", setup: func(f *authzFixture) { f.appealAt(3) },
		path: savedPath("/appeals/{appeal}/respond/"), form: values("response", "The decision stands."),
		ok: []string{"iab", "secretariat"}, no: 403, target: appealResponses},
	{route: "POST /appeals/{id}/acknowledge/", what: "at the ISOC Board (R40)", setup: (*authzFixture).appealAtISOC,
		path: savedPath("/appeals/{appeal}/acknowledge/"), ok: []string{"secretariat"}, no: 403,
		target: query(`SELECT COUNT(*) FROM appeal_level WHERE acknowledged IS NOT NULL`)},
	{route: "POST /appeals/{id}/escalate/", what: "answered by the chairs", setup: func(f *authzFixture) { f.appealAt(0); f.appealRespond("chair@example.org") },
		path: savedPath("/appeals/{appeal}/escalate/"), form: values("reason", "Not answered."), ok: []string{"participant"}, no: 403,
		target: count("appeal_level")},
	{route: "POST /appeals/{id}/withdraw/", what: "open at the chairs", setup: func(f *authzFixture) { f.appealAt(0) },
		path: savedPath("/appeals/{appeal}/withdraw/"), form: values("why", "Settled."), ok: []string{"participant"}, no: 403,
		target: query(`SELECT state FROM appeal`)},
}

var appealResponses = query(`SELECT COUNT(*) FROM appeal_level WHERE responded IS NOT NULL`)

func (f *authzFixture) appeals() *appeals.Service {
	return &appeals.Service{DB: f.db, Groups: f.groups, Docs: f.docs, Mail: f.lists.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test"}
}

// appealedDecision records a WG-state change of an httpbis draft by its
// chair, saved as "event".
func (f *authzFixture) appealedDecision() {
	f.decisionBy("chair@example.org", "wg_state", "WG state changed to Adopted by a WG")
}

func (f *authzFixture) decisionBy(who, kind, summary string) {
	ctx := context.Background()
	var id int64
	f.must(f.db.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc (name, type, title, group_id, state, created, updated)
			VALUES ('draft-ietf-httpbis-appealed', 'draft', 'Appealed', (SELECT id FROM grp WHERE acronym = 'httpbis'), 'active', $1, $1)
			ON CONFLICT (name) DO NOTHING`, tx.Now); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, record.Actor{ID: f.ids[who], Name: who}, "doc", "draft-ietf-httpbis-appealed", kind, summary, ""); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT MAX(id) FROM event`).Scan(&id)
	}))
	f.saved["event"] = fmt.Sprint(id)
}

// appealAt files the participant's appeal of a chair's decision and takes
// it up its chain to level step (0 the chairs, 1 the AD, 2 the IESG, 3
// the IAB), saved as "appeal".
func (f *authzFixture) appealAt(step int) {
	f.appealedDecision()
	s := f.appeals()
	ctx := context.Background()
	id, err := s.File(ctx, f.actor("pat@example.org"), appeals.Filing{Decision: f.saved["event"], Facts: appealFacts, Remedy: "Reopen the call."})
	f.must(err)
	f.saved["appeal"] = fmt.Sprint(id)
	for _, who := range []string{"chair@example.org", "ad@example.org", "ad@example.org"}[:step] {
		f.must(s.Respond(ctx, f.actor(who), id, appeals.Response{Text: "No."}))
		f.must(s.Escalate(ctx, f.actor("pat@example.org"), id, "Up."))
	}
}

// appealRespond records the response of the appeal's level by who.
func (f *authzFixture) appealRespond(who string) {
	var id int64
	fmt.Sscan(f.saved["appeal"], &id)
	f.must(f.appeals().Respond(context.Background(), f.actor(who), id, appeals.Response{Text: "No."}))
}

// appealAtISOC takes the participant's procedural appeal of an IESG
// approval to the ISOC Board of Trustees.
func (f *authzFixture) appealAtISOC() {
	f.decisionBy("ad@example.org", "iesg_state", "IESG state changed to Approved-announcement to be sent")
	s := f.appeals()
	ctx := context.Background()
	id, err := s.File(ctx, f.actor("pat@example.org"), appeals.Filing{Decision: f.saved["event"], Facts: appealFacts, Remedy: "Annul the approval.", Procedural: true})
	f.must(err)
	f.saved["appeal"] = fmt.Sprint(id)
	for _, who := range []string{"ic@example.org", "ad@example.org", "iab@example.org"} {
		f.must(s.Respond(ctx, f.actor(who), id, appeals.Response{Text: "No."}))
		f.must(s.Escalate(ctx, f.actor("pat@example.org"), id, "Up."))
	}
}
