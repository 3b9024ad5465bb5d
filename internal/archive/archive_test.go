package archive_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/record"
)

const corpus = "../../../shared/corpus"

// corpusFile reads a corpus file or skips the test when the corpus is absent.
func corpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return b
}

func newService(t testing.TB) *archive.Service {
	t.Helper()
	d := dbtest.New(t)
	d.Now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return &archive.Service{DB: d}
}

func add(t *testing.T, s *archive.Service, list string, raw []byte) archive.Stored {
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
