package archive

import (
	"bytes"
	"context"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestSettleLetsPostsIn: an import's closing merge of the search index
// goes in steps, each a transaction of its own, and a post that comes in
// between two steps is indexed then, before its 250, rather than waiting
// for the whole merge (18 s at 1,000,000 messages) or giving up after
// busy_timeout.
func TestSettleLetsPostsIn(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	s := &Service{DB: d, settleStep: 16}
	const post = "From: Ada Example <ada@example.org>\r\nTo: quic@ietf.org\r\nSubject: Zanzibar\r\n" +
		"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <settle@example.org>\r\n\r\nA post about zanzibar.\r\n"
	find := func(s *Service, q string) int {
		t.Helper()
		pq, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for off := 0; ; off += 100 {
			res, err := s.Search(ctx, pq, 100, off)
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			n += len(res.Hits)
			if !res.More {
				return n
			}
		}
	}
	steps := 0
	s.mergeStepped = func() {
		steps++
		if steps != 2 {
			return
		}
		if err := d.Write(ctx, func(tx *db.Tx) error {
			_, err := s.Add(ctx, tx, "quic", []byte(post))
			return err
		}); err != nil {
			t.Fatalf("a post between two steps of the merge: %v", err)
		}
		if n := find(s, "zanzibar"); n != 1 {
			t.Errorf("a post committed between two steps of the merge: search finds %d, want 1", n)
		}
	}
	mbox := corpustest.ReadFile(t, "lists/r-devel-2019.mbox")
	if _, err := s.Import(ctx, "r-devel", bytes.NewReader(mbox), nil); err != nil {
		t.Fatal(err)
	}
	if steps < 2 {
		t.Fatalf("the import's closing merge went in %d steps of 16 pages, want several", steps)
	}
	// The same answers as an index merged in one step.
	whole := &Service{DB: dbtest.SQLite(t), settleStep: 1 << 30}
	if _, err := whole.Import(ctx, "r-devel", bytes.NewReader(mbox), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"package", "error", "vignette", `"r cmd check"`, "subject:windows", "from:r-project.org"} {
		if got, want := find(s, q), find(whole, q); got != want || want == 0 {
			t.Errorf("search %q: %d hits after a merge in steps, %d after one merge", q, got, want)
		}
	}
	if n := find(s, "zanzibar"); n != 1 {
		t.Errorf("after the merge the post is found %d times, want 1", n)
	}
}
