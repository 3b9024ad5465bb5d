package web

import (
	"context"
	"net/url"
	"strconv"

	"hum/internal/ipr"
	"hum/internal/mail"
)

// The authorization matrix's rows for IPR disclosures (RFC 8179): anyone
// logged in files a disclosure or an update of a posted one (R18: open
// participation; the Datatracker takes them even anonymously, hum wants
// an account); only the secretariat posts, parks, rejects or removes one
// (the Datatracker's role_required('Secretariat')); only the authors of
// a draft's revision answer for the IPR they know of covering it (R11),
// so no role of the matrix may, the secretariat neither (the author is
// tried in TestR11ConfirmOnTheDraftPage, as the victim is not one of the
// matrix's roles).

func init() { authzProbes = append(authzProbes, iprProbes...) }

func (f *authzFixture) ipr() *ipr.Service {
	return &ipr.Service{DB: f.db, Docs: f.docs, Groups: f.groups, Lists: f.lists, Mail: f.lists.Router(&mail.Outbox{Name: "hum"}),
		BaseURL: "http://hum.test", Domain: "hum.test"}
}

// iprForm is a good form of kind about the victim's draft.
func iprForm(kind string) func(*authzFixture, string) url.Values {
	return func(*authzFixture, string) url.Values {
		v := url.Values{"holder_legal_name": {"Example Networks"}, "holder_contact_name": {"Lee"}, "holder_contact_email": {"lee@networks.example"},
			"ietfer_name": {"Ian"}, "ietfer_contact_email": {"ian@example.org"}, "patent_number": {"US62/123456"}, "patent_inventor": {"Ivy Inventor"},
			"patent_title": {"Method for deriving things"}, "patent_date": {"2025-01-02"}, "licensing": {"royalty-free"},
			"statement": {"Royalty-free."}, "doc-0-name": {indivDoc}, "doc-0-revisions": {"00"}}
		if kind == ipr.Generic {
			v.Del("doc-0-name")
			v.Del("doc-0-revisions")
		}
		return v
	}
}

// patsDisclosure is Pat's specific disclosure about the victim's draft,
// pending (or posted), saved as "ipr".
func patsDisclosure(posted bool) func(*authzFixture) {
	return func(f *authzFixture) {
		f.indivDraft()
		ctx := context.Background()
		d, err := f.ipr().Submit(ctx, f.actor("pat@example.org"), ipr.Fields{Kind: ipr.Specific, HolderLegalName: "Example Networks",
			HolderContactName: "Lee", HolderContactEmail: "lee@networks.example", Patent: ipr.Patent{Number: "US62/123456",
				Inventor: "Ivy Inventor", Title: "Method for deriving things", Date: "2025-01-02"}, Licensing: "reasonable",
			SubmitterName: "Pat", SubmitterEmail: "pat@example.org", Docs: []ipr.DocInput{{Name: indivDoc, Revisions: "00"}}}, "")
		f.must(err)
		if posted {
			f.must(f.ipr().Post(ctx, d.ID, f.op, ""))
		}
		f.saved["ipr"] = strconv.FormatInt(d.ID, 10)
	}
}

func iprState(f *authzFixture) string {
	return f.scalar(`SELECT state FROM ipr_disclosure WHERE id = $1`, f.id(f.saved["ipr"]))
}

var iprProbes = []authzProbe{
	{route: "POST /ipr/new-specific/", what: "file a specific disclosure", setup: (*authzFixture).indivDraft,
		path: static("/ipr/new-specific/"), form: iprForm(ipr.Specific), ok: everyLogin, shared: true, target: count("ipr_disclosure")},
	{route: "POST /ipr/new-generic/", what: "file a general disclosure", path: static("/ipr/new-generic/"), form: iprForm(ipr.Generic),
		ok: everyLogin, shared: true, target: count("ipr_disclosure")},
	{route: "POST /ipr/new-third-party/", what: "file a third-party disclosure", setup: (*authzFixture).indivDraft,
		path: static("/ipr/new-third-party/"), form: iprForm(ipr.ThirdParty), ok: everyLogin, shared: true, target: count("ipr_disclosure")},
	{route: "POST /ipr/{id}/update/", what: "update Pat's posted disclosure", setup: patsDisclosure(true),
		path: savedPath("/ipr/{ipr}/update/"), form: iprForm(ipr.Specific), ok: everyLogin, shared: true, target: count("ipr_related")},
	{route: "POST /ipr/{id}/post/", what: "post Pat's pending disclosure", setup: patsDisclosure(false),
		path: savedPath("/ipr/{ipr}/post/"), ok: []string{"secretariat"}, no: 403, target: iprState},
	{route: "POST /ipr/{id}/state/", what: "park Pat's pending disclosure", setup: patsDisclosure(false),
		path: savedPath("/ipr/{ipr}/state/"), form: values("state", "parked"), ok: []string{"secretariat"}, no: 403, target: iprState},
	{route: "POST /doc/{name}/ipr/confirm/", what: "answer for the victim's draft's IPR", setup: (*authzFixture).indivDraft,
		path: static("/doc/" + indivDoc + "/ipr/confirm/"), form: values("answer", "none"), no: 403, target: count("ipr_confirmation")},
}
