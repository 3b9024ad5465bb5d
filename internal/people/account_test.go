package people_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hum/internal/fail"
	"hum/internal/people"
	"hum/internal/record"
)

func TestCreateAccountThenLogin(t *testing.T) {
	e := newEnv(t)
	if err := e.s.StartAccount(e.ctx, "  Ada@Example.ORG "); err != nil {
		t.Fatal(err)
	}
	m := e.lastMail("ada@example.org")
	if m.Subject != "Confirm your new account" || !strings.Contains(m.Body, "within 3 days") {
		t.Errorf("mail = %+v", m)
	}
	secret := e.secret(m, "/accounts/create/confirm/")
	if e.count(`SELECT COUNT(*) FROM token WHERE hash = $1`, secret) != 0 {
		t.Error("the token table holds the secret itself, not its hash")
	}

	l, err := e.s.CheckLink(e.ctx, people.PurposeCreate, secret)
	if diff := cmp.Diff(people.Link{Purpose: "create", Email: "ada@example.org"}, l); err != nil || diff != "" {
		t.Errorf("CheckLink: err %v, (-want +got):\n%s", err, diff)
	}
	if e.count(`SELECT COUNT(*) FROM person`) != 0 {
		t.Error("a person exists before the link was used")
	}

	e.now = t0.Add(time.Hour)
	p, err := e.s.FinishAccount(e.ctx, secret, "  Ada   Lovelace ", pw)
	if err != nil {
		t.Fatal(err)
	}
	want := people.Person{ID: p.ID, Name: "Ada Lovelace", ASCIIName: "Ada Lovelace", Created: e.now, Email: "ada@example.org", HasLogin: true}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("FinishAccount (-want +got):\n%s", diff)
	}
	stored, err := e.s.ByID(e.ctx, p.ID)
	if diff := cmp.Diff(want, stored); err != nil || diff != "" {
		t.Errorf("ByID: err %v (-want +got):\n%s", err, diff)
	}

	for _, addr := range []string{"ada@example.org", "ADA@example.org", " ada@EXAMPLE.org"} {
		got, err := e.s.Login(e.ctx, addr, pw)
		if err != nil || got.ID != p.ID {
			t.Errorf("Login(%q) = %+v, %v", addr, got, err)
		}
	}

	evs, _ := record.List(e.ctx, e.d, "person", record.SubjectID(p.ID), 10)
	wantEv := []record.Event{{At: e.now, ActorID: p.ID, Actor: "Ada Lovelace", SubjectType: "person", Subject: record.SubjectID(p.ID), Kind: "account_created", Summary: "Account created"}}
	if diff := cmp.Diff(wantEv, evs, cmpopts.IgnoreFields(record.Event{}, "ID")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestStartAccountForKnownAddress(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	tokens := e.count(`SELECT COUNT(*) FROM token`)
	mails := len(e.outbox())

	if err := e.s.StartAccount(e.ctx, "ADA@example.org"); err != nil {
		t.Fatalf("StartAccount for a known address = %v, want the same nil reply as for a new one", err)
	}
	if got := len(e.outbox()); got != mails+1 {
		t.Fatalf("%d new mails, want 1", got-mails)
	}
	m := e.lastMail("ada@example.org")
	if m.Subject != "You already have an account" || !strings.Contains(m.Body, base+"/accounts/reset/") {
		t.Errorf("mail = %+v, want one saying the account exists with the reset page", m)
	}
	if linkRE.MatchString(m.Body) {
		t.Errorf("the mail holds a confirmation link:\n%s", m.Body)
	}
	if got := e.count(`SELECT COUNT(*) FROM token`); got != tokens {
		t.Errorf("%d tokens were made for an address that has an account", got-tokens)
	}
	if got := e.count(`SELECT COUNT(*) FROM person`); got != 1 {
		t.Errorf("%d persons, want 1", got)
	}
	if diff := cmp.Diff([]string{"account_created"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"ada@example.org", "ada@example.org"},
		{"  Ada.Lovelace+ietf@Mail.Example.ORG\t", "ada.lovelace+ietf@mail.example.org"},
		{"o'brien@example.ie", "o'brien@example.ie"},
	} {
		got, err := people.NormalizeEmail(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"",
		"   ",
		"ada",
		"ada@",
		"@example.org",
		"ada@localhost",
		"ada@example",
		"ada@@example.org",
		"ada@example.org.",
		"ada..l@example.org",
		".ada@example.org",
		"ada@example..org",
		"ada @example.org",
		"ada@exa mple.org",
		"Ada <ada@example.org>",
		"<ada@example.org>",
		"ada@example.org (Ada)",
		"ada@example.org, bob@example.org",
		`"ada l"@example.org`,
		"ada@example.org\r\nBcc: eve@example.net",
		strings.Repeat("a", 250) + "@example.org",
	} {
		_, err := people.NormalizeEmail(in)
		wantFail(t, err, fail.Invalid, "email")
	}
}

func TestInvalidAddressesAreRefusedEverywhere(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	mails := len(e.outbox())
	for _, addr := range []string{"", "nope", "ada@example", "Ada <ada@example.org>"} {
		wantFail(t, e.s.StartAccount(e.ctx, addr), fail.Invalid, "email")
		wantFail(t, e.s.StartReset(e.ctx, addr), fail.Invalid, "email")
		wantFail(t, e.s.StartAddEmail(e.ctx, p.ID, addr), fail.Invalid, "email")
		_, err := e.s.Add(e.ctx, record.System, addr, "Bob")
		wantFail(t, err, fail.Invalid, "email")
	}
	if got := len(e.outbox()); got != mails {
		t.Errorf("%d mails were queued for invalid addresses", got-mails)
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"123456789", false},
		{"1234567890", true},
		{"          ", false},
		{" \t \t \t \t ", false},
		{"ünïcödé pässwörd", true},
		{strings.Repeat("x", 1024), true},
		{strings.Repeat("x", 1025), false},
	} {
		err := people.CheckPassword(tc.pw)
		if tc.ok && err != nil {
			t.Errorf("CheckPassword(%q) = %v, want nil", tc.pw, err)
		}
		if !tc.ok {
			wantFail(t, err, fail.Invalid, "password")
		}
	}
}

func TestFinishAccountRefusesBadInputAndKeepsTheLink(t *testing.T) {
	e := newEnv(t)
	if err := e.s.StartAccount(e.ctx, "ada@example.org"); err != nil {
		t.Fatal(err)
	}
	secret := e.secret(e.lastMail("ada@example.org"), "/accounts/create/confirm/")
	for _, tc := range []struct {
		name, pw, field string
	}{
		{"", pw, "name"},
		{"   ", pw, "name"},
		{strings.Repeat("é", 101), pw, "name"},
		{"Ada", "short", "password"},
	} {
		_, err := e.s.FinishAccount(e.ctx, secret, tc.name, tc.pw)
		wantFail(t, err, fail.Invalid, tc.field)
	}
	if e.count(`SELECT COUNT(*) FROM person`) != 0 {
		t.Error("a person was made from bad input")
	}
	if _, err := e.s.FinishAccount(e.ctx, secret, strings.Repeat("é", 100), pw); err != nil {
		t.Errorf("after bad input the link no longer works: %v", err)
	}
}

func TestLinkExpires(t *testing.T) {
	for _, ttl := range []time.Duration{0, 30 * time.Minute} {
		e := newEnv(t)
		e.s.TokenTTL = ttl
		life := ttl
		if life == 0 {
			life = 72 * time.Hour
		}
		if err := e.s.StartAccount(e.ctx, "ada@example.org"); err != nil {
			t.Fatal(err)
		}
		secret := e.secret(e.lastMail("ada@example.org"), "/accounts/create/confirm/")

		e.now = t0.Add(life - time.Second)
		if _, err := e.s.CheckLink(e.ctx, people.PurposeCreate, secret); err != nil {
			t.Errorf("ttl %v: a second before expiry: %v", life, err)
		}
		e.now = t0.Add(life)
		_, err := e.s.CheckLink(e.ctx, people.PurposeCreate, secret)
		if fe := wantFail(t, err, fail.Conflict, ""); !strings.Contains(fe.Message, "expired") {
			t.Errorf("ttl %v: CheckLink at expiry: %v", life, err)
		}
		_, err = e.s.FinishAccount(e.ctx, secret, "Ada", pw)
		if fe := wantFail(t, err, fail.Conflict, ""); !strings.Contains(fe.Message, "expired") {
			t.Errorf("ttl %v: FinishAccount at expiry: %v", life, err)
		}
		if e.count(`SELECT COUNT(*) FROM person`) != 0 {
			t.Errorf("ttl %v: an expired link made an account", life)
		}
	}
}

func TestLinkWorksOnce(t *testing.T) {
	e := newEnv(t)
	if err := e.s.StartAccount(e.ctx, "ada@example.org"); err != nil {
		t.Fatal(err)
	}
	secret := e.secret(e.lastMail("ada@example.org"), "/accounts/create/confirm/")
	if _, err := e.s.FinishAccount(e.ctx, secret, "Ada", pw); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.FinishAccount(e.ctx, secret, "Ada Again", pw)
	if fe := wantFail(t, err, fail.Conflict, ""); !strings.Contains(fe.Message, "already been used") {
		t.Errorf("reused link: %v", err)
	}
	_, err = e.s.CheckLink(e.ctx, people.PurposeCreate, secret)
	wantFail(t, err, fail.Conflict, "")
	if n := e.count(`SELECT COUNT(*) FROM person`); n != 1 {
		t.Errorf("%d persons after reusing a link, want 1", n)
	}
}

func TestLinkUsedConcurrentlyMakesOneAccount(t *testing.T) {
	e := newEnv(t)
	if err := e.s.StartAccount(e.ctx, "ada@example.org"); err != nil {
		t.Fatal(err)
	}
	secret := e.secret(e.lastMail("ada@example.org"), "/accounts/create/confirm/")
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = e.s.FinishAccount(e.ctx, secret, "Ada", pw) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if fail.KindOf(err) != fail.Conflict {
			t.Errorf("a losing FinishAccount failed with %v, want a conflict", err)
		}
	}
	if ok != 1 || e.count(`SELECT COUNT(*) FROM person`) != 1 {
		t.Errorf("%d of %d concurrent uses succeeded and %d persons exist; want 1 and 1", ok, n, e.count(`SELECT COUNT(*) FROM person`))
	}
}

func TestTwoCreateLinksForOneAddress(t *testing.T) {
	e := newEnv(t)
	for range 2 {
		if err := e.s.StartAccount(e.ctx, "ada@example.org"); err != nil {
			t.Fatal(err)
		}
	}
	ms := e.outbox()
	first, second := e.secret(ms[0], "/accounts/create/confirm/"), e.secret(ms[1], "/accounts/create/confirm/")
	if first == second {
		t.Fatal("two links share a secret")
	}
	if _, err := e.s.FinishAccount(e.ctx, second, "Ada", pw); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.FinishAccount(e.ctx, first, "Ada", pw)
	wantFail(t, err, fail.Invalid, "email")
	if n := e.count(`SELECT COUNT(*) FROM person`); n != 1 {
		t.Errorf("%d persons, want 1", n)
	}
}

func TestLinkOfAnotherPurposeOrMadeUp(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	if err := e.s.StartReset(e.ctx, "ada@example.org"); err != nil {
		t.Fatal(err)
	}
	reset := e.secret(e.lastMail("ada@example.org"), "/accounts/reset/confirm/")

	_, err := e.s.FinishAccount(e.ctx, reset, "Eve", pw)
	wantFail(t, err, fail.NotFound, "")
	_, err = e.s.FinishAddEmail(e.ctx, reset)
	wantFail(t, err, fail.NotFound, "")
	for _, s := range []string{"", "x", reset + "x", reset[:len(reset)-1]} {
		_, err := e.s.FinishReset(e.ctx, s, "another good password")
		wantFail(t, err, fail.NotFound, "")
	}
	// The reset link still works for what it was made for.
	if _, err := e.s.FinishReset(e.ctx, reset, "another good password"); err != nil {
		t.Errorf("the reset link was spent by wrong uses: %v", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM person`); n != 1 {
		t.Errorf("%d persons, want 1", n)
	}
	if diff := cmp.Diff([]string{"account_created", "password_reset"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	e := newEnv(t)
	e.account("ada@example.org", "Ada")
	if _, err := e.s.Add(e.ctx, record.System, "bob@example.org", "Bob"); err != nil { // no password yet
		t.Fatal(err)
	}
	var errs []*fail.Error
	for _, tc := range []struct{ addr, pw string }{
		{"ada@example.org", "wrong password!"},
		{"ada@example.org", ""},
		{"nobody@example.org", pw},
		{"bob@example.org", ""},
		{"bob@example.org", pw},
	} {
		p, err := e.s.Login(e.ctx, tc.addr, tc.pw)
		if p.ID != 0 {
			t.Errorf("Login(%q, %q) returned person %d", tc.addr, tc.pw, p.ID)
		}
		errs = append(errs, wantFail(t, err, fail.Unauthorized, ""))
	}
	for i, err := range errs[1:] {
		if diff := cmp.Diff(errs[0], err); diff != "" {
			t.Errorf("failure %d differs from a wrong password (-wrong password +this):\n%s", i+1, diff)
		}
	}
	if errs[0].Message == "" {
		t.Error("the login failure has no message")
	}
}

func TestDefaultArgon2HashesVerify(t *testing.T) {
	e := newEnv(t)
	e.s.Argon2 = people.Argon2{}
	p := e.account("ada@example.org", "Ada")
	var hash string
	if err := e.d.QueryRow(`SELECT password_hash FROM person WHERE id = $1`, p.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	d := people.DefaultArgon2
	prefix := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", d.Memory, d.Time, d.Threads)
	if !strings.HasPrefix(hash, prefix) {
		t.Errorf("hash %q does not start with %q", hash, prefix)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw); err != nil {
		t.Errorf("Login with a DefaultArgon2 hash: %v", err)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw+"x"); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("Login with a wrong password: %v", err)
	}
	// A hash made with cheaper costs still verifies: costs live in the hash.
	e.s.Argon2 = cheap
	if err := e.s.ChangePassword(e.ctx, p.ID, pw, "a cheaper password"); err != nil {
		t.Fatal(err)
	}
	e.s.Argon2 = people.Argon2{}
	if _, err := e.s.Login(e.ctx, "ada@example.org", "a cheaper password"); err != nil {
		t.Errorf("Login with a hash of other costs: %v", err)
	}
}

func TestReset(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")
	mails := len(e.outbox())

	// Unknown addresses get the same reply and no mail.
	if err := e.s.StartReset(e.ctx, "nobody@example.org"); err != nil {
		t.Errorf("StartReset(unknown) = %v, want nil", err)
	}
	if got := len(e.outbox()); got != mails {
		t.Errorf("StartReset(unknown) queued %d mails", got-mails)
	}

	if err := e.s.StartReset(e.ctx, "ADA@example.org"); err != nil {
		t.Fatal(err)
	}
	m := e.lastMail("ada@example.org")
	if m.Subject != "Reset your password" {
		t.Errorf("subject %q", m.Subject)
	}
	secret := e.secret(m, "/accounts/reset/confirm/")
	l, err := e.s.CheckLink(e.ctx, people.PurposeReset, secret)
	if diff := cmp.Diff(people.Link{Purpose: "reset", Email: "ada@example.org", PersonID: p.ID}, l); err != nil || diff != "" {
		t.Errorf("CheckLink: %v (-want +got):\n%s", err, diff)
	}

	_, err = e.s.FinishReset(e.ctx, secret, "short")
	wantFail(t, err, fail.Invalid, "password")

	got, err := e.s.FinishReset(e.ctx, secret, "a brand new password")
	if err != nil || got.ID != p.ID {
		t.Fatalf("FinishReset = %+v, %v", got, err)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", "a brand new password"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	_, err = e.s.FinishReset(e.ctx, secret, "yet another password")
	wantFail(t, err, fail.Conflict, "")
	if diff := cmp.Diff([]string{"account_created", "password_reset"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestResetGivesAPasswordToAnAddedPerson(t *testing.T) {
	e := newEnv(t)
	p, err := e.s.Add(e.ctx, record.Actor{}, "bob@example.org", "Bob")
	if err != nil {
		t.Fatal(err)
	}
	if p.HasLogin {
		t.Error("an added person has a login")
	}
	if err := e.s.StartReset(e.ctx, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	secret := e.secret(e.lastMail("bob@example.org"), "/accounts/reset/confirm/")
	got, err := e.s.FinishReset(e.ctx, secret, pw)
	if err != nil || !got.HasLogin {
		t.Fatalf("FinishReset = %+v, %v", got, err)
	}
	if _, err := e.s.Login(e.ctx, "bob@example.org", pw); err != nil {
		t.Error(err)
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	p := e.account("ada@example.org", "Ada")

	err := e.s.ChangePassword(e.ctx, p.ID, "not my password", "a brand new password")
	wantFail(t, err, fail.Invalid, "current")
	err = e.s.ChangePassword(e.ctx, p.ID, pw, "short")
	wantFail(t, err, fail.Invalid, "password")
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw); err != nil {
		t.Errorf("a refused change altered the password: %v", err)
	}
	if diff := cmp.Diff([]string{"account_created"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("refused changes made events (-want +got):\n%s", diff)
	}

	if err := e.s.ChangePassword(e.ctx, p.ID, pw, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", "a brand new password"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if _, err := e.s.Login(e.ctx, "ada@example.org", pw); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("the old password still works: %v", err)
	}
	if diff := cmp.Diff([]string{"account_created", "password_changed"}, e.kinds(p.ID)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestAdd(t *testing.T) {
	e := newEnv(t)
	admin := e.account("admin@example.org", "Admin")
	p, err := e.s.Add(e.ctx, record.Actor{ID: admin.ID, Name: admin.Name}, " Bob@Example.org", " Bob  Hinden ")
	if err != nil {
		t.Fatal(err)
	}
	want := people.Person{ID: p.ID, Name: "Bob Hinden", ASCIIName: "Bob Hinden", Created: t0, Email: "bob@example.org"}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Add (-want +got):\n%s", diff)
	}
	byMail, err := e.s.ByEmail(e.ctx, "BOB@example.org")
	if diff := cmp.Diff(want, byMail); err != nil || diff != "" {
		t.Errorf("ByEmail: %v (-want +got):\n%s", err, diff)
	}
	evs, _ := record.List(e.ctx, e.d, "person", record.SubjectID(p.ID), 10)
	if len(evs) != 1 || evs[0].Kind != "person_added" || evs[0].ActorID != admin.ID || evs[0].Summary != "Person added: Bob Hinden" {
		t.Errorf("events = %+v", evs)
	}

	_, err = e.s.Add(e.ctx, record.System, "bob@example.org", "Another Bob")
	wantFail(t, err, fail.Invalid, "email")
	_, err = e.s.Add(e.ctx, record.System, "carol@example.org", "  ")
	wantFail(t, err, fail.Invalid, "name")
	if n := e.count(`SELECT COUNT(*) FROM person`); n != 2 {
		t.Errorf("%d persons, want 2", n)
	}
	_, err = e.s.ByEmail(e.ctx, "carol@example.org")
	wantFail(t, err, fail.NotFound, "")
	_, err = e.s.ByID(e.ctx, 999)
	wantFail(t, err, fail.NotFound, "")
}
