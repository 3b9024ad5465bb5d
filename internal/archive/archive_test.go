package archive_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/mbox"
	"hum/internal/record"
)

// corpusFile reads a corpus file or skips the test when the corpus is
// absent (fails it in CI).
func corpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	return corpustest.ReadFile(t, rel)
}

func newService(t testing.TB) *archive.Service {
	t.Helper()
	d := dbtest.New(t)
	d.Now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return &archive.Service{DB: d}
}

func add(t testing.TB, s *archive.Service, list string, raw []byte) archive.Stored {
	t.Helper()
	var st archive.Stored
	err := s.DB.Write(context.Background(), func(tx *db.Tx) error {
		var err error
		st, err = s.Add(context.Background(), tx, list, raw)
		return err
	})
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return st
}

func importFile(t testing.TB, s *archive.Service, list, rel string) archive.ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), list, bytes.NewReader(corpusFile(t, rel)), nil)
	if err != nil {
		t.Fatalf("Import(%s): %v", rel, err)
	}
	return res
}

const post = `From: Ada Example <ada@example.org>
To: quic@ietf.org
Subject: Version negotiation
Date: Mon, 2 Mar 2026 10:00:00 +0000
Message-ID: <post1@example.org>

Should version negotiation be authenticated?
`

const reply = `From: Bob <bob@example.net>
To: quic@ietf.org
Subject: Re: Version negotiation
Date: Mon, 2 Mar 2026 11:00:00 +0000
Message-ID: <reply1@example.net>
In-Reply-To: <post1@example.org>
References: <post1@example.org>

> Should version negotiation be authenticated?

Yes, see the compatible version negotiation draft.
`

func TestAddDuplicate(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	st := add(t, s, "quic", []byte(post))
	if want := message.Hashcode("post1@example.org", "quic"); st.ID != want || st.Duplicate || st.MessageID != "post1@example.org" {
		t.Fatalf("first Add = %+v, want ID %s, not a duplicate", st, want)
	}
	v, _ := record.Version(ctx, s.DB)
	// The same post relayed again, with a transit header added.
	again := add(t, s, "quic", []byte("Received: from relay.example by mx.example; Mon, 2 Mar 2026 10:00:05 +0000\n"+post))
	if !again.Duplicate || again.ID != st.ID {
		t.Errorf("second Add = %+v, want a duplicate of %s", again, st.ID)
	}
	if v2, _ := record.Version(ctx, s.DB); v2 != v {
		t.Errorf("a duplicate wrote an event (version %d -> %d)", v, v2)
	}
	// Same Message-ID, other text: a second message with its own id.
	other := add(t, s, "quic", []byte(strings.Replace(post, "authenticated?", "dropped?", 1)))
	if other.Duplicate || other.ID == st.ID {
		t.Errorf("changed text under the same Message-ID = %+v, want a new message", other)
	}
	// The same message on another list is another archive entry.
	if o := add(t, s, "tls", []byte(post)); o.Duplicate {
		t.Errorf("the post on another list was a duplicate")
	}
	// No Message-ID: one is generated, and the same bytes again are a duplicate.
	noID := strings.Replace(post, "Message-ID: <post1@example.org>\n", "", 1)
	a, b := add(t, s, "quic", []byte(noID)), add(t, s, "quic", []byte(noID))
	if a.MessageID == "" || !strings.HasSuffix(a.MessageID, "@hum.invalid") || a.Duplicate || !b.Duplicate || a.ID != b.ID {
		t.Errorf("without Message-ID: first %+v, second %+v", a, b)
	}
	lists, err := s.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, l := range lists {
		counts[l.Name] = l.Messages
	}
	if counts["quic"] != 3 || counts["tls"] != 1 {
		t.Errorf("list counts = %v, want quic 3, tls 1", counts)
	}
}

func TestAddRejects(t *testing.T) {
	s := newService(t)
	for _, list := range []string{"", "Bad List", "x/../y"} {
		err := s.DB.Write(context.Background(), func(tx *db.Tx) error {
			_, err := s.Add(context.Background(), tx, list, []byte(post))
			return err
		})
		if err == nil {
			t.Errorf("Add to list %q succeeded", list)
		}
	}
}

func TestReplyThreads(t *testing.T) {
	s := newService(t)
	// The reply arrives first: the post must still join its thread.
	r := add(t, s, "quic", []byte(reply))
	p := add(t, s, "quic", []byte(post))
	if r.ThreadID != p.ThreadID {
		t.Errorf("reply in thread %d, post in thread %d", r.ThreadID, p.ThreadID)
	}
	// A reply by subject only, without references.
	bare := strings.NewReplacer("Message-ID: <reply1@example.net>", "Message-ID: <bare@example.net>",
		"In-Reply-To: <post1@example.org>\n", "", "References: <post1@example.org>\n", "").Replace(reply)
	if b := add(t, s, "quic", []byte(bare)); b.ThreadID != p.ThreadID {
		t.Errorf("subject-only reply in thread %d, want %d", b.ThreadID, p.ThreadID)
	}
	lists, _ := s.Lists(context.Background())
	if len(lists) != 1 || lists[0].Threads != 1 || lists[0].Messages != 3 {
		t.Errorf("lists = %+v, want quic with 3 messages in 1 thread", lists)
	}
}

// TestAddNUL: PostgreSQL text cannot hold NUL, which old mail does carry.
func TestAddNUL(t *testing.T) {
	s := newService(t)
	raw := strings.Replace(strings.Replace(post, "Version negotiation", "Version\x00 negotiation", 1), "authenticated?", "authenticated?\x00\x00", 1)
	st := add(t, s, "quic", []byte(raw))
	m, err := s.Get(context.Background(), "quic", st.ID)
	if err != nil || !bytes.Equal(m.Raw, []byte(raw)) || strings.Contains(m.Subject, "\x00") {
		t.Fatalf("Get = %+v, %v; want the raw bytes kept and a clean subject", m, err)
	}
}

func TestByAuthor(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	add(t, s, "quic", []byte(post))
	add(t, s, "quic", []byte(strings.Replace(reply, "bob@example.net", "Bob@Example.NET", 1)))
	add(t, s, "tls", []byte(strings.NewReplacer("post1@", "tlspost@", "10:00:00", "12:00:00").Replace(post)))
	got, err := s.ByAuthor(ctx, []string{"ADA@example.org", "nobody@example.org"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.List+":"+m.MessageID)
	}
	if diff := cmp.Diff([]string{"tls:tlspost@example.org", "quic:post1@example.org"}, ids); diff != "" {
		t.Errorf("ByAuthor(ada) newest first (-want +got):\n%s", diff)
	}
	if got, _ := s.ByAuthor(ctx, []string{"bob@example.net"}, 10); len(got) != 1 {
		t.Errorf("ByAuthor(bob) = %d messages, want the reply sent as Bob@Example.NET", len(got))
	}
	if got, _ := s.ByAuthor(ctx, []string{"ada@example.org"}, 1); len(got) != 1 || got[0].List != "tls" {
		t.Errorf("ByAuthor(ada, limit 1) = %+v, want the newest only", got)
	}
}

// TestImportThreadsInBatch: a batch threads in memory; it must end as
// adding the messages one by one would, merges included.
func TestImportThreadsInBatch(t *testing.T) {
	msg := func(id, subject, refs string) string {
		hour := "10"
		if id == "a@x" {
			hour = "09"
		}
		s := "From: a@example.org\nSubject: " + subject + "\nDate: Mon, 2 Mar 2026 " + hour + ":00:00 +0000\nMessage-ID: <" + id + ">\n"
		if refs != "" {
			s += "References: " + refs + "\n"
		}
		return s + "\nText of " + id + ".\n"
	}
	raws := []string{
		msg("r1@x", "Re: Plan", "<a@x>"),       // parent unknown: a thread of its own
		msg("r2@x", "Re: Other plan", "<b@x>"), // another
		msg("m@x", "Re: Plan", "<a@x> <b@x>"),  // names both parents: the threads merge
		msg("a@x", "Plan", ""),                 // the parent, last but dated first: its subject names the thread
		msg("s@x", "Re: Plan", ""),             // subject only, through the base subject the thread took from a@x
		msg("c@x", "Unrelated", ""),            // a second thread
		msg("r1@x", "Re: Plan", "<a@x>"),       // a duplicate inside the batch
	}
	var buf bytes.Buffer
	w := mbox.NewWriter(&buf)
	for _, r := range raws {
		w.WriteMessage("a@example.org", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), []byte(r))
	}
	w.Flush()
	s := newService(t)
	ctx := context.Background()
	res, err := s.Import(ctx, "plan", &buf, nil)
	if err != nil || res.Imported != 6 || res.Duplicates != 1 {
		t.Fatalf("Import = %+v, %v; want 6 imported, 1 duplicate", res, err)
	}
	ts, err := s.Threads(ctx, "plan", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, th := range ts {
		sizes[th.Subject] = len(th.Entries)
		if th.Messages != len(th.Entries) {
			t.Errorf("thread %q counts %d messages, shows %d", th.Subject, th.Messages, len(th.Entries))
		}
	}
	if diff := cmp.Diff(map[string]int{"Plan": 5, "Unrelated": 1}, sizes); diff != "" {
		t.Errorf("threads (-want +got):\n%s", diff)
	}
	if l, _ := s.GetList(ctx, "plan"); l.Threads != 2 || l.Messages != 6 {
		t.Errorf("list counters = %+v, want 6 messages in 2 threads", l)
	}
	// A later message joins through a reference stored by the batch.
	st := add(t, s, "plan", []byte(msg("late@x", "Re: Plan", "<r2@x>")))
	if st.ThreadID != ts[0].ID && st.ThreadID != ts[1].ID || len(ts) != 2 {
		t.Fatalf("late reply in thread %d", st.ThreadID)
	}
	if l, _ := s.GetList(ctx, "plan"); l.Threads != 2 {
		t.Errorf("after a late reply, %d threads, want 2", l.Threads)
	}
}

// TestNeighboursByDate: previous and next by date are the messages just
// before and after in (date, id) order, at the ends too.
func TestNeighboursByDate(t *testing.T) {
	s := newService(t)
	importFile(t, s, "ietf", "lists/ietf-mailarchive-24msgs.mbox")
	ctx := context.Background()
	all, err := s.ByDate(ctx, "ietf", 100, 0)
	if err != nil || len(all) < 3 {
		t.Fatalf("ByDate: %d messages, %v", len(all), err)
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].Date.Equal(all[j].Date) {
			return all[i].Date.Before(all[j].Date)
		}
		return all[i].Key < all[j].Key
	})
	key := func(m *archive.Summary) int64 {
		if m == nil {
			return 0
		}
		return m.Key
	}
	for i := range all {
		a, err := s.Neighbours(ctx, &all[i])
		if err != nil {
			t.Fatal(err)
		}
		var prev, next int64
		if i > 0 {
			prev = all[i-1].Key
		}
		if i+1 < len(all) {
			next = all[i+1].Key
		}
		if key(a.PrevByDate) != prev || key(a.NextByDate) != next {
			t.Errorf("message %d: previous %d, next %d; want %d, %d", i, key(a.PrevByDate), key(a.NextByDate), prev, next)
		}
	}
}

// chain is an mbox of n messages, each replying to the one before.
func chain(n int) string {
	var b strings.Builder
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := start.Add(time.Duration(i) * time.Minute).Format(time.RFC1123Z)
		fmt.Fprintf(&b, "From a@b Thu Jan  1 00:00:00 2025\nFrom: P%d <p%d@example.org>\nSubject: Re: Adoption call\nDate: %s\nMessage-ID: <m%d@example.org>\n", i, i, d, i)
		if i > 0 {
			fmt.Fprintf(&b, "In-Reply-To: <m%d@example.org>\nReferences: <m0@example.org> <m%d@example.org>\n", i-1, i-1)
		}
		fmt.Fprintf(&b, "\nI support adoption (%d).\n\n", i)
	}
	return b.String()
}

// TestNeighboursLongThread: a message page shows a thread of hundreds of
// messages whole, as a tree, and a longer one as the messages around the
// message by date, with counts of those before and after the window.
func TestNeighboursLongThread(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	for _, n := range []int{650, 30} {
		list := "chain" + strconv.Itoa(n)
		if _, err := s.Import(ctx, list, strings.NewReader(chain(n)), nil); err != nil {
			t.Fatal(err)
		}
		all, err := s.ByDate(ctx, list, n, 0)
		if err != nil || len(all) != n {
			t.Fatalf("ByDate: %d messages, %v", len(all), err)
		}
		slices.Reverse(all) // oldest first
		window := 100
		if n <= 500 {
			window = n
		}
		for _, i := range []int{0, 20, n / 2, n - 1} {
			a, err := s.Neighbours(ctx, &all[i])
			if err != nil {
				t.Fatal(err)
			}
			first, last := max(0, i-window), min(n-1, i+window)
			if len(a.Thread) != last-first+1 || a.Thread[0].Key != all[first].Key || a.Thread[len(a.Thread)-1].Key != all[last].Key {
				t.Errorf("%d messages, message %d: thread shows %d messages; want messages %d to %d", n, i, len(a.Thread), first, last)
			}
			if a.Earlier != first || a.Later != n-1-last {
				t.Errorf("%d messages, message %d: %d earlier, %d later left out; want %d, %d", n, i, a.Earlier, a.Later, first, n-1-last)
			}
			if (i > 0) != (a.PrevInThread != nil) || (i > 0 && a.PrevInThread.Key != all[i-1].Key) {
				t.Errorf("%d messages, message %d: previous in thread %v, want message %d", n, i, a.PrevInThread, i-1)
			}
			if (i < n-1) != (a.NextInThread != nil) || (i < n-1 && a.NextInThread.Key != all[i+1].Key) {
				t.Errorf("%d messages, message %d: next in thread %v, want message %d", n, i, a.NextInThread, i+1)
			}
			if a.ThreadSubject != "Re: Adoption call" {
				t.Errorf("thread subject %q", a.ThreadSubject)
			}
			// Whole threads are trees: each reply one level deeper.
			if n <= 500 && a.Thread[n-1].Depth != n-1 {
				t.Errorf("%d messages: the last reply is at depth %d, want %d", n, a.Thread[n-1].Depth, n-1)
			}
		}
	}
}
