package web

import (
	"context"
	"strconv"

	"hum/internal/archive"
	"hum/internal/db"
)

// The matrix's rows for consensus calls: a WG's chairs (and the
// secretariat) open, extend, note, address objections in and close them
// (R30); no one else.

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

// callThread is openCall with the call and a reply objecting to it in
// httpbis's archive, as the list would have archived them.
func callThread(f *authzFixture) {
	openCall(f)
	as := &archive.Service{DB: f.db}
	for _, raw := range []string{
		"From: Chris Chair <chair@example.org>\r\nTo: httpbis@hum.test\r\nSubject: Consensus call: Shall we?\r\nMessage-ID: <call-matrix@hum.test>\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\n\r\nShall we?\r\n",
		"From: Bo <bo@example.net>\r\nTo: httpbis@hum.test\r\nSubject: Re: Consensus call: Shall we?\r\nMessage-ID: <bo-matrix@example.net>\r\nIn-Reply-To: <call-matrix@hum.test>\r\nReferences: <call-matrix@hum.test>\r\nDate: Mon, 4 Mar 2024 11:00:00 +0000\r\n\r\nI object.\r\n",
	} {
		f.must(f.db.Write(context.Background(), func(tx *db.Tx) error {
			_, err := as.Add(context.Background(), tx, "httpbis", []byte(raw))
			return err
		}))
	}
}

// callIssue is callThread with Bo's objection noted and open.
func callIssue(f *authzFixture) {
	callThread(f)
	var id int64
	if err := f.db.QueryRow(`INSERT INTO consensus_issue (call_id, message_id, kind, summary) VALUES ($1, 'bo-matrix@example.net', 'objects', 'Bo objects') RETURNING id`,
		f.saved["call"]).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	f.saved["issue"] = strconv.FormatInt(id, 10)
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
	{route: "POST /group/{acronym}/calls/{id}/", what: "note a message of an httpbis call", setup: callThread,
		path: savedPath("/group/httpbis/calls/{call}/"), form: values("action", "note", "message", "bo-matrix@example.net", "kind", "objects", "note", "breaks things"),
		ok: chairOrSec, no: 403, target: count("consensus_note")},
	{route: "POST /group/{acronym}/calls/{id}/", what: "mark an objection in an httpbis call addressed", setup: callIssue,
		path: savedPath("/group/httpbis/calls/{call}/"), form: savedForm("action", "address", "issue", "{issue}", "message", "bo-matrix@example.net", "note", "withdrawn by Bo"),
		ok: chairOrSec, no: 403, target: query(`SELECT state FROM consensus_issue`)},
}
