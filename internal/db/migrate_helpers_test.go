package db

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// seed is one statement a migration test runs on the older schema.
type seed struct {
	sql  string
	args []any
}

// migratedOver makes a database as an older hum left it: a fresh one on
// the test's engine (PostgreSQL when HUM_TEST_POSTGRES is set), migrated
// up to but not including version, with seeds written into it; then it
// runs every migration, so the test reads what version and those after
// it made of the old rows. The database closes when the test ends.
func migratedOver(t *testing.T, version int, seeds []seed) *DB {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	if pg := os.Getenv("HUM_TEST_POSTGRES"); pg != "" {
		var drop func()
		var err error
		if dsn, drop, err = OpenSchema(ctx, pg, "hum_test_"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(drop)
	}
	d, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ms, err := d.migrations()
	if err != nil {
		t.Fatal(err)
	}
	var before []migration
	for _, m := range ms {
		if m.version < version {
			before = append(before, m)
		}
	}
	if _, err := d.migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds {
		if _, err := d.ExecContext(ctx, s.sql, s.args...); err != nil {
			t.Fatalf("%s: %v", s.sql, err)
		}
	}
	if _, err := d.migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	return d
}
