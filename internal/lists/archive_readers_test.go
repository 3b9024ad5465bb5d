package lists

import (
	"context"
	"slices"
	"testing"

	"hum/internal/record"
)

// TestMayReadArchives: a private archive is readable by the group's chair,
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
	person := func(addr, name string) int64 {
		p, err := e.people.Add(ctx, record.System, addr, name)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	sec, mod, sub, gone := person("sec@example.org", "Sec"), person("mod@example.org", "Mod"), person("sub@example.org", "Sub"), person("gone@example.org", "Gone")
	if err := e.groups.Grant(ctx, record.System, "secretariat", "secr", sec, "sec@example.org", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.lists.AddModerator(ctx, record.Actor{ID: sec, Name: "Sec"}, "ietf-announce", "mod@example.org"); err != nil {
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
		may, err := e.lists.MayReadArchives(ctx, tc.id, tc.addrs, ls)
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
