// Package export is the public dump of the open record: every resource
// the Datatracker's API serves (package opendata's registry, so that the
// dump and the API cannot drift), and the archived messages of every list
// whose archive is public, written as one SQLite database that loads
// anywhere (sqlite3, Python's sqlite3, pandas, R).
//
// Each resource is a table named app_model (group_group, doc_document,
// ...) whose columns are its fields in the Datatracker's names, with the
// values the API answers: related objects as their resource URIs, a
// to-many field as a JSON array of URIs, times as the API writes them.
// Table fields (resource, field, type, related, filtering) describes
// them, meta says when and from what the dump was made, and
// mailinglists_message holds the public archives.
//
// What the API does not serve is not here: password hashes, sessions,
// API keys, mailed tokens, unconfirmed addresses, private archives. Under
// --hide-addresses (archive.Service.HideAddresses) a message is its
// sender's name and the text search indexes, without addresses or the
// raw message.
//
// The latest dump is kept in the database (tables public_dump and
// public_dump_chunk, migration 0034), so that every hum process on one
// PostgreSQL serves the same file at /api/export/; the daily job makes a
// new one unless another process made one in the last Period.
package export

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/jobs"
	"hum/internal/opendata"
)

// Lists tells which archives are private (lists.Service).
type Lists interface {
	ArchiveHidden(ctx context.Context, who groups.Actor) ([]string, error)
}

// Service writes, stores and serves the dump.
type Service struct {
	DB      *db.DB
	API     *opendata.Service
	Archive *archive.Service
	Lists   Lists
}

// Period is how often hum serve makes a new dump.
const Period = 24 * time.Hour

// Stats says what a dump holds.
type Stats struct {
	Resources int            // tables of API resources
	Rows      map[string]int // rows per table
	Messages  int            // archived messages
	Bytes     int64          // the file's size
	SHA256    string
}

// WriteFile writes the dump to path, a new SQLite database (an existing
// file is replaced only when the dump is complete).
func (s *Service) WriteFile(ctx context.Context, path string) (st Stats, err error) {
	defer fail.Wrap(&err, "export.WriteFile(%q)", path)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hum-export-*.sqlite")
	if err != nil {
		return st, err
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	if st, err = s.write(ctx, name); err != nil {
		return st, err
	}
	if err := os.Chmod(name, 0o644); err != nil { // public by nature; CreateTemp makes it 0600
		return st, err
	}
	return st, os.Rename(name, path)
}

// write fills a new SQLite database at path.
func (s *Service) write(ctx context.Context, path string) (st Stats, err error) {
	st.Rows = map[string]int{}
	out, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return st, err
	}
	defer out.Close()
	out.SetMaxOpenConns(1)
	tx, err := out.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
		CREATE TABLE fields (resource TEXT NOT NULL, field TEXT NOT NULL, type TEXT NOT NULL, related TEXT NOT NULL,
			filtering INTEGER NOT NULL, PRIMARY KEY (resource, field))`); err != nil {
		return st, err
	}
	for _, r := range s.API.All() {
		n, err := s.resource(ctx, tx, r)
		if err != nil {
			return st, fmt.Errorf("%s: %w", r.Name(), err)
		}
		st.Resources++
		st.Rows[table(r)] = n
	}
	if st.Messages, err = s.messages(ctx, tx); err != nil {
		return st, err
	}
	st.Rows["mailinglists_message"] = st.Messages
	var version int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM event`).Scan(&version); err != nil {
		return st, err
	}
	for k, v := range map[string]string{
		"generated":      s.DB.Now().UTC().Format(time.RFC3339),
		"record_events":  strconv.FormatInt(version, 10),
		"format":         "hum public dump 1: one table per /api/v1/ resource (app_model), columns as the API's fields; mailinglists_message for public archives",
		"hide_addresses": strconv.FormatBool(s.Archive != nil && s.Archive.HideAddresses),
	} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return st, err
		}
	}
	if err := tx.Commit(); err != nil {
		return st, err
	}
	if _, err := out.ExecContext(ctx, `VACUUM`); err != nil {
		return st, err
	}
	out.Close()
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	h := sha256.New()
	if st.Bytes, err = io.Copy(h, f); err != nil {
		return st, err
	}
	st.SHA256 = hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// table is a resource's table: app_model.
func table(r *opendata.Resource) string { return r.App + "_" + r.Model }

// quote is an SQL identifier (field names such as "order" and "desc" are
// keywords).
func quote(n string) string { return `"` + strings.ReplaceAll(n, `"`, `""`) + `"` }

func sqlType(t opendata.Type) string {
	switch t {
	case opendata.Integer:
		return "INTEGER"
	case opendata.Boolean:
		return "BOOLEAN"
	}
	return "TEXT"
}

// resource writes every object of r, read through the API's own List in
// pages of opendata.MaxLimit (by keyset where the order allows).
func (s *Service) resource(ctx context.Context, tx *sql.Tx, r *opendata.Resource) (int, error) {
	cols := []string{quote("resource_uri") + " TEXT PRIMARY KEY"}
	names := []string{"resource_uri"}
	for _, f := range r.Fields {
		cols = append(cols, quote(f.Name)+" "+sqlType(f.Type))
		names = append(names, f.Name)
		related := f.To
		if _, err := tx.ExecContext(ctx, `INSERT INTO fields (resource, field, type, related, filtering) VALUES (?, ?, ?, ?, ?)`,
			r.Name(), f.Name, string(f.Type), related, int(f.Filter)); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+quote(table(r))+" ("+strings.Join(cols, ", ")+")"); err != nil {
		return 0, err
	}
	qs := make([]string, len(names))
	for i := range qs {
		qs[i] = "?"
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quote(n)
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO "+quote(table(r))+" ("+strings.Join(quoted, ", ")+") VALUES ("+strings.Join(qs, ", ")+")")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	q := url.Values{"limit": {strconv.Itoa(opendata.MaxLimit)}}
	for {
		p, err := s.API.List(ctx, r, q)
		if err != nil {
			return n, err
		}
		for _, o := range p.Objects {
			args := make([]any, len(names))
			for i, name := range names {
				args[i] = cellValue(o[name])
			}
			if _, err := ins.ExecContext(ctx, args...); err != nil {
				return n, err
			}
			n++
		}
		if len(p.Objects) == 0 || p.Offset+len(p.Objects) >= p.Total {
			return n, nil
		}
		if p.Cursor != "" {
			q.Set(opendata.CursorParam, p.Cursor)
		}
		q.Set("offset", strconv.Itoa(p.Offset+len(p.Objects)))
	}
}

// cellValue is an API value as an SQLite value: lists as JSON.
func cellValue(v any) any {
	switch x := v.(type) {
	case nil, string, int64, int, bool, float64:
		return x
	case []string:
		b, _ := json.Marshal(x)
		return string(b)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// messages writes the archived messages of every list whose archive is
// public, oldest first.
func (s *Service) messages(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE mailinglists_message (
		id INTEGER PRIMARY KEY, list TEXT NOT NULL, hashcode TEXT NOT NULL, message_id TEXT NOT NULL,
		from_name TEXT NOT NULL, from_addr TEXT NOT NULL, subject TEXT NOT NULL, date TEXT NOT NULL,
		in_reply_to TEXT NOT NULL, refs TEXT NOT NULL, thread_id INTEGER NOT NULL, body TEXT NOT NULL,
		raw BLOB, url TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	if s.Archive == nil {
		return 0, nil
	}
	var hidden []string
	if s.Lists != nil {
		var err error
		if hidden, err = s.Lists.ArchiveHidden(ctx, groups.Actor{}); err != nil { // an anonymous reader's
			return 0, err
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO mailinglists_message (id, list, hashcode, message_id, from_name, from_addr,
		subject, date, in_reply_to, refs, thread_id, body, raw, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	hide := s.Archive.HideAddresses
	n := 0
	err = s.Archive.Public(ctx, hidden, func(m archive.Dumped) error {
		addr, raw := m.FromAddr, any(m.Raw)
		if hide {
			addr, raw = "", nil
		}
		_, err := ins.ExecContext(ctx, m.ID, m.List, m.Hashcode, m.MessageID, m.FromName, addr, m.Subject,
			m.Date.UTC().Format("2006-01-02T15:04:05Z"), m.InReplyTo, m.Refs, m.ThreadID, m.Body, raw,
			"/arch/msg/"+url.PathEscape(m.List)+"/"+url.PathEscape(m.Hashcode)+"/")
		n++
		return err
	})
	return n, err
}

// sortedKeys lists a map's keys in order.
func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Summary is a dump's figures, one table a line.
func (st Stats) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d resources, %d archived messages, %d bytes, sha256 %s\n", st.Resources, st.Messages, st.Bytes, st.SHA256)
	for _, k := range sortedKeys(st.Rows) {
		fmt.Fprintf(&b, "  %-40s %d\n", k, st.Rows[k])
	}
	return b.String()
}

// Jobs is the daily dump, for hum serve's runner.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "public dump", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := s.Refresh(ctx)
		return err
	}}}
}
