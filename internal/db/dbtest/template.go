package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"hum/internal/db"
)

// Template is a fixture that a package's tests share: Build makes it,
// through the real services, once per test binary and engine, and New
// gives each test a copy of its own, so a test may change its copy
// freely and sees nothing of the others'. A copy is a file copy on
// SQLite and a COPY of each table's rows into an emptied pooled schema
// on PostgreSQL, both far cheaper than building the fixture again.
//
// Build runs in the first test that asks, with that test's t; if it
// fails, that test fails, and so does every later one that asks. It
// must leave nothing running and nothing registered with t.Cleanup
// that the copies need. Its value (ids, say) goes to every test as it
// is: a test that changes a map in it must clone it first.
type Template[T any] struct {
	Name  string
	Build func(t testing.TB, d *db.DB) T

	mu    sync.Mutex
	built map[bool]*built[T] // by engine: PostgreSQL or not
}

type built[T any] struct {
	failed string // the test whose Build failed
	value  T
	im     image     // SQLite
	snap   *snapshot // PostgreSQL
}

// New returns a copy of the template's database, closed when t ends,
// and Build's value.
func (tp *Template[T]) New(t testing.TB) (*db.DB, T) {
	t.Helper()
	pg := os.Getenv("HUM_TEST_POSTGRES")
	b := tp.get(t, pg)
	if b.failed != "" {
		t.Fatalf("dbtest: the template %s failed to build, in %s", tp.Name, b.failed)
	}
	if pg == "" {
		return openImage(t, b.im), b.value
	}
	d := pooled(t, pg)
	if err := b.snap.restore(context.Background(), d); err != nil {
		t.Fatalf("dbtest: copying the template %s: %v", tp.Name, err)
	}
	return d, b.value
}

// DSN is New for a test that opens the database itself (hum serve
// --db): a copy of the template's database, closed, whose DSN lives as
// long as t. Whatever opens it must close it before t ends.
func (tp *Template[T]) DSN(t testing.TB) (string, T) {
	t.Helper()
	pg := os.Getenv("HUM_TEST_POSTGRES")
	b := tp.get(t, pg)
	if b.failed != "" {
		t.Fatalf("dbtest: the template %s failed to build, in %s", tp.Name, b.failed)
	}
	ctx := context.Background()
	if pg == "" {
		dir := t.TempDir()
		if err := b.im.write(dir); err != nil {
			t.Fatal(err)
		}
		return "sqlite:" + filepath.Join(dir, "hum.db"), b.value
	}
	d, s := pooledSchema(t, pg)
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.migrated(ctx); err != nil {
		t.Fatalf("dbtest: %s: %v", s.name, err)
	}
	if err := b.snap.restore(ctx, d); err != nil {
		t.Fatalf("dbtest: copying the template %s: %v", tp.Name, err)
	}
	dsn, err := s.dsn()
	if err != nil {
		t.Fatal(err)
	}
	return dsn, b.value
}

func (tp *Template[T]) get(t testing.TB, pg string) (b *built[T]) {
	t.Helper()
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if b := tp.built[pg != ""]; b != nil {
		return b
	}
	if tp.built == nil {
		tp.built = map[bool]*built[T]{}
	}
	b = &built[T]{failed: t.Name()}
	tp.built[pg != ""] = b
	ctx := context.Background()
	var err error
	if pg == "" {
		var from image
		if from, err = migratedImage(ctx); err == nil {
			b.im, err = buildImage(ctx, from, func(d *db.DB) error {
				b.value = tp.Build(t, d) // a t.Fatal here leaves b failed
				return nil
			})
		}
	} else {
		err = tp.buildPostgres(t, pg, b)
	}
	if err != nil {
		t.Fatalf("dbtest: building the template %s: %v", tp.Name, err)
	}
	b.failed = ""
	return b
}

// buildPostgres builds the template in a pooled schema of its own,
// given back as soon as its snapshot is taken.
func (tp *Template[T]) buildPostgres(t testing.TB, pg string, b *built[T]) (err error) {
	ctx := context.Background()
	p, err := poolFor(ctx, pg)
	if err != nil {
		return err
	}
	s, err := p.take(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := s.release(); err == nil && rerr != nil {
			err = fmt.Errorf("giving back %s: %w", s.name, rerr)
		}
	}()
	if err := s.empty(ctx); err != nil {
		return err
	}
	dsn, err := s.dsn()
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	if err := s.migrated(ctx); err != nil {
		return err
	}
	b.value = tp.Build(t, d)
	b.snap, err = takeSnapshot(ctx, d)
	return err
}
