package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
)

// TestCloseCheckpoints: a clean Close leaves hum.db whole, its WAL
// empty or gone, so that a copy of hum.db alone holds every commit
// (issue 17: `hum import` left a 49 MB hum.db-wal). Each pool attaches
// the other file read-only, and a read-only connection that closes last
// cannot checkpoint: Close must. SQLite only: PostgreSQL has no such file.
func TestCloseCheckpoints(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "hum.db")
	d, err := db.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 4000)
	for i := range 200 {
		if _, err := d.Exec(`INSERT INTO note (id, body) VALUES ($1, $2)`, i, body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Exec(`CREATE TABLE queue.q (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO queue.q (id, body) VALUES (1, $1)`, body); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Marks.Exec(`INSERT INTO delivery_sent (delivery_id, sent) VALUES (1, $1)`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Search.Exec(`CREATE TABLE idx (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Search.Exec(`INSERT INTO idx (id, body) VALUES (1, $1)`, body); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, db.SearchPath(path), db.QueuePath(path), db.MarksPath(path)} {
		if st, err := os.Stat(f + "-wal"); err == nil && st.Size() > 0 {
			t.Errorf("after Close %s-wal holds %d bytes, want none", filepath.Base(f), st.Size())
		}
	}
	// The files copied as they are, as a backup would be.
	copyDir := t.TempDir()
	for _, f := range []string{path, db.SearchPath(path), db.QueuePath(path), db.MarksPath(path)} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(copyDir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.Open(ctx, "sqlite:"+filepath.Join(copyDir, "hum.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n, s int
	if err := c.QueryRow(`SELECT COUNT(*) FROM note`).Scan(&n); err != nil || n != 200 {
		t.Errorf("the copy of hum.db holds %d notes (%v), want 200", n, err)
	}
	if err := c.Search.QueryRow(`SELECT COUNT(*) FROM idx`).Scan(&s); err != nil || s != 1 {
		t.Errorf("the copy of hum.search.db holds %d rows (%v), want 1", s, err)
	}
	if err := c.QueryRow(`SELECT COUNT(*) FROM queue.q`).Scan(&s); err != nil || s != 1 {
		t.Errorf("the copy of hum.queue.db holds %d rows (%v), want 1", s, err)
	}
	if err := c.QueryRow(`SELECT COUNT(*) FROM marks.delivery_sent`).Scan(&s); err != nil || s != 1 {
		t.Errorf("the copy of hum.marks.db holds %d marks (%v), want 1", s, err)
	}
}

// TestMarksOpenNoConnectionUntilUsed: the marks' file (MarksPath) is made
// when the database opens, but its pool opens no connection until marks
// are written, not even to checkpoint: a process that delivers no list
// mail (hum import) pays nothing for it, and each SQLite connection
// costs memory (an import of 100,000 messages peaked at 288-294 MB with
// one open, 276-277 MB without; issue 17's bound is 300 MB).
func TestMarksOpenNoConnectionUntilUsed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hum.db")
	d, err := db.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if n := d.Marks.Stats().OpenConnections; n != 0 {
		t.Errorf("the marks' pool holds %d connections before any mark, want none", n)
	}
	var marks int
	if err := d.QueryRow(`SELECT COUNT(*) FROM marks.delivery_sent`).Scan(&marks); err != nil || marks != 0 {
		t.Errorf("the marks' table, read from the main file's connections: %d rows, %v", marks, err)
	}
}
