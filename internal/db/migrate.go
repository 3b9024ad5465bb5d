package db

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

//go:embed search.sql
var searchSQL string

//go:embed queue.sql
var queueSQL string

// queueMigration is the SQLite migration that drops hum.db's delivery
// table, once moveQueue has copied it into the queue's file.
const queueMigration = 40

// searchVersion is the version of search.sql. A search index file at
// another version is emptied and made anew; archive.SyncIndex fills it.
const searchVersion = 2

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := path.Join("migrations", string(db.Dialect))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Latest is the schema version this binary was built for.
func (db *DB) Latest() (int, error) {
	ms, err := db.migrations()
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

// Digest names the schema this binary's migrations make on db's engine:
// two binaries with the same digest make the same schema. Tests use it to
// tell which pooled test databases they may reuse (dbtest).
func (db *DB) Digest() (string, error) {
	ms, err := db.migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", m.name, len(m.sql), m.sql)
	}
	fmt.Fprintf(h, "search %d\x00%s\x00queue\x00%s", searchVersion, searchSQL, queueSQL)
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Version is the schema version the database is at (0 when empty).
func (db *DB) Version(ctx context.Context) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TIMESTAMP NOT NULL)`); err != nil {
		return 0, fmt.Errorf("schema_migrations: %w", err)
	}
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Migrate brings the schema up to date, one transaction per migration.
// It applies every embedded migration not yet recorded, in order, so a
// migration that landed after a higher-numbered one still runs. It refuses
// a database whose schema is newer than this binary: serving it could
// lose data that a newer hum put there.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, err
	}
	applied, err = db.migrate(ctx, ms)
	if err == nil && db.Dialect == SQLite {
		err = db.checkQueue(ctx)
	}
	if err == nil && db.Search != nil {
		err = db.migrateSearch(ctx)
	}
	return applied, err
}

// moveQueue makes the delivery queue's tables in its file (queue.sql) and
// copies hum.db's delivery rows into them, in a transaction that writes
// only that file; migration 0040 then drops hum.db's table. Both are safe
// to repeat: a crash between them leaves the rows in both files, and
// hum.db's are copied again.
func (db *DB) moveQueue(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, queueSQL); err != nil {
			return err
		}
		const cols = `id, post_id, subscription_id, address, state, attempts, next_attempt, claimed_until, last_error, sent, claimed_by`
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO queue.delivery (`+cols+`) SELECT `+cols+` FROM main.delivery`)
		return err
	})
}

// checkQueue refuses a hum.db past migration 0040 whose queue file has no
// queue: a hum.db restored or copied without its hum.queue.db would
// otherwise lose every copy not yet sent, and the record of those sent.
// And it drops the copies of posts that hum.db does not have: a backup
// takes hum.db first and hum.queue.db after (README), so the queue may
// hold the copies of posts accepted in between, which the restored hum
// would otherwise send as the posts that take their ids. A live post's
// copies are queued only once the post has committed, so none of
// another running process's is dropped.
func (db *DB) checkQueue(ctx context.Context) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, queueMigration).Scan(&n); err != nil || n == 0 {
		return err
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue.sqlite_master WHERE type = 'table' AND name = 'delivery'`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("the list delivery queue (the .queue.db file beside the database) is missing or empty: restore it from the same backup as the database")
	}
	var ahead bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM queue.delivery WHERE post_id > (SELECT COALESCE(MAX(id), 0) FROM main.list_post))`).Scan(&ahead); err != nil || !ahead {
		return err
	}
	_, err := db.ExecContext(ctx, `DELETE FROM queue.delivery WHERE post_id > (SELECT COALESCE(MAX(id), 0) FROM main.list_post)`)
	return err
}

// migrateSearch gives the search index file the schema of search.sql.
// The index is derived from arch_message, so a file at another version
// is not migrated but emptied.
func (db *DB) migrateSearch(ctx context.Context) error {
	var v int
	if err := db.Search.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if v == searchVersion {
		return nil
	}
	tx, err := db.Search.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer tx.Rollback()
	// Every table the file holds goes, whichever version made it, so no
	// list of names is kept in step with search.sql: the virtual tables
	// first, which take their shadow tables with them.
	tables, err := Query(ctx, tx, Scalar[string], `SELECT name FROM main.sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY sql LIKE 'CREATE VIRTUAL TABLE%' DESC, name`)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	var qs []string
	for _, t := range tables {
		qs = append(qs, `DROP TABLE IF EXISTS main."`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	for _, q := range append(qs, searchSQL, `PRAGMA user_version = `+strconv.Itoa(searchVersion)) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return tx.Commit()
}

func (db *DB) migrate(ctx context.Context, ms []migration) (applied int, err error) {
	have, err := db.Version(ctx)
	if err != nil {
		return 0, err
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	if have > latest {
		return 0, fmt.Errorf("the database schema is at version %d, newer than this hum binary knows (%d): run a newer hum", have, latest)
	}
	done, err := db.applied(ctx)
	if err != nil {
		return 0, err
	}
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		if db.Dialect == SQLite && m.version == queueMigration {
			if err := db.moveQueue(ctx); err != nil {
				return applied, fmt.Errorf("moving the delivery queue to its file: %w", err)
			}
		}
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`, m.version, m.name, tx.Now)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		applied++
	}
	return applied, nil
}

func (db *DB) applied(ctx context.Context) (map[int]bool, error) {
	vs, err := Query(ctx, db, Scalar[int], `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, v := range vs {
		done[v] = true
	}
	return done, nil
}
