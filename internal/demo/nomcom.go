package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/people"
	"hum/internal/record"
)

// The demo's Nominating Committees (RFC 8713): last year's, run to its
// end from its published inputs, and this year's, calling for
// volunteers, so that a visitor can see eligibility by each path
// explained, volunteer as the httpbis chair (R46), and be refused as the
// participant (R45-R47) or the AD (R48).
//
// A crowd of 44 participants makes the paths real: five past IETF
// meetings, one every four months back from a month ago, numbered down
// from 989 (below DemoMeeting, and as far from real numbers), where some
// of them registered and checked in (R45, R50); each has been a WG's
// secretary since before last year's call, half of them no longer (R46);
// one wrote an invented RFC and a draft now in the RFC Editor queue (R47).

// Demo NomCom facts, for tests and the front page.
const (
	demoCrowd      = 44
	demoVolunteers = 40
	firstPast      = 989
)

// DemoValues are the values of last year's random sources, entered as
// published; hum nomcom select gives the same seats from them.
var DemoValues = []string{"7 12 19 28 33 41", "23456.78", "4 9 15 22 30 38"}

var demoSources = []string{
	"The six numbers of the Example National Lottery drawn on the day the values are due",
	"The closing value of the Example Stock Index on that day, to two decimal places",
	"The six numbers of the Example Regional Lottery drawn on that day",
}

// demoAffiliation is the primary affiliation of the crowd's i-th person:
// many from three companies, so R49 has work to do.
func demoAffiliation(i int) string {
	switch {
	case i%10 < 3:
		return "Example Networks"
	case i%10 < 5:
		return "Example Systems"
	case i%8 == 7:
		return "Example University"
	}
	return fmt.Sprintf("Example Operator %c", 'A'+i%26)
}

type nomcomLoader struct {
	l     *loader
	clock *time.Time
	ms    *meetings.Service
	ns    *nomcom.Service
	ds    *docs.Service // nil: no documents in this demo
	db    *db.DB
	crowd []people.Person
}

// nomcomDemo runs after the meetings.
func (l *loader) nomcomDemo(ctx context.Context, d *db.DB, opt Options) error {
	if opt.NomCom == nil || opt.Meetings == nil {
		return nil
	}
	var t time.Time
	clockDB := &db.DB{DB: d.DB, Dialect: d.Dialect, Now: func() time.Time { return t }}
	x := &nomcomLoader{l: l, clock: &t, db: clockDB}
	x.ms = &meetings.Service{DB: clockDB, Groups: opt.Meetings.Groups, Mail: demoMail{next: opt.Meetings.Mail, domain: opt.Meetings.Domain},
		BaseURL: opt.Meetings.BaseURL, Domain: opt.Meetings.Domain, Lists: opt.Meetings.Lists}
	n := opt.NomCom
	x.ns = &nomcom.Service{DB: clockDB, Groups: n.Groups, Meetings: x.ms, Docs: n.Docs, Mail: demoMail{next: n.Mail, domain: n.Domain},
		BaseURL: n.BaseURL, Domain: n.Domain}
	if opt.Docs != nil {
		x.ds = opt.Docs.With(clockDB, demoMail{next: opt.Docs.Mail, domain: opt.Docs.Domain})
	}
	for _, step := range []struct {
		what string
		do   func(context.Context) error
	}{
		{"people", x.people},
		{"past meetings", x.pastMeetings},
		{"service", x.service},
		{"authorship", x.authorship},
		{"last year's NomCom", x.lastYear},
		{"this year's NomCom", x.thisYear},
	} {
		if err := step.do(ctx); err != nil {
			return fmt.Errorf("demo NomCom, %s: %w", step.what, err)
		}
	}
	return nil
}

// in runs fn in one transaction at time at, as the demo's bulk steps do.
func (x *nomcomLoader) in(ctx context.Context, at time.Time, fn func(context.Context) error) error {
	*x.clock = at
	return x.db.Write(ctx, func(tx *db.Tx) error { return fn(db.WithTx(ctx, tx)) })
}

func (x *nomcomLoader) actor(p people.Person) groups.Actor {
	a, err := x.l.gs.ActorOf(context.Background(), record.Actor{ID: p.ID, Name: p.Name})
	x.l.check(err)
	return a
}

// calls are the days of last year's call (1 June) and this year's
// (today).
func (x *nomcomLoader) calls() (last, this time.Time) {
	now := x.l.now.UTC()
	return time.Date(now.Year()-1, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// people are the crowd, the bodies' members (R48) and this year's
// NomCom chair, a demo login.
func (x *nomcomLoader) people(ctx context.Context) error {
	return x.in(ctx, x.l.now, func(ctx context.Context) error {
		for range demoCrowd {
			x.crowd = append(x.crowd, x.l.person(ctx))
		}
		for _, b := range []struct{ body, role string }{{"isocbot", "chair"}, {"isocbot", "member"}, {"ietf-trust", "member"}, {"llc-board", "member"}, {"llc-staff", "member"}} {
			p := x.l.person(ctx)
			if err := x.ns.RecordMember(ctx, operator, b.body, b.role, p.Email, "The demo's "+b.body); err != nil {
				return err
			}
		}
		return x.l.err
	})
}

// pastMeetings are five IETF meetings, one every four months back from a
// month ago (989 the latest), and who of the crowd was there: the first
// six the latest three (R45 met), the next two only two of them (not),
// the next two all five; each registered the day before and checked in.
func (x *nomcomLoader) pastMeetings(ctx context.Context) error {
	cities := []struct{ city, country string }{{"Madrid", "ES"}, {"Vancouver", "CA"}, {"Brisbane", "AU"}, {"Dublin", "IE"}, {"Montreal", "CA"}}
	sec, err := x.secretariat(ctx)
	if err != nil {
		return err
	}
	attends := func(person, meeting int) bool { // meeting 0 is the latest
		switch {
		case person < 6:
			return meeting < 3
		case person < 8:
			return meeting < 2
		case person < 10:
			return true
		}
		return false
	}
	for i := range 5 {
		d := x.l.now.AddDate(0, -1-4*i, 0).UTC()
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		number := fmt.Sprint(firstPast - i)
		c := cities[i]
		*x.clock = d.AddDate(0, -6, 0)
		if _, err := x.ms.Create(ctx, sec, meetings.NewMeeting{Number: number, City: c.city, Country: c.country, TimeZone: "UTC",
			Date: d.Format(time.DateOnly), Rooms: []meetings.NewRoom{{Name: "Plenary", Capacity: 1000}}, NoGrid: true}, "A past meeting of the demo"); err != nil {
			return fmt.Errorf("IETF %s: %w", number, err)
		}
		err := x.in(ctx, d.Add(-12*time.Hour), func(ctx context.Context) error {
			for j, p := range x.crowd {
				if !attends(j, i) {
					continue
				}
				reg, err := x.ms.Register(ctx, x.actor(p), number, meetings.NewRegistration{Name: p.Name, Affiliation: demoAffiliation(j), Country: c.country, Type: meetings.Onsite})
				if err != nil {
					return err
				}
				if err := x.ms.CheckIn(ctx, sec, number, reg.ID, true, ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("IETF %s: %w", number, err)
		}
	}
	return nil
}

// service makes the crowd eligible by service (R46) on both calls: each
// has been a WG's secretary since two years before last year's call;
// every other one stepped down a month after it (a tenure the record
// keeps, which still counts within three years).
func (x *nomcomLoader) service(ctx context.Context) error {
	last, _ := x.calls()
	wgs, _, err := x.l.gs.List(ctx, groups.Filter{Type: "wg", State: "active"})
	if err != nil {
		return err
	}
	if len(wgs) < demoCrowd {
		return fmt.Errorf("%d WGs for %d secretaries", len(wgs), demoCrowd)
	}
	err = x.in(ctx, last.AddDate(-2, 0, 0), func(ctx context.Context) error {
		for i, p := range x.crowd {
			if err := x.l.gs.Grant(ctx, operator, wgs[i].Acronym, "secr", p.ID, p.Email, "The WG's new secretary"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return x.in(ctx, last.AddDate(0, 1, 0), func(ctx context.Context) error {
		for i, p := range x.crowd {
			if i%2 == 1 {
				rs, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: wgs[i].Acronym, PersonID: p.ID, Name: "secr"})
				if err != nil || len(rs) != 1 {
					return fmt.Errorf("secretary of %s: %v", wgs[i].Acronym, err)
				}
				if err := x.l.gs.Revoke(ctx, operator, rs[0].ID, "Stepped down"); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (x *nomcomLoader) secretariat(ctx context.Context) (groups.Actor, error) {
	rs, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "secretariat", Name: "secr", Limit: 1})
	if err != nil || len(rs) == 0 {
		return groups.Actor{}, fmt.Errorf("no secretariat: %v", err)
	}
	return x.l.gs.ActorOf(ctx, record.Actor{ID: rs[0].PersonID, Name: rs[0].PersonName})
}

// lastYear runs last year's NomCom: the call on 1 June, 40 volunteers,
// the pool and sources a month later, the values ten days after, ten
// seated (R49 skipping some), and two positions filled and confirmed:
// an IAB seat (confirmed by the ISOC Board) and an AD reappointed
// (confirmed by the IAB), seated on 1 December.
func (x *nomcomLoader) lastYear(ctx context.Context) error {
	call, _ := x.calls()
	year := call.Year()
	chair := x.l.person(ctx)
	*x.clock = call.AddDate(0, -1, 0)
	if _, err := x.ns.Create(ctx, operator, year, chair.Email, "The demo's last NomCom"); err != nil {
		return err
	}
	c := x.actor(chair)
	*x.clock = call.Add(9 * time.Hour)
	if err := x.ns.OpenCall(ctx, c, year, "", 0, ""); err != nil {
		return err
	}
	err := x.in(ctx, call.AddDate(0, 0, 3), func(ctx context.Context) error {
		for i, p := range x.crowd[:demoVolunteers] {
			if err := x.ns.Volunteer(ctx, x.actor(p), year, demoAffiliation(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	values := call.AddDate(0, 0, 40)
	*x.clock = call.AddDate(0, 0, 30)
	if err := x.ns.AnnounceSources(ctx, c, year, demoSources, values.Format(time.DateOnly), ""); err != nil {
		return err
	}
	*x.clock = values.Add(20 * time.Hour)
	if _, err := x.ns.EnterValues(ctx, c, year, append([]string(nil), DemoValues...), ""); err != nil {
		return err
	}
	return x.positions(ctx, c, year, call)
}

func (x *nomcomLoader) positions(ctx context.Context, chair groups.Actor, year int, call time.Time) error {
	*x.clock = call.AddDate(0, 2, 0)
	iab, err := x.ns.AddPosition(ctx, chair, year, "IAB Member", "iab", "", "")
	if err != nil {
		return err
	}
	ads, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "tsv", Name: "ad", Limit: 1})
	if err != nil || len(ads) == 0 {
		return fmt.Errorf("tsv has no AD: %v", err)
	}
	incumbent := ads[0]
	ad, err := x.ns.AddPosition(ctx, chair, year, "Transport Area Director", "tsv", incumbent.Email, "")
	if err != nil {
		return err
	}
	nominator := x.actor(x.crowd[demoCrowd-1])
	a, b := x.crowd[0], x.crowd[1]
	for _, n := range []struct {
		pos   int64
		email string
	}{{iab.ID, a.Email}, {iab.ID, b.Email}, {ad.ID, incumbent.Email}} {
		if err := x.ns.Nominate(ctx, nominator, year, n.pos, n.email, ""); err != nil {
			return err
		}
	}
	*x.clock = call.AddDate(0, 2, 7)
	nom := func(pos int64, person int64) (int64, error) {
		p, err := x.ns.Position(ctx, year, pos)
		if err != nil {
			return 0, err
		}
		for _, m := range p.Nominations {
			if m.PersonID == person {
				return m.ID, nil
			}
		}
		return 0, fmt.Errorf("no nomination of %d", person)
	}
	na, err := nom(iab.ID, a.ID)
	if err != nil {
		return err
	}
	nb, err := nom(iab.ID, b.ID)
	if err != nil {
		return err
	}
	ni, err := nom(ad.ID, incumbent.PersonID)
	if err != nil {
		return err
	}
	inc, err := x.l.gs.ActorOf(ctx, record.Actor{ID: incumbent.PersonID, Name: incumbent.PersonName})
	if err != nil {
		return err
	}
	for _, r := range []struct {
		who    groups.Actor
		id     int64
		accept bool
	}{{x.actor(a), na, true}, {x.actor(b), nb, false}, {inc, ni, true}} {
		if err := x.ns.Respond(ctx, r.who, year, r.id, r.accept); err != nil {
			return err
		}
	}
	if err := x.ns.Comment(ctx, nominator, year, na, nomcom.Feedback, "A careful reviewer with a long record of architecture work. (Demo feedback: only the NomCom reads it.)"); err != nil {
		return err
	}
	*x.clock = call.AddDate(0, 3, 0)
	for _, c := range []struct{ pos, nom int64 }{{iab.ID, na}, {ad.ID, ni}} {
		if err := x.ns.Choose(ctx, chair, year, c.pos, c.nom, "The committee's decision"); err != nil {
			return err
		}
	}
	*x.clock = call.AddDate(0, 4, 0)
	start := call.AddDate(0, 6, 0).Format(time.DateOnly)
	trustees, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "isocbot", Limit: 1})
	if err != nil || len(trustees) == 0 {
		return fmt.Errorf("no ISOC trustee: %v", err)
	}
	trustee, err := x.l.gs.ActorOf(ctx, record.Actor{ID: trustees[0].PersonID, Name: trustees[0].PersonName})
	if err != nil {
		return err
	}
	// An IAB member who is not the IETF Chair, who takes no part in
	// confirming the IESG's members (R43).
	members, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "iab", Name: "member"})
	if err != nil {
		return err
	}
	var iabMember groups.Actor
	for _, m := range members {
		a, err := x.l.gs.ActorOf(ctx, record.Actor{ID: m.PersonID, Name: m.PersonName})
		if err != nil {
			return err
		}
		if !a.IETFChair() {
			iabMember = a
			break
		}
	}
	if iabMember.ID == 0 {
		return fmt.Errorf("no IAB member but the IETF Chair")
	}
	if err := x.ns.Confirm(ctx, trustee, year, iab.ID, start, "Confirmed by the ISOC Board of Trustees"); err != nil {
		return err
	}
	if err := x.ns.Confirm(ctx, iabMember, year, ad.ID, start, "Confirmed by the IAB"); err != nil {
		return err
	}
	*x.clock = x.l.now
	_, err = x.ns.Seat(ctx)
	return err
}

// thisYear is this year's NomCom, its chair a demo login, calling for
// volunteers since today, with three volunteers and an IAB seat open.
func (x *nomcomLoader) thisYear(ctx context.Context) error {
	_, call := x.calls()
	year := call.Year()
	*x.clock = x.l.now
	chair := x.l.login(ctx, fmt.Sprintf("NomCom %d chair: runs its call, pool and selection, reads its feedback", year))
	if x.l.err != nil {
		return x.l.err
	}
	if _, err := x.ns.Create(ctx, operator, year, chair.Email, "The demo's NomCom"); err != nil {
		return err
	}
	c := x.actor(chair)
	if err := x.ns.OpenCall(ctx, c, year, "", 0, ""); err != nil {
		return err
	}
	for i, p := range x.crowd[demoVolunteers:] {
		if err := x.ns.Volunteer(ctx, x.actor(p), year, demoAffiliation(demoVolunteers+i)); err != nil {
			return err
		}
	}
	pos, err := x.ns.AddPosition(ctx, c, year, "IAB Member", "iab", "", "")
	if err != nil {
		return err
	}
	return x.ns.Nominate(ctx, x.actor(x.crowd[2]), year, pos.ID, x.crowd[3].Email, "")
}

// Demo documents of the authorship path (R47), invented at reserved
// addresses: a tsvwg draft published as RFC DemoRFCPacing two years ago,
// and another in the RFC Editor queue since last month, both by the
// crowd's sixth person (eligible by R47), the first with the seventh
// (one document: not).
const (
	DemoRFCPacing   = 9998
	demoPacingDraft = "draft-ietf-tsvwg-demo-pacing"
	demoQueuedDraft = "draft-ietf-tsvwg-demo-feedback"
)

func (x *nomcomLoader) authorship(ctx context.Context) error {
	if x.ds == nil {
		return nil
	}
	a, b := x.crowd[5], x.crowd[6]
	if err := x.throughIESG(ctx, demoPacingDraft, "Pacing Considerations for Demo Transports", x.l.now.AddDate(-2, -2, 0), a, b); err != nil {
		return err
	}
	if _, err := x.ds.Publish(ctx, demoPacingDraft, operator, DemoRFCPacing); err != nil {
		return err
	}
	return x.throughIESG(ctx, demoQueuedDraft, "Feedback Timing for Demo Transports", x.l.now.AddDate(0, -3, 0), a)
}

// throughIESG posts a tsvwg draft by authors on day and takes it, as the
// secretariat and tsv's AD, through IETF Last Call and an IESG ballot
// into the RFC Editor queue over the following six weeks.
func (x *nomcomLoader) throughIESG(ctx context.Context, name, title string, day time.Time, authors ...people.Person) error {
	ads, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "tsv", Name: "ad", Limit: 1})
	if err != nil || len(ads) == 0 {
		return fmt.Errorf("tsv has no AD: %v", err)
	}
	ad, err := x.l.gs.ActorOf(ctx, record.Actor{ID: ads[0].PersonID, Name: ads[0].PersonName})
	if err != nil {
		return err
	}
	sec, err := x.secretariat(ctx)
	if err != nil {
		return err
	}
	var au strings.Builder
	for _, p := range authors {
		fmt.Fprintf(&au, "    <author fullname=%q><organization>Example Networks</organization><address><email>%s</email></address></author>\n", p.Name, p.Email)
	}
	xml := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-00" category="info" submissionType="IETF" version="3">
  <front>
    <title>%s</title>
%s    <date year="%d" month="%s" day="%d"/>
    <abstract><t>This document is invented for hum's demo. It says how a demo transport paces what it sends, so that its authors have written an IETF-stream RFC for the NomCom's eligibility by authorship.</t></abstract>
  </front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing here is real.</t></section>
  <section anchor="security" title="Security Considerations"><t>None: the document describes nothing.</t></section>
  <section anchor="iana" title="IANA Considerations"><t>This document has no IANA actions.</t></section></middle>
  <back></back>
</rfc>
`, name, title, au.String(), day.Year(), day.Month(), day.Day())
	*x.clock = day
	if _, err := x.ds.Submit(ctx, docs.Upload{XML: []byte(xml), XMLName: name + "-00.xml"}, docs.Submitter{Actor: sec, Email: authors[0].Email}); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	steps := []func() error{
		func() error {
			doc, err := x.ds.Get(ctx, name)
			if err != nil {
				return err
			}
			return x.ds.SetWriteup(ctx, name, sec, writeup(doc, sec.Name))
		},
		func() error { return x.ds.SetIESGState(ctx, name, sec, "pub-req", "") },
		func() error { return x.ds.SetAD(ctx, name, sec, ad.ID, "") },
		func() error { return x.ds.SetIESGState(ctx, name, ad, "lc-req", "") },
		func() error { return x.ds.IssueLastCall(ctx, name, ad, 0, "") },
	}
	for i, st := range steps {
		*x.clock = day.Add(time.Duration(i+1) * 24 * time.Hour)
		if err := st(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	*x.clock = day.AddDate(0, 0, 30)
	if _, err := x.ds.EndLastCalls(ctx); err != nil {
		return err
	}
	steps = []func() error{
		func() error { return x.ds.SetIESGState(ctx, name, ad, "iesg-eva", "") },
		func() error { return x.ds.SetPosition(ctx, name, ad, docs.PositionChange{Pos: docs.PosYes}) },
		func() error { return x.ds.SetIESGState(ctx, name, ad, "approved", "Approved on the IESG telechat") },
		func() error { return x.ds.Announce(ctx, name, ad, "") },
	}
	for i, st := range steps {
		*x.clock = day.AddDate(0, 0, 31+i*3)
		if err := st(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	*x.clock = day.AddDate(0, 0, 45)
	return nil
}
