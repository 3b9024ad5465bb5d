package archive_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/archive/thread"
	"hum/internal/db"
	"hum/internal/mbox"
)

// TestImportCorpusLists imports real list archives: every message is
// accounted for, and the counts are internal/mbox's (see its corpus test
// for why pipermail files hold fewer messages than From_ lines).
func TestImportCorpusLists(t *testing.T) {
	for _, tc := range []struct {
		file                   string
		read, imported, thread int
	}{
		{"lists/ietf-mailarchive-24msgs.mbox", 24, 24, 0},
		{"lists/r-devel-2019.mbox", 1555, 1555, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := newService(t)
			res := importFile(t, s, "test", tc.file)
			if res.Read != tc.read || res.Imported != tc.imported {
				t.Errorf("read %d, imported %d; want %d, %d", res.Read, res.Imported, tc.read, tc.imported)
			}
			if n := res.Imported + res.Duplicates + len(res.Rejected); n != res.Read {
				t.Errorf("imported %d + duplicates %d + rejected %d != read %d", res.Imported, res.Duplicates, len(res.Rejected), res.Read)
			}
			// Every message's Message-ID is among its list's refs: the
			// import looks for a message's hashcode only when its
			// Message-ID is there (writer.load).
			refs := map[string]bool{}
			ids, err := db.Query(context.Background(), s.DB, db.Scalar[string], `SELECT ref_id FROM arch_ref WHERE list = $1`, "test")
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				refs[id] = true
			}
			msgs, err := db.Query(context.Background(), s.DB, db.Scalar[string], `SELECT message_id FROM arch_message WHERE list = $1`, "test")
			if err != nil || len(msgs) != res.Imported {
				t.Fatalf("%d message ids, %v; want %d", len(msgs), err, res.Imported)
			}
			for _, id := range msgs {
				if !refs[id] {
					t.Errorf("message %q is not among the list's refs", id)
				}
			}
			// A second import of the same file adds nothing.
			again := importFile(t, s, "test", tc.file)
			if again.Duplicates != res.Imported || again.Imported != 0 {
				t.Errorf("second import: %+v, want %d duplicates", again, res.Imported)
			}
			l, err := s.GetList(context.Background(), "test")
			if err != nil || l.Messages != res.Imported {
				t.Errorf("list counter = %+v, %v; want %d messages", l, err, res.Imported)
			}
		})
	}
}

// TestThreadingFedora files the threading corpus month through the store,
// one message at a time as mail would arrive, and compares the threads
// the store assigned with JWZ over the whole month (thread.Thread, which
// is itself checked against Mailman's tree).
func TestThreadingFedora(t *testing.T) {
	raw := corpusFile(t, "email/threading/fedora-devel-2010-01/2010-January.txt.gz")
	s := newService(t)
	res, err := s.Import(context.Background(), "fedora-devel", bytes.NewReader(raw), nil)
	if err != nil || res.Imported != 292 {
		t.Fatalf("import: %+v, %v; want 292 imported", res, err)
	}
	// JWZ over the month: the set of Message-IDs of each thread.
	r := mbox.NewReader(bytes.NewReader(raw))
	var msgs []thread.Message
	var ids []string
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		m := message.Parse(b)
		msgs = append(msgs, thread.Message{ID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References, Subject: m.Subject, Date: m.Date})
		ids = append(ids, m.MessageID)
	}
	var want [][]string
	for _, root := range thread.Thread(msgs) {
		var set []string
		for _, e := range thread.Flatten([]*thread.Container{root}) {
			if !e.Container.IsPlaceholder() {
				set = append(set, ids[e.Container.Index])
			}
		}
		slices.Sort(set)
		want = append(want, set)
	}
	// The store's threads, the same way.
	var got [][]string
	for page := 0; ; page++ {
		ts, err := s.Threads(context.Background(), "fedora-devel", 100, page*100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		for _, th := range ts {
			var set []string
			for _, e := range th.Entries {
				set = append(set, e.MessageID)
			}
			if len(set) != th.Messages {
				t.Errorf("thread %d lists %d messages, counter says %d", th.ID, len(set), th.Messages)
			}
			slices.Sort(set)
			got = append(got, set)
		}
	}
	key := func(a, b []string) int { return strings.Compare(a[0], b[0]) }
	slices.SortFunc(want, key)
	slices.SortFunc(got, key)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("threads differ from JWZ over the month (-jwz +store):\n%s", diff)
	}
	l, _ := s.GetList(context.Background(), "fedora-devel")
	if l.Threads != len(want) {
		t.Errorf("list counts %d threads, JWZ finds %d", l.Threads, len(want))
	}
	t.Logf("%d threads", len(got))
}

func TestExportRoundTrip(t *testing.T) {
	s := newService(t)
	raw := corpusFile(t, "lists/ietf-mailarchive-24msgs.mbox")
	if _, err := s.Import(context.Background(), "ietf", bytes.NewReader(raw), nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := s.Export(context.Background(), &buf, archive.Query{Lists: []string{"ietf"}})
	if err != nil || n != 24 {
		t.Fatalf("Export = %d, %v; want 24", n, err)
	}
	// Import the export into another list: the same 24 messages, byte for byte.
	res, err := s.Import(context.Background(), "copy", bytes.NewReader(buf.Bytes()), nil)
	if err != nil || res.Imported != 24 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	a, _ := s.ByDate(context.Background(), "ietf", 100, 0)
	b, _ := s.ByDate(context.Background(), "copy", 100, 0)
	if len(a) != 24 || len(b) != 24 {
		t.Fatalf("%d and %d messages", len(a), len(b))
	}
	for i := range a {
		ma, _ := s.Get(context.Background(), "ietf", a[i].ID)
		mb, _ := s.Get(context.Background(), "copy", b[i].ID)
		if !bytes.Equal(ma.Raw, mb.Raw) {
			t.Errorf("message %s changed in the round trip", a[i].MessageID)
		}
	}
}

func TestImportRejectsAndCounts(t *testing.T) {
	s := newService(t)
	box := "From a@example.org Mon Mar  2 10:00:00 2026\n" + post +
		"\nFrom b@example.org Mon Mar  2 10:00:00 2026\n" + post + // a duplicate
		"\nFrom c@example.org Mon Mar  2 10:00:00 2026\n\n\nno header at all, just text\n" +
		"\nFrom d@example.org Mon Mar  2 10:00:00 2026\n" + reply
	res, err := s.Import(context.Background(), "quic", bytes.NewReader([]byte(box)), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("read %d imported %d duplicates %d rejected %d", res.Read, res.Imported, res.Duplicates, len(res.Rejected))
	if want := "read 4 imported 2 duplicates 1 rejected 1"; got != want {
		t.Errorf("%s, want %s (%+v)", got, want, res.Rejected)
	}
}
