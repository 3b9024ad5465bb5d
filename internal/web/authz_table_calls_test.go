package web

import "strconv"

// The matrix's rows for consensus calls: a WG's chairs (and the
// secretariat) open, extend, note and close them (R30); no one else.

func init() { authzProbes = append(authzProbes, callProbes...) }

var chairOrSec = []string{"chair", "secretariat"}

// openCall is an open free-question call of httpbis, as the setup's row.
func openCall(f *authzFixture) {
	var id int64
	if err := f.db.QueryRow(`INSERT INTO consensus_call (group_id, kind, question, list, message_id, opened, deadline)
		SELECT id, 'question', 'Shall we?', 'httpbis', 'call-matrix@hum.test', $1, $2 FROM grp WHERE acronym = 'httpbis' RETURNING id`,
		f.now, f.now.AddDate(0, 0, 14)).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	f.saved["call"] = strconv.FormatInt(id, 10)
}

var callProbes = []authzProbe{
	{route: "POST /group/{acronym}/calls/new/", what: "a free question to httpbis", path: static("/group/httpbis/calls/new/"),
		form: values("kind", "question", "question", "Shall the WG meet at the next IETF?"), ok: chairOrSec, no: 403, shared: true,
		target: count("consensus_call")},
	{route: "POST /group/{acronym}/calls/{id}/", what: "extend an httpbis call's deadline", setup: openCall,
		path: savedPath("/group/httpbis/calls/{call}/"), form: values("action", "extend", "deadline", "2099-01-01T12:00", "why", "IETF week"),
		ok: chairOrSec, no: 403, target: query(`SELECT deadline FROM consensus_call`)},
	{route: "POST /group/{acronym}/calls/{id}/", what: "close an httpbis call", setup: openCall,
		path: savedPath("/group/httpbis/calls/{call}/"), form: values("action", "close", "outcome", "none", "explanation", "Nobody replied."),
		ok: chairOrSec, no: 403, target: query(`SELECT state FROM consensus_call`)},
}
