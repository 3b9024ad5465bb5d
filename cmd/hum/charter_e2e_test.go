package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestE2EBOFCharteredToActive is issue 14's acceptance test for
// chartering, on the whole server with real SMTP to a smarthost
// (PostgreSQL when HUM_TEST_POSTGRES is set), with a clock the test moves
// (no waiting): the AD proposes a BOF's charter and starts internal
// review, which reaches the IESG and the IAB through iesg@ and iab@;
// external review before the week is up is refused naming R13; after it,
// with the ballot passed, the review is announced on ietf-announce and
// new-work, whose subscribers get it, and the BOF is a proposed WG; the
// secretariat's approval before another week is refused naming R13, and
// after it the WG is active and "WG Action: Formed" reaches the
// subscribers of ietf-announce and of the WG's own list.
func TestE2EBOFCharteredToActive(t *testing.T) {
	const (
		bof   = "newbof"
		ad    = "ad@example.org"
		sec   = "sec@example.org"
		iris  = "iris@example.org" // the IAB
		pat   = "pat@example.org"  // reads ietf-announce
		nwfan = "nw@example.com"   // reads new-work
		wgfan = "wg@example.com"   // reads the BOF's list
		pw    = "a long enough passphrase"
	)
	dsn := dbtest.DSN(t)
	humSteps(t, [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", "iab", "--name", "Internet Architecture Board", "--type", "iab"},
		{"group", "add", "--db", dsn, "--acronym", "secretariat", "--name", "IETF Secretariat", "--type", "ietf"},
		{"group", "add", "--db", dsn, "--acronym", bof, "--name", "A New Idea", "--parent", "art", "--state", "bof"},
		{"user", "add", "--db", dsn, "--email", ad, "--name", "Ada Director", "--password", pw},
		{"user", "add", "--db", dsn, "--email", sec, "--name", "Sam Secretariat", "--password", pw},
		{"user", "add", "--db", dsn, "--email", iris, "--name", "Iris Board"},
		{"role", "grant", "--db", dsn, ad, "ad", "art"},
		{"role", "grant", "--db", dsn, sec, "secr", "secretariat"},
		{"role", "grant", "--db", dsn, iris, "member", "iab"},
	})
	sink := startSink(t, true)
	smarthost := sink.addr
	var ahead atomic.Int64 // how far the server's clock is ahead of now
	clock := func() time.Time { return time.Now().UTC().Add(time.Duration(ahead.Load())) }
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	// A jump of the clock makes the list delivery workers' last beats look
	// days old, so their leases free, until they beat again (each second):
	// after a jump the test waits for that beat, as a real clock never
	// jumps by days.
	later := func(by time.Duration) {
		t.Helper()
		ahead.Add(int64(by))
		jumped := clock()
		deadline := time.Now().Add(patience)
		for {
			var n int
			if err := d.QueryRow(`SELECT COUNT(*) FROM delivery_worker WHERE beat >= $1`, jumped).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no delivery worker beat after the clock moved on")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	smtpAddr := freeAddr(t)
	base := serveOnClock(t, clock, dsn,
		"--smtp", smtpAddr, "--smarthost", smarthost, "--domain", "hum.test")
	waitListening(t, smtpAddr)
	for list, who := range map[string]string{"ietf-announce": pat, "new-work": nwfan, bof: wgfan} {
		if out, err := hum(t, "list", "subscribe", "--db", dsn, list, who); err != nil {
			t.Fatalf("list subscribe %s %s: %v %s", list, who, err, out)
		}
	}
	const doc = "/doc/charter-ietf-" + bof + "/"
	a, s, anon := newWebClient(t, base), newWebClient(t, base), newWebClient(t, base)
	a.login(ad, pw)
	s.login(sec, pw)

	// 1. The AD proposes a text and starts internal review: the IESG and
	// the IAB are told.
	code, body, _ := a.post("/group/"+bof+"/charter/", url.Values{"text": {"The New Idea WG specifies the new idea."}, "why": {"after the BOF"}})
	wantPage(t, "the AD proposes a text", code, body, 200, "Revision 00-00 of charter-ietf-"+bof+" is posted", "Draft Charter")
	code, body, _ = a.post(doc+"state/", url.Values{"state": {"intrev"}})
	wantPage(t, "internal review", code, body, 200, "Internal Steering Group/IAB Review")
	got := waitSubject(t, sink, "iesg-secretary@hum.test", "Internal WG Review: A New Idea ("+bof+")", ad, iris)
	if !strings.Contains(unfold(got), "The New Idea WG specifies the new idea.") {
		t.Errorf("the internal review lacks the text:\n%s", got)
	}

	// 2. External review before the week is up is refused (R13).
	later(3 * 24 * time.Hour)
	code, body, _ = a.post(doc+"state/", url.Values{"state": {"extrev"}})
	wantPage(t, "external review after three days", code, body, 409, "at least a week", "R13")
	if len(sink.withSubject("iesg-secretary@hum.test", "WG Review: A New Idea")) != 0 {
		t.Error("a refused external review was announced")
	}

	// 3. After the week, with the IESG's ballot passed, external review is
	// announced on ietf-announce and new-work; the BOF is proposed.
	later(5 * 24 * time.Hour)
	code, body, _ = a.post(doc+"ballot/", url.Values{"position": {"yes"}})
	wantPage(t, "the AD's position", code, body, 200, "The ballot passes")
	code, body, _ = a.post(doc+"state/", url.Values{"state": {"extrev"}})
	wantPage(t, "external review", code, body, 200, "External Review", "announced on ietf-announce and new-work")
	got = waitSubject(t, sink, "iesg-secretary@hum.test", "WG Review: A New Idea ("+bof+")", pat, nwfan)
	for _, want := range []string{"Reply-To: iesg@hum.test", "The New Idea WG specifies the new idea."} {
		if !strings.Contains(unfold(got), want) {
			t.Errorf("the external review announcement lacks %q:\n%s", want, got)
		}
	}
	code, body, _ = anon.get("/group/" + bof + "/about/")
	wantPage(t, "the BOF in external review", code, body, 200, "Proposed")

	// 4. IESG review; the secretariat's approval before another week is
	// refused (R13); after it the WG is active, and the approval is
	// announced on ietf-announce and the WG's list.
	code, body, _ = a.post(doc+"state/", url.Values{"state": {"iesgrev"}})
	wantPage(t, "IESG review", code, body, 200, "IESG Review")
	code, body, _ = a.post(doc+"ballot/", url.Values{"position": {"yes"}})
	wantPage(t, "the approval ballot", code, body, 200, "The ballot passes")
	later(24 * time.Hour)
	code, body, _ = s.post(doc+"approve/", url.Values{})
	wantPage(t, "approval after a day of external review", code, body, 409, "at least a week", "R13")
	later(6 * 24 * time.Hour)
	code, body, _ = s.post(doc+"approve/", url.Values{"why": {"approved on the telechat"}})
	wantPage(t, "approval", code, body, 200, "revision 01 is the charter", ">Approved<")
	waitSubject(t, sink, "iesg-secretary@hum.test", "WG Action: Formed A New Idea ("+bof+")", pat, wgfan)
	code, body, _ = anon.get("/group/" + bof + "/about/")
	wantPage(t, "the WG after approval", code, body, 200, "Active", "The New Idea WG specifies the new idea.")
	code, body, _ = anon.get(doc + "history/")
	wantPage(t, "the charter's history", code, body, 200, "approved on the telechat")
}

// TestE2EIPRDisclosureOnPageWriteupAndAPI is issue 14's acceptance test
// for IPR, on the whole server with real SMTP (PostgreSQL when
// HUM_TEST_POSTGRES is set): a participant files a specific disclosure
// against a WG draft, the secretariat posts it, the announcement reaches
// the draft's author (no account), the WG's chair and the WG list's
// subscribers, and the disclosure shows on the draft's page, in its
// shepherd write-up's IPR question and in the Datatracker's API.
func TestE2EIPRDisclosureOnPageWriteupAndAPI(t *testing.T) {
	const (
		wg     = "widgets"
		draft  = "draft-ietf-widgets-frob"
		chair  = "chair@example.org"
		sec    = "sec@example.org"
		pat    = "pat@example.org"
		author = "kim@example.com" // no account
		wgfan  = "wg@example.com"  // reads the WG's list
		pw     = "a long enough passphrase"
	)
	dsn := dbtest.DSN(t)
	humSteps(t, [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", wg, "--name", "Widgets", "--parent", "art"},
		{"group", "add", "--db", dsn, "--acronym", "secretariat", "--name", "IETF Secretariat", "--type", "ietf"},
		{"user", "add", "--db", dsn, "--email", chair, "--name", "Chris Chair", "--password", pw},
		{"user", "add", "--db", dsn, "--email", sec, "--name", "Sam Secretariat", "--password", pw},
		{"user", "add", "--db", dsn, "--email", pat, "--name", "Pat Participant", "--password", pw},
		{"role", "grant", "--db", dsn, chair, "chair", wg},
		{"role", "grant", "--db", dsn, sec, "secr", "secretariat"},
	})
	newDraft(t, dsn, draft, 0)
	execSQL(t, dsn, `UPDATE doc SET group_id = (SELECT id FROM grp WHERE acronym = $1), wg_state = 'wg-doc', stream = 'ietf', std_level = 'ps' WHERE name = $2`, wg, draft)
	execSQL(t, dsn, `INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 0, 'Kim Author', $1 FROM doc WHERE name = $2`, author, draft)
	sink := startSink(t, true)
	base, _ := serveWithMail(t, dsn, sink.addr)
	if out, err := hum(t, "list", "subscribe", "--db", dsn, wg, wgfan); err != nil {
		t.Fatalf("list subscribe: %v %s", err, out)
	}

	// 1. Pat files a specific disclosure; the secretariat posts it.
	p, s, anon := newWebClient(t, base), newWebClient(t, base), newWebClient(t, base)
	p.login(pat, pw)
	s.login(sec, pw)
	code, body, _ := p.post("/ipr/new-specific/", url.Values{"holder_legal_name": {"Example Networks"}, "holder_contact_name": {"Lee Licensing"},
		"holder_contact_email": {pat}, "patent_number": {"US62/123456"}, "patent_inventor": {"Ivy Inventor"}, "patent_title": {"Frobbing widgets"},
		"patent_date": {"2025-11-03"}, "licensing": {"royalty-free"}, "compliant": {"on"}, "doc-0-name": {draft + "-00"}, "doc-0-sections": {"3"}})
	wantPage(t, "filing", code, body, 200, "Your disclosure is filed")
	var id int64
	func() {
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.QueryRow(`SELECT id FROM ipr_disclosure`).Scan(&id); err != nil {
			t.Fatal(err)
		}
	}()
	code, body, _ = s.post(fmt.Sprintf("/ipr/%d/post/", id), nil)
	wantPage(t, "posting", code, body, 200, "The disclosure is posted and announced.")
	title := "Example Networks' Statement about IPR related to " + draft
	// (The subject is folded: waitSubject matches its first line.)
	got := waitSubject(t, sink, "iesg-secretary@hum.test", "IPR Disclosure Example Networks", author, chair, wgfan)
	if !strings.Contains(unfold(got), "Subject: IPR Disclosure "+title) {
		t.Errorf("the announcement's subject:\n%s", got)
	}

	// 2. The draft's page, its write-up and the API show it.
	code, body, _ = anon.get("/doc/" + draft + "/")
	wantPage(t, "the draft's page", code, body, 200, `<a href="/ipr/search/?submit=draft&amp;id=`+draft+`">1 IPR disclosure</a>`)
	// The write-up's IPR question shows it to the chair writing it, and,
	// once answered, to everyone.
	c := newWebClient(t, base)
	c.login(chair, pw)
	shows := fmt.Sprintf(`IPR disclosures that name %s: <a href="/ipr/%d/">#%d %s</a>`, draft, id, id, strings.ReplaceAll(title, "'", "&#39;"))
	code, body, _ = c.get("/doc/" + draft + "/writeup/")
	wantPage(t, "the write-up form", code, body, 200, `name="q12"`, shows)
	code, body, _ = c.post("/doc/"+draft+"/writeup/", url.Values{"q12": {"One disclosure, royalty-free; the WG discussed it."}})
	wantPage(t, "answering the IPR question", code, body, 200)
	code, body, _ = anon.get("/doc/" + draft + "/writeup/")
	wantPage(t, "the write-up", code, body, 200, "One disclosure, royalty-free", shows)
	var l struct {
		Meta struct {
			TotalCount int `json:"total_count"`
		} `json:"meta"`
		Objects []map[string]any `json:"objects"`
	}
	code, body, _ = anon.get("/api/v1/ipr/iprdocrel/?document__name=" + draft)
	if code != 200 || json.Unmarshal([]byte(body), &l) != nil || l.Meta.TotalCount != 1 ||
		l.Objects[0]["disclosure"] != fmt.Sprintf("/api/v1/ipr/iprdisclosurebase/%d/", id) || l.Objects[0]["sections"] != "3" {
		t.Errorf("the API's iprdocrel: %d %.1000s", code, body)
	}
	code, body, _ = anon.get(fmt.Sprintf("/api/v1/ipr/holderiprdisclosure/%d/", id))
	var h map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &h) != nil || h["title"] != title ||
		h["licensing"] != "/api/v1/name/iprlicensetypename/royalty-free/" || h["state"] != "/api/v1/name/iprdisclosurestatename/posted/" {
		t.Errorf("the API's disclosure: %d %.1500s", code, body)
	}
}
