package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/record"
	"hum/internal/testbody"
)

// TestNomComPages runs a NomCom through its pages: the secretariat
// starts it with its chair; the chair opens the call; the eligibility
// page explains each path; an ineligible participant and a sitting AD
// are refused with their rules (R45-R47, R48); a WG chair volunteers;
// the chair publishes the pool and sources, anyone tries values, the
// chair enters them and ten are seated (R49), the computation page
// matching the record; a position is listed, a participant nominates
// themselves, accepts, and gives feedback that only the NomCom reads.
func TestNomComPages(t *testing.T) {
	// newBody's standards body, made on the test's clock: the roles
	// date from before the call.
	now := time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)
	d := dbtest.New(t)
	d.Now = func() time.Time { return now }
	b := testbody.New(t, d)
	b.Password = testPassword
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	b.AddPeople(testbody.Person{Email: "nc@example.org", Name: "Nora Chair"}, testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"})
	var vols []string
	for i := range 11 {
		email := fmt.Sprintf("vol%02d@example.org", i)
		b.AddPeople(testbody.Person{Email: email, Name: fmt.Sprintf("Vol %02d", i), Role: "chair", Group: "quic"})
		vols = append(vols, email)
	}
	s := serve(t, b, Config{})
	anon := s.clientFrom("127.0.0.20")
	login := func(email, ip string) *client {
		c := s.clientFrom(ip)
		c.login(email)
		return c
	}
	sec, nc, pat, ad, chris := login("sec@example.org", "127.0.0.21"), login("nc@example.org", "127.0.0.22"), login("pat@example.org", "127.0.0.23"),
		login("ad@example.org", "127.0.0.24"), login("chair@example.org", "127.0.0.25")

	code, body := pat.post("/nomcom/", url.Values{"year": {"2024"}, "chair": {"nc@example.org"}})
	want(t, "a participant starts a NomCom", code, body, 403)
	code, body = sec.post("/nomcom/", url.Values{"year": {"2024"}, "chair": {"nc@example.org"}})
	want(t, "the secretariat starts NomCom 2024", code, body, 200, "NomCom 2024 is started.", "Nora Chair, appointed by the ISOC President")
	code, body = nc.post("/nomcom/2024/call/", url.Values{"seats": {"10"}})
	want(t, "the chair opens the call", code, body, 200, "The call for volunteers is open and announced.", "2024-05-02: eligibility is judged on this day")

	code, body = anon.get("/nomcom/2024/eligibility/")
	want(t, "the eligibility page", code, body, 200, "Judged on 2024-05-02, the day of the call", "Chris Chair", "Chair of httpbis", "12 people are eligible")
	code, body = anon.get("/nomcom/2024/eligibility/?date=2024-13-01")
	want(t, "a bad date", code, body, 400, "Write the date as YYYY-MM-DD")
	code, body = anon.get("/nomcom/2024/eligibility/?date=2021-01-01")
	want(t, "another day", code, body, 200, "Judged on 2021-01-01, not the day of the call (2024-05-02)", "0 people are eligible")
	code, body = pat.get("/nomcom/2024/volunteer/")
	want(t, "pat's own eligibility", code, body, 200, "not eligible", "R45 not met", "R46 not met", "R47 not met")
	code, body = pat.post("/nomcom/2024/volunteer/", url.Values{"affiliation": {"Example Org"}})
	want(t, "an ineligible participant volunteers", code, body, 403, "You are not eligible", "rule R45, R46, R47")
	code, body = ad.post("/nomcom/2024/volunteer/", url.Values{"affiliation": {"Example Org"}})
	want(t, "a sitting AD volunteers", code, body, 403, "rule R48", "IESG: Area Director of art")
	code, body = chris.post("/nomcom/2024/volunteer/", url.Values{"affiliation": {"Example Org"}})
	want(t, "a WG chair volunteers", code, body, 200, "Thank you for volunteering", "You volunteered on 2024-05-02")
	if n := s.count("nomcom_volunteer"); n != 1 {
		t.Fatalf("%d volunteers after two refusals and one volunteer", n)
	}

	ctx := context.Background()
	out := &mail.Outbox{Name: "hum"}
	ns := &nomcom.Service{DB: b.DB, Groups: b.Groups, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test",
		Meetings: &meetings.Service{DB: b.DB, Groups: b.Groups, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test"},
		Docs:     &docs.Service{DB: b.DB, Groups: b.Groups, Mail: out, BaseURL: "http://hum.test", Domain: "hum.test"}}
	for i, email := range vols {
		by, err := b.Groups.ActorOf(ctx, record.Actor{ID: b.IDs[email], Name: email})
		if err != nil {
			t.Fatal(err)
		}
		aff := "Example Org"
		if i >= 2 {
			aff = fmt.Sprintf("Org %d", i%4)
		}
		if err := ns.Volunteer(ctx, by, 2024, aff); err != nil {
			t.Fatal(err)
		}
	}
	code, body = nc.post("/nomcom/2024/sources/", url.Values{"sources": {"The Example Lottery of 2024-05-04\nThe Example Index on 2024-05-04"}, "values_date": {"2024-05-04"}})
	want(t, "the chair publishes the pool", code, body, 200, "The pool and the random sources are published and announced.")
	code, body = anon.get("/nomcom/2024/volunteers/")
	want(t, "the volunteers", code, body, 200, "Chris Chair", "Vol 10")
	code, body = anon.get("/nomcom/2024/selection/?value=3+1+2&value=1234.5")
	want(t, "trial values", code, body, 200, "trial values, not entered", "1.2.3./1234.5/", "seat 10")
	code, body = anon.get("/nomcom/2024/selection/?value=3+1+2")
	want(t, "one trial value for two sources", code, body, 400, "There are 2 sources; give 2 values")
	code, body = anon.get("/nomcom/2024/selection/?value=!!!&value=1")
	want(t, "a trial value with nothing in it", code, body, 400, "holds no digit or letter")
	code, body = nc.post("/nomcom/2024/values/", url.Values{"value": {"3 1 2", "1234.5"}})
	want(t, "values before their day", code, body, 409, "due on 2024-05-04")

	now = now.Add(48 * time.Hour)
	code, body = nc.post("/nomcom/2024/values/", url.Values{"value": {"3 1 2", "1234.5"}})
	want(t, "the chair enters the values", code, body, 200, "the voting members are selected, seated and announced")
	code, body = anon.get("/nomcom/2024/selection/")
	want(t, "the computation", code, body, 200, "the seats recorded match this computation", "seat 10", "<code>1.2.3./1234.5/</code>")
	if strings.Count(body, ">seat ") != 10 {
		t.Errorf("%d seats on the computation page, want 10", strings.Count(body, ">seat "))
	}
	if n := s.count("outbox WHERE rcpt_to LIKE '%ietf-announce@%'"); n != 3 {
		t.Errorf("%d announcements on ietf-announce, want 3 (call, pool, result)", n)
	}

	// Positions, nominations, feedback.
	code, body = nc.post("/nomcom/2024/positions/", url.Values{"name": {"ART Area Director"}, "group": {"art"}, "incumbent": {"ad@example.org"}})
	want(t, "the chair lists a position", code, body, 200, "The position is listed.", "ART Area Director")
	var pos, nom int64
	if err := b.DB.QueryRow(`SELECT id FROM nomcom_position`).Scan(&pos); err != nil {
		t.Fatal(err)
	}
	posPath := fmt.Sprintf("/nomcom/2024/positions/%d/", pos)
	code, body = pat.post(posPath+"nominate/", url.Values{"email": {"pat@example.org"}})
	want(t, "pat nominates themselves", code, body, 200, "The nomination is recorded", "Pat Participant", ">Accept</button>")
	if err := b.DB.QueryRow(`SELECT id FROM nomcom_nomination`).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	code, body = chris.post(fmt.Sprintf("/nomcom/2024/nominations/%d/respond/", nom), url.Values{"answer": {"accept"}})
	want(t, "someone else accepts pat's nomination", code, body, 403)
	code, body = pat.post(fmt.Sprintf("/nomcom/2024/nominations/%d/respond/", nom), url.Values{"answer": {"accept"}})
	want(t, "pat accepts", code, body, 200, "Your answer is recorded.", "accepted")
	const secret = "SECRET-FEEDBACK on Pat"
	code, body = chris.post(fmt.Sprintf("/nomcom/2024/nominations/%d/comment/", nom), url.Values{"kind": {"feedback"}, "body": {secret}})
	want(t, "feedback", code, body, 200, "only the NomCom reads it")
	if strings.Contains(body, secret) {
		t.Error("the feedback's author sees it on the position's page")
	}

	// Only the NomCom reads it.
	member := ""
	if err := b.DB.QueryRow(`SELECT pa.address FROM role r JOIN grp g ON g.id = r.group_id JOIN person_address pa ON pa.person_id = r.person_id
		WHERE g.acronym = 'nomcom2024' AND r.name = 'member' ORDER BY pa.address LIMIT 1`).Scan(&member); err != nil {
		t.Fatal(err)
	}
	voter := login(member, "127.0.0.26")
	for _, c := range []struct {
		who  string
		cl   *client
		code int
	}{
		{"anonymous", anon, 401}, {"the participant nominated", pat, 403}, {"the feedback's author", chris, 403},
		{"the secretariat", sec, 403}, {"an AD", ad, 403}, {"the chair", nc, 200}, {"a voting member", voter, 200},
	} {
		code, body := c.cl.get("/nomcom/2024/private/")
		if code != c.code || (code == 200) != strings.Contains(body, secret) {
			t.Errorf("%s reads the feedback: %d (shown %v), want %d", c.who, code, strings.Contains(body, secret), c.code)
		}
		_, body = c.cl.get(posPath)
		if (c.code == 200) != strings.Contains(body, secret) {
			t.Errorf("%s on the position's page: feedback shown %v", c.who, strings.Contains(body, secret))
		}
	}
	code, body = anon.get(fmt.Sprintf("/nomcom/2024/eligibility/%d/", b.IDs["chair@example.org"]))
	want(t, "chris's evidence", code, body, 200, "Eligible</strong> by R46", "Chair of <a href=\"/group/httpbis/about/\">httpbis</a>")
	code, body = anon.get("/nomcom/2024/")
	want(t, "the NomCom's page", code, body, 200, "Voting members selected", "ART Area Director", "values entered; key 1.2.3./1234.5/")
	var ev int64
	if err := b.DB.QueryRow(`SELECT MAX(id) FROM event WHERE subject_type = 'nomcom' AND kind = 'nomcom_selected'`).Scan(&ev); err != nil {
		t.Fatal(err)
	}
	res, err := anon.c.Get(s.srv.URL + fmt.Sprintf("/event/%d/", ev))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/nomcom/2024/" || res.Request.URL.Fragment != "" && res.Request.URL.Fragment != fmt.Sprintf("event-%d", ev) {
		t.Errorf("/event/%d/ leads to %s", ev, res.Request.URL)
	}
}
