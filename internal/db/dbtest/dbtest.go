// Package dbtest gives each test a fresh, migrated database: SQLite in a
// temporary directory, or a PostgreSQL schema of its own when
// HUM_TEST_POSTGRES holds a DSN. Neither is migrated per test: SQLite
// databases are copies of one migrated per test binary, and PostgreSQL
// schemas come from a pool kept on the server (pool.go), emptied for
// each test. A Template is a whole fixture built once per test binary
// and copied the same way.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hum/internal/db"
)

// DSN returns a DSN for a new empty database that lives as long as t.
// Unlike New's, it is not migrated: hum opened on it migrates it.
func DSN(t testing.TB) string {
	t.Helper()
	pg := os.Getenv("HUM_TEST_POSTGRES")
	if pg == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "hum.db")
	}
	return PostgresDSN(t, pg)
}

// PostgresDSN makes a schema of its own on the server behind base and
// returns a DSN whose search_path points at it.
func PostgresDSN(t testing.TB, base string) string {
	t.Helper()
	dsn, drop, err := db.OpenSchema(context.Background(), base, "hum_test_")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return dsn
}

// New opens a fresh migrated database for t, closed when t ends.
func New(t testing.TB) *db.DB {
	t.Helper()
	if pg := os.Getenv("HUM_TEST_POSTGRES"); pg != "" {
		return pooled(t, pg)
	}
	return SQLite(t)
}

// SQLite opens a fresh migrated SQLite database for t, whatever
// HUM_TEST_POSTGRES says, for tests of SQLite's own files and settings.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	im, err := migratedImage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return openImage(t, im)
}

// openImage opens a copy of im in a directory of t's.
func openImage(t testing.TB, im image) *db.DB {
	t.Helper()
	d, err := im.open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return migrate(t, d)
}

// migrate closes d when t ends, and checks that it is migrated: for a
// copy or a pooled schema, Migrate only reads the version.
func migrate(t testing.TB, d *db.DB) *db.DB {
	t.Helper()
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// pooled opens a pooled schema on the server behind base, emptied (or
// made and migrated), given back to the pool when t ends.
func pooled(t testing.TB, base string) *db.DB {
	t.Helper()
	d, s := pooledSchema(t, base)
	migrate(t, d)
	if err := s.migrated(context.Background()); err != nil {
		t.Fatalf("dbtest: %s: %v", s.name, err)
	}
	return d
}

// pooledSchema takes a pooled schema for t, empties it and opens it, not
// yet migrated if it is new. The schema is given back when t ends, after
// the cleanups registered later (closing the database) have run.
func pooledSchema(t testing.TB, base string) (*db.DB, *schema) {
	t.Helper()
	ctx := context.Background()
	p, err := poolFor(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.release(); err != nil {
			t.Errorf("dbtest: giving back %s: %v", s.name, err)
		}
	})
	if err := s.empty(ctx); err != nil {
		t.Fatalf("dbtest: emptying %s: %v", s.name, err)
	}
	dsn, err := s.dsn()
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return d, s
}
