package archive_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"hum/internal/archive"
	"hum/internal/db"
)

const tlsPost = `From: Carol <carol@example.com>
To: tls@ietf.org
Subject: Encrypted Client Hello deployment
Date: Mon, 1 Dec 2025 09:00:00 +0000
Message-ID: <ech@example.com>

ECH deployment numbers are growing; version negotiation is unrelated.
`

func TestSearchOperators(t *testing.T) {
	// On PostgreSQL, every search reads several partitions of the index.
	defer archive.SetSearchPartition(4)()
	s := newService(t)
	add(t, s, "quic", []byte(post))
	add(t, s, "quic", []byte(reply))
	add(t, s, "tls", []byte(tlsPost))
	// Real mail beside them, so matching is not trivially "everything".
	importFile(t, s, "ietf", "lists/ietf-mailarchive-24msgs.mbox")
	names := map[string]string{"post1@example.org": "post", "reply1@example.net": "reply", "ech@example.com": "ech"}
	for _, tc := range []struct {
		q       string
		want    []string // in rank order when ordered, else any order
		ordered bool
	}{
		{q: "negotiation list:quic,tls", want: []string{"post", "reply", "ech"}},
		{q: `"version negotiation" list:quic,tls`, want: []string{"post", "reply", "ech"}},
		{q: `"negotiation version"`, want: nil},
		{q: "subject:negotiation", want: []string{"post", "reply"}},
		{q: `subject:"client hello"`, want: []string{"ech"}},
		{q: "from:bob", want: []string{"reply"}},
		{q: "from:example.com list:quic,tls", want: []string{"ech"}},
		{q: "from:carol@example.com", want: []string{"ech"}},
		{q: "list:tls negotiation", want: []string{"ech"}},
		{q: "since:2026-01-01 negotiation list:quic,tls", want: []string{"post", "reply"}},
		{q: "until:2025-12-01 negotiation", want: []string{"ech"}},
		{q: "list:quic", want: []string{"reply", "post"}, ordered: true},
		// Quoted text is not indexed: the reply quotes the question.
		{q: "authenticated list:quic,tls", want: []string{"post"}},
		{q: "authenticated list:ietf", want: []string{"ietf:CAHNRNd3GNnbCC7Bh6MKoprHDBaehH8q8SaxFtRNMXG4Z-HPEUA@mail.gmail.com", "ietf:CAK08nYYH8zRSXv1gODmyir0bkjrG0r2ExzqNkEyNfNt4QWX7Jg@mail.gmail.com", "ietf:YT1PR01MB2409BDE47AFAFD17ED44C9EBF9FE2@YT1PR01MB2409.CANPRD01.PROD.OUTLOOK.COM"}},
		// Stemming on both engines.
		{q: "authenticate list:quic,tls", want: []string{"post"}},
		{q: "deployments growing", want: []string{"ech"}},
	} {
		q, err := archive.ParseQuery(tc.q)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tc.q, err)
			continue
		}
		res, err := s.Search(context.Background(), q, 20, 0)
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		var got []string
		for _, h := range res.Hits {
			n := names[h.MessageID]
			if n == "" {
				n = "ietf:" + h.MessageID
			}
			got = append(got, n)
			if len(q.Terms) > 0 && q.Terms[0].Field != "author" && !strings.Contains(h.Snippet, archive.MarkStart) && n != "ech" {
				t.Errorf("Search(%q): snippet of %s marks nothing: %q", tc.q, n, h.Snippet)
			}
		}
		if !tc.ordered {
			got, tc.want = sorted(got), sorted(tc.want)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Search(%q) (-want +got):\n%s", tc.q, diff)
		}
	}
	if s.DB.Dialect == db.Postgres {
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM pg_inherits WHERE inhparent = 'arch_fts'::regclass`).Scan(&n); err != nil || n < 7 {
			t.Errorf("the search index has %d partitions (%v), want one per 4 of the 27 messages and the next", n, err)
		}
	}
	// Ranking: subject matches (post, reply) before the body-only match.
	q, _ := archive.ParseQuery("negotiation list:quic,tls")
	res, _ := s.Search(context.Background(), q, 20, 0)
	if len(res.Hits) != 3 || names[res.Hits[2].MessageID] != "ech" {
		t.Errorf("ranking: ech should come last, got %v", res.Hits)
	}
	// A private archive the reader may not see is left out.
	q, _ = archive.ParseQuery("negotiation")
	q.Hidden = []string{"tls", "ietf"}
	res, _ = s.Search(context.Background(), q, 20, 0)
	if len(res.Hits) != 2 || res.Hits[0].List != "quic" || res.Hits[1].List != "quic" {
		t.Errorf("negotiation with tls hidden: got %v, want the two quic messages", res.Hits)
	}
	// Paging.
	q, _ = archive.ParseQuery("list:ietf")
	p1, _ := s.Search(context.Background(), q, 10, 0)
	p3, _ := s.Search(context.Background(), q, 10, 20)
	if len(p1.Hits) != 10 || !p1.More || len(p3.Hits) != 4 || p3.More {
		t.Errorf("paging list:ietf: page 1 %d hits more=%v, page 3 %d hits more=%v", len(p1.Hits), p1.More, len(p3.Hits), p3.More)
	}
	if _, err := archive.ParseQuery("since:2026-13-01"); err == nil {
		t.Error("since:2026-13-01 parsed")
	}
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// TestSearchPagesThroughEveryMatch: over a real year of r-devel, paging
// a common word's results yields every match once (as many as the mbox
// export of the same search), the newest MaxRanked ranked subject first
// and then by date, and the older ones after them newest first.
func TestSearchPagesThroughEveryMatch(t *testing.T) {
	defer archive.SetSearchPartition(256)() // several partitions on PostgreSQL
	s := newService(t)
	importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	ctx := context.Background()
	q, _ := archive.ParseQuery("package")
	var hits []archive.Hit
	seen := map[int64]bool{}
	for off := 0; ; off += 20 {
		res, err := s.Search(ctx, q, 20, off)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if seen[h.Key] {
				t.Fatalf("page at %d repeats %s", off, h.ID)
			}
			seen[h.Key] = true
		}
		hits = append(hits, res.Hits...)
		if !res.More {
			break
		}
	}
	n, err := s.Export(ctx, io.Discard, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != n || n <= archive.MaxRanked {
		t.Fatalf("paging found %d matches, the export %d; want the same, over %d", len(hits), n, archive.MaxRanked)
	}
	inSubject := func(h archive.Hit) bool {
		for _, w := range strings.FieldsFunc(strings.ToLower(h.Subject), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if strings.HasPrefix(w, "packag") {
				return true
			}
		}
		return false
	}
	ranked, older := hits[:archive.MaxRanked], hits[archive.MaxRanked:]
	subjects := 0
	for i, h := range ranked {
		if inSubject(h) {
			subjects++
		}
		if i == 0 {
			continue
		}
		prev := ranked[i-1]
		switch {
		case inSubject(h) && !inSubject(prev):
			t.Errorf("hit %d (%q) has the word in its subject, after one (%q) that has not", i, h.Subject, prev.Subject)
		case inSubject(h) == inSubject(prev) && h.Date.After(prev.Date):
			t.Errorf("hit %d (%v) is newer than hit %d (%v)", i, h.Date, i-1, prev.Date)
		}
	}
	if subjects == 0 || subjects == len(ranked) {
		t.Errorf("%d of the ranked hits have the word in the subject: the test needs both kinds", subjects)
	}
	oldest := ranked[0].Key
	for _, h := range ranked {
		oldest = min(oldest, h.Key)
	}
	for i, h := range older {
		if h.Key >= oldest || i > 0 && h.Key >= older[i-1].Key {
			t.Errorf("older hit %d (row %d) is not older than the ones before it", i, h.Key)
		}
	}
}

// TestFieldSearchesFindWhatEveryWordFinds: a search whose every term
// names its field reads SQLite's table of the subjects and authors alone
// (arch_fts_head), and finds, page after page and in an export, the same
// messages as the same match in the table of every message's words.
func TestFieldSearchesFindWhatEveryWordFinds(t *testing.T) {
	s := newService(t)
	importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	ctx := context.Background()
	over := false
	for _, text := range []string{"from:r-project.org", "subject:package", "subject:\"r cmd check\"", "subject:windows from:gmail.com", "from:nobody.example"} {
		q, err := archive.ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.Export(ctx, io.Discard, q)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, s, text); got != n {
			t.Errorf("%q: paging found %d matches, the export %d", text, got, n)
		}
		over = over || n > archive.MaxRanked
		if s.DB.Search == nil {
			continue // PostgreSQL: one table, with a tsvector a field
		}
		var every int
		if err := s.DB.QueryRow(`SELECT COUNT(*) FROM arch_fts WHERE arch_fts MATCH $1`, archive.FTS5(q)).Scan(&every); err != nil {
			t.Fatal(err)
		}
		if n != every {
			t.Errorf("%q: %d matches, against %d in the table of every word", text, n, every)
		}
	}
	if !over {
		t.Error("no query has more matches than a search ranks: the test needs one that pages past them")
	}
}

// TestSearchesTakeTurns: while every place for a search is taken, a
// search waits its turn, gives up when its reader does, and runs once a
// place is free.
func TestSearchesTakeTurns(t *testing.T) {
	s := newService(t)
	add(t, s, "quic", []byte(post))
	q, err := archive.ParseQuery("negotiation")
	if err != nil {
		t.Fatal(err)
	}
	release := archive.Occupy(s)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := s.Search(ctx, q, 20, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a search with no place free: %v, want it to wait until its reader gives up", err)
	}
	done := make(chan error, 1)
	go func() {
		res, err := s.Search(context.Background(), q, 20, 0)
		if err == nil && len(res.Hits) != 1 {
			err = fmt.Errorf("%d hits, want 1", len(res.Hits))
		}
		done <- err
	}()
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSearchFindsWhatCameAfterTheNewestItRead: on PostgreSQL a search's
// first window reaches down from the highest message id that a search
// read a moment before (Service.newestID). A message added since is in
// the window all the same, and ranks first as the newest.
func TestSearchFindsWhatCameAfterTheNewestItRead(t *testing.T) {
	defer archive.SetSearchPartition(4)()
	defer archive.SetFirstWindow(4)()
	s := newService(t)
	ctx := context.Background()
	msg := func(id string, day int) []byte {
		return fmt.Appendf(nil, "From: a@example.org\r\nSubject: note %s\r\nDate: Mon, %d Dec 2025 09:00:00 +0000\r\nMessage-ID: <%s@example.org>\r\n\r\nOn lattice reduction.\r\n", id, day, id)
	}
	for i := range 12 {
		add(t, s, "quic", msg(fmt.Sprintf("m%d", i), 1+i))
	}
	q, err := archive.ParseQuery("lattice")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.Search(ctx, q, 20, 0); err != nil || len(res.Hits) != 12 {
		t.Fatalf("before: %d hits (%v), want 12", len(res.Hits), err)
	}
	add(t, s, "quic", msg("late", 20))
	res, err := s.Search(ctx, q, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 13 || res.Hits[0].MessageID != "late@example.org" {
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.MessageID)
		}
		t.Errorf("after a message was added: hits %v, want 13 with late@example.org first", got)
	}
}
