package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// columns lists table.column pairs of the migrated schema (views too), so the two
// dialects can be compared. Full-text search tables (*_fts*) are where the
// engines really differ (FTS5 and its shadow tables, tsvector), so they
// are left out.
func columns(t *testing.T, d *db.DB) []string {
	t.Helper()
	// On SQLite the delivery queue and the marks of copies sent are in
	// files of their own, attached as queue and marks (db.QueuePath,
	// db.MarksPath): their tables are part of the schema.
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name, 'main') p WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%\_fts%' ESCAPE '\'
		UNION ALL SELECT m.name || '.' || p.name FROM queue.sqlite_master m, pragma_table_info(m.name, 'queue') p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
		UNION ALL SELECT m.name || '.' || p.name FROM marks.sqlite_master m, pragma_table_info(m.name, 'marks') p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE '%\_fts%' ESCAPE '\'`
	}
	cols, err := db.Query(context.Background(), d, db.Scalar[string], q)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		cols[i] = strings.ToLower(c)
	}
	sort.Strings(cols)
	return cols
}

func TestDialectsReachSameSchema(t *testing.T) {
	pg := os.Getenv("HUM_TEST_POSTGRES")
	if pg == "" {
		t.Skip("HUM_TEST_POSTGRES not set: the PostgreSQL half of this comparison needs a server")
	}
	ctx := context.Background()
	lite, err := db.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pgdb, err := db.Open(ctx, dbtest.PostgresDSN(t, pg))
	if err != nil {
		t.Fatal(err)
	}
	defer pgdb.Close()
	for _, d := range []*db.DB{lite, pgdb} {
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("%s: %v", d.Dialect, err)
		}
	}
	a, b := columns(t, lite), columns(t, pgdb)
	if len(a) < 20 {
		t.Fatalf("sqlite schema has only %d columns: %v", len(a), a)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("sqlite and postgres schemas differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	d := dbtest.New(t)
	n, err := d.Migrate(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d, err %v; want 0, nil", n, err)
	}
	v, _ := d.Version(context.Background())
	latest, _ := d.Latest()
	if v != latest || v == 0 {
		t.Fatalf("version %d, latest %d", v, latest)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	if _, err := d.Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (9999, 'future', $1)`, d.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := d.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "newer than this hum binary") {
		t.Fatalf("Migrate on a newer schema: err = %v", err)
	}
}

func TestOpenRefusesBadDSN(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"mysql://x", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"} {
		if _, err := db.Open(ctx, dsn); err == nil {
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

// TestOpenPlainPath: --db /srv/hum.db is a SQLite file, as users type it.
func TestOpenPlainPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hum.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer d.Close()
	if d.Dialect != db.SQLite {
		t.Errorf("Open(%q): dialect %s, want sqlite", path, d.Dialect)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("no database file at the path given: %v", err)
	}
}

// TestOpenPathWithURICharacters: a file name with #, ? or % in it is the
// file named, not cut at the # or ? (the DSN is a file: URI).
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a#b?c%20d")
	path := filepath.Join(dir, "hum.db")
	d, err := db.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer d.Close()
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, db.SearchPath(path)} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("no database file at the path given: %v", err)
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("files beside the directory given: %v", ents)
	}
}

func TestUniqueViolation(t *testing.T) {
	d := dbtest.New(t)
	ins := `INSERT INTO person (name, created) VALUES ('a', $1) RETURNING id`
	var id int64
	if err := d.QueryRow(ins, d.Now()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	add := `INSERT INTO email (address, person_id, created) VALUES ('a@example.org', $1, $2)`
	if _, err := d.Exec(add, id, d.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := d.Exec(add, id, d.Now())
	if !db.IsUniqueViolation(err) {
		t.Fatalf("duplicate insert: %v is not a unique violation", err)
	}
}

// TestSQLiteSettings: every connection to a new SQLite database is in WAL
// mode with synchronous=FULL (an accepted message survives a power cut)
// and foreign keys on, and the database has 16 KiB pages. The driver runs
// its _pragma list in its own order, so a page size set after WAL mode
// would be silently ignored. The search index file is the same but for
// synchronous=NORMAL: what a power cut loses there is indexed again from
// the main file. The delivery queue, attached to the main connections,
// is in WAL mode with synchronous=FULL and 4 KiB pages (issue 17 §2).
func TestSQLiteSettings(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	// Several connections at once, so that more than one is asked.
	var conns []*sql.Conn
	for _, pool := range []*sql.DB{d.DB, d.DB, d.DB, d.Search} {
		c, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var page, sync, fk int
		var mode string
		for _, p := range []struct {
			pragma string
			dst    any
		}{{"page_size", &page}, {"synchronous", &sync}, {"foreign_keys", &fk}, {"journal_mode", &mode}} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dst); err != nil {
				t.Fatal(err)
			}
		}
		wantSync := 2 // FULL
		if i == len(conns)-1 {
			wantSync = 1 // NORMAL, the search file
		}
		if page != 16384 || sync != wantSync || fk != 1 || mode != "wal" {
			t.Errorf("connection %d: page_size %d, synchronous %d, foreign_keys %d, journal_mode %s; want 16384, %d, 1, wal", i, page, sync, fk, mode, wantSync)
		}
		if i == len(conns)-1 {
			// The index writer's page cache is part of an import's peak
			// RSS, which issue 17 §3 bounds at 300 MB: 8 MB, not 32.
			var cache int
			if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
				t.Fatal(err)
			}
			if cache != -8192 {
				t.Errorf("the search file's connection: cache_size %d, want -8192 (8 MB)", cache)
			}
			continue // the search file's connection has no queue
		}
		for _, p := range []struct {
			pragma string
			dst    any
		}{{"page_size", &page}, {"synchronous", &sync}, {"journal_mode", &mode}} {
			if err := c.QueryRowContext(ctx, "PRAGMA queue."+p.pragma).Scan(p.dst); err != nil {
				t.Fatal(err)
			}
		}
		if page != 4096 || sync != 2 || mode != "wal" {
			t.Errorf("connection %d, the queue: page_size %d, synchronous %d, journal_mode %s; want 4096, 2, wal", i, page, sync, mode)
		}
	}
}

// TestSearchFileWritesBesideMain: the search index file and the main file
// each have a writer of their own, and neither waits for the other: each
// side attaches the other read-only, since BEGIN IMMEDIATE would
// otherwise take the write lock of both files. Readers of the main file
// see the index, and cannot write it.
func TestSearchFileWritesBesideMain(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	// A write transaction open on each side; the other side's writer,
	// given far less than busy_timeout, must not wait for it.
	for _, side := range []struct {
		name          string
		holder, other *sql.DB
		write         string
	}{
		{"main", d.DB, d.Search, `UPDATE arch_fts_indexed SET high = high`},
		{"search", d.Search, d.DB, `UPDATE arch_list SET messages = messages`},
	} {
		held, err := side.holder.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		tx, err := side.other.BeginTx(wctx, nil)
		if err == nil {
			_, err = tx.ExecContext(wctx, side.write)
			if err == nil {
				err = tx.Commit()
			}
		}
		cancel()
		held.Rollback()
		if err != nil {
			t.Errorf("a write with the %s file's write transaction open: %v", side.name, err)
		}
	}
	if _, err := d.ExecContext(ctx, `UPDATE search.arch_fts_indexed SET high = 1`); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("writing the search file through the main connections: err = %v, want a read-only error", err)
	}
	var high int
	if err := d.QueryRowContext(ctx, `SELECT high FROM arch_fts_indexed`).Scan(&high); err != nil {
		t.Errorf("the main connections do not read the search file: %v", err)
	}
}

// TestUnsyncedHandsBackSynced: the connection Unsynced hands out commits
// without waiting for the disk, and once released, the pool's connection
// (the same one on SQLite: the pool holds one here; on PostgreSQL the
// unsynced connections are a pool of their own) waits for it, so no
// other change commits unsynced by chance.
func TestUnsyncedHandsBackSynced(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	d.SetMaxOpenConns(1)
	// On SQLite both files the main connections write: hum.db and the
	// delivery queue.
	q, synced, unsynced := `SELECT a.synchronous || ' ' || b.synchronous FROM pragma_synchronous('main') a, pragma_synchronous('queue') b`, "2 2", "1 1" // FULL, NORMAL
	if d.Dialect == db.Postgres {
		q, synced, unsynced = `SHOW synchronous_commit`, "on", "off"
	}
	setting := func(c interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) string {
		t.Helper()
		var v string
		if err := c.QueryRowContext(ctx, q).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	conn, release, err := d.Unsynced(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v := setting(conn); v != unsynced {
		t.Errorf("the unsynced connection has %s, want %s", v, unsynced)
	}
	if d.Dialect == db.Postgres {
		// Unsynced from its start, not by a SET that its release must
		// undo: the setting a RESET would go back to is off too.
		var v string
		if err := conn.QueryRowContext(ctx, `SELECT reset_val FROM pg_settings WHERE name = 'synchronous_commit'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != unsynced {
			t.Errorf("the unsynced connection starts with synchronous_commit %s, want %s (a SET and a RESET each time)", v, unsynced)
		}
	}
	release()
	if v := setting(d); v != synced {
		t.Errorf("after release the pool's connection has %s, want %s", v, synced)
	}
}

// TestAnalyzeGivesStatistics: Analyze has PostgreSQL analyse the current
// schema's tables (pg_stat_user_tables.last_analyze moves; autovacuum's
// own runs are last_autoanalyze), so the planner knows how many rows a
// table filled in one go holds; on SQLite it does nothing and fails on
// nothing.
func TestAnalyzeGivesStatistics(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	if err := d.Write(ctx, func(tx *db.Tx) error {
		for i := range 50 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event (at, actor, subject_type, subject, kind, summary, why) VALUES ($1, '', 'group', 'x', 'test', $2, '')`, tx.Now, fmt.Sprint(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	analysed := func() (at time.Time) {
		t.Helper()
		if d.Dialect != db.Postgres {
			return at
		}
		var v sql.NullTime
		if err := d.QueryRowContext(ctx, `SELECT last_analyze FROM pg_stat_user_tables WHERE relid = 'event'::regclass`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v.Time
	}
	before := analysed()
	if err := d.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	if d.Dialect != db.Postgres {
		return
	}
	if after := analysed(); !after.After(before) {
		t.Errorf("event last analysed at %v, before Analyze %v: want it analysed by Analyze", after, before)
	}
	var rows float64
	if err := d.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'event'::regclass`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows < 50 {
		t.Errorf("after Analyze the planner counts %v events; want at least 50", rows)
	}
}

// TestSearchFileOfAnotherVersionIsMadeAnew: a search index file made by
// another version of search.sql (hum's first held no arch_fts_head) is
// emptied and given this version's schema, whatever tables it held, with
// none of the old ones left; archive.SyncIndex then fills it from the
// archive.
func TestSearchFileOfAnotherVersionIsMadeAnew(t *testing.T) {
	ctx := context.Background()
	open := func(path string) *db.DB {
		d, err := db.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return d
	}
	tables := func(d *db.DB) []string {
		names, err := db.Query(ctx, d.Search, db.Scalar[string], `SELECT name FROM main.sqlite_schema WHERE type = 'table' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	fresh := open(filepath.Join(t.TempDir(), "hum.db"))
	want := tables(fresh)
	fresh.Close()

	path := filepath.Join(t.TempDir(), "hum.db")
	open(path).Close()
	old, err := sql.Open("sqlite", "file:"+db.SearchPath(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE arch_fts_head`, `CREATE VIRTUAL TABLE gone_fts USING fts5(words)`,
		`CREATE TABLE gone (x)`, `UPDATE arch_fts_indexed SET high = 5`, `PRAGMA user_version = 1`} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	d := open(path)
	defer d.Close()
	if got := tables(d); !slices.Equal(got, want) {
		t.Errorf("the search file holds %q, want a new file's %q", got, want)
	}
	var v, high int
	if err := d.Search.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version), high FROM arch_fts_indexed`).Scan(&v, &high); err != nil {
		t.Fatal(err)
	}
	if v == 1 || high != 0 {
		t.Errorf("the search file is at version %d, indexed up to %d; want this version's, empty", v, high)
	}
}

// TestMainPoolCachesAreSmall: each connection of the SQLite main pool
// keeps small page caches for hum.db and the files it attaches, so that
// hum serve stays under issue 17 §3's 150 MB; SQLite's default, 2 MB a
// file, was 64 MB over the pool.
func TestMainPoolCachesAreSmall(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "hum.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var conns []*sql.Conn
	for range 2 { // two connections at once: each sets its own
		c, err := d.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	want := map[string]int{"main": -512, "search": -512, "queue": -256, "marks": -256}
	for i, c := range conns {
		for file, size := range want {
			var got int
			if err := c.QueryRowContext(ctx, `PRAGMA `+file+`.cache_size`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != size {
				t.Errorf("connection %d: %s.cache_size = %d, want %d", i, file, got, size)
			}
		}
	}
}
