package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"hum/internal/db"
)

// TestPreparedKeepsTexts: a text run through Prepared is prepared once
// and answers for any arguments, also after its table was dropped and
// made again; past MaxPrepared texts, new ones still answer, unkept; a
// text that does not prepare fails and is not kept; Close closes what
// was kept.
func TestPreparedKeepsTexts(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "hum.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO kv (k, v) VALUES (1, 'one'), (2, 'two')`); err != nil {
		t.Fatal(err)
	}
	get := func(k int) string {
		t.Helper()
		vs, err := db.Query(ctx, d.Prepared(), db.Scalar[string], `SELECT v FROM kv WHERE k = $1`, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 {
			t.Fatalf("k = %d: %q, want one row", k, vs)
		}
		return vs[0]
	}
	if a, b := get(1), get(2); a != "one" || b != "two" {
		t.Fatalf("got %q and %q, want one and two", a, b)
	}
	var v string
	if err := d.Prepared().QueryRowContext(ctx, `SELECT v FROM kv WHERE k = $1`, 2).Scan(&v); err != nil || v != "two" {
		t.Fatalf("QueryRowContext: %q, %v", v, err)
	}
	if n := db.PreparedTexts(d); n != 1 {
		t.Fatalf("%d texts kept, want 1", n)
	}

	// The kept statement follows the schema: SQLite prepares it again.
	if _, err := d.Exec(`DROP TABLE kv`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`CREATE TABLE kv (v TEXT NOT NULL, k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO kv (k, v) VALUES (1, 'uno')`); err != nil {
		t.Fatal(err)
	}
	if got := get(1); got != "uno" {
		t.Fatalf("after the table was made again: %q, want uno", got)
	}

	if _, err := db.Query(ctx, d.Prepared(), db.Scalar[string], `SELECT nothing FROM nowhere`); err == nil {
		t.Fatal("a text that does not prepare answered")
	}
	for i := range db.MaxPrepared + 5 {
		n, err := db.Query(ctx, d.Prepared(), db.Scalar[int], fmt.Sprintf(`SELECT %d + k FROM kv`, i))
		if err != nil || len(n) != 1 || n[0] != i+1 {
			t.Fatalf("text %d: %v, %v", i, n, err)
		}
	}
	if n := db.PreparedTexts(d); n != db.MaxPrepared {
		t.Fatalf("%d texts kept, want the bound, %d", n, db.MaxPrepared)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if n := db.PreparedTexts(d); n != 0 {
		t.Fatalf("%d texts kept after Close", n)
	}
}
