package archive_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hum/internal/archive"
	"hum/internal/db"
)

// count is how many messages q finds, paging through every match.
func count(t *testing.T, s *archive.Service, q string) int {
	t.Helper()
	pq, err := archive.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for off := 0; ; off += 100 {
		res, err := s.Search(context.Background(), pq, 100, off)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		n += len(res.Hits)
		if !res.More {
			return n
		}
	}
}

// TestIndexRebuilt: SQLite's search index is a file of its own, derived
// from arch_message. A lost file is made anew and filled by SyncIndex, and
// an index that is ahead of the archive (the main file was restored from
// a backup) is emptied and filled again, never left with other messages.
func TestIndexRebuilt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hum.db")
	open := func() *archive.Service {
		d, err := db.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return &archive.Service{DB: d}
	}
	s := open()
	res := importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	want := count(t, s, "package")
	if want < 100 || want >= res.Imported {
		t.Fatalf("%q finds %d of %d messages; want a real share of them", "package", want, res.Imported)
	}
	if n, err := s.SyncIndex(ctx); n != 0 || err != nil {
		t.Fatalf("SyncIndex after Import = %d, %v; want 0, nil: Import leaves the index complete", n, err)
	}

	s.DB.Close()
	if err := os.Remove(db.SearchPath(path)); err != nil {
		t.Fatal(err)
	}
	os.Remove(db.SearchPath(path) + "-wal")
	os.Remove(db.SearchPath(path) + "-shm")
	s = open()
	if got := count(t, s, "package"); got != 0 {
		t.Fatalf("a new index finds %d messages before SyncIndex", got)
	}
	if n, err := s.SyncIndex(ctx); n != res.Imported || err != nil {
		t.Fatalf("SyncIndex of a new index = %d, %v; want %d, nil", n, err, res.Imported)
	}
	if got := count(t, s, "package"); got != want {
		t.Fatalf("after the rebuild %q finds %d messages, want %d", "package", got, want)
	}

	// The index claims messages the archive does not have.
	if _, err := s.DB.Search.Exec(`UPDATE arch_fts_indexed SET high = high + 1000`); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SyncIndex(ctx); n != res.Imported || err != nil {
		t.Fatalf("SyncIndex of an index ahead of the archive = %d, %v; want %d, nil", n, err, res.Imported)
	}
	if got := count(t, s, "package"); got != want {
		t.Fatalf("after the second rebuild %q finds %d messages, want %d", "package", got, want)
	}
}

// TestAddIsSearchableAtOnce: a post is in the index when the transaction
// that archived it has committed, so it is searchable by the time the
// sender gets 250.
func TestAddIsSearchableAtOnce(t *testing.T) {
	s := newService(t)
	add(t, s, "quic", []byte(post))
	if got := count(t, s, "authenticated"); got != 1 {
		t.Fatalf("search right after Add finds %d messages, want 1", got)
	}
	if n, err := s.SyncIndex(context.Background()); n != 0 || err != nil {
		t.Fatalf("SyncIndex after Add = %d, %v; want 0, nil", n, err)
	}
}

// TestAddIndexesFewWhenFarBehind: a post's commit indexes the post and a
// few before it, not a whole index that is being built, which is
// SyncIndex's work: the sender would wait for all of it.
func TestAddIndexesFewWhenFarBehind(t *testing.T) {
	s := newService(t)
	if s.DB.Search == nil {
		t.Skip("PostgreSQL indexes in the message's own transaction")
	}
	res := importFile(t, s, "r-devel", "lists/r-devel-2019.mbox")
	for _, q := range []string{`INSERT INTO arch_fts (arch_fts) VALUES ('delete-all')`,
		`INSERT INTO arch_fts_head (arch_fts_head) VALUES ('delete-all')`, `UPDATE arch_fts_indexed SET high = 0`} {
		if _, err := s.DB.Search.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	add(t, s, "quic", []byte(post))
	n, err := s.SyncIndex(context.Background())
	if want := res.Imported + 1 - 64; n != want || err != nil {
		t.Fatalf("SyncIndex after a post = %d, %v; want %d, nil (the post indexed 64)", n, err, want)
	}
	if got := count(t, s, "authenticated list:quic"); got != 1 {
		t.Fatalf("search finds the post %d times, want 1", got)
	}
}
