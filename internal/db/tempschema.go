package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"
)

// NewSchema makes an empty schema, named prefix and random hex, on the
// PostgreSQL server admin is connected to. It returns base with its
// search_path pointing at the schema, so hum opened on that DSN sees only
// it, and a function that drops the schema. Tests and benchmarks use it
// to share one server without seeing each other's data.
func NewSchema(ctx context.Context, admin *sql.DB, base, prefix string) (dsn string, drop func(), err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := prefix + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("create schema %s on %s: %w", schema, u.Redacted(), err)
	}
	drop = func() {
		// ctx may be cancelled by now; the schema should go regardless.
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(dctx, `DROP SCHEMA `+schema+` CASCADE`)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// OpenSchema is NewSchema with an admin connection of its own, closed by
// drop.
func OpenSchema(ctx context.Context, base, prefix string) (dsn string, drop func(), err error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	dsn, dropSchema, err := NewSchema(ctx, admin, base, prefix)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	return dsn, func() { dropSchema(); admin.Close() }, nil
}
