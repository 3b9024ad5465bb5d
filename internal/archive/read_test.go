package archive_test

import (
	"context"
	"testing"
)

// TestByAuthorHidden: the person page leaves out the private archives the
// reader may not see.
func TestByAuthorHidden(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	add(t, s, "quic", []byte(post))
	add(t, s, "secret", []byte(post))
	for _, c := range []struct {
		hidden []string
		want   int
	}{
		{nil, 2},
		{[]string{"secret"}, 1},
		{[]string{"secret", "quic"}, 0},
	} {
		got, err := s.ByAuthor(ctx, []string{"ada@example.org"}, 10, c.hidden...)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want {
			t.Errorf("ByAuthor(ada) hiding %q: %d messages, want %d", c.hidden, len(got), c.want)
		}
		for _, m := range got {
			for _, h := range c.hidden {
				if m.List == h {
					t.Errorf("ByAuthor(ada) hiding %q returned a message of %s", c.hidden, h)
				}
			}
		}
	}
}
