package dbtest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"hum/internal/db"
)

// On PostgreSQL, making the schema is most of what a test's database
// costs: the migrations' DDL takes the server 0.2 s idle and over a
// second when the machine is busy, for each of the thousands of
// databases the tests ask for. So dbtest.New hands out schemas from a
// pool kept on the server between runs, named for the migrations that
// made them (db.Digest): hum_pool_DIGEST_N. A test holds its schema by
// an advisory lock on a connection of its own, so two processes never
// share one and a crashed process frees its schemas; it gets the schema
// emptied (every table but schema_migrations truncated, identities
// restarted), which is the data of a freshly migrated schema.
//
// A test may change the schema itself (a test drops a table to make a
// write fail). Each schema's comment holds a fingerprint of its
// catalogue taken when it was migrated, and says "clean" only while no
// test holds it: a test that leaves the catalogue other than it found
// it, or a process that dies holding it, leaves the schema unclean, and
// the next test to take it drops it and migrates a new one.

// cleanMark starts the comment of a schema no one holds, followed by its
// fingerprint; a new way of taking fingerprints needs a new mark, so the
// schemas marked the old way are made anew.
const cleanMark = "clean4 "

// pool is one server's pool of schemas for this binary's migrations.
type pool struct {
	base   string  // the DSN tests gave, HUM_TEST_POSTGRES
	admin  *sql.DB // connections that hold the locks and run the DDL
	digest string

	mu    sync.Mutex
	empty string // the statements that empty a schema, once known
}

var pools struct {
	sync.Mutex
	m map[string]*pool
}

func poolFor(ctx context.Context, base string) (*pool, error) {
	pools.Lock()
	defer pools.Unlock()
	if p := pools.m[base]; p != nil {
		return p, nil
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	digest, err := (&db.DB{Dialect: db.Postgres}).Digest()
	if err != nil {
		admin.Close()
		return nil, err
	}
	p := &pool{base: base, admin: admin, digest: digest}
	if pools.m == nil {
		pools.m = map[string]*pool{}
	}
	pools.m[base] = p
	return p, nil
}

// schema is a pooled schema a test holds.
type schema struct {
	p     *pool
	name  string
	conn  *sql.Conn // holds the advisory lock
	fresh bool      // made (and to be migrated) for this test
	print string    // the fingerprint of its migrated catalogue, "" until known
}

// dsn is the pool's DSN with its search_path set to s.
func (s *schema) dsn() (string, error) {
	u, err := url.Parse(s.p.base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", s.name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// take holds the first pooled schema no one holds, emptied, or a new
// empty one, which the caller migrates.
func (p *pool) take(ctx context.Context) (s *schema, err error) {
	for n := 0; ; n++ {
		if n > 1000 {
			return nil, errors.New("dbtest: a thousand pooled schemas, all held")
		}
		conn, err := p.admin.Conn(ctx)
		if err != nil {
			return nil, err
		}
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext($1), $2)`, "hum_pool_"+p.digest, n).Scan(&got); err != nil {
			conn.Close()
			return nil, err
		}
		if !got {
			conn.Close()
			continue
		}
		s = &schema{p: p, name: fmt.Sprintf("hum_pool_%s_%d", p.digest, n), conn: conn}
		if err := s.prepare(ctx); err != nil {
			s.drop()
			return nil, fmt.Errorf("dbtest: pooled schema %s: %w", s.name, err)
		}
		return s, nil
	}
}

// prepare reuses the held schema if it is clean, else makes it anew,
// and marks it held.
func (s *schema) prepare(ctx context.Context) error {
	var comment sql.NullString
	if err := s.conn.QueryRowContext(ctx, `SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1`, s.name).Scan(&comment); err != nil && err != sql.ErrNoRows {
		return err
	}
	if print, ok := strings.CutPrefix(comment.String, cleanMark); ok {
		s.print = print
	} else {
		s.fresh = true
		if _, err := s.conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+s.name+` CASCADE`); err != nil {
			return err
		}
		if _, err := s.conn.ExecContext(ctx, `CREATE SCHEMA `+s.name); err != nil {
			return err
		}
	}
	_, err := s.conn.ExecContext(ctx, `COMMENT ON SCHEMA `+s.name+` IS 'held'`)
	return err
}

// empty deletes every row of a reused schema but schema_migrations,
// drops the partitions the archive made, and restarts the sequences:
// the data of a freshly migrated schema.
// (TRUNCATE would be one statement, but it makes every table's files
// anew and took the server over a second when busy; deleting the few
// rows a test leaves takes milliseconds.)
func (s *schema) empty(ctx context.Context) error {
	if s.fresh {
		return nil
	}
	s.p.mu.Lock()
	q := s.p.empty
	s.p.mu.Unlock()
	if q == "" {
		order, err := tableOrder(ctx, s.conn, s.name)
		if err != nil {
			return err
		}
		var b strings.Builder
		for _, t := range slices.Backward(order) { // those that refer before those referred to
			fmt.Fprintf(&b, "DELETE FROM %s; ", t)
		}
		seqs, err := db.Query(ctx, s.conn, func(r db.Scanner) (string, error) {
			var name string
			var start int64
			err := r.Scan(&name, &start)
			return fmt.Sprintf("setval('%s', %d, false)", name, start), err
		}, `SELECT c.relname, q.seqstart FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 ORDER BY c.relname`, s.name)
		if err != nil {
			return err
		}
		if len(seqs) > 0 {
			b.WriteString("SELECT " + strings.Join(seqs, ", ") + "; ")
		}
		q = b.String()
		s.p.mu.Lock()
		s.p.empty = q
		s.p.mu.Unlock()
	}
	parts, err := partitions(ctx, s.conn, s.name)
	if err != nil {
		return err
	}
	for _, p := range parts {
		q = `DROP TABLE ` + p.name + `; ` + q
	}
	_, err = s.conn.ExecContext(ctx, `SET search_path TO `+s.name+`; `+q+`RESET search_path`)
	return err
}

// partition is a partition of a table, as the archive makes them.
type partition struct{ name, parent, bound, options string }

// partitions lists the partitions in schema.
func partitions(ctx context.Context, q db.Querier, schema string) ([]partition, error) {
	return db.Query(ctx, q, func(r db.Scanner) (partition, error) {
		var p partition
		return p, r.Scan(&p.name, &p.parent, &p.bound, &p.options)
	}, `SELECT c.relname, pc.relname, pg_get_expr(c.relpartbound, c.oid), COALESCE(array_to_string(c.reloptions, ', '), '')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class pc ON pc.oid = i.inhparent
		WHERE n.nspname = $1 AND c.relispartition AND c.relkind = 'r' ORDER BY c.relname`, schema)
}

// tableOrder lists the tables of schema but schema_migrations, each after
// the tables it refers to.
func tableOrder(ctx context.Context, q db.Querier, schema string) ([]string, error) {
	names, err := db.Query(ctx, q, db.Scalar[string], `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_migrations' ORDER BY c.relname`, schema)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("schema %s has no tables", schema)
	}
	type edge struct{ from, to string } // from refers to to
	edges, err := db.Query(ctx, q, func(r db.Scanner) (edge, error) {
		var e edge
		return e, r.Scan(&e.from, &e.to)
	}, `SELECT cl.relname, cf.relname FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
		JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class cf ON cf.oid = k.confrelid
		WHERE k.contype = 'f' AND n.nspname = $1 AND k.conrelid <> k.confrelid`, schema)
	if err != nil {
		return nil, err
	}
	needs := map[string][]string{}
	for _, e := range edges {
		needs[e.from] = append(needs[e.from], e.to)
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(names) {
		before := len(order)
		for _, n := range names {
			if !done[n] && !slices.ContainsFunc(needs[n], func(m string) bool { return !done[m] }) {
				done[n] = true
				order = append(order, n)
			}
		}
		if len(order) == before {
			return nil, fmt.Errorf("the foreign keys among %v form a cycle, so neither rows nor copies can go table by table",
				slices.DeleteFunc(slices.Clone(names), func(n string) bool { return done[n] }))
		}
	}
	return order, nil
}

// fingerprint sums up the schema's catalogue (its relations, indexes and
// views too, their columns, constraints and triggers, and its functions:
// a trigger a test adds would fire in the next test) and the migrations it
// records, which tests change too (a schema "newer than this binary").
// Partitions are left out: the archive makes them as messages arrive
// (archive/partition.go), and empty drops them.
func (s *schema) fingerprint(ctx context.Context) (string, error) {
	var print string
	err := s.conn.QueryRowContext(ctx, `WITH rel AS (
			SELECT c.oid, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND NOT c.relispartition)
		SELECT md5(COALESCE(string_agg(x, E'\n' ORDER BY x), '')) FROM (
			SELECT relkind::text || ' ' || relname AS x FROM rel
			UNION ALL SELECT 'a ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || a.attgenerated::text
				FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid WHERE a.attnum > 0 AND NOT a.attisdropped
			UNION ALL SELECT 'k ' || r.relname || ' ' || k.conname || ' ' || k.contype::text || ' ' || k.confrelid::regclass::text
				FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid
			UNION ALL SELECT 't ' || r.relname || ' ' || g.tgname || ' ' || g.tgfoid::regproc::text
				FROM rel r JOIN pg_trigger g ON g.tgrelid = r.oid WHERE NOT g.tgisinternal
			UNION ALL SELECT 'f ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
				FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
		) parts`, s.name).Scan(&print)
	if err != nil {
		return "", err
	}
	var applied sql.NullString
	if err := s.conn.QueryRowContext(ctx, `SELECT string_agg(version || ' ' || name, ',' ORDER BY version) FROM `+s.name+`.schema_migrations`).Scan(&applied); err != nil {
		applied.String = "unreadable: " + err.Error()
	}
	return print + " " + applied.String, nil
}

// migrated records the fingerprint of a fresh schema the caller has
// just migrated.
func (s *schema) migrated(ctx context.Context) error {
	if !s.fresh {
		return nil
	}
	var err error
	s.print, err = s.fingerprint(ctx)
	return err
}

// release gives the schema back to the pool: clean if its catalogue is
// as it was migrated, else left to be made anew.
func (s *schema) release() error {
	ctx := context.Background()
	defer s.unlock()
	now, err := s.fingerprint(ctx)
	if err != nil || s.print == "" || now != s.print {
		return err
	}
	_, err = s.conn.ExecContext(ctx, `COMMENT ON SCHEMA `+s.name+` IS '`+cleanMark+s.print+`'`)
	return err
}

// drop lets go of a schema that could not be prepared.
func (s *schema) drop() {
	s.conn.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+s.name+` CASCADE`)
	s.unlock()
}

// unlock lets go of the schema's lock and gives the connection back. A
// session keeps its advisory locks, and takes one it holds again, so a
// connection that may still hold the lock is closed, not pooled.
func (s *schema) unlock() {
	if _, err := s.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock_all()`); err != nil {
		s.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	s.conn.Close()
}
