package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db/dbtest"
)

// TestE2ELastCallCommentsAndAliases is issue 14's acceptance test for the
// addresses that must exist, on the whole server with real SMTP
// (PostgreSQL when HUM_TEST_POSTGRES is set): the AD issues IETF Last
// Call from the web; the announcement asks for comments at last-call@,
// which hum takes; a participant with no account mails a comment there;
// it is archived and the draft's page shows it. Mail to iesg@ and to the
// draft's .ad@ alias reaches the AD through the smarthost, not the
// archive; an alias that reaches nobody is refused at RCPT, saying why.
func TestE2ELastCallCommentsAndAliases(t *testing.T) {
	const (
		wg    = "widgets"
		draft = "draft-ietf-widgets-frob"
		ad    = "ad@example.org"
		chair = "chair@example.org"
		pat   = "pat@example.org" // reads ietf-announce
		ann   = "ann@example.com" // no account
		pw    = "a long enough passphrase"
	)
	dsn := dbtest.DSN(t)
	humSteps(t, [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", wg, "--name", "Widgets", "--parent", "art"},
		{"user", "add", "--db", dsn, "--email", ad, "--name", "Ada Director", "--password", pw},
		{"user", "add", "--db", dsn, "--email", chair, "--name", "Chris Chair", "--password", pw},
		{"role", "grant", "--db", dsn, ad, "ad", "art"},
		{"role", "grant", "--db", dsn, chair, "chair", wg},
	})
	newDraft(t, dsn, draft, 2)
	// The draft as the WG sent it: its AD has Last Call requested.
	execSQL(t, dsn, `UPDATE doc SET group_id = (SELECT id FROM grp WHERE acronym = $1), ad_id = (SELECT person_id FROM email WHERE address = $2),
		iesg_state = 'lc-req', wg_state = 'sub-pub', std_level = 'ps', stream = 'ietf', abstract = 'How to frob widgets.' WHERE name = $3`, wg, ad, draft)

	sink := startSink(t, true)
	base, smtpAddr := serveWithMail(t, dsn, sink.addr)
	if out, err := hum(t, "list", "subscribe", "--db", dsn, "ietf-announce", pat); err != nil {
		t.Fatalf("list subscribe: %v %s", err, out)
	}

	// 1. The AD issues Last Call from the document's edit page.
	w := newWebClient(t, base)
	w.login(ad, pw)
	code, body, _ := w.post("/doc/"+draft+"/edit/", url.Values{"action": {"lastcall"}, "days": {""}, "why": {""}})
	wantPage(t, "issuing Last Call", code, body, 200, "IETF Last Call issued")
	announcement := waitSubject(t, sink, "iesg-secretary@hum.test", "Last Call: <"+draft+"-02.txt>", pat)
	for _, want := range []string{"Reply-To: last-call@hum.test", "last-call@hum.test mailing list"} {
		if !strings.Contains(strings.ReplaceAll(announcement, "\r\n", " "), want) {
			t.Errorf("the announcement lacks %q:\n%s", want, announcement)
		}
	}

	// 2. A participant with no account comments to last-call@, as the
	// announcement asks.
	comment := fmt.Sprintf("From: Ann Reviewer <%s>\nTo: last-call@hum.test\nSubject: Re: Last Call: <%s-02.txt> (Frobbing widgets) to Proposed Standard\nMessage-ID: <lc-1@example.com>\nDate: %s\n\nSection 3 breaks old widgets; please fix it before approval.\n",
		ann, draft, time.Now().Format(time.RFC1123Z))
	postTo(t, smtpAddr, ann, "last-call@hum.test", comment, nil)

	// 3. It is archived, and the draft's page shows it, linked.
	page := w.waitPage("/doc/"+draft+"/", "IETF Last Call comments", "Ann Reviewer")
	if !strings.Contains(page, `href="/arch/msg/last-call/`) {
		t.Errorf("the comment is not linked to the archive:\n%.3000s", page)
	}
	anon := newWebClient(t, base)
	code, body, _ = anon.get("/arch/browse/last-call/")
	wantPage(t, "the last-call archive", code, body, 200, "Re: Last Call: &lt;"+draft+"-02.txt&gt;")

	// 4. The aliases: iesg@ and the draft's .ad@ reach the AD through the
	// smarthost, and are archived nowhere.
	for i, to := range []string{"iesg@hum.test", draft + ".ad@hum.test"} {
		postTo(t, smtpAddr, ann, to, fmt.Sprintf("From: Ann Reviewer <%s>\nTo: %s\nSubject: Exceptionally, to %s\nMessage-ID: <alias-%d@example.com>\n\nA comment for the IESG.\n", ann, to, to, i), nil)
		got := waitSubject(t, sink, ann, "Exceptionally, to "+to, ad)
		if !strings.Contains(got, "Delivered-To: "+to) {
			t.Errorf("the copy to %s lacks its Delivered-To:\n%s", to, got)
		}
	}
	code, body, _ = anon.get("/arch/search/?q=Exceptionally")
	if code != 200 || strings.Contains(body, "Exceptionally, to") {
		t.Errorf("mail to an alias was archived (%d)", code)
	}
	// The email page lists them.
	code, body, _ = anon.get("/doc/" + draft + "/email/")
	wantPage(t, "the email page", code, body, 200, draft+".ad@hum.test", "Ada Director", draft+".chairs@hum.test", "Chris Chair")

	// 5. An alias that reaches nobody now is refused at RCPT, with why.
	if c, msg := rcpt(t, smtpAddr, ann, draft+".shepherd@hum.test"); c != 550 || !strings.Contains(msg, "no document shepherd") {
		t.Errorf("RCPT to the shepherd alias of a draft without one: %d %s", c, msg)
	}
	if c, _ := rcpt(t, smtpAddr, ann, "iesg-secretary@hum.test"); c != 550 {
		t.Errorf("RCPT to iesg-secretary@ with nobody in the secretariat: %d", c)
	}
}

// rcpt tries RCPT TO on hum's SMTP and returns the reply code and text.
func rcpt(t *testing.T, addr, from, to string) (int, string) {
	t.Helper()
	c := mailFrom(t, addr, from)
	defer c.Close()
	err := c.Rcpt(to, nil)
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, se.Message
	}
	if err != nil {
		t.Fatal(err)
	}
	return 250, ""
}
