package docs_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

func codes(err error) []string {
	r, ok := fail.As(err)
	if !ok || len(r.Problems) == 0 {
		return []string{"not rejected: " + err.Error()}
	}
	var cs []string
	for _, p := range r.Problems {
		cs = append(cs, p.Code)
	}
	return cs
}

// The path of an individual draft: an anonymous upload waits for an
// author's confirmation by mail; a logged-in author's next revision posts
// at once; revisions can be neither reused nor skipped.
func TestSubmitIndividualDraft(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2021-06-19")
	sub, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), docs.Submitter{Email: "someone@example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.State != "auth" || sub.Name != "draft-smoke-signals" || sub.Rev != "00" {
		t.Fatalf("submission = %+v", sub)
	}
	if _, err := e.s.Get(ctx, "draft-smoke-signals"); fail.KindOf(err) != fail.NotFound {
		t.Fatalf("draft exists before confirmation: %v", err)
	}
	m := e.mails("Confirm submission")
	if len(m) != 1 || !slices.Contains(m[0].To, "kesara@fq.nz") || !slices.Contains(m[0].To, "someone@example.net") {
		t.Fatalf("confirmation mail = %+v", m)
	}
	// A second upload while one waits is refused.
	if _, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), docs.Submitter{Email: "x@example.net"}); fail.KindOf(err) != fail.Conflict {
		t.Errorf("second pending upload: %v", err)
	}
	if err := e.s.Confirm(ctx, sub.ID, "wrong"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("confirm with a wrong secret: %v", err)
	}
	if err := e.s.Confirm(ctx, sub.ID, e.secret("Confirm submission")); err != nil {
		t.Fatal(err)
	}
	d, err := e.s.Get(ctx, "draft-smoke-signals-00")
	if err != nil {
		t.Fatal(err)
	}
	if d.Rev != "00" || d.State != "active" || d.StdLevel != "exp" || d.Group != "" || d.Pages != 2 || len(d.Authors) != 1 ||
		d.Authors[0].PersonID != e.ids["kesara@fq.nz"] || d.Expires == nil || d.Expires.Sub(e.now).Hours() != 185*24 {
		t.Errorf("posted draft = %+v", d)
	}
	ann := e.mails("I-D Action: draft-smoke-signals-00.txt")
	if len(ann) != 1 || !slices.Contains(ann[0].To, "i-d-announce@hum.test") || !bytes.Contains(ann[0].Raw, []byte("transmit information")) {
		t.Errorf("announcement = %+v", ann)
	}
	if err := e.s.Confirm(ctx, sub.ID, e.secret("Confirm submission")); fail.KindOf(err) != fail.Conflict {
		t.Errorf("confirming twice: %v", err)
	}

	// Reusing 00 is refused, and nothing is stored.
	before := e.count("submission")
	_, err = e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), e.who("kesara@fq.nz"))
	if diff := cmp.Diff([]string{"rev-reused"}, codes(err)); diff != "" {
		t.Errorf("reused revision (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "Revision rule") {
		t.Errorf("error does not name its rule: %v", err)
	}
	if e.count("submission") != before {
		t.Error("a refused submission was stored")
	}

	// The author, logged in, posts 01 directly.
	e.at("2021-11-01")
	sub, err = e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-01.txt"), e.who("kesara@fq.nz"))
	if err != nil || sub.State != "posted" {
		t.Fatalf("01 by its author: %+v, %v", sub, err)
	}
	revs, _ := e.s.Revisions(ctx, d.ID)
	if len(revs) != 2 || revs[1].Rev != "01" {
		t.Errorf("revisions = %+v", revs)
	}
	// A logged-in non-author must confirm by mail like anyone else.
	e.at("2016-01-13")
	sub, err = e.s.Submit(ctx, txt(t, "txt/draft-iab-xml2rfc-02.txt"), e.who("pat@example.org"))
	if diff := cmp.Diff([]string{"rev-not-first"}, codes(err)); diff != "" {
		t.Errorf("new draft at 02 (-want +got):\n%s", diff)
	}
}

func TestSubmitWGDraftNeedsChair(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2023-03-07")
	up := xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml")
	sub, err := e.s.Submit(ctx, up, e.who("pat@example.org"))
	if err != nil || sub.State != "grp-appr" {
		t.Fatalf("WG -00: %+v, %v", sub, err)
	}
	if m := e.mails("Approval needed"); len(m) != 1 || m[0].To[0] != "chair@example.org" {
		t.Errorf("chair mail = %+v", m)
	}
	if err := e.s.Approve(ctx, sub.ID, e.by("ad2@example.org")); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("approval by an AD of another area: %v", err)
	}
	if err := e.s.Approve(ctx, sub.ID, e.by("chair@example.org")); err != nil {
		t.Fatal(err)
	}
	d, err := e.s.Get(ctx, "draft-ietf-idr-rt-derived-community")
	if err != nil {
		t.Fatal(err)
	}
	// RULES.md note 1: a chair-approved -00 is a WG Document.
	if d.Group != "idr" || d.Area != "rtg" || d.WGState != "wg-doc" || d.Stream != "ietf" || d.StdLevel != "ps" || len(d.Authors) != 3 {
		t.Errorf("WG draft = %+v", d)
	}
	// The WG's list is hum's, not the one outside hum that the group's
	// record names.
	if m := e.mails("I-D Action"); len(m) != 1 || !slices.Contains(m[0].To, "idr@hum.test") || slices.Contains(m[0].To, "idr@ietf.org") {
		t.Errorf("announcement = %+v", m)
	}
}

func TestSubmitUnknownGroup(t *testing.T) {
	e := newEnv(t)
	e.at("2021-05-01")
	up := xml(t, "xml/rfc9001.canonical.xml")
	up.XMLName = "draft-ietf-quic-tls-34.xml"
	// quic exists but the draft is at 34 without 33: a revision error;
	// with an unknown group, the group error.
	_, err := e.s.Submit(context.Background(), up, docs.Submitter{Email: "mt@lowentropy.net"})
	if diff := cmp.Diff([]string{"rev-not-first"}, codes(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	up.XML = bytes.ReplaceAll(up.XML, []byte("draft-ietf-quic-tls-34"), []byte("draft-ietf-nosuchwg-tls-00"))
	up.XMLName = "draft-ietf-nosuchwg-tls-00.xml"
	_, err = e.s.Submit(context.Background(), up, docs.Submitter{Email: "mt@lowentropy.net"})
	if diff := cmp.Diff([]string{"group-unknown"}, codes(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReplaces(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	up := xml(t, "xml/draft-smoke-signals-00.xml")
	up.XML = bytes.ReplaceAll(up.XML, []byte("draft-smoke-signals-00"), []byte("draft-kesara-smoke-00"))
	up.XMLName = "draft-kesara-smoke-00.xml"
	up.Replaces = "draft-smoke-signals-00"
	if _, err := e.s.Submit(ctx, up, e.who("kesara@fq.nz")); err != nil {
		t.Fatal(err)
	}
	old, _ := e.s.Get(ctx, "draft-smoke-signals")
	if old.State != "repl" {
		t.Errorf("replaced draft state = %q", old.State)
	}
	_, in, _ := e.s.Relations(ctx, "draft-smoke-signals")
	if len(in) != 1 || in[0].Source != "draft-kesara-smoke" || in[0].Type != "replaces" {
		t.Errorf("relations = %+v", in)
	}
	// A replaced draft cannot get a new revision.
	e.at("2021-11-01")
	_, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-01.txt"), e.who("kesara@fq.nz"))
	if diff := cmp.Diff([]string{"draft-replaced"}, codes(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	up.Replaces = "draft-nobody-knows-this"
	up.XML = bytes.ReplaceAll(up.XML, []byte("draft-kesara-smoke-00"), []byte("draft-kesara-smoke-01"))
	up.XMLName = "draft-kesara-smoke-01.xml"
	_, err = e.s.Submit(ctx, up, e.who("kesara@fq.nz"))
	if diff := cmp.Diff([]string{"replaces-unknown"}, codes(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Bad input gets a clear error naming its rule; nothing is stored and
// no revision is used up.
func TestBadInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2021-06-19")
	good := file(t, "xml/draft-smoke-signals-00.xml")
	edit := func(old, new string) []byte { return bytes.Replace(good, []byte(old), []byte(new), 1) }
	xxe := []byte(`<?xml version="1.0"?><!DOCTYPE rfc [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
		string(bytes.Replace(edit("<t>This draft", "<t>&x; This draft"), []byte(`<?xml version="1.0" encoding="utf-8"?>`), nil, 1)))
	cases := []struct {
		what string
		up   docs.Upload
		code string
		rule string
	}{
		{"invalid XML", docs.Upload{XML: file(t, "xml/draft-smoke-signals-00.invalid.xml"), XMLName: "draft-smoke-signals-00.xml"}, "name-missing", "Name rule"},
		{"XXE", docs.Upload{XML: xxe, XMLName: "draft-smoke-signals-00.xml"}, "xml-local-entity", "XML rule"},
		{"name mismatch", docs.Upload{XML: good, XMLName: "draft-smoke-fires-00.xml"}, "name-mismatch", "Name rule"},
		{"wrong revision", docs.Upload{XML: edit("signals-00", "signals-03"), XMLName: "draft-smoke-signals-03.xml"}, "rev-not-first", "Revision rule"},
		{"no title", docs.Upload{XML: edit("Standard for Data Transmission via Smoke Signals", ""), XMLName: "x.xml"}, "title-missing", "Required content"},
		{"no abstract", docs.Upload{XML: edit("This draft describes a standard to transmit information via smoke signals\neffectively.", ""), XMLName: "x.xml"}, "abstract-missing", "Required content"},
		{"no author email", docs.Upload{XML: edit("<email>kesara@fq.nz</email>", ""), XMLName: "x.xml"}, "author-email-missing", "Required content"},
		{"oversized", docs.Upload{XML: append(bytes.Clone(good), bytes.Repeat([]byte("<!-- padding -->\n"), 600_000)...), XMLName: "x.xml"}, "too-large", "Size limit"},
		{"not UTF-8", docs.Upload{TXT: append([]byte("draft-smoke-signals-00\n\xff\xfe"), file(t, "txt/draft-smoke-signals-00.txt")...), TXTName: "draft-smoke-signals-00.txt"}, "not-utf8", "Encoding rule"},
		{"bad name", docs.Upload{XML: edit("draft-smoke-signals-00", "draft-Smoke_signals-00"), XMLName: "x.xml"}, "name-format", "Name rule"},
		{"date too old", docs.Upload{XML: edit("<abstract>", `<date year="2020" month="1" day="1"/><abstract>`), XMLName: "x.xml"}, "date-out-of-range", "Date rule"},
		{"nothing", docs.Upload{}, "no-file", "File rule"},
	}
	subs, events, outbox := e.count("submission"), e.count("event"), e.count("outbox")
	for _, c := range cases {
		_, err := e.s.Submit(ctx, c.up, docs.Submitter{Email: "kesara@fq.nz"})
		r, ok := fail.As(err)
		if !ok || len(r.Problems) == 0 || fail.KindOf(err) != fail.Invalid {
			t.Errorf("%s: err = %v, want a rejection", c.what, err)
			continue
		}
		if c.code != "" && !slices.Contains(codes(err), c.code) {
			t.Errorf("%s: codes %v, want %s", c.what, codes(err), c.code)
		}
		if c.rule != "" && !strings.HasPrefix(r.Problems[0].Message, c.rule+": ") {
			t.Errorf("%s: message %q does not start with %q", c.what, r.Problems[0].Message, c.rule)
		}
		if strings.Contains(err.Error(), "root:") {
			t.Errorf("%s: a local file leaked into the error: %v", c.what, err)
		}
	}
	if e.count("submission") != subs || e.count("event") != events || e.count("outbox") != outbox || e.count("doc") != 0 {
		t.Error("a refused submission left something behind")
	}
	// And the revision was not used up: 00 still posts.
	if _, err := e.s.Submit(ctx, docs.Upload{XML: good, XMLName: "draft-smoke-signals-00.xml"}, e.who("kesara@fq.nz")); err != nil {
		t.Fatal(err)
	}
}

func TestCancelAndForcePost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2021-06-19")
	sub, err := e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), docs.Submitter{Email: "x@example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.Cancel(ctx, sub.ID, e.by("pat@example.org"), ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("cancel by a stranger: %v", err)
	}
	if err := e.s.Cancel(ctx, sub.ID, groups.Actor{Actor: e.actor("x@example.net")}, e.secret("Confirm")); err != nil {
		t.Fatal(err)
	}
	// The revision is free again; the secretariat forces the next upload.
	sub, err = e.s.Submit(ctx, txt(t, "txt/draft-smoke-signals-00.txt"), docs.Submitter{Email: "x@example.net"})
	if err != nil || sub.State != "auth" {
		t.Fatal(sub, err)
	}
	if err := e.s.Approve(ctx, sub.ID, e.by("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.s.GetSubmission(ctx, sub.ID); got.State != "posted" {
		t.Errorf("state = %s", got.State)
	}
}

// A submission that breaks several rules hears of all of them in one
// answer, as at the Datatracker: rules on the file, on the content and
// on what hum holds (revision, group, replaced drafts) alike.
func TestSubmitReportsEveryRule(t *testing.T) {
	e := newEnv(t)
	e.at("2021-06-19")
	good := file(t, "xml/draft-smoke-signals-00.xml")
	bad := bytes.Replace(good, []byte("draft-smoke-signals-00"), []byte("draft-ietf-nosuchwg-smoke-03"), 1)
	bad = bytes.Replace(bad, []byte("This draft describes a standard to transmit information via smoke signals\neffectively."), nil, 1)
	bad = bytes.Replace(bad, []byte("<email>kesara@fq.nz</email>"), nil, 1)
	up := docs.Upload{XML: bad, XMLName: "draft-ietf-nosuchwg-smoke-03.xml", Replaces: "draft-nobody-knows-this",
		TXT: []byte("draft-smoke-signals-00\n\xff\xfe"), TXTName: "draft-ietf-nosuchwg-smoke-03.txt"}
	before := e.count("submission")
	_, err := e.s.Submit(context.Background(), up, docs.Submitter{Email: "kesara@fq.nz"})
	want := []string{"abstract-missing", "author-email-missing", "not-utf8", "rev-not-first", "group-unknown", "replaces-unknown"}
	got := codes(err)
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if r, ok := fail.As(err); ok {
		for _, p := range r.Problems {
			if !strings.Contains(err.Error(), p.Message) {
				t.Errorf("the answer %q leaves out %q", err, p.Message)
			}
		}
	}
	if e.count("submission") != before {
		t.Error("a refused submission was stored")
	}
}

// A revision is posted by its submitter: the chair who approves a new WG
// draft is credited with the approval, not with the revision (the
// Datatracker's new_revision event is by the submitter).
func TestRevisionCreditedToSubmitter(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2023-03-07")
	const name = "draft-ietf-idr-rt-derived-community"
	sub, err := e.s.Submit(ctx, xml(t, "xml/"+name+"-00.xml"), e.who("pat@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.Approve(ctx, sub.ID, e.by("chair@example.org")); err != nil {
		t.Fatal(err)
	}
	evs, err := record.List(ctx, e.db, "doc", name, 50)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int64{}
	for _, ev := range evs {
		by[ev.Kind] = ev.ActorID
	}
	if by["new_revision"] != e.ids["pat@example.org"] {
		t.Errorf("new revision credited to person %d, want the submitter %d", by["new_revision"], e.ids["pat@example.org"])
	}
	if by["submission_approved"] != e.ids["chair@example.org"] {
		t.Errorf("approval credited to person %d, want the chair %d", by["submission_approved"], e.ids["chair@example.org"])
	}
}
