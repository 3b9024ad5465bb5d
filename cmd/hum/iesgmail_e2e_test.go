package main

import (
	"net/url"
	"strings"
	"testing"

	"hum/internal/db/dbtest"
)

// TestE2EIESGMailsReachPeople is the IESG's mails to the people of a
// draft, on the whole server with real SMTP to a smarthost (PostgreSQL
// when HUM_TEST_POSTGRES is set): the chair's publication request
// reaches the responsible AD and the secretariat with the write-up, and
// an AD's DISCUSS reaches the draft's author, who has no account, and
// its chair, from the AD.
func TestE2EIESGMailsReachPeople(t *testing.T) {
	const (
		wg     = "widgets"
		draft  = "draft-ietf-widgets-frob"
		ad     = "ad@example.org"
		chair  = "chair@example.org"
		sec    = "sec@example.org"
		author = "kim@example.com" // no account
		pw     = "a long enough passphrase"
	)
	dsn := dbtest.DSN(t)
	humSteps(t, [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", wg, "--name", "Widgets", "--parent", "art"},
		{"group", "add", "--db", dsn, "--acronym", "secretariat", "--name", "IETF Secretariat", "--type", "ietf"},
		{"user", "add", "--db", dsn, "--email", ad, "--name", "Ada Director", "--password", pw},
		{"user", "add", "--db", dsn, "--email", chair, "--name", "Chris Chair", "--password", pw},
		{"user", "add", "--db", dsn, "--email", sec, "--name", "Sam Secretariat", "--password", pw},
		{"role", "grant", "--db", dsn, ad, "ad", "art"},
		{"role", "grant", "--db", dsn, chair, "chair", wg},
		{"role", "grant", "--db", dsn, sec, "secr", "secretariat"},
	})
	newDraft(t, dsn, draft, 2)
	// The draft as its WG left it: an author, the chair as shepherd, the
	// write-up answered.
	sql := func(q string, args ...any) { t.Helper(); execSQL(t, dsn, q, args...) }
	sql(`UPDATE doc SET group_id = (SELECT id FROM grp WHERE acronym = $1), shepherd_id = (SELECT person_id FROM email WHERE address = $2),
		wg_state = 'writeupw', std_level = 'ps', stream = 'ietf', abstract = 'How to frob widgets.' WHERE name = $3`, wg, chair, draft)
	sql(`INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 0, 'Kim Author', $1 FROM doc WHERE name = $2`, author, draft)
	for q := 1; q <= 21; q++ {
		sql(`INSERT INTO doc_writeup_answer (doc_id, question, answer) SELECT id, $1, $2 FROM doc WHERE name = $3`,
			q, "The shepherd checked this and found nothing of concern.", draft)
	}

	sink := startSink(t, true)
	base, _ := serveWithMail(t, dsn, sink.addr)

	// 1. The chair requests publication; the AD and the secretariat get
	// the write-up.
	c := newWebClient(t, base)
	c.login(chair, pw)
	code, body, _ := c.post("/doc/"+draft+"/edit/", url.Values{"action": {"iesgstate"}, "state": {"pub-req"}})
	wantPage(t, "publication request", code, body, 200, "IESG state changed.")
	got := waitSubject(t, sink, "iesg-secretary@hum.test", "Publication has been requested for "+draft+"-02", ad, sec)
	for _, want := range []string{"Chris Chair has requested publication of " + draft + "-02", "Document Shepherd Write-Up for Group Documents",
		"The shepherd checked this and found nothing of concern."} {
		if !strings.Contains(unfold(got), want) {
			t.Errorf("the publication request lacks %q:\n%s", want, got)
		}
	}

	// 2. In IESG Evaluation, the AD's DISCUSS reaches the author and the
	// chair.
	sql(`UPDATE doc SET iesg_state = 'iesg-eva' WHERE name = $1`, draft)
	sql(`INSERT INTO ballot (doc_id, opened) SELECT id, updated FROM doc WHERE name = $1`, draft)
	a := newWebClient(t, base)
	a.login(ad, pw)
	code, body, _ = a.post("/doc/"+draft+"/ballot/", url.Values{"position": {"discuss"}, "discuss": {"Section 3 breaks old widgets."}, "comment": {"Nice otherwise."}})
	wantPage(t, "the DISCUSS", code, body, 200, "Section 3 breaks old widgets.")
	// The subject is long enough to be folded: waitSubject matches its
	// first line, the check below the whole of it.
	got = waitSubject(t, sink, ad, "Ada Director's Discuss on", author, chair)
	for _, want := range []string{"Subject: Ada Director's Discuss on " + draft + "-02: (with DISCUSS and COMMENT)", "DISCUSS:", "Section 3 breaks old widgets.", "COMMENT:", "Nice otherwise.", "Cc: <" + draft + ".authors@hum.test>"} {
		if !strings.Contains(unfold(got), want) {
			t.Errorf("the DISCUSS mail lacks %q:\n%s", want, got)
		}
	}
}
