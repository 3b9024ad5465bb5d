package archive_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"testing"

	"hum/internal/archive"
	"hum/internal/db/dbtest"
)

// segments is how many segments SQLite's search index holds: a search
// seeks each of its words in every one. Of its two FTS5 tables, which are
// written and merged together, it is the one with more.
func segments(t *testing.T, s *archive.Service) int {
	t.Helper()
	var n int
	if err := s.DB.Search.QueryRow(`SELECT MAX((SELECT COUNT(DISTINCT segid) FROM main.arch_fts_idx),
		(SELECT COUNT(DISTINCT segid) FROM main.arch_fts_head_idx))`).Scan(&n); err != nil {
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

// segment is one of SQLite's search index's segments, as FTS5's
// structure record (arch_fts_data's row 10) lists it.
type segment struct{ level, id, pages int }

// structure decodes the search index's structure record: a 4-byte
// cookie, then varints, SQLite's (fts5_index.c): the number of levels,
// of segments and of leaves written, and for each level how many of its
// segments a merge has begun with and how many it holds, each as its id
// and its first and last leaf page. Structure records with tombstones
// (FTS5's version 2, for contentless tables) are not read here.
func structure(t *testing.T, s *archive.Service) []segment {
	t.Helper()
	var b []byte
	if err := s.DB.Search.QueryRow(`SELECT block FROM main.arch_fts_data WHERE id = 10`).Scan(&b); err != nil {
		t.Fatal(err)
	}
	if len(b) < 8 || string(b[4:8]) == "\xff\x00\x00\x01" {
		t.Fatalf("structure record % x: not FTS5's first version", b[:min(8, len(b))])
	}
	at := 4
	next := func() int {
		// SQLite's varint: 7 bits a byte, big-endian, the ninth byte whole.
		v := 0
		for k := 0; k < 9; k++ {
			if at >= len(b) {
				t.Fatalf("structure record ends early: % x", b)
			}
			c := b[at]
			at++
			if k == 8 {
				return v<<8 | int(c)
			}
			v = v<<7 | int(c&0x7f)
			if c < 0x80 {
				break
			}
		}
		return v
	}
	levels, _, _ := next(), next(), next()
	var segs []segment
	for l := range levels {
		next() // segments a merge has begun with
		for range next() {
			id, first, last := next(), next(), next()
			segs = append(segs, segment{l, id, last - first + 1})
		}
	}
	return segs
}

// largest is the segment with the most leaf pages.
func largest(segs []segment) segment {
	return slices.MaxFunc(segs, func(a, b segment) int { return cmp.Compare(a.pages, b.pages) })
}

// TestSmallImportKeepsTheLargeSegment: an import small beside the archive
// merges its own segments, and leaves the archive's large segment as it
// was: FTS5's optimize, which rewrote the whole index at the end of every
// import, was 39% of the CPU of 52,000 messages imported into 1,000,000
// (issue 17 §3), and importing list after list would rewrite the archive
// once a list. Small imports one after another merge like a binary
// counter: the large segment is rewritten once its level is reached, and
// at most one segment is left a level.
func TestSmallImportKeepsTheLargeSegment(t *testing.T) {
	s := newService(t)
	if s.DB.Search == nil {
		t.Skip("PostgreSQL's index is GIN, which has no segments")
	}
	big := importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	segs := structure(t, s)
	if len(segs) != 1 {
		t.Fatalf("an import into an empty archive left segments %v, want 1", segs)
	}
	mbox := corpusFile(t, "lists/ietf-mailarchive-24msgs.mbox")
	if n := strings.Count(string(mbox), "\nFrom "); (n+1)*4 >= big.Imported {
		t.Fatalf("the small import (%d messages) is not small beside %d", n+1, big.Imported)
	}
	const imports = 8
	rewritten := 0
	for i := range imports {
		before := largest(segs)
		list := fmt.Sprintf("small%d", i)
		res, err := s.Import(context.Background(), list, strings.NewReader(string(mbox)), nil)
		if err != nil || res.Imported == 0 {
			t.Fatalf("import %d: %+v, %v", i, res, err)
		}
		segs = structure(t, s)
		if !slices.Contains(segs, before) {
			rewritten++
		}
		levels := map[int]int{}
		for _, g := range segs {
			levels[g.level]++
		}
		for l, n := range levels {
			if n > 1 {
				t.Errorf("after small import %d, level %d holds %d segments: %v", i, l, n, segs)
			}
		}
		if got := count(t, s, "list:"+list); got != res.Imported {
			t.Errorf("list:%s finds %d of its %d messages", list, got, res.Imported)
		}
	}
	// optimize rewrites it at every import; a binary counter of 8, at
	// most once a level the large segment moves up: log2(8) times.
	if rewritten > bits.Len(imports)-1 {
		t.Errorf("%d small imports rewrote the archive's large segment %d times, want at most %d", imports, rewritten, bits.Len(imports)-1)
	}
	if segs := structure(t, s); len(segs) < 2 {
		t.Errorf("after %d small imports the index is in %v: merged whole", imports, segs)
	}
	if got := count(t, s, "list:r-devel"); got != big.Imported {
		t.Errorf("list:r-devel finds %d of its %d messages", got, big.Imported)
	}
	// The merges at usermerge 2 were the imports' own: the minutely job
	// merges at FTS5's default again.
	var usermerge int
	if err := s.DB.Search.QueryRow(`SELECT v FROM main.arch_fts_config WHERE k = 'usermerge'`).Scan(&usermerge); err != nil || usermerge != 4 {
		t.Errorf("after the imports usermerge = %d (%v), want 4", usermerge, err)
	}
}

// TestSettleLetsPostsIn: an import's closing merge of the search index
// goes in steps, each a transaction of its own, and a post that comes in
// between two steps is indexed then, before its 250, rather than waiting
// for the whole merge (18 s at 1,000,000 messages) or giving up after
// busy_timeout.
func TestSettleLetsPostsIn(t *testing.T) {
	ctx := context.Background()
	s := &archive.Service{DB: dbtest.SQLite(t)}
	steps := 0
	archive.SettleInSteps(s, 16, func() {
		steps++
		if steps != 2 {
			return
		}
		add(t, s, "quic", []byte(strings.Replace(post, "Subject: Version negotiation", "Subject: Zanzibar", 1)))
		if n := count(t, s, "zanzibar"); n != 1 {
			t.Errorf("a post committed between two steps of the merge: search finds %d, want 1", n)
		}
	})
	mbox := corpusFile(t, "lists/r-devel-2019.mbox")
	if _, err := s.Import(ctx, "r-devel", bytes.NewReader(mbox), nil); err != nil {
		t.Fatal(err)
	}
	if steps < 2 {
		t.Fatalf("the import's closing merge went in %d steps of 16 pages, want several", steps)
	}
	// The same answers as an index merged in one step.
	whole := &archive.Service{DB: dbtest.SQLite(t)}
	archive.SettleInSteps(whole, 1<<30, nil)
	if _, err := whole.Import(ctx, "r-devel", bytes.NewReader(mbox), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"package", "error", "vignette", `"r cmd check"`, "subject:windows", "from:r-project.org"} {
		if got, want := count(t, s, q), count(t, whole, q); got != want || want == 0 {
			t.Errorf("search %q: %d hits after a merge in steps, %d after one merge", q, got, want)
		}
	}
	if n := count(t, s, "zanzibar"); n != 1 {
		t.Errorf("after the merge the post is found %d times, want 1", n)
	}
}
