package consensus_test

import (
	"strings"
	"testing"

	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// TestAskForAdoption: a participant asks quic's chairs to call for
// adoption of an individual draft; the chair and the secretary get one
// mail in the fixed, filterable form, with links to open or decline;
// the request waits, on quic's record.
func TestAskForAdoption(t *testing.T) {
	e := newDEnv(t)
	r, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-quic-multipath", "adoption", "QUIC", "  Three implementations\r\nexist. ")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != "waiting" || r.Group != "quic" || r.Reason != "Three implementations\nexist." || !r.Waiting() {
		t.Errorf("request = %+v", r)
	}
	ms := e.mails()
	if len(ms) != 1 {
		t.Fatalf("%d mails, want 1", len(ms))
	}
	m, raw := ms[0], text(t, ms[0])
	if strings.Join(m.To, ",") != "chair-quic@example.org,secr-quic@example.org" {
		t.Errorf("to %v, want quic's chair and secretary", m.To)
	}
	for _, w := range []string{
		"Subject: [hum] Request: call for adoption of draft-doe-quic-multipath in quic",
		"X-Hum-Request: call-for-adoption", "X-Hum-Group: quic", "X-Hum-Document: draft-doe-quic-multipath",
		"Reply-To: pat@example.org", "Three implementations",
		"http://hum.test/group/quic/calls/new/?doc=draft-doe-quic-multipath&kind=adoption&request=",
		"http://hum.test/group/quic/requests/", "http://hum.test/group/quic/chair/",
	} {
		if !strings.Contains(raw, w) {
			t.Errorf("the mail lacks %q:\n%s", w, raw)
		}
	}
	evs, _ := record.List(e.ctx, e.db, "group", "quic", 1)
	if len(evs) != 1 || evs[0].Kind != "call_requested" || evs[0].Why != r.Reason {
		t.Errorf("event = %+v", evs)
	}
	// A WG last call on quic's own draft, the group taken from the draft.
	r2, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-ietf-quic-qlog", "wglc", "", "Ready.")
	if err != nil || r2.Group != "quic" {
		t.Fatalf("wglc: %+v %v", r2, err)
	}
	raw = text(t, e.mails()[0])
	if !strings.Contains(raw, "Subject: [hum] Request: WG last call on draft-ietf-quic-qlog in quic") || !strings.Contains(raw, "X-Hum-Request: wg-last-call") {
		t.Errorf("wglc mail:\n%s", raw)
	}
	ws, err := e.c.CallRequests(e.ctx, consensus.RequestFilter{Group: "quic", State: "waiting"})
	if err != nil || len(ws) != 2 {
		t.Errorf("waiting = %+v %v", ws, err)
	}
}

// TestAskForCallRefusals: not logged in, no reason, an unknown draft, a
// WGLC on a draft that is not the group's, adoption into a group that is
// not an active WG, and a second waiting request are refused, and
// change nothing.
func TestAskForCallRefusals(t *testing.T) {
	e := newDEnv(t)
	first, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-quic-multipath", "adoption", "quic", "Good work.")
	e.must(err)
	before := e.state()
	pat := e.as("pat@example.org")
	for _, tc := range []struct {
		what                     string
		by                       groups.Actor
		doc, kind, group, reason string
		k                        fail.Kind
		says                     string
	}{
		{"not logged in", groups.Actor{}, "draft-doe-quic-multipath", "adoption", "tls", "Good.", fail.Unauthorized, "Log in"},
		{"no reason", pat, "draft-doe-quic-multipath", "adoption", "tls", " \n", fail.Invalid, "why"},
		{"an unknown draft", pat, "draft-nobody-nothing", "adoption", "quic", "Good.", fail.NotFound, "no draft"},
		{"a WGLC in another group", pat, "draft-ietf-quic-qlog", "wglc", "tls", "Good.", fail.Invalid, "is a draft of quic, not of tls"},
		{"a WGLC on an individual draft", pat, "draft-doe-quic-multipath", "wglc", "quic", "Good.", fail.Invalid, "individual draft"},
		{"adoption of a WG's draft", pat, "draft-ietf-quic-qlog", "adoption", "tls", "Good.", fail.Invalid, "already a draft of quic"},
		{"adoption into a concluded WG", pat, "draft-doe-quic-multipath", "adoption", "oldwg", "Good.", fail.Invalid, "not an active WG"},
		{"adoption into an area", pat, "draft-doe-quic-multipath", "adoption", "wit", "Good.", fail.Invalid, "not an active WG"},
		{"adoption with no WG", pat, "draft-doe-quic-multipath", "adoption", "", "Good.", fail.Invalid, "Choose the WG"},
		{"another kind", pat, "draft-doe-quic-multipath", "vote", "quic", "Good.", fail.Invalid, "not \"vote\""},
		{"a second waiting request", e.as("chair-tls@example.org"), "draft-doe-quic-multipath", "adoption", "quic", "Me too.", fail.Conflict,
			"already waiting for the chairs: http://hum.test" + first.URL()},
	} {
		_, err := e.c.AskForCall(e.ctx, tc.by, tc.doc, tc.kind, tc.group, tc.reason)
		e.refused(tc.what, err, tc.k, before, tc.says)
	}
	// The same draft may wait for adoption in another WG.
	if _, err := e.c.AskForCall(e.ctx, pat, "draft-doe-quic-multipath", "adoption", "tls", "Also a TLS topic."); err != nil {
		t.Error(err)
	}
}

// TestDeclineRequest: a chair declines with a reason, which the
// requester gets by mail; a participant cannot, no reason is refused, and
// a declined request cannot be declined again. A new request may follow.
func TestDeclineRequest(t *testing.T) {
	e := newDEnv(t)
	r, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-quic-multipath", "adoption", "quic", "Good work.")
	e.must(err)
	before := e.state()
	e.refused("a participant declines", e.c.DeclineRequest(e.ctx, e.as("pat@example.org"), "quic", r.ID, "No."), fail.Forbidden, before, "Only the chairs")
	e.refused("another WG's chair declines", e.c.DeclineRequest(e.ctx, e.as("chair-tls@example.org"), "quic", r.ID, "No."), fail.Forbidden, before)
	e.refused("no answer", e.c.DeclineRequest(e.ctx, e.as("chair-quic@example.org"), "quic", r.ID, "  "), fail.Invalid, before, "Say why")
	e.refused("through tls", e.c.DeclineRequest(e.ctx, e.as("chair-tls@example.org"), "tls", r.ID, "No."), fail.NotFound, before)
	if err := e.c.DeclineRequest(e.ctx, e.as("chair-quic@example.org"), "quic", r.ID, "Out of charter until the recharter."); err != nil {
		t.Fatal(err)
	}
	m := e.mails()[0]
	raw := text(t, m)
	if m.To[0] != "pat@example.org" || !strings.Contains(raw, "Subject: [hum] Declined: call for adoption of draft-doe-quic-multipath in quic") ||
		!strings.Contains(raw, "X-Hum-Request: call-for-adoption") || !strings.Contains(raw, "Out of charter until the recharter.") {
		t.Errorf("answer mail to %v:\n%s", m.To, raw)
	}
	got, _ := e.c.CallRequest(e.ctx, "quic", r.ID)
	if got.State != "declined" || got.Answer != "Out of charter until the recharter." || got.AnsweredBy != "Quinn Chair" {
		t.Errorf("declined request = %+v", got)
	}
	evs, _ := record.List(e.ctx, e.db, "group", "quic", 1)
	if evs[0].Kind != "call_request_declined" || evs[0].Why != got.Answer {
		t.Errorf("event = %+v", evs[0])
	}
	before = e.state()
	e.refused("declined twice", e.c.DeclineRequest(e.ctx, e.as("chair-quic@example.org"), "quic", r.ID, "Again."), fail.Conflict, before, "declined already")
	if _, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-quic-multipath", "adoption", "quic", "After the recharter."); err != nil {
		t.Errorf("a new request after the answer: %v", err)
	}
}

// A draft whose adoption call in one WG failed (back at Candidate for WG
// Adoption) is claimed by no WG (R16): another WG may be asked to adopt it.
func TestAskForAdoptionAfterAFailedCallR16(t *testing.T) {
	e := newDEnv(t)
	e.draft("draft-doe-tls-unclaimed", "quic", "wg-cand")
	if _, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-tls-unclaimed", "adoption", "tls", "It is a TLS topic after all."); err != nil {
		t.Errorf("R16: a draft no WG claims (wg-cand) cannot be asked for adoption by another WG: %v", err)
	}
	e.draft("draft-ietf-quic-claimed", "quic", "wg-doc")
	_, err := e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-ietf-quic-claimed", "adoption", "tls", "Mine now.")
	if fail.KindOf(err) != fail.Invalid {
		t.Errorf("R16: adoption by tls of a WG document of quic: %v, want refused", err)
	}
}
