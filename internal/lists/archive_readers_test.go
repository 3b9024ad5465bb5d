package lists

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// TestMayReadArchives: mayReadArchives says a private archive is readable by the group's chair,
// by an added moderator, by the secretariat and by a subscriber through
// any address, but not by someone who unsubscribed or never subscribed.
func TestMayReadArchives(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var ls []List
	for _, name := range []string{"httpbis", "ietf", "ietf-announce"} {
		l, err := e.lists.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	person := func(addr, name string) int64 { return e.body.Add(addr, name).ID }
	sec, mod, sub, gone := person("sec@example.org", "Sec"), person("mod@example.org", "Mod"), person("sub@example.org", "Sub"), person("gone@example.org", "Gone")
	e.body.Grant("secretariat", "secr", sec, "sec@example.org")
	if err := e.lists.AddModerator(ctx, e.as(record.Actor{ID: sec, Name: "Sec"}), "ietf-announce", "mod@example.org"); err != nil {
		t.Fatal(err)
	}
	e.subscribe("ietf", "Sub.Alt@Example.NET", "gone@example.org")
	if err := e.lists.UnsubscribeAddress(ctx, record.System, "ietf", "gone@example.org"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who   string
		id    int64
		addrs []string
		want  []string
	}{
		{"chair", e.chair.ID, []string{"chair@example.org"}, []string{"httpbis"}},
		{"secretariat", sec, []string{"sec@example.org"}, []string{"httpbis", "ietf", "ietf-announce"}},
		{"moderator", mod, []string{"mod@example.org"}, []string{"ietf-announce"}},
		{"subscriber by a second address", sub, []string{"sub@example.org", "sub.alt@example.net"}, []string{"ietf"}},
		{"unsubscribed", gone, []string{"gone@example.org"}, nil},
		{"anonymous", 0, nil, nil},
	} {
		may, err := e.lists.mayReadArchives(ctx, e.as(record.Actor{ID: tc.id}), tc.addrs, ls)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range ls {
			if may[l.ID] {
				got = append(got, l.Name)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s may read %v, want %v", tc.who, got, tc.want)
		}
	}
}

// TestArchiveHidden: the rule as web asks it, for a person by id. The
// private archives are cfrg (a research group's: a WG's stays public,
// R19), ietf and ietf-announce; i-d-announce stays
// public and is never hidden. A subscriber reads through an address they
// added to their account later; a refusal says why, and asks anonymous
// readers to log in.
func TestArchiveHidden(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hidden := func(id int64) []string {
		t.Helper()
		h, err := e.lists.ArchiveHidden(ctx, e.as(record.Actor{ID: id}))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := hidden(0); h != nil {
		t.Fatalf("with every archive public, ArchiveHidden(0) = %#v, want nil", h)
	}
	person := func(addr, name string) int64 { return e.body.Add(addr, name).ID }
	sec, mod, sub, gone, pat := person("sec@example.org", "Sec"), person("mod@example.org", "Mod"), person("sub@example.org", "Sub"),
		person("gone@example.org", "Gone"), person("pat@example.org", "Pat")
	e.body.Grant("secretariat", "secr", sec, "sec@example.org")
	secr := record.Actor{ID: sec, Name: "Sec"}
	e.body.AddGroups(groups.NewGroup{Acronym: "irtf", Name: "IRTF", Type: "irtf"}, groups.NewGroup{Acronym: "cfrg", Name: "Crypto Forum", Type: "rg", Parent: "irtf"})
	e.body.Grant("cfrg", "chair", e.chair.ID, "chair@example.org")
	for _, name := range []string{"cfrg", "ietf", "ietf-announce"} {
		l, err := e.lists.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.lists.Configure(ctx, e.as(secr), name, Settings{Description: l.Description, PostPolicy: l.PostPolicy, MaxBytes: l.MaxBytes}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.lists.AddModerator(ctx, e.as(secr), "ietf-announce", "mod@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := e.people.StartAddEmail(ctx, sub, "Sub.Alt@Example.NET"); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`/accounts/email/confirm/([A-Za-z0-9_-]+)/`).FindStringSubmatch(string(e.outboxTo("sub.alt@example.net")[0].Raw))
	if link == nil {
		t.Fatal("no confirmation link mailed to sub.alt@example.net")
	}
	if _, err := e.people.FinishAddEmail(ctx, link[1]); err != nil {
		t.Fatal(err)
	}
	e.subscribe("ietf", "Sub.Alt@Example.NET", "gone@example.org")
	if err := e.lists.UnsubscribeAddress(ctx, record.System, "ietf", "gone@example.org"); err != nil {
		t.Fatal(err)
	}
	all := []string{"cfrg", "ietf", "ietf-announce"}
	for _, tc := range []struct {
		who  string
		id   int64
		want []string
	}{
		{"anonymous", 0, all},
		{"chair", e.chair.ID, []string{"ietf", "ietf-announce"}},
		{"secretariat", sec, []string{}},
		{"moderator", mod, []string{"cfrg", "ietf"}},
		{"subscriber by a second address", sub, []string{"cfrg", "ietf-announce"}},
		{"unsubscribed", gone, all},
		{"someone else", pat, all},
	} {
		if got := hidden(tc.id); !slices.Equal(got, tc.want) || got == nil {
			t.Errorf("%s: ArchiveHidden = %#v, want %#v", tc.who, got, tc.want)
		}
		for _, l := range append(all, "i-d-announce") {
			err := e.lists.MayReadArchive(ctx, e.as(record.Actor{ID: tc.id}), l)
			if !slices.Contains(tc.want, l) {
				if err != nil {
					t.Errorf("%s: MayReadArchive(%s) = %v, want nil", tc.who, l, err)
				}
				continue
			}
			wantKind, wantMsg := fail.Forbidden, "The "+l+" archive is private: only the list's subscribers, its moderators and the secretariat may read it."
			if tc.id == 0 {
				wantKind, wantMsg = fail.Unauthorized, wantMsg+" Log in if you are one of them."
			}
			if fe, ok := fail.As(err); !ok || fe.Kind != wantKind || fe.Error() != wantMsg {
				t.Errorf("%s: MayReadArchive(%s) = %#v, want %s %q", tc.who, l, err, wantKind, wantMsg)
			}
		}
	}
}
