package db

import (
	"context"
	"path/filepath"
	"testing"
)

func TestMigrateAppliesALateLowerMigration(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	one := migration{1, "0001_a.sql", "CREATE TABLE a (x INTEGER)"}
	two := migration{2, "0002_b.sql", "CREATE TABLE b (x INTEGER)"}
	three := migration{3, "0003_c.sql", "CREATE TABLE c (x INTEGER)"}
	if n, err := d.migrate(ctx, []migration{one, three}); n != 2 || err != nil {
		t.Fatalf("first: %d, %v", n, err)
	}
	// Migration 2 lands after the database is at 3: it must still run.
	if n, err := d.migrate(ctx, []migration{one, two, three}); n != 1 || err != nil {
		t.Fatalf("second: applied %d, %v; want just 0002", n, err)
	}
	if _, err := d.Exec(`INSERT INTO b (x) VALUES (1)`); err != nil {
		t.Errorf("table b missing: %v", err)
	}
	if n, err := d.migrate(ctx, []migration{one, two}); err == nil {
		t.Errorf("a binary that knows only up to 2 migrated a database at 3 (applied %d)", n)
	}
}
