package people_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/people"
	"hum/internal/record"
)

func TestUpdateProfile(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")

	if err := e.s.UpdateProfile(e.ctx, p.ID, "  Ada   Lövelace ", "  Mathematician.\n ", true); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.ByID(e.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := people.Person{ID: p.ID, Name: "Ada Lövelace", ASCIIName: "", Biography: "Mathematician.", ShowEmail: true, Created: t0, Email: "ada@example.org", HasLogin: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after UpdateProfile (-want +got):\n%s", diff)
	}
	evs, _ := record.List(e.ctx, e.d, "person", record.SubjectID(p.ID), 1)
	if len(evs) != 1 || evs[0].Kind != "profile_changed" || evs[0].Actor != "Ada Lövelace" || evs[0].ActorID != p.ID {
		t.Errorf("newest event = %+v, want profile_changed by Ada Lövelace", evs)
	}

	for _, tc := range []struct {
		name, bio, field string
	}{
		{"", "", "name"},
		{" \t ", "", "name"},
		{strings.Repeat("x", 101), "", "name"},
		{"Ada", strings.Repeat("x", 5001), "biography"},
	} {
		wantFail(t, e.s.UpdateProfile(e.ctx, p.ID, tc.name, tc.bio, false), fail.Invalid, tc.field)
	}
	if again, _ := e.s.ByID(e.ctx, p.ID); !cmp.Equal(want, again) {
		t.Errorf("refused updates changed the profile: %+v", again)
	}
	if diff := cmp.Diff([]string{"account_created", "profile_changed"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestEmails(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	bob := e.account("bob@example.org", "Bob")

	// An address that has an account cannot be added.
	wantFail(t, e.s.StartAddEmail(e.ctx, p.ID, "BOB@example.org"), fail.Invalid, "email")
	wantFail(t, e.s.StartAddEmail(e.ctx, p.ID, "ada@example.org"), fail.Invalid, "email")

	e.now = t0.Add(time.Hour)
	if err := e.s.StartAddEmail(e.ctx, p.ID, "Ada@Work.Example"); err != nil {
		t.Fatal(err)
	}
	m := e.lastMail("ada@work.example")
	if m.Subject != "Confirm your address" {
		t.Errorf("subject %q", m.Subject)
	}
	secret := e.secret(m, "/accounts/email/confirm/")
	if es, _ := e.s.Emails(e.ctx, p.ID); len(es) != 1 {
		t.Errorf("the address was added before its link was used: %+v", es)
	}
	// A link for an address cannot be used to log in or create an account.
	_, err := e.s.FinishAccount(e.ctx, secret, "Eve", pw)
	wantFail(t, err, fail.NotFound, "")

	e.now = t0.Add(2 * time.Hour)
	addr, err := e.s.FinishAddEmail(e.ctx, secret)
	if err != nil || addr != "ada@work.example" {
		t.Fatalf("FinishAddEmail = %q, %v", addr, err)
	}
	_, err = e.s.FinishAddEmail(e.ctx, secret)
	wantFail(t, err, fail.Conflict, "")

	want := []people.Email{{"ada@example.org", true, t0}, {"ada@work.example", false, t0.Add(2 * time.Hour)}}
	es, err := e.s.Emails(e.ctx, p.ID)
	if diff := cmp.Diff(want, es); err != nil || diff != "" {
		t.Errorf("Emails: %v (-want +got):\n%s", err, diff)
	}
	if got, err := e.s.Login(e.ctx, "ada@work.example", pw); err != nil || got.ID != p.ID {
		t.Errorf("Login with the added address = %+v, %v", got, err)
	}

	// Primary.
	wantFail(t, e.s.SetPrimaryEmail(e.ctx, p.ID, "bob@example.org"), fail.Invalid, "email")
	wantFail(t, e.s.SetPrimaryEmail(e.ctx, p.ID, "nobody@example.org"), fail.Invalid, "email")
	if got, _ := e.s.ByID(e.ctx, p.ID); got.Email != "ada@example.org" {
		t.Errorf("a refused SetPrimaryEmail changed the primary to %q", got.Email)
	}
	if got, _ := e.s.ByID(e.ctx, bob.ID); got.Email != "bob@example.org" {
		t.Errorf("Ada's SetPrimaryEmail changed Bob's primary to %q", got.Email)
	}
	if err := e.s.SetPrimaryEmail(e.ctx, p.ID, "ADA@work.example"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.s.ByID(e.ctx, p.ID); got.Email != "ada@work.example" {
		t.Errorf("primary = %q after SetPrimaryEmail", got.Email)
	}
	es, _ = e.s.Emails(e.ctx, p.ID)
	if diff := cmp.Diff([]people.Email{{"ada@work.example", true, t0.Add(2 * time.Hour)}, {"ada@example.org", false, t0}}, es); diff != "" {
		t.Errorf("Emails after SetPrimaryEmail (-want +got):\n%s", diff)
	}

	// Remove.
	wantFail(t, e.s.RemoveEmail(e.ctx, p.ID, "ada@work.example"), fail.Invalid, "email") // primary
	wantFail(t, e.s.RemoveEmail(e.ctx, p.ID, "bob@example.org"), fail.Invalid, "email")  // not hers
	if err := e.s.RemoveEmail(e.ctx, p.ID, "Ada@Example.org"); err != nil {
		t.Fatal(err)
	}
	wantFail(t, e.s.RemoveEmail(e.ctx, p.ID, "ada@work.example"), fail.Invalid, "email") // the only one
	es, _ = e.s.Emails(e.ctx, p.ID)
	if len(es) != 1 || es[0].Address != "ada@work.example" {
		t.Errorf("Emails after removing = %+v", es)
	}
	if bobs, _ := e.s.Emails(e.ctx, bob.ID); len(bobs) != 1 {
		t.Errorf("Bob's addresses changed: %+v", bobs)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("Login with a removed address: %v", err)
	}

	want2 := []string{"account_created", "email_added", "email_primary", "email_removed"}
	if diff := cmp.Diff(want2, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestAddressTakenWhileLinkWasOut(t *testing.T) {
	e := newEnv(t)
	ada := e.account("ada@example.org", "Ada")
	bob := e.account("bob@example.org", "Bob")
	for _, id := range []int64{ada.ID, bob.ID} {
		if err := e.s.StartAddEmail(e.ctx, id, "shared@example.org"); err != nil {
			t.Fatal(err)
		}
	}
	ms := e.outbox()
	adas, bobs := e.secret(ms[len(ms)-2], "/accounts/email/confirm/"), e.secret(ms[len(ms)-1], "/accounts/email/confirm/")
	if _, err := e.s.FinishAddEmail(e.ctx, bobs); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.FinishAddEmail(e.ctx, adas)
	wantFail(t, err, fail.Invalid, "email")
	if got, _ := e.s.ByEmail(e.ctx, "shared@example.org"); got.ID != bob.ID {
		t.Errorf("shared@example.org belongs to %d, want Bob (%d)", got.ID, bob.ID)
	}
	if diff := cmp.Diff([]string{"account_created"}, e.kinds(ada.ID)); diff != "" {
		t.Errorf("Ada's events (-want +got):\n%s", diff)
	}
}

func TestAPIKeys(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	bob := e.account("bob@example.org", "Bob")

	secret, err := e.s.NewAPIKey(e.ctx, p.ID, "  laptop ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "hum_") || len(secret) < 30 {
		t.Errorf("secret %q: want hum_ and at least 26 random characters", secret)
	}
	if e.count(`SELECT COUNT(*) FROM api_key WHERE hash = $1`, secret) != 0 {
		t.Error("the api_key table holds the secret itself")
	}
	other, err := e.s.NewAPIKey(e.ctx, p.ID, "")
	if err != nil || other == secret {
		t.Fatalf("second key %q, %v", other, err)
	}
	_, err = e.s.NewAPIKey(e.ctx, p.ID, strings.Repeat("x", 101))
	wantFail(t, err, fail.Invalid, "label")

	e.now = t0.Add(time.Hour)
	got, err := e.s.ByAPIKey(e.ctx, secret)
	if err != nil || got.ID != p.ID {
		t.Fatalf("ByAPIKey = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "hum_", secret + "x", strings.TrimPrefix(secret, "hum_")} {
		_, err := e.s.ByAPIKey(e.ctx, bad)
		wantFail(t, err, fail.Unauthorized, "")
	}

	lastUsed := t0.Add(time.Hour)
	keys, err := e.s.APIKeys(e.ctx, p.ID)
	want := []people.APIKey{
		{ID: keys[0].ID, Label: "laptop", Created: t0, LastUsed: &lastUsed},
		{ID: keys[1].ID, Label: "", Created: t0},
	}
	if diff := cmp.Diff(want, keys); err != nil || diff != "" {
		t.Errorf("APIKeys: %v (-want +got):\n%s", err, diff)
	}

	// Only the owner can revoke a key.
	wantFail(t, e.s.RevokeAPIKey(e.ctx, bob.ID, keys[0].ID), fail.NotFound, "")
	if _, err := e.s.ByAPIKey(e.ctx, secret); err != nil {
		t.Errorf("a key revoked by someone else stopped working: %v", err)
	}
	e.now = t0.Add(2 * time.Hour)
	if err := e.s.RevokeAPIKey(e.ctx, p.ID, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.ByAPIKey(e.ctx, secret)
	wantFail(t, err, fail.Unauthorized, "")
	wantFail(t, e.s.RevokeAPIKey(e.ctx, p.ID, keys[0].ID), fail.NotFound, "")
	if got, err := e.s.ByAPIKey(e.ctx, other); err != nil || got.ID != p.ID {
		t.Errorf("revoking one key broke another: %+v, %v", got, err)
	}
	keys, _ = e.s.APIKeys(e.ctx, p.ID)
	if keys[0].Revoked == nil || !keys[0].Revoked.Equal(t0.Add(2*time.Hour)) || keys[1].Revoked != nil {
		t.Errorf("APIKeys after revoking = %+v", keys)
	}

	want2 := []string{"account_created", "apikey_created", "apikey_created", "apikey_revoked"}
	if diff := cmp.Diff(want2, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"account_created"}, e.kinds(bob.ID)); diff != "" {
		t.Errorf("Bob's events (-want +got):\n%s", diff)
	}
}
