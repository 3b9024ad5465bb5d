package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"hum/internal/archive"
	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/meetings"
	"hum/internal/nomcom"
)

// ietfMbox is real list mail: 24 messages from the IETF mail archive
// (mailarchive.ietf.org, 2026; lists ietf, tls, quic, last-call, wimse,
// agent2agent) with their full Mailman 3 headers, as collected in
// ../shared/corpus/lists/ietf-mailarchive-24msgs.mbox from the fixtures of
// github.com/JayDaley/mailing-list-ai-check (MIT, commit d485ce99d1c8;
// sha256 ccd4cd4d...7348ea). It is embedded, so the binary never reads
// ../shared at run time; the demo puts it all in the ietf list's archive.
//
//go:embed ietf-mailarchive-24msgs.mbox
var ietfMbox []byte

// Options are the services the demo fills beyond people and groups. A nil
// one is left out.
type Options struct {
	Lists    *lists.Service
	Archive  *archive.Service
	Docs     *docs.Service     // documents: see documents.go
	Meetings *meetings.Service // meetings: see meetings.go
	Charters *charters.Service // a BOF in chartering: see charters.go
	NomCom   *nomcom.Service   // NomComs, last year's and this year's: see nomcom.go
}

// mailingLists runs after the people and groups are committed (the list
// services read through their own connections): every WG's and RG's
// people are subscribed to its list, everyone to ietf, and the archives
// of ietf and httpbis get posts worth reading. Each step is one
// transaction, so it adds little to the cold start.
func (l *loader) mailingLists(ctx context.Context, opt Options) error {
	if opt.Lists == nil {
		return nil
	}
	if err := opt.Lists.Ensure(ctx); err != nil {
		return err
	}
	roles, _, err := l.gs.Roles(ctx, groups.RoleFilter{Active: true})
	if err != nil {
		return err
	}
	subs := map[string][]string{}
	for _, r := range roles {
		if r.Email == "" {
			continue
		}
		subs["ietf"] = append(subs["ietf"], r.Email)
		if r.GroupType == "wg" || r.GroupType == "rg" {
			subs[r.Acronym] = append(subs[r.Acronym], r.Email)
		}
	}
	for _, lg := range l.logins {
		subs["ietf"] = append(subs["ietf"], lg.Email)
		if strings.HasPrefix(lg.What, "Participant") {
			subs["httpbis"] = append(subs["httpbis"], lg.Email)
		}
	}
	known, err := opt.Lists.All(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, k := range known {
		have[k.Name] = true
	}
	for name := range subs {
		if !have[name] {
			delete(subs, name) // a group whose acronym makes no list name
		}
	}
	if _, err := opt.Lists.Enrol(ctx, by, subs, lists.ModeEach); err != nil {
		return err
	}
	if opt.Archive == nil {
		return nil
	}
	if _, err := opt.Archive.Import(ctx, "ietf", bytes.NewReader(ietfMbox), nil); err != nil {
		return err
	}
	var authors []string
	for _, r := range roles {
		if r.Acronym == "httpbis" || r.Acronym == "app" {
			authors = append(authors, fmt.Sprintf("%s <%s>", r.PersonName, r.Email))
		}
	}
	if len(authors) < 2 {
		return nil
	}
	if _, err = opt.Archive.Import(ctx, "httpbis", strings.NewReader(httpbisThreads(authors, l.now)), nil); err != nil {
		return err
	}
	_, err = opt.Archive.Import(ctx, "last-call", strings.NewReader(lastCallComment(authors[1], l.now)), nil)
	return err
}

// lastCallComment is a comment on the IETF Last Call of the draft the
// demo has in IESG Evaluation, sent to last-call@ while it ran (see
// documents.go: it was issued 22.4 days back and ran 14 days), so the
// draft's page shows the comments its Last Call received.
func lastCallComment(from string, now time.Time) string {
	at := now.Add(-20 * 24 * time.Hour).UTC()
	return fmt.Sprintf("From demo@hum.invalid %s\nFrom: %s\nTo: last-call@demo.invalid\nSubject: Re: Last Call: <%s-10.txt> (IPv6 Options for In Situ Operations, Administration, and Maintenance (IOAM)) to Proposed Standard\nDate: %s\nMessage-ID: <lc-ioam@demo.invalid>\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		at.Format(time.ANSIC), from, ippmDraft.name, at.Format(time.RFC1123Z),
		"I have read the draft for the Last Call and support it, with one request:\nSection 4 should say what a node that inserts IOAM data does about the\npath MTU, or point to where that is said.\n")
}

// httpbisThreads writes two short threads as an mbox, posted over the
// last weeks by the group's chairs and its AD: a last call with replies
// and an interim meeting, so the demo's WG archive threads and searches.
func httpbisThreads(authors []string, now time.Time) string {
	type post struct {
		id, reply, refs string
		author          int
		ago             time.Duration
		subject, body   string
	}
	day := 24 * time.Hour
	posts := []post{
		{"wglc-protocol", "", "", 0, 20 * day, "WGLC: draft-ietf-httpbis-protocol-03",
			"Hi all,\n\nThis starts a two-week working group last call on draft-ietf-httpbis-protocol-03,\nending in two weeks. Please read the draft and say on the list whether\nyou think it is ready to go to the IESG, with your comments.\n\nThe changes since -02 are in Appendix B; the main one is the new\nsection on connection reuse.\n\nThanks,\nthe chairs\n"},
		{"wglc-protocol-r1", "wglc-protocol", "wglc-protocol", 1, 18 * day, "Re: WGLC: draft-ietf-httpbis-protocol-03",
			"> This starts a two-week working group last call on draft-ietf-httpbis-protocol-03\n\nI have read it and I support publication.\n\nOne nit: section 4.2 says a client MUST close the connection, and\nsection 6 says SHOULD. I think MUST is what we agreed in Vienna.\n"},
		{"wglc-protocol-r2", "wglc-protocol-r1", "wglc-protocol wglc-protocol-r1", 0, 17 * day, "Re: WGLC: draft-ietf-httpbis-protocol-03",
			"> One nit: section 4.2 says a client MUST close the connection, and\n> section 6 says SHOULD.\n\nGood catch; the editors will align section 6 with 4.2 in -04.\n"},
		{"wglc-protocol-r3", "wglc-protocol", "wglc-protocol", len(authors) - 1, 12 * day, "Re: WGLC: draft-ietf-httpbis-protocol-03",
			"As responsible AD: thanks for the careful reviews. Once -04 is out\nwith the last-call comments addressed, please send the shepherd\nwrite-up and I will start AD evaluation.\n"},
		{"interim", "", "", 1, 6 * day, "Interim meeting on connection reuse",
			"Hello,\n\nWe propose a one-hour virtual interim to work through the open issues\non connection reuse. Please fill in the poll for a date by Friday.\n\nAgenda:\n1. Issue #112: reuse across origins\n2. Issue #118: coalescing and certificates\n3. Next steps for the ops draft\n"},
		{"interim-r1", "interim", "interim", 0, 5 * day, "Re: Interim meeting on connection reuse",
			"> Please fill in the poll for a date by Friday.\n\nDone. Could we also spend ten minutes on the operational considerations\ndraft? It has had no discussion since the last meeting.\n"},
	}
	var b strings.Builder
	for _, p := range posts {
		at := now.Add(-p.ago).UTC()
		from := authors[p.author%len(authors)]
		fmt.Fprintf(&b, "From demo@hum.invalid %s\n", at.Format(time.ANSIC))
		fmt.Fprintf(&b, "From: %s\nTo: httpbis@demo.invalid\nSubject: %s\nDate: %s\nMessage-ID: <%s@demo.invalid>\n", from, p.subject, at.Format(time.RFC1123Z), p.id)
		if p.reply != "" {
			fmt.Fprintf(&b, "In-Reply-To: <%s@demo.invalid>\nReferences:", p.reply)
			for _, r := range strings.Fields(p.refs) {
				fmt.Fprintf(&b, " <%s@demo.invalid>", r)
			}
			b.WriteString("\n")
		}
		b.WriteString("Content-Type: text/plain; charset=utf-8\n\n")
		b.WriteString(p.body + "\n")
	}
	return b.String()
}
