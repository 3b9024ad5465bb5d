package docs_test

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
)

// header and body of the newest queued mail whose subject contains subj.
func (e *env) message(subj string) (mail.Header, string) {
	e.t.Helper()
	ms := e.mails(subj)
	if len(ms) == 0 {
		e.t.Fatalf("no mail about %q", subj)
	}
	m, err := mail.ReadMessage(bytes.NewReader(ms[0].Raw))
	if err != nil {
		e.t.Fatal(err)
	}
	var r io.Reader = m.Body
	if m.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		r = quotedprintable.NewReader(r)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		e.t.Fatal(err)
	}
	return m.Header, strings.ReplaceAll(string(body), "\r\n", "\n")
}

// A publication request tells the responsible AD and the secretariat,
// with the write-up, and copies the shepherd and the chairs (the
// Datatracker's pubreq_iesg mail).
func TestPublicationRequestMailsADAndSecretariat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.evaluation(t)
	h, body := e.message("Publication has been requested for " + name + "-00")
	for field, want := range map[string]string{
		"To": name + ".ad@hum.test, iesg-secretary@hum.test",
		"Cc": name + ".shepherd@hum.test, " + name + ".chairs@hum.test",
	} {
		if got := strings.ReplaceAll(strings.ReplaceAll(h.Get(field), "<", ""), ">", ""); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	for _, want := range []string{
		"chair@example.org has requested publication of " + name + "-00 as Experimental on behalf of the IDR working group.",
		"Please verify the document's state at http://hum.test/doc/" + name + "/",
		"Document Shepherd Write-Up for Group Documents",
		"Responsible AD: Ada Director", // the AD the request brought
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	w, err := e.s.Writeup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if q := w.Questions[0].Answer; q == "" || !strings.Contains(body, q) {
		t.Errorf("body lacks the answer to question 1 (%q)", q)
	}
}

// An AD's DISCUSS and COMMENT go to the IESG with the draft's authors,
// chairs and shepherd copied, in the Datatracker's form; a DISCUSS
// cleared is mailed too; a bare position is not.
func TestBallotPositionMails(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.evaluation(t)
	ada := e.by("ad@example.org")
	long := strings.Repeat("The registry needs a policy. ", 5)
	if err := e.s.SetPosition(ctx, name, ada, docs.PositionChange{Pos: "discuss", Discuss: long, Comment: "Nits: section 3."}); err != nil {
		t.Fatal(err)
	}
	subj := "Ada Director's Discuss on " + name + "-00: (with DISCUSS and COMMENT)"
	h, body := e.message(subj)
	if h.Get("Subject") != subj {
		t.Errorf("Subject = %q, want %q", h.Get("Subject"), subj)
	}
	if got, want := h.Get("To"), "iesg@hum.test"; !strings.Contains(got, want) {
		t.Errorf("To = %q, want %q", got, want)
	}
	cc, err := h.AddressList("Cc")
	if err != nil {
		t.Fatal(err)
	}
	var ccs []string
	for _, a := range cc {
		ccs = append(ccs, a.Address)
	}
	if diff := cmp.Diff([]string{name + ".authors@hum.test", name + ".chairs@hum.test", name + ".shepherd@hum.test"}, ccs); diff != "" {
		t.Errorf("Cc (-want +got):\n%s", diff)
	}
	if from, _ := h.AddressList("From"); len(from) != 1 || from[0].Address != "ad@example.org" || from[0].Name != "Ada Director" {
		t.Errorf("From = %q", h.Get("From"))
	}
	rule := strings.Repeat("-", 70)
	for _, want := range []string{
		"Ada Director has entered the following ballot position for\n" + name + "-00: Discuss\n",
		rule + "\nDISCUSS:\n" + rule + "\n\nThe registry needs a policy.",
		rule + "\nCOMMENT:\n" + rule + "\n\nNits: section 3.\n",
		"http://hum.test/doc/" + name + "/",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	for _, l := range strings.Split(body, "\n") {
		if len(l) > 73 {
			t.Errorf("line longer than 73: %q", l)
		}
	}

	// Cleared: mailed, though it has no text.
	if err := e.s.SetPosition(ctx, name, ada, docs.PositionChange{Pos: "noobj"}); err != nil {
		t.Fatal(err)
	}
	_, body = e.message("Ada Director's No Objection on " + name + "-00")
	if !strings.Contains(body, "There are no remarks associated with this position.") {
		t.Errorf("cleared DISCUSS body:\n%s", body)
	}
	// A bare Yes from another AD: no mail.
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "yes"}); err != nil {
		t.Fatal(err)
	}
	if ms := e.mails("Bea Director"); len(ms) != 0 {
		t.Errorf("a bare position was mailed: %q", ms[0].Subject)
	}
}
