package docs_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/lists"
	"hum/internal/opendata"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/testbody"
)

// wgDraft posts draft-smoke-signals and makes it an idr WG document
// waiting for its write-up, with Pat as its shepherd.
func (e *env) wgDraft(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	for _, st := range []string{"c-adopt", "wg-doc", "writeupw"} {
		if err := e.s.SetWGState(ctx, name, e.by("chair@example.org"), docs.WGChange{State: st, Group: "idr"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.s.SetShepherd(ctx, name, e.by("chair@example.org"), e.ids["pat@example.org"], ""); err != nil {
		t.Fatal(err)
	}
	return name
}

// R17: the write-up is the IESG's template, and a publication request
// waits until every required question has an answer of more than one
// word; the refusal names each question still open, and changes nothing.
func TestR17WriteupAnswersBeforePublicationRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	chair := e.by("chair@example.org")

	// "x" everywhere, the empty box the issue found satisfied.
	xs := map[int]string{}
	for n := 1; n <= 21; n++ {
		xs[n] = "x"
	}
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), xs); err != nil {
		t.Fatal(err)
	}
	err := e.s.SetIESGState(ctx, name, chair, "pub-req", "")
	refused(t, "one-word answers", err, fail.Conflict, "R17")
	if !strings.Contains(err.Error(), `question 1 (WG consensus: "Does the working group (WG) consensus represent`) || !strings.Contains(err.Error(), `is answered in one word ("x")`) {
		t.Errorf("the refusal does not name the question: %v", err)
	}
	if strings.Contains(err.Error(), "question 7 ") {
		t.Errorf("the YANG question is not required, yet: %v", err)
	}

	// Complete but for two: a one-word "No." to the appeal question, and
	// nothing on IPR.
	w := testbody.Writeup()
	w[3], w[12] = "No.", ""
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), w); err != nil {
		t.Fatal(err)
	}
	events := e.count("event")
	err = e.s.SetIESGState(ctx, name, chair, "pub-req", "")
	refused(t, "appeal answered in one word, IPR not at all", err, fail.Conflict, "R17")
	for _, s := range []string{`question 3 (appeal threats: "Has anyone threatened an appeal or otherwise indicated extreme discontent?") is answered in one word ("No.")`,
		`question 12 (IPR disclosures: `, `has no answer`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("refusal %q lacks %q", err, s)
		}
	}
	if strings.Contains(err.Error(), "question 1 ") {
		t.Errorf("question 1 is answered now: %v", err)
	}
	if d := e.doc(name); d.IESGState != "" || d.WGState != "writeupw" || e.count("event") != events {
		t.Fatalf("a refused request changed the draft: %q %q, %d events (was %d)", d.IESGState, d.WGState, e.count("event"), events)
	}

	// Optional questions may stay empty; the required ones answered, the
	// request goes through.
	w = testbody.Writeup()
	for _, n := range []int{5, 6, 7, 8, 10, 16, 21} {
		w[n] = ""
	}
	w[3] = "No one has threatened an appeal."
	w[12] = "Each author confirmed on the list that they know of no IPR to disclose."
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), w); err != nil {
		t.Fatal(err)
	}
	wu, err := e.s.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if !wu.Complete() || wu.Answered != 14 || !e.doc(name).HasWriteup {
		t.Fatalf("write-up complete %v, %d answered, gaps %+v", wu.Complete(), wu.Answered, wu.Gaps())
	}
	if err := e.s.SetIESGState(ctx, name, chair, "pub-req", ""); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(name); d.IESGState != "pub-req" {
		t.Errorf("IESG state %q", d.IESGState)
	}
	evs, _ := record.List(ctx, e.db, "doc", name, 20)
	var kinds []string
	for _, ev := range evs {
		if ev.Kind == "writeup" {
			kinds = append(kinds, ev.Summary)
		}
	}
	if len(kinds) != 3 || !strings.HasPrefix(kinds[2], "Shepherd write-up added (questions 1, 2,") || !strings.HasPrefix(kinds[0], "Shepherd write-up changed (questions 3, 5, 6, 7, 8, 10, 12, 16, 21)") {
		t.Errorf("write-up events: %q", kinds)
	}
}

func TestWriteupRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	refused(t, "no question 22", e.s.SetWriteup(ctx, name, e.by("pat@example.org"), map[int]string{22: "An extra answer."}), fail.Invalid, "")
	refused(t, "a participant who is not the shepherd", e.s.SetWriteup(ctx, name, e.by("kesara@fq.nz"), testbody.Writeup()), fail.Forbidden, "R17")
	refused(t, "too long", e.s.SetWriteup(ctx, name, e.by("pat@example.org"), map[int]string{1: strings.Repeat("word ", 11_000)}), fail.Invalid, "")
	if n := e.count("doc_writeup_answer"); n != 0 {
		t.Errorf("%d answers stored by refused writes", n)
	}
	// Saving the same answers again is no change.
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()); err != nil {
		t.Fatal(err)
	}
	events := e.count("event")
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()); err != nil || e.count("event") != events {
		t.Errorf("unchanged write-up: %v, %d events (was %d)", err, e.count("event"), events)
	}
}

// fakeIPR stands in for internal/ipr until app wires it.
type fakeIPR map[string][]docs.IPRDisclosure

func (f fakeIPR) DisclosuresFor(_ context.Context, doc string) ([]docs.IPRDisclosure, error) {
	return f[doc], nil
}

// The write-up reads as the template with its answers; its IPR question
// shows the document's disclosures, or says none are known.
func TestWriteupText(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	w := testbody.Writeup()
	w[12] = "All authors confirmed.\nThe WG was reminded at WG Last Call."
	w[16] = ""
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), w); err != nil {
		t.Fatal(err)
	}
	wu, err := e.s.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	text := wu.Text()
	for _, s := range []string{
		"# Document Shepherd Write-Up for Group Documents\n\n*This version is dated 4 July 2022.*\n",
		"Document: draft-smoke-signals-00\nDocument shepherd: Pat Participant\n",
		"## Document History\n\n1. Does the working group (WG) consensus represent the strong concurrence of a\n   few individuals, with others being silent, or did it reach broad agreement?\n\nThe shepherd checked this",
		"## Document Shepherd Checks\n",
		"All authors confirmed.\nThe WG was reminded at WG Last Call.\n\nIPR disclosures that name draft-smoke-signals: no disclosures known.\n",
		"16. List any normative references that are not freely available to anyone. Did\n    the community have sufficient access to review any such normative\n    references?\n\n(not answered)\n",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("write-up text lacks %q:\n%s", s, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 80 && !strings.HasPrefix(line, "The shepherd") {
			t.Errorf("line over 80 columns: %q", line)
		}
	}

	ipr := e.s.With(e.db, e.s.Mail)
	ipr.IPR = fakeIPR{name: {{ID: 7, Title: "Example Corp's statement about IPR related to draft-smoke-signals", Holder: "Example Corp",
		Posted: time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), URL: "/ipr/7/"}}}
	wu, err = ipr.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if want := "IPR disclosures that name draft-smoke-signals:\n- #7 Example Corp's statement about IPR related to draft-smoke-signals (Example Corp), posted 2021-05-01: /ipr/7/\n"; !strings.Contains(wu.Text(), want) || !wu.IPRKnown {
		t.Errorf("write-up lacks %q:\n%s", want, wu.Text())
	}

	// An individual draft gets the individual template's first questions.
	if title, qs := docs.WriteupQuestions(docs.Document{}); !strings.Contains(title, "Individual") || !strings.HasPrefix(qs[0].Text, "Was the document considered in any WG") {
		t.Errorf("individual template: %q, %q", title, qs[0].Text)
	}
}

// A free-text write-up from before the template stays readable, as it
// was; a publication request needs the template's answers (R17).
func TestR17LegacyWriteupReadableButNotEnough(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	const old = "1. Document history\n\nThe WG adopted this document after two meetings."
	if _, err := e.db.Exec(`UPDATE doc SET writeup = $1 WHERE name = $2`, old, name); err != nil {
		t.Fatal(err)
	}
	wu, err := e.s.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if wu.Text() != old || wu.Legacy != old || !e.doc(name).HasWriteup {
		t.Errorf("old write-up: %q", wu.Text())
	}
	refused(t, "free text only", e.s.SetIESGState(ctx, name, e.by("chair@example.org"), "pub-req", ""), fail.Conflict, "R17")
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()); err != nil {
		t.Fatal(err)
	}
	wu, _ = e.s.Writeup(ctx, name)
	if !strings.HasSuffix(wu.Text(), "## Earlier write-up (free text, from before the template)\n\n"+old+"\n") {
		t.Errorf("the old text is not kept after the answers:\n%s", wu.Text())
	}
}

// An area's (AD-sponsored) document is no WG's: it gets the template
// for individual documents, as the Datatracker gives one to documents
// of an area or of no group, and Last Call on it lasts four weeks.
func TestAreaDocumentGetsIndividualWriteup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	const name = "draft-smoke-signals"
	if _, err := e.db.Exec(`UPDATE doc SET group_id = (SELECT id FROM grp WHERE acronym = 'rtg') WHERE name = $1`, name); err != nil {
		t.Fatal(err)
	}
	d := e.doc(name)
	if d.GroupType != "area" {
		t.Fatalf("group type %q", d.GroupType)
	}
	if docs.WGDocument(d) {
		t.Error("an area's document counts as a WG's")
	}
	w, err := e.s.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "Document Shepherd Write-Up for Individual Documents" || w.Questions[0].Topic != "WG consideration" {
		t.Errorf("template %q, question 1 %q", w.Title, w.Questions[0].Topic)
	}
	if title, _ := docs.WriteupQuestions(e.doc("draft-smoke-signals")); title != w.Title {
		t.Errorf("WriteupQuestions gives %q", title)
	}
}

// doc/writeupdocevent carries the write-up as it read after the change
// the event records: for a template write-up, its rendered text.
func TestWriteupEventCarriesRenderedText(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), map[int]string{1: "Broad agreement on the list."}); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Hour)
	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), map[int]string{2: "No controversy at all."}); err != nil {
		t.Fatal(err)
	}
	od, err := opendata.New(e.db, opendata.Names(), e.s.Groups.OpenData(), (&people.Service{DB: e.db}).OpenData(), (&lists.Service{DB: e.db}).OpenData(), e.s.OpenData())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := od.Resource("doc", "writeupdocevent")
	if !ok {
		t.Fatal("no doc/writeupdocevent")
	}
	p, err := od.List(ctx, r, url.Values{"doc": {name}, "order_by": {"time"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Objects) != 2 {
		t.Fatalf("%d write-up events, want 2", len(p.Objects))
	}
	first, second := fmt.Sprint(p.Objects[0]["text"]), fmt.Sprint(p.Objects[1]["text"])
	for _, want := range []string{"# Document Shepherd Write-Up for Group Documents", "Document: " + name, "Broad agreement on the list."} {
		if !strings.Contains(first, want) || !strings.Contains(second, want) {
			t.Errorf("texts lack %q:\n%s\n---\n%s", want, first, second)
		}
	}
	if strings.Contains(first, "No controversy at all.") || !strings.Contains(second, "No controversy at all.") {
		t.Errorf("each event should carry the write-up as that change left it:\n%s\n---\n%s", first, second)
	}
}
