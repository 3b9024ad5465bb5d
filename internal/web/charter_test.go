package web

import (
	"context"
	"net/url"
	"regexp"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/testbody"
)

// charterSite is newBody's standards body with the IAB, an IAB member, a
// BOF in art, lists that archive, and a clock the test moves.
type charterSite struct {
	*site
	now time.Time
}

func newCharterSite(t *testing.T) *charterSite {
	t.Helper()
	b := newBody(t)
	s := &charterSite{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	b.DB.Now = func() time.Time { return s.now }
	b.AddGroups(
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "newbof", Name: "A New Idea", Type: "wg", Parent: "art", State: "bof"},
	)
	b.AddPeople(testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"})
	as := &archive.Service{DB: b.DB}
	ls := &lists.Service{DB: b.DB, Archive: callArchiver{as}, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	s.site = serve(t, b, Config{Lists: ls, Archive: as})
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *charterSite) later(d time.Duration) { s.now = s.now.Add(d) }

// TestR13CharterWalkOnTheWeb takes a BOF through chartering from its
// pages: the AD proposes a text on the group's charter page, starts
// internal review, is refused external review before the week (R13),
// ballots, announces it (the BOF becomes proposed), puts it on the
// IESG's ballot, is refused approval before the second week (R13), and
// records the approval; the group is active with its charter, and its
// history and the lists' archives show every step.
func TestR13CharterWalkOnTheWeb(t *testing.T) {
	s := newCharterSite(t)
	ad, pat, anon := s.client(), s.client(), s.client()
	ad.login("ad@example.org")
	pat.login("pat@example.org")
	const doc = "/doc/charter-ietf-newbof/"

	code, body := anon.get(doc)
	want(t, "a BOF's charter before any text", code, body, 200, "Not currently under review", "No charter text yet")
	code, body = ad.post("/group/newbof/charter/", url.Values{"text": {"The New Idea WG specifies the new idea."}, "why": {"after the BOF"}})
	want(t, "the AD proposes a text", code, body, 200, "Revision 00-00 of charter-ietf-newbof is posted", "Draft Charter", "The New Idea WG specifies the new idea.", "Start internal review")
	code, body = pat.get(doc)
	want(t, "a participant sees the charter", code, body, 200, "Draft Charter")
	if regexp.MustCompile(`action="/doc/charter-ietf-newbof/(state|submit)/"`).MatchString(body) {
		t.Error("a participant is offered chartering's forms")
	}

	code, body = ad.post(doc+"state/", url.Values{"state": {"intrev"}})
	want(t, "internal review", code, body, 200, "Start Chartering/Rechartering (Internal Steering Group/IAB Review)", "Send to external review")
	s.later(3 * 24 * time.Hour)
	code, body = ad.post(doc+"state/", url.Values{"state": {"extrev"}})
	want(t, "external review after three days", code, body, 409, "at least a week", "rule R13")

	s.later(5 * 24 * time.Hour)
	code, body = ad.post(doc+"ballot/", url.Values{"position": {"yes"}, "comment": {"Good to go."}})
	want(t, "the AD's position", code, body, 200, "Ready for external review", "The ballot passes", "Good to go.")
	code, body = pat.post(doc+"ballot/", url.Values{"position": {"block"}, "block": {"No."}})
	want(t, "a participant ballots", code, body, 403, "R42")
	code, body = ad.post(doc+"state/", url.Values{"state": {"extrev"}})
	want(t, "external review", code, body, 200, "External Review", "announced on ietf-announce and new-work")
	code, body = anon.get("/group/newbof/about/")
	want(t, "the BOF in external review", code, body, 200, "Proposed")
	for _, l := range []string{"new-work", "ietf-announce"} {
		code, body = anon.get("/arch/browse/" + l + "/")
		want(t, l+"'s archive", code, body, 200, "WG Review: A New Idea (newbof)")
	}

	code, body = ad.post(doc+"state/", url.Values{"state": {"iesgrev"}})
	want(t, "IESG review", code, body, 200, "IESG Review", "Record the IESG")
	code, body = ad.post(doc+"ballot/", url.Values{"position": {"yes"}})
	want(t, "the AD approves on the ballot", code, body, 200, "Approve", "The ballot passes")
	code, body = ad.post(doc+"approve/", url.Values{})
	want(t, "approval after an hour of external review", code, body, 409, "at least a week", "rule R13")
	s.later(7 * 24 * time.Hour)
	code, body = ad.post(doc+"approve/", url.Values{"why": {"approved on the telechat"}})
	want(t, "approval", code, body, 200, "revision 01 is the charter", ">Approved<")

	code, body = anon.get("/group/newbof/about/")
	want(t, "the group after approval", code, body, 200, "Active", "The New Idea WG specifies the new idea.", `href="/doc/charter-ietf-newbof/"`)
	code, body = anon.get("/group/newbof/history/")
	want(t, "the group's history", code, body, 200, "IESG has approved the charter", "Charter approved, group active", "State changed to Proposed from BOF", "New version available: charter-ietf-newbof-00-00.txt")
	code, body = anon.get(doc + "history/")
	want(t, "the charter's history", code, body, 200, "Created &#34;Ready for external review&#34; ballot", "approved on the telechat")
	code, body = anon.get(doc + "00-00/")
	want(t, "a proposed revision", code, body, 200, "Revision 00-00 (proposed)", "The current revision is 01")
	code, _ = anon.get(doc + "07/")
	want(t, "no such revision", code, "", 404)
	code, _ = anon.get("/doc/charter-ietf-nosuch/")
	want(t, "no such charter", code, "", 404)
	code, body = anon.get("/arch/browse/ietf-announce/")
	want(t, "the approval announced", code, body, 200, "WG Action: Formed A New Idea (newbof)")
	code, body = anon.get("/arch/browse/newbof/")
	want(t, "the approval on the WG's list", code, body, 200, "WG Action: Formed A New Idea (newbof)")
}

// TestR14ConcludeOnTheWeb: only the AD (or the secretariat) concludes a
// WG, with a reason, from its page; the state change that would bypass
// it is refused naming R14; the conclusion is announced, and the WG's
// list and its archive stay readable by anyone.
func TestR14ConcludeOnTheWeb(t *testing.T) {
	s := newCharterSite(t)
	ad, chair, anon := s.client(), s.client(), s.client()
	ad.login("ad@example.org")
	chair.login("chair@example.org")

	code, body := chair.get("/group/httpbis/about/")
	want(t, "the chair's view", code, body, 200)
	if regexp.MustCompile(`action="/group/httpbis/conclude/"`).MatchString(body) {
		t.Error("the chair is offered the conclusion")
	}
	code, body = chair.post("/group/httpbis/conclude/", url.Values{"reason": {"We are done."}})
	want(t, "the chair concludes", code, body, 403, "R14")
	code, body = ad.post("/group/httpbis/edit/", url.Values{"state": {"conclude"}, "why": {"done"}})
	want(t, "the AD concludes by a state change", code, body, 409, "Conclude the WG", "rule R14")
	code, body = ad.post("/group/httpbis/conclude/", url.Values{"reason": {" "}})
	want(t, "no reason", code, body, 400, "Say why", "rule R14")
	code, body = ad.get("/group/httpbis/about/")
	want(t, "the AD's view", code, body, 200, `action="/group/httpbis/conclude/"`, "Active")

	code, body = ad.post("/group/httpbis/conclude/", url.Values{"reason": {"HTTP/3 is published; the charter's work is done."}})
	want(t, "the AD concludes", code, body, 200, "is concluded", "Concluded")
	code, body = anon.get("/group/httpbis/history/")
	want(t, "the history", code, body, 200, "State changed to Concluded from Active", "the charter&#39;s work is done")
	code, body = anon.get("/list/httpbis/")
	want(t, "the list after conclusion", code, body, 200, "httpbis")
	code, body = anon.get("/arch/browse/httpbis/")
	want(t, "the archive after conclusion", code, body, 200, "WG Action: Conclusion of HTTP (httpbis)")
	m := regexp.MustCompile(`href="(/arch/msg/httpbis/[^"]+/)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no message in the archive:\n%.2000s", body)
	}
	code, body = anon.get(m[1])
	want(t, "the announcement in the archive", code, body, 200, "HTTP/3 is published", "remain public")
	code, body = anon.get("/arch/browse/ietf-announce/")
	want(t, "ietf-announce", code, body, 200, "WG Action: Conclusion of HTTP (httpbis)")
}

// A charter in internal review, placed on a telechat by its AD, shows in
// section 4 of the agenda with its ballot.
func TestCharterOnTheTelechatAgenda(t *testing.T) {
	s := newCharterSite(t)
	ad, sec, anon := s.client(), s.client(), s.client()
	ad.login("ad@example.org")
	sec.login("sec@example.org")
	const doc = "/doc/charter-ietf-newbof/"
	code, body := sec.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2026-03-05"}, "count": {"2"}})
	want(t, "telechats", code, body, 200, "2 telechat dates added.")
	code, body = ad.post("/group/newbof/charter/", url.Values{"text": {"The New Idea WG specifies the new idea."}})
	want(t, "a text", code, body, 200, "Revision 00-00")
	code, body = ad.post(doc+"state/", url.Values{"state": {"intrev"}})
	want(t, "internal review", code, body, 200, "Internal Steering Group")
	code, body = ad.post(doc+"edit/telechat/", url.Values{"telechat_date": {"2026-03-05"}})
	want(t, "placed", code, body, 200, "Placed on the agenda of the 2026-03-05 IESG telechat.")
	code, body = anon.get("/iesg/agenda/2026-03-05/")
	want(t, "the agenda", code, body, 200, "1 document on the agenda", `<h4 id="sec-4.1.1">4.1.1 Proposed for IETF review</h4>`,
		`<a href="/doc/charter-ietf-newbof/">charter-ietf-newbof-00-00</a>`, "A New Idea (newbof)", "Ballot</a> (Ready for external review): 0 Yes")
}

// TestCharterTelechatForm: a charter under the IESG's review has, on its
// page, the form that places it on a telechat for its area's AD and the
// secretariat (as a draft's ballot page has), none for a participant or
// before review; placing it from there shows the placement on the page.
func TestCharterTelechatForm(t *testing.T) {
	s := newCharterSite(t)
	ad, sec, pat := s.client(), s.client(), s.client()
	ad.login("ad@example.org")
	sec.login("sec@example.org")
	pat.login("pat@example.org")
	const doc = "/doc/charter-ietf-newbof/"
	const form = `action="/doc/charter-ietf-newbof/edit/telechat/"`
	code, body := sec.post("/iesg/telechat-dates/", url.Values{"action": {"series"}, "first": {"2026-03-05"}, "count": {"2"}})
	want(t, "telechats", code, body, 200, "2 telechat dates added.")
	code, body = ad.post("/group/newbof/charter/", url.Values{"text": {"The New Idea WG specifies the new idea."}})
	want(t, "a text", code, body, 200, "Revision 00-00")
	if regexp.MustCompile(form).MatchString(body) {
		t.Error("a Draft Charter, which no telechat takes, is offered the telechat form")
	}
	code, body = ad.post(doc+"state/", url.Values{"state": {"intrev"}})
	want(t, "internal review", code, body, 200, "Internal Steering Group", form, `<option value="2026-03-05">2026-03-05</option>`, `<option value="2026-03-19">2026-03-19</option>`, "On no IESG telechat agenda.")
	code, body = sec.get(doc)
	want(t, "the secretariat's view", code, body, 200, form)
	code, body = pat.get(doc)
	want(t, "a participant's view", code, body, 200)
	if regexp.MustCompile(form).MatchString(body) {
		t.Error("a participant is offered the telechat form")
	}
	code, body = ad.post(doc+"edit/telechat/", url.Values{"telechat_date": {"2026-03-19"}, "why": {"after the BOF's review"}, "next": {"doc"}})
	want(t, "placed from the charter's page", code, body, 200, "Placed on the agenda of the 2026-03-19 IESG telechat.", "Charter for A New Idea (newbof)",
		`On the agenda of the <a href="/iesg/agenda/2026-03-19/">2026-03-19</a> IESG telechat.`, `<option value="2026-03-19" selected>2026-03-19</option>`)
	code, body = pat.get("/iesg/agenda/2026-03-19/")
	want(t, "the agenda", code, body, 200, `<a href="/doc/charter-ietf-newbof/">charter-ietf-newbof-00-00</a>`)
}
