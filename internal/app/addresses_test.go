package app

import (
	"bytes"
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"hum/internal/consensus"
	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/ipr"
	"hum/internal/meetings"
	"hum/internal/notices"
	"hum/internal/record"
	"hum/internal/testbody"
)

// TestNoMailNamesAnAddressHumRefuses walks a draft the whole way, with
// the services app.New builds (submission, a request for a call, the
// adoption call, WG last call, the write-up and publication request,
// IETF Last Call and its end, the ballot, approval and publication) and
// a NomCom (the call for volunteers, the pool, the selection, a
// nomination, the choice and its confirmation), an IPR disclosure's
// posting and a WG draft's first revision, then reads every message hum queued or posted on a list: each address
// in From, To, Cc and Reply-To at hum's domain must be taken by hum's
// own RCPT logic (the SMTP endpoint's Target), and every other one must
// be a person's (an account's or an author's). The WG's record names a
// list address outside hum (as a real group's x@ietf.org), which no mail
// may name: hum's own list of the WG is the one announced to.
func TestNoMailNamesAnAddressHumRefuses(t *testing.T) {
	d := dbtest.New(t)
	now := time.Date(2021, 6, 19, 12, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	a, err := New(d, Config{BaseURL: "http://hum.test", Domain: "hum.test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b := testbody.New(t, d)
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg", ListEmail: "idr@ietf.example"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "kesara@fq.nz", Name: "Kesara Nanayakkara Rathnayake"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "iris@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "nora@example.org", Name: "Nora Chair"},
		testbody.Person{Email: "v1@example.org", Name: "Vic One", Role: "secr", Group: "idr"},
		testbody.Person{Email: "v2@example.org", Name: "Val Two", Role: "secr", Group: "idr"},
		testbody.Person{Email: "v3@example.org", Name: "Vera Three", Role: "secr", Group: "idr"},
	)
	if err := a.Lists.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	// The notices start here (their cursor is made at the newest event).
	if _, err := a.Notices.SendNotices(ctx); err != nil {
		t.Fatal(err)
	}
	as := func(email string) groups.Actor {
		t.Helper()
		who, err := a.Groups.ActorOf(ctx, record.Actor{ID: b.IDs[email], Name: email})
		if err != nil {
			t.Fatal(err)
		}
		return who
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	const name = "draft-smoke-signals"
	chair, ad, sec := as("chair@example.org"), as("ad@example.org"), as("sec@example.org")

	_, err = a.Docs.Submit(ctx, docs.Upload{TXT: corpustest.ReadFile(t, "drafts/txt/draft-smoke-signals-00.txt"), TXTName: "draft-smoke-signals-00.txt"},
		docs.Submitter{Actor: as("kesara@fq.nz"), Email: "kesara@fq.nz", Emails: []string{"kesara@fq.nz"}})
	must("submit", err)
	must("follow", a.Notices.Follow(ctx, b.IDs["pat@example.org"], "group", "idr", notices.Each))
	_, err = a.Consensus.AskForCall(ctx, as("pat@example.org"), name, "adoption", "idr", "It is ready.")
	must("ask for a call", err)
	call, err := a.Consensus.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "adoption", Doc: name})
	must("adoption call", err)
	must("close adoption", a.Consensus.Close(ctx, chair, call.ID, consensus.Closing{Outcome: "consensus", Explanation: "Support, no objection."}))
	call, err = a.Consensus.Open(ctx, chair, consensus.Opening{Group: "idr", Kind: "wglc", Doc: name})
	must("WG last call", err)
	must("close WGLC", a.Consensus.Close(ctx, chair, call.ID, consensus.Closing{Outcome: "consensus", Explanation: "Ready."}))
	must("shepherd", a.Docs.SetShepherd(ctx, name, chair, b.IDs["chair@example.org"], ""))
	must("write-up", a.Docs.SetWriteup(ctx, name, chair, testbody.Writeup()))
	must("publication request", a.Docs.SetIESGState(ctx, name, chair, "pub-req", ""))
	must("AD evaluation", a.Docs.SetIESGState(ctx, name, ad, "ad-eval", ""))
	must("Last Call requested", a.Docs.SetIESGState(ctx, name, ad, "lc-req", ""))
	must("Last Call", a.Docs.IssueLastCall(ctx, name, sec, 0, ""))
	now = now.Add(30 * 24 * time.Hour)
	_, err = a.Docs.Tick(ctx)
	must("Last Call ends", err)
	must("ballot", a.Docs.SetIESGState(ctx, name, ad, "iesg-eva", ""))
	must("DISCUSS", a.Docs.SetPosition(ctx, name, ad, docs.PositionChange{Pos: "discuss", Discuss: "Say who may hum.", Comment: "Nice work."}))
	must("position", a.Docs.SetPosition(ctx, name, ad, docs.PositionChange{Pos: "yes"}))
	must("approval", a.Docs.SetIESGState(ctx, name, ad, "approved", ""))
	must("announcement", a.Docs.SetIESGState(ctx, name, ad, "ann", ""))
	_, err = a.Docs.Publish(ctx, name, sec, 9999)
	must("publication", err)

	// A NomCom: the call for volunteers, the pool, the selection, a
	// nomination, the choice and its confirmation (R43: by the IAB).
	_, err = a.NomCom.Create(ctx, sec, 2021, "nora@example.org", "")
	must("NomCom", err)
	nora := as("nora@example.org")
	must("call for volunteers", a.NomCom.OpenCall(ctx, nora, 2021, "", 2, ""))
	for _, v := range []string{"v1@example.org", "v2@example.org", "v3@example.org"} {
		must("volunteer", a.NomCom.Volunteer(ctx, as(v), 2021, "Example "+v))
	}
	must("pool", a.NomCom.AnnounceSources(ctx, nora, 2021, []string{"The Example Lottery of the next day"}, now.AddDate(0, 0, 1).Format(time.DateOnly), ""))
	now = now.AddDate(0, 0, 2)
	_, err = a.NomCom.EnterValues(ctx, nora, 2021, []string{"1 2 3"}, "")
	must("selection", err)
	pos, err := a.NomCom.AddPosition(ctx, nora, 2021, "RTG Area Director", "rtg", "ad@example.org", "")
	must("position", err)
	must("nomination", a.NomCom.Nominate(ctx, as("pat@example.org"), 2021, pos.ID, "pat@example.org", ""))
	p, err := a.NomCom.Position(ctx, 2021, pos.ID)
	must("read the position", err)
	must("accept", a.NomCom.Respond(ctx, as("pat@example.org"), 2021, p.Nominations[0].ID, true))
	must("choice", a.NomCom.Choose(ctx, nora, 2021, pos.ID, p.Nominations[0].ID, ""))
	// An IPR disclosure about the draft, posted and announced.
	disc, err := a.IPR.Submit(ctx, as("pat@example.org"), ipr.Fields{Kind: ipr.Specific, HolderLegalName: "Example Networks", HolderContactName: "Lee Licensing",
		HolderContactEmail: "pat@example.org", Patent: ipr.Patent{Number: "US62/123456", Inventor: "Ivy Inventor", Title: "Smoke", Date: "2020-11-03"},
		Licensing: "royalty-free", Compliant: true, SubmitterName: "Pat Participant", SubmitterEmail: "pat@example.org",
		Docs: []ipr.DocInput{{Name: name, Revisions: "00"}}}, "")
	must("IPR disclosure", err)
	must("IPR posted", a.IPR.Post(ctx, disc.ID, sec, ""))
	must("confirmation", a.NomCom.Confirm(ctx, as("iris@example.org"), 2021, pos.ID, now.AddDate(0, 0, 1).Format(time.DateOnly), ""))
	// A WG draft's first revision, posted by its chair on its date: the
	// I-D Action goes to i-d-announce and the WG's list.
	now = time.Date(2023, 3, 7, 12, 0, 0, 0, time.UTC)
	_, err = a.Docs.Submit(ctx, docs.Upload{XML: corpustest.ReadFile(t, "drafts/xml/draft-ietf-idr-rt-derived-community-00.xml"), XMLName: "draft-ietf-idr-rt-derived-community-00.xml"},
		docs.Submitter{Actor: chair, Email: "chair@example.org", Emails: []string{"chair@example.org"}})
	must("WG draft", err)
	// An online interim of the WG, announced at once.
	_, err = a.Meetings.RequestInterim(ctx, chair, meetings.InterimRequest{Group: "idr", Mode: meetings.Online, TimeZone: "Europe/Paris",
		Sessions: []meetings.InterimSessionRequest{{Date: "2023-03-30", Time: "14:00", Minutes: 60, Agenda: "1. Communities", Remote: "https://meet.example.org/idr"}}}, "")
	must("interim", err)

	_, err = a.Notices.SendNotices(ctx)
	must("notices", err)
	now = now.Add(24 * time.Hour)
	_, err = a.Notices.SendSummaries(ctx)
	must("summaries", err)

	raws, err := db.Query(ctx, d, db.Scalar[[]byte], `SELECT message FROM outbox UNION ALL SELECT raw FROM list_post`)
	must("read the mail", err)
	people := map[string]bool{}
	for _, q := range []string{`SELECT address FROM email`, `SELECT LOWER(email) FROM doc_author WHERE email <> ''`} {
		as, err := db.Query(ctx, d, db.Scalar[string], q)
		must("read the addresses", err)
		for _, x := range as {
			people[x] = true
		}
	}
	checked := map[string]bool{}
	toBySubject := map[string]string{}
	for _, raw := range raws {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		must("parse", err)
		toBySubject[m.Header.Get("Subject")] += m.Header.Get("To") + ", "
		for _, field := range []string{"From", "To", "Cc", "Reply-To"} {
			if m.Header.Get(field) == "" {
				continue
			}
			addrs, err := m.Header.AddressList(field)
			must(field, err)
			for _, x := range addrs {
				addr := strings.ToLower(x.Address)
				if checked[addr] {
					continue
				}
				checked[addr] = true
				if strings.HasSuffix(addr, "@hum.test") {
					if err := a.Aliases.CheckRcpt(ctx, addr, 0); err != nil {
						t.Errorf("%s: %s in %q: hum refuses it: %v", field, addr, m.Header.Get("Subject"), err)
					}
				} else if !people[addr] {
					t.Errorf("%s: %s in %q is neither hum's nor a person's", field, addr, m.Header.Get("Subject"))
				}
			}
		}
	}
	// The IESG's mails reach the people behind the aliases they name.
	for subject, want := range map[string][]string{
		"Publication has been requested for " + name + "-00":                    {"ad@example.org", "sec@example.org", "chair@example.org"},
		"Ada Director's Discuss on " + name + "-00: (with DISCUSS and COMMENT)": {"ad@example.org", "kesara@fq.nz", "chair@example.org"},
		"Ada Director's Yes on " + name + "-00":                                 {"ad@example.org", "kesara@fq.nz", "chair@example.org"},
	} {
		rcpts, err := db.Query(ctx, d, db.Scalar[string], `SELECT rcpt_to FROM outbox WHERE subject = $1`, subject)
		must("read the outbox", err)
		if len(rcpts) != 1 {
			t.Errorf("%d mails %q, want 1", len(rcpts), subject)
			continue
		}
		for _, w := range want {
			if !strings.Contains(rcpts[0], w) {
				t.Errorf("%q goes to %s, not to %s", subject, rcpts[0], w)
			}
		}
	}
	// The WG's announcements went to hum's list of the WG.
	for _, subject := range []string{"I-D Action: draft-ietf-idr-rt-derived-community-00.txt",
		"Inter-Domain Routing (idr) WG Virtual Interim Meeting: 2023-03-30",
		"Document Action: 'Standard for Data Transmission via Smoke Signals' to Experimental RFC (" + name + "-00.txt)"} {
		if !strings.Contains(toBySubject[subject], "idr@hum.test") {
			t.Errorf("%q went to %q, not to idr@hum.test", subject, toBySubject[subject])
		}
	}
	// The walk named what it should: the lists, the aliases hum sends
	// from and to, Last Call's comment address, and the NomCom chair's.
	for _, want := range []string{"idr@hum.test", "ietf-announce@hum.test", "i-d-announce@hum.test", "iesg-secretary@hum.test",
		"internet-drafts@hum.test", "last-call@hum.test", "rfc-editor@hum.test", "hum@hum.test", "chair@example.org",
		"nomcom-chair-2021@hum.test", "pat@example.org", name + ".authors@hum.test", name + ".chairs@hum.test",
		name + ".notify@hum.test"} {
		if !checked[want] {
			t.Errorf("no mail named %s (named: %v)", want, checked)
		}
	}
}
