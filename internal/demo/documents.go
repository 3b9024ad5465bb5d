package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
	"hum/internal/groups"
	"hum/internal/implementations"
	"hum/internal/ipr"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/telechat"
)

// draftFiles are real Internet-Drafts, copied byte for byte from
// ../shared/corpus/drafts/xml (see its README.md and SOURCES.tsv; the
// document text is under the IETF Trust's TLP, BCP 78), so the binary
// never reads ../shared at run time:
//   - draft-ietf-curdle-pkix-01.xml is xml/draft-ietf-curdle-pkix-01.v2.xml,
//     from github.com/ietf-tools/rfc-xmldiff Test/ (commit 9d0f096b9595);
//   - draft-ietf-idr-rt-derived-community-00.xml and
//     draft-ietf-ippm-ioam-ipv6-options-10.xml are from
//     github.com/ietf-tools/idnits tests/fixtures/ (commit ca25891d2a45);
//   - rfc-index.txt holds the 22 entries of ../shared/corpus/rfc/rfc-index.txt
//     (github.com/mnot/rfc-refs rfcs/rfc-index.txt, commit 2b368cddb653)
//     for the RFCs these drafts cite, so their references resolve; the
//     whole index (2 MB) would slow the cold start.
//
//go:embed drafts
var draftFiles embed.FS

// A demoDraft is posted at -00 under a name of a demo WG (curdle, the
// pkix draft's real WG, is younger than the 2013 group list), as the
// WG's chair would, dated the day it is posted; the rest of the file is
// left as its authors wrote it.
type demoDraft struct{ file, name, group string }

var (
	pkixDraft = demoDraft{"draft-ietf-curdle-pkix-01.xml", "draft-ietf-pkix-safecurves", "pkix"}
	ippmDraft = demoDraft{"draft-ietf-ippm-ioam-ipv6-options-10.xml", "draft-ietf-ippm-ioam-ipv6-options", "ippm"}
	idrDraft  = demoDraft{"draft-ietf-idr-rt-derived-community-00.xml", "draft-ietf-idr-rt-derived-community", "idr"}
)

// DemoRFC is the number the demo publishes pkixDraft as. The RFC index
// has a real RFC 9999 (2026); importing it leaves the demo's alone, as
// an import never overwrites an RFC hum published (docs.ImportIndex).
const DemoRFC = 9999

// Demo document names, for tests and the front page.
var (
	DocInWGLastCall = idrDraft.name
	DocInIESGEval   = ippmDraft.name
	DocPublished    = pkixDraft.name
)

// documents runs after the lists exist (announcements are posted to
// them). It takes three real drafts through the process with the
// documents service, as their chairs, ADs and the secretariat would:
// one is in WG Last Call, one in IESG Evaluation with a ballot that a
// visitor logged in as the demo AD can join, and one is an RFC. The
// service runs on a clock set back some weeks, so the history reads
// as weeks of work; each step is its own transaction, as in real use.
func (l *loader) documents(ctx context.Context, d *db.DB, opt Options) error {
	if opt.Docs == nil {
		return nil
	}
	x := &docLoader{l: l}
	clockDB := &db.DB{DB: d.DB, Dialect: d.Dialect, Now: func() time.Time { return x.t }}
	x.ds = opt.Docs.With(clockDB, demoMail{next: opt.Docs.Mail, domain: opt.Docs.Domain})
	x.tc = &telechat.Service{DB: clockDB, Docs: x.ds}
	if err := x.cast(ctx); err != nil {
		return err
	}
	steps := slices.Concat(x.rfcs(), x.telechats(), x.published(), x.inIESGEvaluation(), x.inWGLastCall())
	slices.SortStableFunc(steps, func(a, b step) int { return int(b.ago*1000) - int(a.ago*1000) })
	for _, s := range steps {
		x.t = l.now.Add(-time.Duration(s.ago * float64(24*time.Hour)))
		if err := s.do(ctx); err != nil {
			return fmt.Errorf("demo documents, %s: %w", s.what, err)
		}
	}
	// Each draft's WG has a milestone that links to it.
	due := l.now.AddDate(0, 3, 0).Format("2006-01")
	for _, dd := range []demoDraft{pkixDraft, ippmDraft, idrDraft} {
		if err := l.gs.AddMilestone(ctx, operator, dd.group, "Submit "+dd.name+" to the IESG", due, []string{dd.name}, ""); err != nil {
			return fmt.Errorf("demo documents, milestone of %s: %w", dd.name, err)
		}
	}
	x.t = l.now
	if err := runningCode(ctx, &implementations.Service{DB: clockDB, Docs: x.ds}); err != nil {
		return fmt.Errorf("demo documents, implementation reports: %w", err)
	}
	if opt.Lists != nil {
		s := &ipr.Service{DB: clockDB, Docs: x.ds, Groups: l.gs, Lists: opt.Lists, Mail: demoMail{next: opt.Docs.Mail, domain: opt.Docs.Domain},
			BaseURL: opt.Docs.BaseURL, Domain: opt.Docs.Domain}
		if err := x.disclosures(ctx, s); err != nil {
			return fmt.Errorf("demo documents, IPR disclosures: %w", err)
		}
	}
	return nil
}

// disclosures files three IPR disclosures, at reserved domains: a
// specific one about the draft in WG Last Call and a general licensing
// statement, which the secretariat posts, and a third-party one about
// the draft in IESG Evaluation left pending, for the secretariat's login
// to post.
func (x *docLoader) disclosures(ctx context.Context, s *ipr.Service) error {
	sec, err := x.by(ctx, x.secretariat)
	if err != nil {
		return err
	}
	file := func(who int64, f ipr.Fields, post bool) error {
		by, err := x.by(ctx, who)
		if err != nil {
			return err
		}
		var email string
		if err := x.l.gs.DB.QueryRowContext(ctx, `SELECT address FROM email WHERE person_id = $1 AND is_primary`, who).Scan(&email); err != nil {
			return err
		}
		f.SubmitterName, f.SubmitterEmail, f.Compliant = by.Actor.Name, email, true
		if f.Kind == ipr.ThirdParty {
			f.IETFerName, f.IETFerContactEmail = by.Actor.Name, email
		}
		d, err := s.Submit(ctx, by, f, "")
		if err != nil || !post {
			return err
		}
		return s.Post(ctx, d.ID, sec, "")
	}
	if err := file(x.shepherd(idrDraft), ipr.Fields{Kind: ipr.Specific, HolderLegalName: "Example Networks",
		HolderContactName: "Licensing Desk", HolderContactEmail: "licensing@networks.example",
		Patent: ipr.Patent{Number: "US62/123456", Inventor: "Ivy Example", Title: "Deriving route communities from route targets",
			Date: "2024-05-14"},
		Licensing: "royalty-free", LicensingComments: "Royalty-free for implementations of the standard; reciprocity required.",
		SubmitterClaimsAllTermsDisclosed: true, Docs: []ipr.DocInput{{Name: idrDraft.name, Revisions: "00", Sections: "2, 3"}}}, true); err != nil {
		return err
	}
	if err := file(x.chair(ippmDraft), ipr.Fields{Kind: ipr.Generic, HolderLegalName: "Example University",
		HolderContactName: "Technology Transfer Office", HolderContactEmail: "ipr@university.example",
		Statement: "Example University will license any of its patents necessary to implement a standards-track document of this body royalty-free, on reasonable and non-discriminatory terms."}, true); err != nil {
		return err
	}
	return file(x.chair(idrDraft), ipr.Fields{Kind: ipr.ThirdParty, HolderLegalName: "Example Measurement Ltd",
		Patent: ipr.Patent{Number: "EP12001234.9", Inventor: "Otto Example", Title: "In-band telemetry options in IPv6 extension headers",
			Date: "2019-02-01"}, Docs: []ipr.DocInput{{Name: ippmDraft.name + "-00"}}}, false)
}

// runningCode reports two implementations of the draft in WG Last Call,
// at reserved domains, and a test between them (RFC 7942).
func runningCode(ctx context.Context, s *implementations.Service) error {
	a, err := s.Add(ctx, idrDraft.name, operator, implementations.Fields{Rev: "00", Name: "rtdc-go", Organization: "Example Networks",
		URL: "https://rtdc.example/go", Description: "A route reflector plug-in that derives the community from the route target.",
		Coverage: "Sections 2 and 3; the error handling of Section 4 is not done.", Maturity: "prototype", Licence: "BSD-2-Clause",
		Contact: "rtdc@example.com"}, "Reported at the demo's WG Last Call")
	if err != nil {
		return err
	}
	b, err := s.Add(ctx, idrDraft.name, operator, implementations.Fields{Rev: "00", Name: "birdie-rtdc", Organization: "Example University",
		URL: "https://birdie.example.org/", Description: "An extension of a research BGP daemon.", Coverage: "All of the draft.",
		Maturity: "research", Licence: "GPL-2.0", Contact: "birdie@example.org"}, "")
	if err != nil {
		return err
	}
	_, err = s.AddTest(ctx, a.ID, operator, implementations.NewTest{Other: b.ID, Result: "partial",
		Notes: "Communities derived alike; the two disagree on a malformed route target."}, "")
	return err
}

type docLoader struct {
	l  *loader
	ds *docs.Service
	tc *telechat.Service // on the clock of ds
	t  time.Time         // the clock of ds

	secretariat, adLogin, chairLogin int64 // person ids of demo logins
	chairs                           map[string][]groups.Role
	ads                              []docs.Person
}

// step is one action, taken ago days before the demo is loaded.
type step struct {
	ago  float64
	what string
	do   func(context.Context) error
}

// cast finds the people who act: each WG's chairs, the sitting ADs and
// the secretariat login.
func (x *docLoader) cast(ctx context.Context) error {
	roles, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Active: true})
	if err != nil {
		return err
	}
	logins := map[string]string{}
	for _, lg := range x.l.logins {
		logins[lg.Email] = lg.What
	}
	x.chairs = map[string][]groups.Role{}
	for _, r := range roles {
		switch what := logins[r.Email]; {
		case r.Name == "chair" && (r.GroupType == "wg" || r.GroupType == "rg"):
			x.chairs[r.Acronym] = append(x.chairs[r.Acronym], r)
		case r.Name == "secr" && r.Acronym == "secretariat" && strings.HasPrefix(what, "Secretariat"):
			x.secretariat = r.PersonID
		case r.Name == "ad" && strings.HasPrefix(what, "Applications Area Director"):
			x.adLogin = r.PersonID
		}
		if r.Acronym == "ietf" && r.Name == "chair" {
			x.chairLogin = r.PersonID
		}
	}
	if x.ads, err = x.ds.SittingADs(ctx); err != nil {
		return err
	}
	for _, dd := range []demoDraft{pkixDraft, ippmDraft, idrDraft} {
		if len(x.chairs[dd.group]) == 0 {
			return fmt.Errorf("demo documents: %s has no chair", dd.group)
		}
	}
	if x.secretariat == 0 || x.adLogin == 0 {
		return fmt.Errorf("demo documents: no secretariat or AD login")
	}
	return nil
}

// by is person id acting with the roles they hold.
func (x *docLoader) by(ctx context.Context, id int64) (groups.Actor, error) {
	var name string
	if err := x.l.gs.DB.QueryRowContext(ctx, `SELECT name FROM person WHERE id = $1`, id).Scan(&name); err != nil {
		return groups.Actor{}, err
	}
	return x.l.gs.ActorOf(ctx, record.Actor{ID: id, Name: name})
}

func (x *docLoader) chair(dd demoDraft) int64 { return x.chairs[dd.group][0].PersonID }

// shepherd is the WG's second chair when it has one.
func (x *docLoader) shepherd(dd demoDraft) int64 {
	cs := x.chairs[dd.group]
	return cs[len(cs)-1].PersonID
}

// responsible is the draft's AD, set when publication was requested.
func (x *docLoader) responsible(ctx context.Context, dd demoDraft) (int64, error) {
	doc, err := x.ds.Get(ctx, dd.name)
	return doc.ADID, err
}

// voters are sitting ADs other than the demo logins and the draft's AD,
// so the logins' positions are left for visitors.
func (x *docLoader) voters(resp int64) []docs.Person {
	var ps []docs.Person
	for _, a := range x.ads {
		if a.ID != resp && a.ID != x.adLogin && a.ID != x.chairLogin {
			ps = append(ps, a)
		}
	}
	return ps
}

// act is a step taken by person who() with their powers.
func (x *docLoader) act(ago float64, what string, who func(context.Context) (int64, error), fn func(context.Context, groups.Actor) error) step {
	return step{ago, what, func(ctx context.Context) error {
		id, err := who(ctx)
		if err != nil {
			return err
		}
		b, err := x.by(ctx, id)
		if err != nil {
			return err
		}
		return fn(ctx, b)
	}}
}

func (x *docLoader) person(id func() int64) func(context.Context) (int64, error) {
	return func(context.Context) (int64, error) { return id(), nil }
}

func (x *docLoader) ad(dd demoDraft) func(context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) { return x.responsible(ctx, dd) }
}

// rfcs loads the index entries of the RFCs the drafts cite, before the
// drafts arrive, so the drafts' references resolve to hum's records.
func (x *docLoader) rfcs() []step {
	return []step{{90, "RFC index", func(ctx context.Context) error {
		f, err := draftFiles.ReadFile("drafts/rfc-index.txt")
		if err != nil {
			return err
		}
		es, err := rfcindex.ReadAll(bytes.NewReader(f))
		if err != nil {
			return err
		}
		_, err = x.ds.ImportIndex(ctx, es)
		return err
	}}}
}

// posted: the WG's chair posts the -00, which makes it a WG Document.
func (x *docLoader) posted(ago float64, dd demoDraft) step {
	return step{ago, "posting " + dd.name, func(ctx context.Context) error {
		b, err := x.by(ctx, x.chair(dd))
		if err != nil {
			return err
		}
		raw, err := draftFiles.ReadFile("drafts/" + dd.file)
		if err != nil {
			return err
		}
		var email string
		if err := x.l.gs.DB.QueryRowContext(ctx, `SELECT address FROM email WHERE person_id = $1 AND is_primary`, b.Actor.ID).Scan(&email); err != nil {
			return err
		}
		// The drafts' real authors must never hear of the demo.
		raw = []byte(reserveAddrs(string(raw)))
		_, err = x.ds.Submit(ctx, docs.Upload{XML: asPosted(raw, dd.name+"-00", x.t), XMLName: dd.name + "-00.xml"},
			docs.Submitter{Actor: b, Email: email, Emails: []string{email}})
		return err
	}}
}

// toIESG is the way from WG Document to the end of IETF Last Call,
// starting ago days back: WG Last Call, write-up, publication request,
// AD evaluation and a two-week IETF Last Call that the timer ends.
func (x *docLoader) toIESG(ago float64, dd demoDraft, wglc string) []step {
	chair, shep := x.person(func() int64 { return x.chair(dd) }), x.person(func() int64 { return x.shepherd(dd) })
	ad := x.ad(dd)
	wg := func(state, why string) func(context.Context, groups.Actor) error {
		return func(ctx context.Context, b groups.Actor) error {
			return x.ds.SetWGState(ctx, dd.name, b, docs.WGChange{State: state, Why: why})
		}
	}
	iesg := func(state, why string) func(context.Context, groups.Actor) error {
		return func(ctx context.Context, b groups.Actor) error { return x.ds.SetIESGState(ctx, dd.name, b, state, why) }
	}
	return []step{
		x.act(ago, "WG Last Call", chair, wg("wg-lc", wglc)),
		x.act(ago-15, "WG consensus", chair, wg("writeupw", "WG Last Call ended with support and no open issues")),
		x.act(ago-15.2, "shepherd", chair, func(ctx context.Context, b groups.Actor) error {
			id, _ := shep(ctx)
			return x.ds.SetShepherd(ctx, dd.name, b, id, "")
		}),
		x.act(ago-16, "write-up", shep, func(ctx context.Context, b groups.Actor) error {
			doc, err := x.ds.Get(ctx, dd.name)
			if err != nil {
				return err
			}
			return x.ds.SetWriteup(ctx, dd.name, b, writeup(doc, b.Actor.Name))
		}),
		x.act(ago-16.1, "publication request", chair, iesg("pub-req", "")),
		x.act(ago-17, "AD evaluation", ad, iesg("ad-eval", "")),
		x.act(ago-18.5, "Last Call requested", ad, iesg("lc-req", "AD review done; comments addressed in the write-up")),
		x.act(ago-18.6, "IETF Last Call", ad, func(ctx context.Context, b groups.Actor) error {
			return x.ds.IssueLastCall(ctx, dd.name, b, 0, "")
		}),
		// The Last Call ends within a day after ago-32.6; the timer that
		// serve runs every five minutes moves it on.
		{ago - 34.1, "end of Last Call", func(ctx context.Context) error { _, err := x.ds.EndLastCalls(ctx); return err }},
		x.act(ago-34.5, "IESG Evaluation", ad, iesg("iesg-eva", "Ballot opened for the next IESG telechat")),
	}
}

// telechats: the secretariat sets the IESG's telechats, every other
// Thursday from six weeks back to three months ahead.
func (x *docLoader) telechats() []step {
	return []step{x.act(45, "telechat dates", x.person(func() int64 { return x.secretariat }), func(ctx context.Context, b groups.Actor) error {
		first := x.t.UTC().Truncate(24 * time.Hour)
		for first.Weekday() != time.Thursday {
			first = first.AddDate(0, 0, 1)
		}
		ds, err := telechat.Series(first, 10)
		if err != nil {
			return err
		}
		_, err = x.tc.AddDates(ctx, b, ds, "The IESG's telechats for the coming months")
		return err
	})}
}

// onTelechat: the draft's AD puts it on the first telechat from a day
// on, or (upcoming) on the first from the day the demo is loaded, so that
// /iesg/agenda/ shows it.
func (x *docLoader) onTelechat(ago float64, dd demoDraft, upcoming bool) step {
	return x.act(ago, "telechat", x.ad(dd), func(ctx context.Context, b groups.Actor) error {
		from := x.t.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
		if upcoming {
			from = x.l.now.UTC().Truncate(24 * time.Hour)
		}
		ds, err := x.tc.Dates(ctx, from, 1)
		if err != nil || len(ds) == 0 {
			return fmt.Errorf("no telechat from %s: %v", from.Format("2006-01-02"), err)
		}
		return x.tc.Place(ctx, dd.name, b, ds[0], "Ready for the IESG")
	})
}

// published: posted twelve weeks back, an RFC since last week.
func (x *docLoader) published() []step {
	dd := pkixDraft
	steps := append([]step{x.posted(84, dd)}, x.toIESG(64, dd, "Two-week WG Last Call issued on the list")...)
	ad := x.ad(dd)
	steps = append(steps, x.onTelechat(29.4, dd, false))
	steps = append(steps, step{28, "ballot", func(ctx context.Context) error {
		resp, err := x.responsible(ctx, dd)
		if err != nil {
			return err
		}
		ids := []int64{resp}
		doc, err := x.ds.Get(ctx, dd.name)
		if err != nil {
			return err
		}
		var tally docs.Tally
		tally.Sitting = len(x.ads)
		voters := x.voters(resp)
		for _, v := range voters[:min(len(voters), tally.Needed(doc.StdLevel)-1)] {
			ids = append(ids, v.ID)
		}
		start := x.t
		for i, id := range ids {
			x.t = start.Add(time.Duration(i) * 7 * time.Hour)
			b, err := x.by(ctx, id)
			if err != nil {
				return err
			}
			pos := docs.PosNoObj
			if i == 0 || i%5 == 3 {
				pos = docs.PosYes
			}
			if err := x.ds.SetPosition(ctx, dd.name, b, docs.PositionChange{Pos: pos}); err != nil {
				return err
			}
		}
		return nil
	}})
	return append(steps,
		x.act(23, "approval", ad, func(ctx context.Context, b groups.Actor) error {
			return x.ds.SetIESGState(ctx, dd.name, b, "approved", "Approved on the IESG telechat")
		}),
		x.act(22.8, "announcement", ad, func(ctx context.Context, b groups.Actor) error { return x.ds.Announce(ctx, dd.name, b, "") }),
		x.act(6, "publication", x.person(func() int64 { return x.secretariat }), func(ctx context.Context, b groups.Actor) error {
			_, err := x.ds.Publish(ctx, dd.name, b, DemoRFC)
			return err
		}),
	)
}

// inIESGEvaluation leaves a draft on the IESG's agenda with some
// positions in, one of them a DISCUSS; the demo AD login has none yet.
func (x *docLoader) inIESGEvaluation() []step {
	dd := ippmDraft
	steps := append([]step{x.posted(70, dd)}, x.toIESG(41, dd, "WG Last Call on the list; please review Section 4 on insertion by on-path nodes")...)
	steps = append(steps, x.onTelechat(6.4, dd, true))
	type pos struct {
		area          string
		pos, disc, cm string
	}
	ps := []pos{
		{"", docs.PosYes, "", ""},
		{"ops", docs.PosNoObj, "", "An operational note would help: please say what a node that does not understand the IOAM Option-Type does with it, with a pointer to RFC 8200, Section 4.2 (the action bits of the option type)."},
		{"sec", docs.PosNoObj, "", "Thanks for a clear Security Considerations section. Nit: expand PMTU on first use."},
		{"int", docs.PosDiscuss,
			"Section 4 lets a node other than the source add IOAM data fields to a packet. RFC 8200 does not allow an extension header to be inserted, or grown, by a node on the path. Please either require that such a node encapsulates the packet (IPv6-in-IPv6, so that it is the source of the outer header and the header it adds), or explain why that is not needed.\n\nOnce that is settled I expect to move to No Objection.",
			"The PMTU discussion is helpful; thanks."},
		{"rtg", docs.PosNoObj, "", ""},
	}
	for i, p := range ps {
		steps = append(steps, step{5.5 - float64(i), "position " + p.pos, func(ctx context.Context) error {
			resp, err := x.responsible(ctx, dd)
			if err != nil {
				return err
			}
			id := resp
			if p.area != "" {
				id = 0
				for _, a := range x.voters(resp) {
					if a.Area == p.area {
						id = a.ID
						break
					}
				}
			}
			if id == 0 {
				return nil // no such AD: the ballot has one position fewer
			}
			b, err := x.by(ctx, id)
			if err != nil {
				return err
			}
			return x.ds.SetPosition(ctx, dd.name, b, docs.PositionChange{Pos: p.pos, Discuss: p.disc, Comment: p.cm})
		}})
	}
	return steps
}

// inWGLastCall: a WG Document whose chairs have just started WG Last Call.
func (x *docLoader) inWGLastCall() []step {
	dd := idrDraft
	return []step{
		x.posted(33, dd),
		x.act(9, "WG Last Call", x.person(func() int64 { return x.chair(dd) }), func(ctx context.Context, b groups.Actor) error {
			return x.ds.SetWGState(ctx, dd.name, b, docs.WGChange{State: "wg-lc", Why: "Two-week WG Last Call issued on the idr list"})
		}),
	}
}

var (
	docNameAttr = regexp.MustCompile(`docName="[^"]*"`)
	dateElem    = regexp.MustCompile(`<date[^>]*/>`)
)

// asPosted renames the draft and dates it at (the front-page date must
// be within three days of posting).
func asPosted(xml []byte, nameRev string, at time.Time) []byte {
	if old := docNameAttr.Find(xml); old != nil {
		xml = bytes.Replace(xml, old, []byte(`docName="`+nameRev+`"`), 1)
	}
	front := bytes.Index(xml, []byte("<front>"))
	if front < 0 {
		return xml
	}
	loc := dateElem.FindIndex(xml[front:])
	if loc == nil {
		return xml
	}
	date := fmt.Sprintf(`<date year="%d" month="%s" day="%d"/>`, at.Year(), at.Month(), at.Day())
	return slices.Concat(xml[:front+loc[0]], []byte(date), xml[front+loc[1]:])
}

// writeup is a shepherd write-up: answers to the IESG's template
// (docs.WriteupQuestions), as a shepherd of a WG document gives them.
func writeup(d docs.Document, shepherd string) map[int]string {
	level := docs.StdLevelName(d.StdLevel)
	return map[int]string{
		1:  fmt.Sprintf("Broad agreement: the %s working group adopted the document after discussion at two meetings, and the WG Last Call drew reviews from five participants, two of them implementers.", d.Group),
		2:  "There was no controversy; every comment of the WG Last Call was resolved on the list and is reflected in the current revision.",
		3:  "No one has threatened an appeal or indicated extreme discontent.",
		4:  "Two implementations exist and are listed on the document's implementations page, with an interoperability test between them.",
		5:  "The security and operations directorates reviewed an early revision; their comments were addressed.",
		6:  "No MIB, YANG or media type reviews are needed.",
		8:  "The ABNF was checked with an ABNF parser; no errors remain.",
		9:  "Yes: the shepherd finds it needed, clearly written, complete and ready for the responsible AD.",
		10: "The common issues of the Security and Operations areas were checked; none remain.",
		11: fmt.Sprintf("%s, as the title page states; the Datatracker's intended status says the same.", level),
		12: "Each author has confirmed that they know of no IPR that would need to be disclosed under BCP 78 and BCP 79, and the WG was reminded of its obligations at WG Last Call.",
		13: "Each author has confirmed their willingness to be listed; there are two.",
		14: "idnits reports no issues that are actual errors.",
		15: "All references are classified correctly.",
		17: "There are no downward references.",
		18: "All normative references are to published RFCs.",
		19: "The document changes the status of no existing RFC.",
		20: fmt.Sprintf("The IANA considerations section was checked against the body of the document; the registries named exist and the requested values are consistent. (%s, document shepherd)", shepherd),
		21: "The document creates no new registries.",
	}
}

// demoMail lets the demo's announcements through to hum's announcement
// lists (i-d-announce, ietf-announce), where they are posted and
// archived as in real use, and drops the rest of the mail the story
// would send: the drafts' real authors and the real IETF lists must not
// hear of it, and copies to the demo's people (the WG lists' members, the
// IESG secretary, an AD told that a Last Call ended) would only fill the
// outbox and a smarthost with mail about things that never happened.
type demoMail struct {
	next   docs.Mailer // the lists' router; nil drops everything
	domain string
}

func (m demoMail) Queue(ctx context.Context, tx *db.Tx, msg mail.Message) error {
	var to []string
	for _, a := range msg.To {
		local, dom, _ := strings.Cut(strings.ToLower(a), "@")
		for _, l := range lists.Standalone {
			if dom == strings.ToLower(m.domain) && local == l.Name {
				to = append(to, a)
			}
		}
	}
	if len(to) == 0 || m.next == nil {
		return nil
	}
	msg.To = to
	return m.next.Queue(ctx, tx, msg)
}
