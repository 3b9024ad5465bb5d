package ipr_test

import (
	"bytes"
	"context"
	netmail "net/mail"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/ipr"
	"hum/internal/mail"
	"hum/internal/record"
)

// TestSubmitAndPost: a participant files a specific disclosure; it waits,
// pending, out of the document's disclosures, and the secretariat is
// told; nobody but the secretariat posts it, and a refusal changes
// nothing; posted, it is the document's, its documents' histories say
// so, and it is announced to the draft's authors with accounts or not,
// the WG's chair and the WG's list, and to no one else.
func TestSubmitAndPost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d, err := e.s.Submit(ctx, e.as("pat@example.org"), specific(), "I work for them.")
	if err != nil {
		t.Fatal(err)
	}
	if d.State != ipr.Pending || d.Title != "Example Networks' Statement about IPR related to draft-ietf-wgx-thing" ||
		d.ByID != e.ids["pat@example.org"] || len(d.Docs) != 1 || d.Docs[0].Revisions != "00-01" || d.Docs[0].Sections != "3" {
		t.Fatalf("Submit = %+v", d)
	}
	if got := e.outbox("New IPR Submission Notification"); !cmp.Equal(got, [][]string{{"sec@example.org"}}) {
		t.Errorf("the secretariat's notice went to %v", got)
	}
	if ds, _ := e.s.ForDocument(ctx, wgDraft); len(ds) != 0 {
		t.Errorf("a pending disclosure is the document's: %+v", ds)
	}
	id := record.SubjectID(d.ID)
	for _, who := range []string{"", "pat@example.org", "chris@example.org", "ada@example.org", "ann@example.org"} {
		err := e.s.Post(ctx, d.ID, e.as(who), "")
		if k := fail.KindOf(err); k != fail.Forbidden && k != fail.Unauthorized {
			t.Errorf("Post by %q: %v, want a refusal", who, err)
		}
	}
	if got, _ := e.s.Get(ctx, d.ID); got.State != ipr.Pending || len(e.events("ipr", id)) != 1 || e.count(`SELECT COUNT(*) FROM outbox`) != 1 {
		t.Fatalf("a refused Post changed something: %s, events %v", got.State, e.events("ipr", id))
	}

	if err := e.s.Post(ctx, d.ID, e.as("sec@example.org"), ""); err != nil {
		t.Fatal(err)
	}
	got, _ := e.s.Get(ctx, d.ID)
	if got.State != ipr.Posted || got.Posted == nil {
		t.Errorf("after Post: %s, posted %v", got.State, got.Posted)
	}
	if diff := cmp.Diff([]string{"submitted", "posted", "msgout"}, e.events("ipr", id)); diff != "" {
		t.Errorf("the disclosure's events (-want +got):\n%s", diff)
	}
	if evs := e.events("doc", wgDraft); evs[len(evs)-1] != "posted_related_ipr" {
		t.Errorf("the draft's events end %v", evs)
	}
	ds, err := e.s.ForDocument(ctx, wgDraft)
	if err != nil || len(ds) != 1 || ds[0].ID != d.ID {
		t.Errorf("ForDocument = %+v, %v", ds, err)
	}
	// The authors (Carl's address is on the draft, not an account's) and
	// the chair get it; the list gets its own post.
	want := [][]string{{"ann@example.org", "bob@example.org", "carl@example.net", "chris@example.org"}}
	if diff := cmp.Diff(want, e.outbox("IPR Disclosure "+d.Title)); diff != "" {
		t.Errorf("the announcement's recipients (-want +got):\n%s", diff)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = 'wgx' AND p.subject = $1`, "IPR Disclosure "+d.Title); n != 1 {
		t.Errorf("posts of the announcement to wgx: %d, want 1", n)
	}
	if err := e.s.Post(ctx, d.ID, e.as("sec@example.org"), ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("posting twice: %v, want a conflict", err)
	}
}

// TestGenericAndThirdParty: a general disclosure names no document and
// is announced to the General Area's ADs; a third-party one names the
// participant whose belief triggered it, in its title.
func TestGenericAndThirdParty(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.as("sec@example.org")
	g, err := e.s.Submit(ctx, e.as("pat@example.org"), ipr.Fields{Kind: ipr.Generic, HolderLegalName: "Example Corp",
		HolderContactName: "Lee", HolderContactEmail: "lee@corp.example", Statement: "Royalty-free for all IETF standards.",
		SubmitterName: "Pat", SubmitterEmail: "pat@example.org"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Title != "Example Corp's General License Statement" || len(g.Docs) != 0 {
		t.Errorf("generic = %+v", g)
	}
	if err := e.s.Post(ctx, g.ID, sec, ""); err != nil {
		t.Fatal(err)
	}
	if got := e.outbox("IPR Disclosure " + g.Title); !cmp.Equal(got, [][]string{{"gina@example.org"}}) {
		t.Errorf("the generic announcement went to %v", got)
	}
	tp := specific()
	tp.Kind, tp.IETFerName, tp.IETFerContactEmail, tp.Docs = ipr.ThirdParty, "Tom Third", "tom@example.org",
		[]ipr.DocInput{{Name: "RFC 0"}, {Name: soloDraft + "-00"}}
	if _, err := e.s.Submit(ctx, e.as("tom@example.org"), tp, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a third-party disclosure about RFC 0: %v", err)
	}
	tp.Docs = tp.Docs[1:]
	tp.OtherDesignations = "a talk at IETF 120"
	d, err := e.s.Submit(ctx, e.as("tom@example.org"), tp, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Tom Third's Statement about IPR related to draft-ann-solo and a talk at IETF 120 belonging to Example Networks" ||
		d.Licensing != "" || d.Docs[0].Revisions != "00" {
		t.Errorf("third-party = %+v", d)
	}
}

// TestSubmitRefusals: bad input is refused, naming the field, and
// nothing is stored.
func TestSubmitRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pat := e.as("pat@example.org")
	if _, err := e.s.Submit(ctx, e.as(""), specific(), ""); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("anonymous: %v, want unauthorized", err)
	}
	blanket := specific("number", "", "licensing", "reasonable")
	blanket.IsBlanketDisclosure = true
	generic := ipr.Fields{Kind: ipr.Generic, HolderLegalName: "X", HolderContactName: "Y", HolderContactEmail: "y@x.example",
		Statement: "ok", SubmitterName: "Pat", SubmitterEmail: "pat@example.org", Docs: []ipr.DocInput{{Name: wgDraft}}}
	halfPatent := generic
	halfPatent.Docs, halfPatent.Patent.Number = nil, "US1234567"
	noIETFer := specific()
	noIETFer.Kind = ipr.ThirdParty
	badMail := specific()
	badMail.HolderContactEmail = "lee at example"
	control := specific()
	control.Notes = "a\x00b"
	for _, c := range []struct {
		what  string
		f     ipr.Fields
		field string
		rule  string
	}{
		{"no kind", ipr.Fields{}, "kind", ""},
		{"no holder", specific("holder", ""), "holder_legal_name", ""},
		{"a bad patent number", specific("number", "123 and more"), "patent_number", ""},
		{"no licensing", specific("licensing", ""), "licensing", ""},
		{"an unknown document", specific("docs", "draft-nobody-here"), "docs", ""},
		{"an unknown revision", specific("revisions", "00-07"), "docs", ""},
		{"a backwards range", specific("revisions", "01-00"), "docs", ""},
		{"not a revision", specific("revisions", "latest"), "docs", ""},
		{"no contribution", specific("docs", ""), "docs", "R11"},
		{"a blanket disclosure that is not royalty-free", blanket, "licensing", ""},
		{"a generic disclosure naming a document", generic, "docs", ""},
		{"a generic disclosure with half a patent", halfPatent, "patent_number", ""},
		{"a third party with no participant", noIETFer, "ietfer_name", ""},
		{"a bad address", badMail, "holder_contact_email", ""},
		{"a control character", control, "notes", ""},
	} {
		_, err := e.s.Submit(ctx, pat, c.f, "")
		fe, ok := fail.As(err)
		if !ok || fe.Kind != fail.Invalid || fe.Field != c.field || fe.Rule != c.rule {
			t.Errorf("%s: %#v, want invalid %s (rule %q)", c.what, err, c.field, c.rule)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM ipr_disclosure`) + e.count(`SELECT COUNT(*) FROM event WHERE subject_type = 'ipr'`); n != 0 {
		t.Errorf("refused disclosures left %d rows and events", n)
	}
}

// TestUpdateKeepsHistory: an update is a new disclosure that names the
// one it updates, which stays as it was; once the update is posted, the
// old one shows it and the person who filed the old one is told. Only a
// posted disclosure is updated.
func TestUpdateKeepsHistory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.as("sec@example.org")
	old, err := e.s.Submit(ctx, e.as("pat@example.org"), specific(), "")
	if err != nil {
		t.Fatal(err)
	}
	up := specific("licensing", "no-license")
	up.Updates = []int64{old.ID}
	if _, err := e.s.Submit(ctx, e.as("tom@example.org"), up, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("updating a pending disclosure: %v, want invalid", err)
	}
	if err := e.s.Post(ctx, old.ID, sec, ""); err != nil {
		t.Fatal(err)
	}
	nu, err := e.s.Submit(ctx, e.as("tom@example.org"), up, "Now free of charge.")
	if err != nil {
		t.Fatal(err)
	}
	if len(nu.Updates) != 1 || nu.Updates[0].ID != old.ID {
		t.Errorf("the update's updates: %+v", nu.Updates)
	}
	if o, _ := e.s.Get(ctx, old.ID); len(o.UpdatedBy) != 0 || o.Licensing != "royalty-free" {
		t.Errorf("a pending update shows on the old one: %+v", o)
	}
	if err := e.s.Post(ctx, nu.ID, sec, ""); err != nil {
		t.Fatal(err)
	}
	o, _ := e.s.Get(ctx, old.ID)
	if len(o.UpdatedBy) != 1 || o.UpdatedBy[0].ID != nu.ID || o.State != ipr.Posted || o.Licensing != "royalty-free" {
		t.Errorf("the old disclosure after the update is posted: %+v", o)
	}
	if evs := e.events("ipr", record.SubjectID(old.ID)); evs[len(evs)-1] != "update_notify" {
		t.Errorf("the old disclosure's events: %v", evs)
	}
	if got := e.outbox("IPR Disclosure Update Notification"); !cmp.Equal(got, [][]string{{"pat@example.org"}}) {
		t.Errorf("the update notice went to %v", got)
	}
	if ds, _ := e.s.ForDocument(ctx, wgDraft); len(ds) != 2 || ds[0].ID != nu.ID {
		t.Errorf("ForDocument, newest first: %+v", ds)
	}
}

// TestStates: the secretariat parks, rejects and removes, each move an
// event, a rejection and a removal with a reason; a move the state does
// not allow is refused; a removed disclosure is no longer the
// document's, and the document's history says so.
func TestStates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.as("sec@example.org")
	a, err := e.s.Submit(ctx, e.as("pat@example.org"), specific(), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.s.Submit(ctx, e.as("pat@example.org"), specific(), "")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		id           int64
		state, why   string
		wantErr      fail.Kind
		wantState    string
		wantLastKind string
	}{
		{a.ID, ipr.Removed, "asked", fail.Conflict, ipr.Pending, "submitted"},
		{a.ID, ipr.Parked, "", "", ipr.Parked, "parked"},
		{a.ID, ipr.Pending, "", "", ipr.Pending, "pending"},
		{a.ID, ipr.Rejected, "", fail.Invalid, ipr.Pending, "pending"},
		{a.ID, ipr.Rejected, "Not a disclosure of IPR.", "", ipr.Rejected, "rejected"},
		{a.ID, ipr.Posted, "", fail.Conflict, ipr.Rejected, "rejected"},
		{b.ID, ipr.Posted, "", "", ipr.Posted, "msgout"},
		{b.ID, ipr.Removed, "Withdrawn at the holder's request.", "", ipr.Removed, "removed"},
		{b.ID, "bogus", "", fail.Conflict, ipr.Removed, "removed"},
	}
	for i, s := range steps {
		err := e.s.SetState(ctx, s.id, sec, s.state, s.why)
		if fail.KindOf(err) != s.wantErr && !(s.wantErr == "" && err == nil) {
			t.Errorf("step %d, to %s: %v, want %q", i, s.state, err, s.wantErr)
		}
		got, _ := e.s.Get(ctx, s.id)
		evs := e.events("ipr", record.SubjectID(s.id))
		if got.State != s.wantState || evs[len(evs)-1] != s.wantLastKind {
			t.Errorf("step %d: state %s, events %v; want %s, ending %s", i, got.State, evs, s.wantState, s.wantLastKind)
		}
	}
	if ds, _ := e.s.ForDocument(ctx, wgDraft); len(ds) != 0 {
		t.Errorf("a removed disclosure is still the document's: %+v", ds)
	}
	if evs := e.events("doc", wgDraft); !slices.Equal(evs[len(evs)-2:], []string{"posted_related_ipr", "removed_related_ipr"}) {
		t.Errorf("the draft's events: %v", evs)
	}
}

// TestSearch: by document (with the draft it replaced), holder, patent
// number (with or without spaces), title, group and state, and the
// API's shape: by id, in pages.
func TestSearch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.as("sec@example.org")
	var filed []ipr.Disclosure
	for _, f := range []ipr.Fields{specific("docs", oldDraft+"-00"), specific("holder", "Other_Holder 100%", "number", "EP12001234.9"),
		specific("docs", soloDraft+"-00")} {
		d, err := e.s.Submit(ctx, e.as("pat@example.org"), f, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.Post(ctx, d.ID, sec, ""); err != nil {
			t.Fatal(err)
		}
		filed = append(filed, d)
	}
	a, b, c := filed[0], filed[1], filed[2]
	names, err := e.s.Related(ctx, wgDraft)
	if err != nil || !slices.Equal(names, []string{wgDraft, oldDraft}) {
		t.Fatalf("Related(%s) = %v, %v", wgDraft, names, err)
	}
	ids := func(f ipr.Filter) []int64 {
		t.Helper()
		ds, _, err := e.s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	for _, c := range []struct {
		what string
		f    ipr.Filter
		want []int64
	}{
		{"the WG draft and what it replaced", ipr.Filter{Docs: names}, []int64{a.ID, b.ID}},
		{"one document", ipr.Filter{Doc: soloDraft}, []int64{c.ID}},
		{"a holder, any case", ipr.Filter{Holder: "other_holder 100"}, []int64{b.ID}},
		{"LIKE's wildcards are text", ipr.Filter{Holder: "%"}, []int64{b.ID}},
		{"a patent number with a space", ipr.Filter{Patent: "us 62/123456"}, []int64{a.ID, c.ID}},
		{"words of the patent", ipr.Filter{Patent: "DERIVING things"}, []int64{a.ID, b.ID, c.ID}},
		{"a title", ipr.Filter{Title: "draft-ann-solo"}, []int64{c.ID}},
		{"a group", ipr.Filter{Group: "wgx"}, []int64{b.ID}},
		{"a state", ipr.Filter{States: []string{ipr.Pending}}, nil},
		{"a page", ipr.Filter{Limit: 1, Offset: 1}, []int64{b.ID}},
		{"newest first", ipr.Filter{NewestFirst: true, Kind: ipr.Specific}, []int64{c.ID, b.ID, a.ID}},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
	if _, total, _ := e.s.List(ctx, ipr.Filter{Limit: 1}); total != 3 {
		t.Errorf("total of a page: %d, want 3", total)
	}
	if ds, _ := e.s.ForDocument(ctx, wgDraft); len(ds) != 2 || !strings.Contains(ds[1].Title, oldDraft) {
		t.Errorf("ForDocument(%s) = %+v", wgDraft, ds)
	}
}

// TestPostAnnouncesOnlyToAddressesThatExist: a posted disclosure is
// announced to the draft's aliases ({draft}.authors@, .chairs@), which
// reach the authors and chairs, and to the WG's list when hum has it;
// never to the list address a group's record gives when hum does not
// serve it (a concluded WG's, outside hum).
func TestPostAnnouncesOnlyToAddressesThatExist(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.gs.Create(ctx, groups.Operator(record.Actor{Name: "test setup"}), groups.NewGroup{Acronym: "oldwg", Name: "Old WG", Type: "wg",
		State: "conclude", Parent: "art", ListEmail: "oldwg@lists.example.net"}, ""); err != nil {
		t.Fatal(err)
	}
	e.submit("draft-ietf-oldwg-thing", "00", "", docsOperator(e), "ann@example.org")
	if g := e.count(`SELECT COUNT(*) FROM doc d JOIN grp g ON g.id = d.group_id WHERE d.name = 'draft-ietf-oldwg-thing' AND g.acronym = 'oldwg'`); g != 1 {
		t.Fatal("the draft is not oldwg's")
	}
	for _, c := range []struct {
		doc      string
		to, rcpt []string
	}{
		{wgDraft, []string{wgDraft + ".authors@hum.test", wgDraft + ".chairs@hum.test"},
			[]string{"ann@example.org", "bob@example.org", "carl@example.net", "chris@example.org"}},
		{"draft-ietf-oldwg-thing", []string{"draft-ietf-oldwg-thing.authors@hum.test"}, []string{"ann@example.org"}},
	} {
		d, err := e.s.Submit(ctx, e.as("pat@example.org"), specific("docs", c.doc, "revisions", "00"), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.Post(ctx, d.ID, e.as("sec@example.org"), ""); err != nil {
			t.Fatal(err)
		}
		ms, err := mail.List(ctx, e.db, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ms {
			if m.Subject != "IPR Disclosure "+d.Title {
				continue
			}
			n++
			if diff := cmp.Diff(c.rcpt, m.To); diff != "" {
				t.Errorf("%s: the announcement's recipients (-want +got):\n%s", c.doc, diff)
			}
			h, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
			if err != nil {
				t.Fatal(err)
			}
			as, err := h.Header.AddressList("To")
			if err != nil {
				t.Fatal(err)
			}
			var to []string
			for _, a := range as {
				to = append(to, a.Address)
			}
			if diff := cmp.Diff(c.to, to); diff != "" {
				t.Errorf("%s: the announcement's To (-want +got):\n%s", c.doc, diff)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d announcements queued, want 1", c.doc, n)
		}
	}
}
