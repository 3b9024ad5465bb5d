package web

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/testbody"
)

const smoke = "draft-smoke-signals"

// smokeInIDR posts draft-smoke-signals by its author and makes it an idr
// WG document waiting for its write-up, with Chris as its shepherd.
func smokeInIDR(t *testing.T, s *site, ds *docs.Service) {
	t.Helper()
	author := s.client()
	author.login("kesara@fq.nz")
	code, body := author.upload("/submit/", nil, map[string]string{"txt": "txt/draft-smoke-signals-00.txt"})
	want(t, "posted", code, body, 200, "Posted")
	op := groups.Operator(record.Actor{Name: "test setup"})
	for _, st := range []string{"wg-doc", "writeupw"} {
		if err := ds.SetWGState(context.Background(), smoke, op, docs.WGChange{State: st, Group: "idr"}); err != nil {
			t.Fatal(err)
		}
	}
}

// R17 on the web: the write-up form is the IESG's template; one-word
// answers are kept but the publication request is refused naming the
// questions, and a complete write-up lets it through.
func TestR17WriteupForm(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	smokeInIDR(t, s, ds)
	const doc = "/doc/" + smoke + "/"
	chair := s.client()
	chair.login("chair@example.org")
	code, body := chair.get(doc + "writeup/")
	want(t, "the empty template", code, body, 200, "Document Shepherd Write-Up for Group Documents", "This version is dated 4 July 2022.",
		`name="q1"`, `name="q21"`, "Has anyone threatened an appeal", "IPR disclosures that name draft-smoke-signals: no disclosures known.", "Question 3</a> (appeal threats) has no answer")

	code, body = chair.post(doc+"writeup/", writeupForm(map[int]string{3: "No.", 13: "x"}))
	want(t, "one-word answers kept", code, body, 200, "Shepherd write-up saved.", "2 required questions need an answer of more than one word",
		"Question 3</a> (appeal threats) is answered in one word (&#34;No.&#34;)")
	code, body = chair.post(doc+"edit/", url.Values{"action": {"iesgstate"}, "state": {"pub-req"}})
	want(t, "publication request refused", code, body, 409, "rule R17", "question 3 (appeal threats:", "question 13 (authors&#39; confirmations:")
	code, body = chair.post(doc+"writeup/", url.Values{"q99": {"An answer to no question."}})
	want(t, "no question 99", code, body, 400, "no question 99")

	code, body = chair.post(doc+"writeup/", url.Values{"q3": {"No one has threatened an appeal."}, "q13": {"Both authors confirmed on the list."}})
	want(t, "completed", code, body, 200, "Shepherd write-up saved.", "Every required question is answered (R17).")
	code, body = chair.post(doc+"edit/", url.Values{"action": {"iesgstate"}, "state": {"pub-req"}})
	want(t, "publication requested", code, body, 200, "Publication Requested")

	// Anyone reads it, in the template's layout.
	code, body = s.client().get(doc + "writeup/")
	want(t, "read by anyone", code, body, 200, "Document History", "Does the working group (WG) consensus represent", "No one has threatened an appeal.")
	if strings.Contains(body, "<textarea") {
		t.Error("an anonymous reader is offered the form")
	}
	code, body = s.client().get(doc)
	want(t, "the document links it", code, body, 200, `href="/doc/draft-smoke-signals/writeup/">shepherd write-up</a>`)
}

// The chairs set the intended status before the IESG, the responsible AD
// after, from the edit page; each change shows in the history.
func TestIntendedStatusForm(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	smokeInIDR(t, s, ds)
	const edit = "/doc/" + smoke + "/edit/"
	chair, ad := s.client(), s.client()
	chair.login("chair@example.org")
	ad.login("ad@example.org")
	code, body := chair.get(edit)
	want(t, "the chair's form", code, body, 200, "Change the intended status", `<option value="ps">Proposed Standard</option>`)
	code, body = ad.post(edit, url.Values{"action": {"intended"}, "level": {"ps"}})
	want(t, "the AD before the IESG", code, body, 403, "chairs of idr")
	code, body = chair.post(edit, url.Values{"action": {"intended"}, "level": {"ds"}})
	want(t, "Draft Standard", code, body, 400, "rule R08")
	code, body = chair.post(edit, url.Values{"action": {"intended"}, "level": {"ps"}, "why": {"The WG wants a standard"}})
	want(t, "changed", code, body, 200, "Intended status changed.", `<dd id="intended">Proposed Standard</dd>`)
	code, body = s.client().get("/doc/" + smoke + "/history/")
	want(t, "history", code, body, 200, "Intended Status changed to Proposed Standard from Experimental", "The WG wants a standard")
}

// The telechat from end to end: the secretariat sets the dates, the
// responsible AD places the draft from its ballot page, and the agenda,
// documents.txt, the calendar, the DISCUSS list and the AD's dashboard
// show it.
func TestTelechatPages(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	smokeInIDR(t, s, ds)
	ctx := context.Background()
	op := groups.Operator(record.Actor{Name: "test setup"})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ds.SetIntendedStatus(ctx, smoke, op, "ps", ""))
	must(ds.SetWriteup(ctx, smoke, op, testbody.Writeup()))
	must(ds.SetIESGState(ctx, smoke, op, "pub-req", ""))
	must(ds.SetIESGState(ctx, smoke, op, "lc-req", ""))
	must(ds.IssueLastCall(ctx, smoke, op, 0, ""))
	now = now.Add(15 * 24 * time.Hour) // 2021-07-04
	_, err := ds.Tick(ctx)
	must(err)
	must(ds.SetIESGState(ctx, smoke, op, "iesg-eva", ""))

	anon := s.client()
	code, body := anon.get("/iesg/agenda/")
	want(t, "no telechats yet", code, body, 200, "No IESG telechat is set.")
	code, body = anon.get("/group/iesg/about/")
	want(t, "the IESG's page links the telechat", code, body, 200, `<a href="/iesg/agenda/">the next telechat's agenda</a>`)

	sec, ad, chair := s.client(), s.client(), s.client()
	sec.login("sec@example.org")
	ad.login("ad@example.org")
	chair.login("chair@example.org")
	code, body = chair.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2021-07-08"}, "count": {"4"}})
	want(t, "a chair sets telechats", code, body, 403, "Only the secretariat")
	code, body = sec.get("/iesg/telechat-dates/")
	want(t, "the secretariat's form", code, body, 200, "Add the series", `value="2021-07-08"`)
	code, body = sec.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2021-07-09"}, "count": {"4"}})
	want(t, "a Friday", code, body, 400, "Thursdays")
	code, body = sec.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2021-07-08"}, "count": {"4"}, "why": {"Summer calendar"}})
	want(t, "a series", code, body, 200, "4 telechat dates added.", "2021-07-08 (Thursday)", "2021-08-19 (Thursday)")
	code, body = sec.post("/iesg/telechat-dates/", url.Values{"action": {"item"}, "date": {"2021-07-08"}, "title": {"Appeal norms statement"}, "text": {"Review the draft statement."}})
	want(t, "a management item", code, body, 200, "Management item added.", "Appeal norms statement")

	// The chair cannot place it; the AD does, from the ballot page.
	code, body = chair.post("/doc/"+smoke+"/edit/telechat/", url.Values{"telechat_date": {"2021-07-08"}})
	want(t, "the chair places it", code, body, 403, "rule R42")
	code, body = ad.get("/doc/" + smoke + "/ballot/")
	want(t, "the AD's telechat form", code, body, 200, "On no IESG telechat agenda.", `<option value="2021-07-08">2021-07-08</option>`)
	code, body = ad.post("/doc/"+smoke+"/edit/telechat/", url.Values{"telechat_date": {"2021-07-09"}})
	want(t, "not a telechat", code, body, 400, "not an IESG telechat date")
	code, body = ad.post("/doc/"+smoke+"/edit/telechat/", url.Values{"telechat_date": {"2021-07-08"}, "why": {"Ready"}})
	want(t, "placed", code, body, 200, "Placed on the agenda of the 2021-07-08 IESG telechat.", "On the agenda of the")
	code, body = anon.get("/doc/" + smoke + "/history/")
	want(t, "the event", code, body, 200, "Placed on agenda for telechat - 2021-07-08")
	code, body = anon.get("/doc/" + smoke + "/")
	want(t, "the document page", code, body, 200, `<dd id="telechat"><a href="/iesg/agenda/2021-07-08/">2021-07-08</a>`, `href="/doc/ad/ada.director/"`)

	// A DISCUSS from a second AD, seated for it.
	b := testbody.New(t, s.db)
	b.AddGroups(groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"})
	b.AddPeople(testbody.Person{Email: "bea@example.org", Name: "Bea Director", Role: "ad", Group: "sec"})
	bea, err := s.groups.ActorOf(ctx, record.Actor{ID: b.IDs["bea@example.org"], Name: "Bea Director"})
	must(err)
	must(ds.SetPosition(ctx, smoke, bea, docs.PositionChange{Pos: "discuss", Discuss: "The smoke may not be seen at night."}))
	adPerson, err := s.people.ByEmail(ctx, "ad@example.org")
	must(err)
	ada, err := s.groups.ActorOf(ctx, record.Actor{ID: adPerson.ID, Name: adPerson.Name})
	must(err)
	must(ds.SetPosition(ctx, smoke, ada, docs.PositionChange{Pos: "yes"}))

	code, body = anon.get("/iesg/agenda/")
	want(t, "the agenda", code, body, 200, "IESG telechat agenda, 2021-07-08", "1 document on the agenda",
		`<h2 id="sec-2">2 Protocol actions</h2>`, `<h4 id="sec-2.1.1">2.1.1 New items</h4>`, `href="/doc/draft-smoke-signals/">draft-smoke-signals-00</a>`,
		"Token: Ada Director", "1 Yes, 0 No Objection, 1 Discuss (Bea Director ), 0 Abstain, 0 Recuse, 0 No Record.", "Missing: 1 DISCUSS position must be cleared",
		`<h3 id="sec-6.1">6.1 Appeal norms statement</h3>`, "Review the draft statement.", `<h2 id="sec-4">4 Working Group actions</h2>`)
	if strings.Contains(body, "For action") {
		t.Error("an empty For action section is shown")
	}
	code, body = anon.get("/iesg/agenda/2021-07-22/")
	want(t, "a later agenda", code, body, 200, "IESG telechat agenda, 2021-07-22", "0 documents on the agenda")
	code, _ = anon.get("/iesg/agenda/2021-07-23/")
	want(t, "no telechat that day", code, "", 404)

	code, body = anon.get("/iesg/agenda/documents.txt")
	want(t, "documents.txt", code, body, 200)
	if wantTxt := "# Fields: telechat date, filename (draft-foo-bar or rfc1234), intended status, rfc editor submission flag (0=no, 1=yes), area acronym, AD name, version\n" +
		"2021-07-08\tdraft-smoke-signals\tProposed Standard\t0\trtg\tAda Director\t00"; body != wantTxt {
		t.Errorf("documents.txt:\n%q\nwant\n%q", body, wantTxt)
	}

	code, body = anon.get("/iesg/discusses/")
	want(t, "discusses", code, body, 200, `href="/doc/draft-smoke-signals/ballot/">draft-smoke-signals</a>`, "Bea Director (sec)", "2021-07-04", "The smoke may not be seen at night.")
	code, body = anon.get("/doc/ad/ada.director/")
	want(t, "the AD's dashboard", code, body, 200, "Documents for Ada Director", "<h2>IESG Evaluation Internet-Draft</h2>",
		`<a href="/iesg/agenda/2021-07-08/">2021-07-08</a>`, "the IESG ballot: 1 DISCUSS position must be cleared")
	code, _ = anon.get("/doc/ad/nobody.at.all/")
	want(t, "no such AD", code, "", 404)

	// The calendar, read by Python's icalendar.
	code, body = anon.get("/iesg/agenda/telechat.ics")
	want(t, "the ICS", code, body, 200, "BEGIN:VCALENDAR", "UID:iesg-telechat-2021-07-08@hum.test")
	events := parseTelechatICS(t, icalendar(t), body)
	if len(events) != 4 || events[0] != [3]string{"iesg-telechat-2021-07-08@hum.test", "2021-07-08", "IESG telechat"} || events[3][1] != "2021-08-19" {
		t.Errorf("icalendar reads %v", events)
	}

	// A day after the telechat, the agenda is the next one's, and the
	// draft is on none until its AD places it again.
	now = time.Date(2021, 7, 9, 9, 0, 0, 0, time.UTC)
	code, body = anon.get("/iesg/agenda/")
	want(t, "the next agenda", code, body, 200, "IESG telechat agenda, 2021-07-22", "0 documents on the agenda")
	code, body = ad.post("/doc/"+smoke+"/edit/telechat/", url.Values{"telechat_date": {"2021-07-22"}})
	want(t, "placed again", code, body, 200, "Placed on the agenda of the 2021-07-22 IESG telechat.", "(returning item)")
	code, body = anon.get("/iesg/agenda/")
	want(t, "returning", code, body, 200, "returning item")
	if i, j := strings.Index(body, "2.1.2 Returning items"), strings.Index(body, "draft-smoke-signals-00"); i < 0 || j < i || j > strings.Index(body, "2.2 Individual submissions") {
		t.Errorf("the draft is not under 2.1.2 Returning items:\n%s", body)
	}
}

// parseTelechatICS reads the telechats' calendar with Python's icalendar:
// each event's UID, all-day start and summary.
func parseTelechatICS(t *testing.T, python, body string) [][3]string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "telechat.ics")
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, datetime
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    start, end = ev.decoded('DTSTART'), ev.decoded('DTEND')
    assert not isinstance(start, datetime.datetime), 'not an all-day event'
    assert end - start == datetime.timedelta(days=1), 'not one day'
    assert 'DTSTAMP' in ev
    out.append([str(ev['UID']), start.isoformat(), str(ev['SUMMARY'])])
print(json.dumps(out))
`
	out, err := exec.Command(python, "-c", script, f).CombinedOutput()
	if err != nil {
		t.Fatalf("icalendar could not read the ICS: %v\n%s\n%s", err, out, body)
	}
	var evs [][3]string
	if err := json.Unmarshal(out, &evs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return evs
}

// A document's ballot page and a dated agenda change with the day (the
// placement lapses when its telechat is over; the agenda lists the
// telechats to come), with nothing written: a cached copy must not
// outlive the day it was drawn on.
func TestDatedIESGPagesFollowTheDay(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	smokeInIDR(t, s, ds)
	ctx := context.Background()
	op := groups.Operator(record.Actor{Name: "test setup"})
	for _, f := range []func() error{
		func() error { return ds.SetWriteup(ctx, smoke, op, testbody.Writeup()) },
		func() error { return ds.SetIESGState(ctx, smoke, op, "pub-req", "") },
	} {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	sec := s.client()
	sec.login("sec@example.org")
	code, body := sec.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2021-07-08"}, "count": {"2"}})
	want(t, "a series", code, body, 200, "2 telechat dates added.")
	code, body = sec.post("/doc/"+smoke+"/edit/telechat/", url.Values{"telechat_date": {"2021-07-08"}})
	want(t, "placed", code, body, 200, "Placed on the agenda of the 2021-07-08 IESG telechat.")
	anon := s.client()
	code, body = anon.get("/doc/" + smoke + "/ballot/")
	want(t, "placed", code, body, 200, "On the agenda of the")
	code, body = anon.get("/iesg/agenda/2021-07-22/")
	want(t, "both telechats to come", code, body, 200, `<a href="/iesg/agenda/2021-07-08/">2021-07-08</a>`)

	now = time.Date(2021, 7, 9, 9, 0, 0, 0, time.UTC) // the telechat is over
	code, body = anon.get("/doc/" + smoke + "/ballot/")
	want(t, "the placement lapsed", code, body, 200, "On no IESG telechat agenda.")
	code, body = anon.get("/iesg/agenda/2021-07-22/")
	want(t, "the agenda a day on", code, body, 200, "IESG telechat agenda, 2021-07-22")
	if strings.Contains(body, `<a href="/iesg/agenda/2021-07-08/">`) {
		t.Error("the agenda still lists the telechat that is over")
	}
}

// A replaced draft says so, and by what, in place of the WG state it had
// when it was replaced.
func TestReplacedDraftShowsReplacedBy(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	smokeInIDR(t, s, ds)
	// The replacing draft's posting is docs' to test; here only its mark.
	if _, err := s.db.Exec(`UPDATE doc SET state = 'repl' WHERE name = $1`, smoke); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO doc_relation (source, type, target) VALUES ('draft-ietf-idr-smoke-signals', 'replaces', $1)`, smoke); err != nil {
		t.Fatal(err)
	}
	code, body := s.client().get("/doc/" + smoke + "/")
	want(t, "the replaced draft", code, body, 200,
		`<dd id="doc-state">Replaced by <a href="/doc/draft-ietf-idr-smoke-signals/">draft-ietf-idr-smoke-signals</a>`)
	if strings.Contains(body, `id="wg-state"`) {
		t.Error("a replaced draft shows its old WG state")
	}
}
