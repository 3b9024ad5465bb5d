package docs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/docs"
)

// smallDraft is a valid xml2rfc v3 draft by the given authors.
func smallDraft(name, rev string, authors ...string) docs.Upload {
	var as strings.Builder
	for _, a := range authors {
		fmt.Fprintf(&as, `<author fullname="%s"><address><email>%s</email></address></author>`, a, a)
	}
	x := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-%s" category="info" version="3"><front><title>Approvers</title>%s
<abstract><t>Who confirms a new revision.</t></abstract></front>
<middle><section anchor="intro" title="Introduction"><t>Text.</t></section></middle><back></back></rfc>`, name, rev, as.String())
	return docs.Upload{XML: []byte(x), XMLName: name + "-" + rev + ".xml"}
}

// TestNewRevisionWaitsForPreviousAuthors: a later revision is posted at
// once only for an author of the revision before it, and its link goes
// to those authors, never to whoever the upload names (the
// Datatracker's prev_authors). Pat naming himself an author of Kesara's
// draft could otherwise post over it, or confirm by his own link.
func TestNewRevisionWaitsForPreviousAuthors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if sub, err := e.s.Submit(ctx, smallDraft("draft-kesara-approvers", "00", "kesara@fq.nz"), e.who("kesara@fq.nz")); err != nil || sub.State != "posted" {
		t.Fatalf("the author's -00: %+v %v", sub, err)
	}
	sub, err := e.s.Submit(ctx, smallDraft("draft-kesara-approvers", "01", "pat@example.org"), e.who("pat@example.org"))
	if err != nil || sub.State != "auth" {
		t.Fatalf("Pat's -01 naming himself: state %q (%v), want auth", sub.State, err)
	}
	if d, _ := e.s.Get(ctx, "draft-kesara-approvers"); d.Rev != "00" {
		t.Errorf("the draft is at -%s after Pat's upload", d.Rev)
	}
	ms := e.mails("Confirm submission of I-D draft-kesara-approvers-01")
	if len(ms) != 1 || strings.Join(ms[0].To, ",") != "kesara@fq.nz" {
		t.Fatalf("confirmation mails: %+v, want one to kesara@fq.nz only", ms)
	}
	if err := e.s.Cancel(ctx, sub.ID, e.who("pat@example.org").Actor, ""); err != nil {
		t.Fatal(err) // the submitter may withdraw it
	}
	// Kesara's own -01 naming a new co-author posts at once.
	if sub, err := e.s.Submit(ctx, smallDraft("draft-kesara-approvers", "01", "pat@example.org", "kesara@fq.nz"), e.who("kesara@fq.nz")); err != nil || sub.State != "posted" {
		t.Fatalf("the author's -01: %+v %v", sub, err)
	}
}
