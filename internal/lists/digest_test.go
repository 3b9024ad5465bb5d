package lists

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/db"
	"hum/internal/record"
)

// TestDigestTakesEveryPost: a day with more posts than one digest part
// holds goes out in several parts, and no post is left out.
func TestDigestTakesEveryPost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.lists.Subscribe(ctx, record.System, "httpbis", "dora@example.net", ModeDigest); err != nil {
		t.Fatal(err)
	}
	l, _ := e.lists.Get(ctx, "httpbis")
	const posts = 2*digestPosts + 7
	err := e.db.Write(ctx, func(tx *db.Tx) error {
		for i := range posts {
			raw := fmt.Sprintf("From: alice@example.org\r\nSubject: busy %d\r\nMessage-ID: <busy%d@example.org>\r\n\r\nx\r\n", i, i)
			if _, err := tx.ExecContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, state, raw, received)
				VALUES ($1, $2, 'alice@example.org', 'alice@example.org', 'busy', 'accepted', $3, $4)`, l.ID, fmt.Sprintf("<busy%d@example.org>", i), []byte(raw), tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.lists.SendDigests(ctx); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(3)
	seen := map[string]bool{}
	for _, m := range got {
		if m.to != "dora@example.net" {
			t.Errorf("a digest went to %s", m.to)
		}
		for _, ln := range strings.Split(m.data, "\r\n") {
			if s, ok := strings.CutPrefix(ln, "Subject: busy "); ok {
				seen[s] = true
			}
		}
	}
	if len(got) != 3 || len(seen) != posts {
		t.Errorf("%d digest parts with %d distinct posts; want 3 and %d", len(got), len(seen), posts)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE list_id = $1 AND state = 'accepted' AND id > (SELECT digest_upto FROM list WHERE id = $1)`, l.ID); n != 0 {
		t.Errorf("%d posts are still waiting for a digest", n)
	}
}

// TestDigestSkipsPostsNobodyAwaits: a day's posts on a list without digest
// readers are passed over, so someone who switches to digests later gets
// only the posts after the switch.
func TestDigestSkipsPostsNobodyAwaits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l, _ := e.lists.Get(ctx, "httpbis")
	post := func(i int) {
		t.Helper()
		err := e.db.Write(ctx, func(tx *db.Tx) error {
			raw := fmt.Sprintf("From: alice@example.org\r\nSubject: day %d\r\nMessage-ID: <day%d@example.org>\r\n\r\nx\r\n", i, i)
			_, err := tx.ExecContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, state, raw, received)
				VALUES ($1, $2, 'alice@example.org', 'alice@example.org', 'day', 'accepted', $3, $4)`, l.ID, fmt.Sprintf("<day%d@example.org>", i), []byte(raw), tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	post(1)
	post(2)
	if err := e.lists.SendDigests(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE list_id = $1 AND id > (SELECT digest_upto FROM list WHERE id = $1)`, l.ID); n != 0 {
		t.Errorf("%d posts still wait for a digest that nobody reads", n)
	}
	if _, err := e.lists.Subscribe(ctx, record.System, "httpbis", "dora@example.net", ModeDigest); err != nil {
		t.Fatal(err)
	}
	post(3)
	// A day later.
	if _, err := e.db.ExecContext(ctx, `UPDATE list SET digest_last = NULL WHERE id = $1`, l.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.lists.SendDigests(ctx); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)
	if len(got) != 1 || !strings.Contains(got[0].data, "Subject: day 3") || strings.Contains(got[0].data, "Subject: day 1") || strings.Contains(got[0].data, "Subject: day 2") {
		t.Errorf("the first digest should hold day 3 only; got %d messages", len(got))
	}
}

func TestDigestPart(t *testing.T) {
	small, big := []byte("x"), bytes.Repeat([]byte("y"), digestBytes/2+1)
	for _, c := range []struct {
		name string
		raws [][]byte
		want int
	}{
		{"few small", [][]byte{small, small, small}, 3},
		{"many small", bytes.Split(bytes.Repeat([]byte("x,"), digestPosts+10), []byte(",")), digestPosts},
		{"big ones", [][]byte{big, big, small}, 1},
		{"one too big alone", [][]byte{bytes.Repeat([]byte("z"), digestBytes+1), small}, 1},
	} {
		if got := digestPart(c.raws); got != c.want {
			t.Errorf("%s: %d in the part, want %d", c.name, got, c.want)
		}
	}
}
