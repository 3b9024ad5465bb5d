// Package dbtest gives each test a fresh, migrated database: SQLite in a
// temporary directory, or a PostgreSQL schema of its own when
// HUM_TEST_POSTGRES holds a DSN. The schema is dropped when the test ends.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hum/internal/db"
)

// DSN returns a DSN for a new empty database that lives as long as t.
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

// New opens and migrates a fresh database for t.
func New(t testing.TB) *db.DB {
	t.Helper()
	return open(t, DSN(t))
}

// SQLite opens and migrates a fresh SQLite database for t, whatever
// HUM_TEST_POSTGRES says, for tests of SQLite's own files and settings.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "hum.db"))
}

func open(t testing.TB, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}
