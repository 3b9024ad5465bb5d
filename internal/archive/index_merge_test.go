package archive_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/archive"
)

// segments is how many segments SQLite's search index holds: a search
// seeks each of its words in every one.
func segments(t *testing.T, s *archive.Service) int {
	t.Helper()
	var n int
	if err := s.DB.Search.QueryRow(`SELECT COUNT(DISTINCT segid) FROM main.arch_fts_idx`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// addPosts adds n posts to list, each committed, and so indexed, on its
// own: one segment each.
func addPosts(t *testing.T, s *archive.Service, list string, n int) {
	t.Helper()
	for i := range n {
		add(t, s, list, []byte(strings.Replace(strings.Replace(post, "<post1@example.org>", fmt.Sprintf("<merge%d@example.org>", i), 1),
			"authenticated?", fmt.Sprintf("authenticated? (take %d)", i), 1)))
	}
}

// TestImportMergesTheIndex: an import leaves SQLite's search index in one
// segment, whatever it held before: on 1,000,000 messages the 47 segments
// an import left made searches 2 to 3 times slower.
func TestImportMergesTheIndex(t *testing.T) {
	s := newService(t)
	if s.DB.Search == nil {
		t.Skip("PostgreSQL's index is GIN, which has no segments")
	}
	addPosts(t, s, "quic", 6)
	if n := segments(t, s); n < 6 {
		t.Fatalf("six posts left %d segments; the test needs one a post", n)
	}
	res := importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	if n := segments(t, s); n != 1 {
		t.Errorf("after an import of %d messages the index has %d segments, want 1", res.Imported, n)
	}
	if got := count(t, s, "authenticated list:quic"); got != 6 {
		t.Errorf("after the merge a search finds %d of the 6 posts", got)
	}
}

// TestIndexJobMerges: the minutely search index job merges a level of the
// index that holds FTS5's usermerge (4) segments or more, which posts add
// one at a time, and finds the same messages after.
func TestIndexJobMerges(t *testing.T) {
	s := newService(t)
	if s.DB.Search == nil {
		t.Skip("PostgreSQL's index is GIN, which has no segments")
	}
	addPosts(t, s, "quic", 6)
	before := segments(t, s)
	if before < 6 {
		t.Fatalf("six posts left %d segments; the test needs one a post", before)
	}
	jobs := s.Jobs()
	if len(jobs) != 1 || jobs[0].Name != "search index" {
		t.Fatalf("archive jobs = %v, want the search index job", jobs)
	}
	if err := jobs[0].Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := segments(t, s); after >= 4 {
		t.Errorf("the search index job left %d of %d segments, want fewer than 4", after, before)
	}
	if got := count(t, s, "authenticated list:quic"); got != 6 {
		t.Errorf("after the merge a search finds %d of the 6 posts", got)
	}
}
