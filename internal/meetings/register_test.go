package meetings_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

var regLinkRE = regexp.MustCompile(`/meeting/125/register/confirm/([A-Za-z0-9_-]+)/`)

// TestR18AnyoneMayRegisterOnce: anyone registers, logged in or by a
// mailed link; a second registration is refused (naming R18) and changes
// nothing; an update is allowed.
func TestR18AnyoneMayRegisterOnce(t *testing.T) {
	a := attending(newEnv(t))
	pat := a.as("pat@example.org")
	r, err := a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat Participant", Affiliation: "Example Inc", Country: "fr", Type: "remote"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Email != "pat@example.org" || r.Country != "FR" || r.Type != meetings.Remote || r.PersonID != pat.ID {
		t.Errorf("registration = %+v", r)
	}
	before := a.state()
	_, err = a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat Again", Country: "DE", Type: "onsite"})
	if f, ok := fail.As(err); !ok || f.Rule != "R18" || f.Kind != fail.Conflict || !strings.Contains(f.Message, "update") {
		t.Errorf("second registration: %v, want a conflict naming R18 that points to the update", err)
	}
	if a.state() != before {
		t.Error("a refused second registration changed something")
	}
	r, err = a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat Participant", Affiliation: "Example Inc", Country: "FR", Type: "onsite", Update: true})
	if err != nil || r.Type != meetings.Onsite {
		t.Fatalf("update: %+v, %v", r, err)
	}

	// Someone without an account gets a link; the answer tells nothing.
	n := meetings.NewRegistration{Email: "Newcomer@Example.NET", Name: "Nia Newcomer", Country: "KE", Type: "remote"}
	if err := a.m.StartRegistration(a.ctx, "125", n); err != nil {
		t.Fatal(err)
	}
	if a.count("registration") != 1 {
		t.Error("a registration was made before its link was followed")
	}
	link := regLinkRE.FindStringSubmatch(a.lastMail("newcomer@example.net"))
	if link == nil {
		t.Fatalf("no link in %s", a.lastMail("newcomer@example.net"))
	}
	p, err := a.m.CheckRegistrationLink(a.ctx, "125", link[1])
	if err != nil || p.Name != "Nia Newcomer" || p.Replaces {
		t.Fatalf("link stands for %+v, %v", p, err)
	}
	nr, err := a.m.ConfirmRegistration(a.ctx, "125", link[1])
	if err != nil || nr.PersonID != 0 || nr.Email != "newcomer@example.net" {
		t.Fatalf("confirm: %+v, %v", nr, err)
	}
	before = a.state()
	if _, err := a.m.ConfirmRegistration(a.ctx, "125", link[1]); fail.KindOf(err) != fail.Conflict {
		t.Errorf("a used link: %v, want conflict", err)
	}
	if _, err := a.m.ConfirmRegistration(a.ctx, "125", "not-a-secret"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("a made-up link: %v, want not found", err)
	}
	if a.state() != before {
		t.Error("a refused confirmation changed something")
	}

	// A second registration of the address by link: the mail says it is
	// registered, and the link updates it.
	n.Type, n.Affiliation = "onsite", "University of Nairobi"
	if err := a.m.StartRegistration(a.ctx, "125", n); err != nil {
		t.Fatal(err)
	}
	m := a.lastMail("newcomer@example.net")
	if !strings.Contains(m, "already registered") {
		t.Errorf("the second link's mail does not say the address is registered:\n%s", m)
	}
	link = regLinkRE.FindStringSubmatch(m)
	if nr, err = a.m.ConfirmRegistration(a.ctx, "125", link[1]); err != nil || nr.Type != meetings.Onsite || nr.Affiliation != "University of Nairobi" {
		t.Errorf("update by link: %+v, %v", nr, err)
	}
	at, _ := a.m.Attendees(a.ctx, "125", meetings.AttendeeFilter{})
	if at.Total != 2 || at.Onsite != 2 || at.Remote != 0 || len(at.List) != 2 {
		t.Errorf("attendees = %+v", at)
	}
}

func TestRegistrationRefusals(t *testing.T) {
	a := attending(newEnv(t))
	pat := a.as("pat@example.org")
	before := a.state()
	for _, tc := range []struct {
		what   string
		n      meetings.NewRegistration
		fields []string
	}{
		{"all wrong", meetings.NewRegistration{Name: " ", Affiliation: "a\nb", Country: "France", Type: "hybrid"}, []string{"name", "affiliation", "country", "type"}},
		{"long name", meetings.NewRegistration{Name: strings.Repeat("x", 201), Country: "FR", Type: "remote"}, []string{"name"}},
	} {
		_, err := a.m.Register(a.ctx, pat, "125", tc.n)
		f, ok := fail.As(err)
		if !ok || f.Kind != fail.Invalid {
			t.Errorf("%s: %v, want invalid", tc.what, err)
			continue
		}
		var got []string
		if f.Field != "" {
			got = []string{f.Field}
		}
		for _, p := range f.Problems {
			got = append(got, p.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %v, want %v", tc.what, got, tc.fields)
		}
	}
	ok := meetings.NewRegistration{Name: "Pat", Country: "FR", Type: "remote"}
	if _, err := a.m.Register(a.ctx, groups.Actor{}, "125", ok); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("anonymous one-click: %v", err)
	}
	if _, err := a.m.Register(a.ctx, pat, "999", ok); fail.KindOf(err) != fail.NotFound {
		t.Errorf("unknown meeting: %v", err)
	}
	bad := ok
	bad.Email = "not an address"
	if err := a.m.StartRegistration(a.ctx, "125", bad); fail.KindOf(err) != fail.Invalid {
		t.Errorf("bad address: %v", err)
	}
	a.now = a.m125.End().Add(time.Hour)
	if _, err := a.m.Register(a.ctx, pat, "125", ok); fail.KindOf(err) != fail.Conflict {
		t.Errorf("after the meeting: %v, want conflict", err)
	}
	if a.state() != before {
		t.Error("refused registrations changed something")
	}
}

func TestCheckIn(t *testing.T) {
	a := attending(newEnv(t))
	sec, pat := a.as("sec@example.org"), a.as("pat@example.org")
	r, _ := a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat", Country: "FR", Type: "onsite"})
	rq, _ := a.m.Register(a.ctx, a.as("chair-quic@example.org"), "125", meetings.NewRegistration{Name: "Quinn", Country: "US", Type: "remote"})
	before := a.state()
	if err := a.m.CheckIn(a.ctx, pat, "125", r.ID, true, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant checking in: %v", err)
	}
	if err := a.m.CheckIn(a.ctx, sec, "125", rq.ID, true, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("checking in a remote attendee: %v", err)
	}
	if a.state() != before {
		t.Error("refused check-ins changed something")
	}
	if err := a.m.CheckIn(a.ctx, sec, "125", r.ID, true, "at the desk"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.CheckIn(a.ctx, sec, "125", r.ID, true, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("checking in twice: %v", err)
	}
	at, _ := a.m.Attendees(a.ctx, "125", meetings.AttendeeFilter{})
	if at.CheckedIn != 1 {
		t.Errorf("checked in = %d", at.CheckedIn)
	}
}

// TestInterimTakesNoRegistration: registration is for IETF meetings.
func TestInterimTakesNoRegistration(t *testing.T) {
	a := attending(newEnv(t))
	if _, err := a.db.ExecContext(a.ctx, `UPDATE meeting SET type = 'interim' WHERE id = $1`, a.m125.ID); err != nil {
		t.Fatal(err)
	}
	_, err := a.m.Register(a.ctx, a.as("pat@example.org"), "125", meetings.NewRegistration{Name: "Pat", Country: "FR", Type: "remote"})
	if fail.KindOf(err) != fail.Invalid {
		t.Errorf("registering for an interim: %v", err)
	}
}
