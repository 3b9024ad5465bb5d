// Package db opens hum's SQL database (SQLite or PostgreSQL), runs the
// embedded migrations for its dialect, and hands out transactions that carry
// the time of the change, so business rules never read the wall clock.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"modernc.org/sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DefaultDSN is where hum keeps its data when no --db is given.
const DefaultDSN = "sqlite:./hum-data/hum.db"

// DB is an open, not necessarily migrated, database.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Now is the clock for every change made through Tx. Tests replace it.
	Now func() time.Time
	// Search, on SQLite only, writes the archive's search index: a
	// database file of its own beside the main one (SearchPath), so that
	// indexing runs beside the main database's one writer instead of
	// inside it. Every connection of DB reads it, attached read-only as
	// "search", so queries join arch_fts with arch_message as if it were
	// one database; Search's one connection reads the main file, attached
	// read-only as "hum". The index holds nothing that arch_message does
	// not: a lost or stale file is rebuilt (Migrate, archive.SyncIndex).
	Search *sql.DB
	// Marks, on SQLite only, writes the file of marks of copies sent
	// (MarksPath; the lists package's delivery_sent), whose connections
	// commit without syncing, as Unsynced's do: the list
	// Deliverer's workers wait for each mark, and in the queue's file a
	// mark waited for the main file's writers, which BEGIN IMMEDIATE
	// locks with every file it attaches writable. Every connection of
	// DB reads it, attached read-only as "marks". On PostgreSQL marks
	// are written through Unsynced (MarksConn).
	Marks *sql.DB

	// unsynced, on PostgreSQL only, is the pool Unsynced takes from: its
	// connections start with synchronous_commit off (a parameter of their
	// startup message), so taking one costs no SET and giving it back no
	// RESET, two round trips to the server that every lease of the list
	// Deliverer paid (issue 17 §2). It opens connections only when used.
	unsynced *sql.DB

	stmts *prepared  // the statements Prepared keeps (SQLite), nil on a DB not from Open
	gate  *writeGate // where the main file's writers queue (SQLite), gate.go

	hooksMu sync.Mutex
	hooks   []func()
}

// OnCommit registers fn to run after every transaction that Write
// commits, so caches in this process can drop what the change made stale.
func (db *DB) OnCommit(fn func()) {
	db.hooksMu.Lock()
	db.hooks = append(db.hooks, fn)
	db.hooksMu.Unlock()
}

// Open connects to dsn, which is "sqlite:PATH", "postgres://...", or a
// plain file path, which is SQLite (as users type it: --db /srv/hum.db).
// Anything else that looks like a URL (mysql://...) is refused rather
// than taken for a file name.
// It checks that the database answers, so a bad DSN fails here with a
// message that names the DSN, not later on the first request.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		db, search, marks *sql.DB
		unsynced          *sql.DB
		gate              *writeGate
		dia               Dialect
		err               error
	)
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		dia = SQLite
		db, search, marks, gate, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		dia = Postgres
		db, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(32)
			db.SetMaxIdleConns(32)
			unsynced, err = openUnsynced(dsn)
		}
	case dsn != "" && !strings.Contains(dsn, "://"):
		dia = SQLite
		db, search, marks, gate, err = openSQLite(dsn)
	default:
		return nil, fmt.Errorf("database %q: want sqlite:PATH or postgres://USER@HOST:PORT/DB, or a file path", redact(dsn))
	}
	if err != nil {
		return nil, fmt.Errorf("database %q: %w", redact(dsn), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		if search != nil {
			search.Close()
			marks.Close()
		}
		if unsynced != nil {
			unsynced.Close()
		}
		return nil, fmt.Errorf("database %q is unreachable: %w", redact(dsn), err)
	}
	return &DB{DB: db, Search: search, Marks: marks, unsynced: unsynced, Dialect: dia, Now: func() time.Time { return time.Now().UTC() }, stmts: &prepared{}, gate: gate}, nil
}

// Close closes the database and, on SQLite, its search index.
//
// On SQLite it first moves each file's WAL into the file and empties it
// (a TRUNCATE checkpoint), so that after a clean exit hum.db alone holds
// every commit and may be copied as it is. SQLite would do this itself
// when the last connection to a file closes, but here that last one is
// the other pool's read-only attachment, which cannot.
func (db *DB) Close() error {
	err := errors.Join(db.stmts.close(), db.Checkpoint(context.Background()))
	err = errors.Join(err, db.DB.Close())
	if db.Search != nil {
		err = errors.Join(err, db.Search.Close())
	}
	if db.Marks != nil {
		err = errors.Join(err, db.Marks.Close())
	}
	if db.unsynced != nil {
		err = errors.Join(err, db.unsynced.Close())
	}
	return err
}

// openUnsynced opens DB.unsynced on the PostgreSQL server dsn names. Its
// users are the list Deliverer's: a lease or a chunk's hand-back at a
// time for each worker, the marker and the folder; the pool waits past
// that many rather than take more of the server's connections.
func openUnsynced(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["synchronous_commit"] = "off"
	d := stdlib.OpenDB(*cfg)
	d.SetMaxOpenConns(16)
	d.SetMaxIdleConns(16)
	d.SetConnMaxIdleTime(time.Minute)
	return d, nil
}

// Checkpoint moves each SQLite file's WAL into the file and empties it,
// as Close does. A long stream of writes calls it now and then: SQLite's
// own checkpoints after each commit copy pages but start the WAL over only
// when no reader holds an older snapshot, and an import's index follower
// always holds one, so the WAL would grow with the import (to 2 GB at
// 1,000,000 messages) and every read miss would search a longer WAL index.
// It waits for readers and the writer as busy_timeout allows; a file they
// kept busy is left for the next call. It does nothing on PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	err := checkpoint(ctx, db.DB, "main", "queue")
	if db.Search != nil {
		err = errors.Join(err, checkpoint(ctx, db.Search, "main"))
	}
	if db.Marks != nil && db.Marks.Stats().OpenConnections > 0 {
		// Unused, the file's log holds nothing; checkpointing it would
		// open a connection (see openSQLite).
		err = errors.Join(err, checkpoint(ctx, db.Marks, "main"))
	}
	return err
}

// Analyze refreshes PostgreSQL's planner statistics of hum's tables, after
// a bulk load (the demo, an archive import). Until autovacuum comes round,
// a table filled in one go keeps the statistics of an empty one, and the
// planner, counting on one row where there are thousands, picks nested
// loops: person/historicalemail took 590 ms on the fresh demo, 5.5 ms
// once analysed. It analyses only the current schema's tables, not every
// database's. SQLite plans without statistics unless asked, so it does
// nothing there.
func (db *DB) Analyze(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	tables, err := Query(ctx, db.DB, func(row Scanner) (string, error) {
		var t string
		err := row.Scan(&t)
		return t, err
	}, `SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil || len(tables) == 0 {
		return err
	}
	if _, err := db.DB.ExecContext(ctx, `ANALYZE `+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// checkpoint copies the WAL of each of p's files named (main, or a
// writable attached file) into the file and truncates the WAL. It fails
// only on an error; a checkpoint that readers kept from finishing (busy)
// leaves the WAL for the next one, or the next open.
func checkpoint(ctx context.Context, p *sql.DB, schemas ...string) error {
	for _, s := range schemas {
		var busy, logged, moved int
		if err := p.QueryRowContext(ctx, `PRAGMA `+s+`.wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
			return fmt.Errorf("checkpoint %s: %w", s, err)
		}
	}
	return nil
}

// SearchPath is the file that holds the search index of the SQLite
// database at path: hum.db's is hum.search.db.
func SearchPath(path string) string {
	return strings.TrimSuffix(path, ".db") + ".search.db"
}

// QueuePath is the file that holds the list delivery queue of the SQLite
// database at path: hum.db's is hum.queue.db. Unlike the search index it
// is not derived from hum.db: a backup takes both, hum.db first.
func QueuePath(path string) string {
	return strings.TrimSuffix(path, ".db") + ".queue.db"
}

// MarksPath is the file that holds the marks of copies sent of the SQLite
// database at path (DB.Marks): hum.db's is hum.marks.db. A mark lives
// there until the list Deliverer folds it into the queue, seconds later;
// a backup need not take it (README).
func MarksPath(path string) string {
	return strings.TrimSuffix(path, ".db") + ".marks.db"
}

// marksSQL is the marks file's schema, made when the file is opened: the
// ids of copies sent and when, appended by the recorder and deleted by
// the fold (lists, fold.go). No key and no index, as on PostgreSQL
// (migration 0041).
const marksSQL = `CREATE TABLE IF NOT EXISTS delivery_sent (
    delivery_id INTEGER NOT NULL,
    sent TIMESTAMP NOT NULL
)`

// queuePageSize is the page size of the delivery queue's file. Each mark
// of copies sent (lists' recorder) writes every page it changes to the
// WAL whole, and the copies in flight lie in as many workers' leases: at
// 16 KiB pages a mark wrote several times what it changed (issue 17 §2).
const queuePageSize = 4096

func openSQLite(path string) (main, search, marks *sql.DB, gate *writeGate, err error) {
	if path == "" || path == ":memory:" {
		return nil, nil, nil, nil, errors.New("want the path of a database file (every connection must see the same database)")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, nil, nil, err
	}
	// The search index: synchronous=NORMAL, since a commit lost to a
	// power cut is indexed again from arch_message. Its one connection
	// appends FTS5's segments and merges them, reading each once, so its
	// page cache is 8 MB: with 32 MB an import's peak RSS at 1,000,000
	// messages was 296-310 MB, and is 262 MB, under issue 17's bound of
	// 300 MB, for up to 5% more CPU, within what runs on this machine
	// vary by (DESIGN.md).
	spath := SearchPath(path)
	sdsn := sqliteDSN(spath, 16384, "NORMAL", "cache_size(-8192)")
	// The main file's connections attach the search file and the queue's,
	// so they must exist first, made with their page size and in WAL
	// mode. The search file's connection attaches the main file, which
	// Open's ping creates.
	qpath := QueuePath(path)
	for _, f := range []struct{ path, dsn string }{{spath, sdsn}, {qpath, sqliteDSN(qpath, queuePageSize, "FULL")}} {
		c, err := sql.Open("sqlite", f.dsn)
		if err == nil {
			err = c.Ping()
			c.Close()
		}
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: %w", f.path, err)
		}
	}
	// The marks' file and its table, which the main file's connections
	// read, made by a connection of its own, as above. Its pool opens
	// connections only when marks are written (a process that delivers
	// no list mail, hum import, opens none: each costs memory, and an
	// import's peak RSS is bounded). Two: the recorder keeps one through
	// a fan-out, and the fold deletes what it folded through the other;
	// the gate queues them.
	mpath := MarksPath(path)
	mdsn := sqliteDSN(mpath, queuePageSize, "NORMAL")
	c, err := sql.Open("sqlite", mdsn)
	if err == nil {
		_, err = c.Exec(marksSQL)
		c.Close()
	}
	if err == nil {
		marks, err = openAttaching(mdsn, 2, newWriteGate(busyTimeout))
	}
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", mpath, err)
	}
	gate = newWriteGate(busyTimeout)
	// The queue is written by the main file's connections, so their
	// BEGIN IMMEDIATE takes both files' write locks and one gate keeps
	// both; its commits sync as the main file's do.
	if main, err = openAttaching(sqliteDSN(path, 16384, "FULL", "cache_size(-"+strconv.Itoa(readCache)+")"), 8, gate,
		attachment{path: spath, name: "search", readOnly: true, cache: readCache},
		attachment{path: qpath, name: "queue", pragma: "PRAGMA queue.synchronous = FULL", cache: smallCache},
		attachment{path: mpath, name: "marks", readOnly: true, cache: smallCache}); err != nil {
		marks.Close()
		return nil, nil, nil, nil, err
	}
	// One connection: the index has one writer, and a second would
	// only wait for the first.
	if search, err = openAttaching(sdsn, 1, newWriteGate(busyTimeout), attachment{path: path, name: "hum", readOnly: true}); err != nil {
		main.Close()
		marks.Close()
		return nil, nil, nil, nil, err
	}
	return main, search, marks, gate, nil
}

// The main pool's connections each keep a page cache of their own for
// each file they have open, SQLite's default 2 MB apiece: 64 MB for eight
// connections with hum.db, the search index, the queue and the marks,
// which was most of what hum serve held that was not Go's. Under eight
// readers and a post a second on 1,000,000 messages (archivebench
// --serve-memory) hum serve was resident at 149-178 MB in its first
// minutes, peaks 163-199 MB; with these caches 120-133 MB, peaks 138-146
// MB (issue 17 §3 bounds it at 150 MB), at the same rate of pages. A page
// the cache misses comes from the kernel's page cache, a pread each. An
// import raises its own connection's (bulkSettings). Both in KiB:
// readCache for hum.db and the search index, smallCache for the queue
// and the marks, whose pages a connection reads few of.
const (
	readCache  = 512
	smallCache = 256
)

// busyTimeout is how long a writer waits for SQLite's write lock, and
// for the gate before it (gate.go).
const busyTimeout = 10 * time.Second

// sqliteDSN is the DSN of hum's SQLite file at path, with pragmas run
// after the page size. WAL lets readers run beside the one writer;
// busy_timeout makes a second writer wait instead of failing;
// _txlock=immediate takes the write lock at BEGIN, so two writers never
// deadlock on an upgrade. synchronous=FULL syncs the WAL at every commit:
// a message that got SMTP 250 must survive a power cut, not only a crash.
// A new file gets pageSize pages: hum.db and its search index 16 KiB, as
// the archive's rows (raw messages) and full-text segments are large, and
// 4 KiB pages made an import write each page by a system call of its own
// (200,000 messages: 3,300 -> 4,600 msgs/s); the delivery queue 4 KiB
// (queuePageSize). The driver runs _pragma values before journal_mode,
// which fixes the page size.
func sqliteDSN(path string, pageSize int, synchronous string, pragmas ...string) string {
	q := url.Values{}
	q.Add("_pragma", "page_size("+strconv.Itoa(pageSize)+")")
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_busy_timeout", strconv.FormatInt(busyTimeout.Milliseconds(), 10))
	q.Set("_foreign_keys", "1")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", synchronous)
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes what a file: URI would otherwise read as its end or an
// escape, so a file named with # or ? is that file (RFC 8089, SQLite's
// URI filenames).
var uriPath = strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F")

// attachment is a file that each connection of a pool attaches as name.
// A file written by another pool must be attached read-only: BEGIN
// IMMEDIATE takes the write lock of every attached database that is
// writable, so each pool's writer would wait for the other's. pragma, if
// any, and the cache's size run after the ATTACH.
type attachment struct {
	path, name string
	readOnly   bool
	pragma     string
	cache      int // the file's page cache on each connection, KiB (0: SQLite's default)
}

// openAttaching opens a pool of conns connections to dsn, each with the
// files of as attached. The pool's writers queue at gate (gate.go).
func openAttaching(dsn string, conns int, gate *writeGate, as ...attachment) (*sql.DB, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	a := attaching{Connector: base, gate: gate}
	for _, at := range as {
		abs, err := filepath.Abs(at.path)
		if err != nil {
			return nil, err
		}
		u := &url.URL{Scheme: "file", Path: abs}
		if at.readOnly {
			u.RawQuery = "mode=ro"
		}
		a.uris = append(a.uris, u.String())
		a.as = append(a.as, at)
	}
	d := sql.OpenDB(a)
	d.SetMaxOpenConns(conns)
	d.SetMaxIdleConns(conns)
	d.SetConnMaxLifetime(0)
	return d, nil
}

// attaching is the driver's connector with a database attached to each
// connection it opens, as modernc.org/sqlite's NewConnector suggests for
// connection-scoped set-up.
type attaching struct {
	driver.Connector
	as   []attachment
	uris []string   // as's files as URIs, read-only ones with mode=ro
	gate *writeGate // the file's writers in this process queue here (gate.go)
}

func (a attaching) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := a.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := c.(driver.ExecerContext)
	if !ok {
		c.Close()
		return nil, errors.New("sqlite connection cannot ATTACH")
	}
	for i, at := range a.as {
		if _, err := ex.ExecContext(ctx, "ATTACH DATABASE ? AS "+at.name, []driver.NamedValue{{Ordinal: 1, Value: a.uris[i]}}); err != nil {
			c.Close()
			return nil, fmt.Errorf("attaching %s: %w", a.uris[i], err)
		}
		var pragmas []string
		if at.pragma != "" {
			pragmas = append(pragmas, at.pragma)
		}
		if at.cache > 0 {
			pragmas = append(pragmas, "PRAGMA "+at.name+".cache_size = -"+strconv.Itoa(at.cache))
		}
		for _, p := range pragmas {
			if _, err := ex.ExecContext(ctx, p, nil); err != nil {
				c.Close()
				return nil, fmt.Errorf("%s: %w", p, err)
			}
		}
	}
	return &gatedConn{Conn: c, g: a.gate}, nil
}

// redact hides a password in a DSN before it reaches a log or an error.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}

// Tx is a write transaction with the time of the change.
type Tx struct {
	*sql.Tx
	Dialect Dialect
	Now     time.Time
	after   []func()
}

// AfterCommit runs fn once the transaction has committed, e.g. to wake a
// worker for the mail it queued: before the commit, the worker could look
// and find nothing.
func (t *Tx) AfterCommit(fn func()) { t.after = append(t.after, fn) }

type txKey struct{}

// WithTx returns a context that carries tx, so that Write calls made with
// it join tx instead of starting their own. Bulk loaders (the demo, imports)
// use it to make thousands of changes in one commit.
func WithTx(ctx context.Context, tx *Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// Write runs fn in a transaction and commits it when fn returns nil. If
// ctx carries a transaction (WithTx), fn runs in that one instead.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	if outer, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(outer)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return db.run(tx, fn)
}

// Unsynced hands out a connection whose commits do not wait for the
// disk, for changes that a crash of this process must not lose but a
// crash of the machine or of the database server may. On PostgreSQL that
// is synchronous_commit off (a server crash may lose the last such
// commits, up to three times wal_writer_delay, never half of one); on
// SQLite, synchronous=NORMAL: in WAL mode a commit is written to the log,
// which outlives the process, and reaches the disk with the next commit
// made with FULL or the next checkpoint, so only a power cut or a kernel
// crash before that loses it (for both files a main connection writes:
// hum.db and the delivery queue). release gives the connection back to the
// pool with the usual setting, or closes it if that cannot be restored.
// The list Deliverer records each copy sent this way before the
// smarthost may take the next. On PostgreSQL the connection comes from a
// pool of its own whose connections are unsynced from their start (a DB
// not from Open sets and resets the setting on one of its own).
func (db *DB) Unsynced(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	if db.unsynced != nil {
		return pooled(ctx, db.unsynced)
	}
	set, reset := `SET synchronous_commit = off`, `RESET synchronous_commit`
	if db.Dialect == SQLite {
		set, reset = `PRAGMA main.synchronous = NORMAL; PRAGMA queue.synchronous = NORMAL`, `PRAGMA main.synchronous = FULL; PRAGMA queue.synchronous = FULL`
	}
	if conn, err = db.Conn(ctx); err != nil {
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, set); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, func() {
		if _, err := conn.ExecContext(context.Background(), reset); err != nil {
			// Never hand the pool a connection that commits unsynced.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

// MarksConn hands out a connection to write marks of copies sent on
// (the lists package's delivery_sent): on SQLite one of Marks, on
// PostgreSQL one of Unsynced. Either commits without waiting for the
// disk. release gives it back.
func (db *DB) MarksConn(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	if db.Marks == nil {
		return db.Unsynced(ctx)
	}
	return pooled(ctx, db.Marks)
}

// pooled hands out a connection of p, and release gives it back.
func pooled(ctx context.Context, p *sql.DB) (conn *sql.Conn, release func(), err error) {
	if conn, err = p.Conn(ctx); err != nil {
		return nil, nil, err
	}
	return conn, func() { conn.Close() }, nil
}

// run runs fn in tx and commits it when fn returns nil, then runs the
// transaction's and the database's commit hooks.
func (db *DB) run(tx *sql.Tx, fn func(*Tx) error) error {
	t := &Tx{Tx: tx, Dialect: db.Dialect, Now: db.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, f := range t.after {
		f()
	}
	db.hooksMu.Lock()
	hooks := db.hooks
	db.hooksMu.Unlock()
	for _, f := range hooks {
		f()
	}
	return nil
}

// Querier is what both *DB and *Tx offer for reads.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine, so callers can turn it into a clear "already exists".
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
