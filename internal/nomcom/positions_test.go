package nomcom_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/nomcom"
)

// TestPositionsNominationsConfirmation walks a position from listing to
// seating: anyone nominates, only the nominee answers, the community's
// feedback and the committee's deliberations stay inside the NomCom, the
// chair sends an accepted nominee for confirmation, the confirming body
// confirms (the IAB for an AD, never with the IETF Chair, R43; the ISOC
// Board for the IAB), and the role is granted on the start day, citing
// the confirmation, while the incumbent's ends.
func TestPositionsNominationsConfirmation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, who := range []string{"pat@example.org", "cand@example.org", "other@example.org", "member@example.org", "trustee@example.org"} {
		e.person(who, "")
	}
	e.at("2020-01-06")
	e.nomcomYear(2020)
	e.must(e.gs.Grant(ctx, e.as("nc@example.org"), "nomcom2020", "member", e.id("member@example.org"), "", ""))
	e.must(e.s.RecordMember(ctx, e.as("sec@example.org"), "isocbot", "member", "trustee@example.org", ""))
	chair, pat, cand := e.as("nc@example.org"), e.as("pat@example.org"), e.as("cand@example.org")

	if _, err := e.s.AddPosition(ctx, pat, 2020, "ART Area Director", "art", "ad@example.org", ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant lists a position: %v", err)
	}
	if _, err := e.s.AddPosition(ctx, chair, 2020, "HTTP chair", "httpbis", "", ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a WG's chair as a position: %v", err)
	}
	ad, err := e.s.AddPosition(ctx, chair, 2020, "ART Area Director", "art", "ad@example.org", "")
	e.must(err)
	iab, err := e.s.AddPosition(ctx, chair, 2020, "IAB Member", "iab", "", "")
	e.must(err)
	if ad.Confirmer() != "iab" || iab.Confirmer() != "isocbot" {
		t.Errorf("confirmers: %s, %s", ad.Confirmer(), iab.Confirmer())
	}

	if err := e.s.Nominate(ctx, groups.Actor{}, 2020, ad.ID, "cand@example.org", ""); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("anonymous nominates: %v", err)
	}
	e.must(e.s.Nominate(ctx, pat, 2020, ad.ID, "cand@example.org", ""))
	e.must(e.s.Nominate(ctx, pat, 2020, ad.ID, "other@example.org", ""))
	e.must(e.s.Nominate(ctx, pat, 2020, iab.ID, "cand@example.org", ""))
	if got := e.outbox("cand@example.org"); len(got) != 2 || !strings.Contains(got[0], "ART Area Director") {
		t.Errorf("mail to the nominee: %q", got)
	}
	p, err := e.s.Position(ctx, 2020, ad.ID)
	e.must(err)
	var candNom, otherNom int64
	for _, m := range p.Nominations {
		switch m.Name {
		case "Cand Person":
			candNom = m.ID
		case "Other Person":
			otherNom = m.ID
		}
	}
	if err := e.s.Respond(ctx, pat, 2020, candNom, true); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("the nominator accepts for the nominee: %v", err)
	}
	e.must(e.s.Respond(ctx, cand, 2020, candNom, true))
	e.must(e.s.Respond(ctx, e.as("other@example.org"), 2020, otherNom, false))

	// Feedback from anyone logged in; deliberations from the members.
	secret := "Cand is great at consensus, but slow on reviews."
	e.must(e.s.Comment(ctx, pat, 2020, candNom, nomcom.Feedback, secret))
	if err := e.s.Comment(ctx, pat, 2020, candNom, nomcom.Deliberation, "I vote yes"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant deliberates: %v", err)
	}
	e.must(e.s.Comment(ctx, e.as("member@example.org"), 2020, candNom, nomcom.Deliberation, "Strong candidate."))
	for _, c := range []struct {
		who  groups.Actor
		what string
		kind fail.Kind
	}{
		{groups.Actor{}, "anonymous", fail.Unauthorized},
		{pat, "the feedback's author", fail.Forbidden},
		{cand, "the nominee", fail.Forbidden},
		{e.as("sec@example.org"), "the secretariat", fail.Forbidden},
		{e.as("ad@example.org"), "an AD", fail.Forbidden},
	} {
		if _, err := e.s.Comments(ctx, c.who, 2020); fail.KindOf(err) != c.kind {
			t.Errorf("%s reads the feedback: %v, want %s", c.what, err, c.kind)
		}
	}
	for _, who := range []string{"nc@example.org", "member@example.org"} {
		cs, err := e.s.Comments(ctx, e.as(who), 2020)
		e.must(err)
		if len(cs) != 2 || cs[0].Body != secret && cs[1].Body != secret {
			t.Errorf("%s reads %d comments: %+v", who, len(cs), cs)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM event WHERE summary LIKE '%great at consensus%' OR why LIKE '%great at consensus%'`); n != 0 {
		t.Error("the feedback's text is in the public record")
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE subject LIKE '%feedback%'`); n != 0 {
		t.Error("the feedback was mailed")
	}

	// The choice, then the confirmation.
	if err := e.s.Choose(ctx, chair, 2020, ad.ID, otherNom, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("a nominee who declined is chosen: %v", err)
	}
	if err := e.s.Choose(ctx, e.as("member@example.org"), 2020, ad.ID, candNom, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a member records the choice: %v", err)
	}
	e.must(e.s.Choose(ctx, chair, 2020, ad.ID, candNom, ""))
	if err := e.s.Nominate(ctx, pat, 2020, ad.ID, "pat@example.org", ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("a nomination after the choice: %v", err)
	}
	e.at("2020-02-15")
	if err := e.s.Confirm(ctx, e.as("ic@example.org"), 2020, ad.ID, "2020-03-20", ""); ruleOf(err) != "R43" {
		t.Errorf("the IETF Chair confirms an AD: %v, want R43's refusal", err)
	}
	if err := e.s.Confirm(ctx, e.as("trustee@example.org"), 2020, ad.ID, "2020-03-20", ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("an ISOC trustee confirms an AD: %v", err)
	}
	e.must(e.s.Confirm(ctx, e.as("iab@example.org"), 2020, ad.ID, "2020-03-20", "Confirmed at the IAB's meeting of 2020-02-14"))
	if subj := e.outbox("ietf-announce@hum.test"); len(subj) != 1 || !strings.Contains(subj[0], "confirmed") {
		t.Errorf("announcements: %q", subj)
	}
	holds := func(who, acronym, role string) bool {
		return e.count(`SELECT COUNT(*) FROM role r JOIN grp g ON g.id = r.group_id WHERE g.acronym = $1 AND r.name = $2 AND r.person_id = $3`,
			acronym, role, e.id(who)) == 1
	}
	e.at("2020-03-19")
	if n, err := e.s.Seat(ctx); err != nil || n != 0 || holds("cand@example.org", "art", "ad") {
		t.Errorf("seated before the start day: %d, %v", n, err)
	}
	e.at("2020-03-20")
	if n, err := e.s.Seat(ctx); err != nil || n != 1 {
		t.Errorf("seated on the start day: %d, %v", n, err)
	}
	if !holds("cand@example.org", "art", "ad") || holds("ad@example.org", "art", "ad") {
		t.Error("on the start day, cand is not the AD, or the incumbent still is")
	}
	p, err = e.s.Position(ctx, 2020, ad.ID)
	e.must(err)
	cite := fmt.Sprintf("/event/%d/", p.EventID)
	if p.EventID == 0 || e.count(`SELECT COUNT(*) FROM event WHERE kind = 'role_granted' AND subject = 'art' AND why LIKE $1`, "%"+cite+"%") != 1 {
		t.Errorf("the grant does not cite the confirmation (event %d)", p.EventID)
	}
	if n, _ := e.s.Seat(ctx); n != 0 {
		t.Errorf("seated twice: %d", n)
	}

	// The IAB's seat: the ISOC Board confirms, not the IAB.
	iabNom := e.nominationOf(2020, iab.ID, "Cand Person")
	e.must(e.s.Respond(ctx, cand, 2020, iabNom, true))
	e.must(e.s.Choose(ctx, chair, 2020, iab.ID, iabNom, ""))
	if err := e.s.Confirm(ctx, e.as("iab@example.org"), 2020, iab.ID, "2020-03-21", ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("the IAB confirms its own member: %v", err)
	}
	e.must(e.s.Confirm(ctx, e.as("trustee@example.org"), 2020, iab.ID, "2020-03-21", ""))
	e.at("2020-03-21")
	if err := e.s.Jobs()[0].Run(ctx); err != nil || !holds("cand@example.org", "iab", "member") {
		t.Errorf("the job did not seat the IAB member: %v", err)
	}
}

func (e *env) nominationOf(year int, position int64, name string) int64 {
	e.t.Helper()
	p, err := e.s.Position(context.Background(), year, position)
	e.must(err)
	for _, m := range p.Nominations {
		if m.Name == name {
			return m.ID
		}
	}
	e.t.Fatalf("%s is not nominated for %s", name, p.Name)
	return 0
}

// TestSeatIsAnEvent: seating a confirmed position on its start day is a
// change of the NomCom's state (the position is seated), so it is an
// event on the NomCom's record, by hum, citing the confirmation, even
// when the chosen already holds the role and nothing else is granted.
func TestSeatIsAnEvent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2020-01-06")
	e.nomcomYear(2020)
	chair := e.as("nc@example.org")
	// The incumbent AD is reappointed: no grant, no revocation.
	ad, err := e.s.AddPosition(ctx, chair, 2020, "ART Area Director", "art", "ad@example.org", "")
	e.must(err)
	e.must(e.s.Nominate(ctx, chair, 2020, ad.ID, "ad@example.org", ""))
	nom := e.nominationOf(2020, ad.ID, "Ada Director")
	e.must(e.s.Respond(ctx, e.as("ad@example.org"), 2020, nom, true))
	e.must(e.s.Choose(ctx, chair, 2020, ad.ID, nom, ""))
	e.must(e.s.Confirm(ctx, e.as("iab@example.org"), 2020, ad.ID, "2020-03-20", ""))
	e.at("2020-03-20")
	n, err := e.s.Seat(ctx)
	if err != nil || n != 1 {
		t.Fatalf("seated %d, %v", n, err)
	}
	p, err := e.s.Position(ctx, 2020, ad.ID)
	e.must(err)
	cite := fmt.Sprintf("%%/event/%d/%%", p.EventID)
	if got := e.count(`SELECT COUNT(*) FROM event WHERE subject_type = 'nomcom' AND subject = '2020' AND kind = 'nomcom_seated'
		AND summary LIKE '%Ada Director%' AND why LIKE $1 AND at = $2`, cite, e.now); got != 1 {
		t.Errorf("%d nomcom_seated events citing the confirmation, want 1", got)
	}
}
