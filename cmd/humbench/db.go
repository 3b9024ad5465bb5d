package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"hum/internal/db"
)

// freshDB makes a new empty database and returns hum's DSN for it and a
// function that removes it.
type freshDB func(ctx context.Context) (dsn string, drop func(), err error)

// databases returns the freshDB for engine and a function that releases it.
func databases(ctx context.Context, c config, engine, dir string) (freshDB, func(), error) {
	if engine == "sqlite" {
		return func(context.Context) (string, func(), error) {
			d, err := os.MkdirTemp(dir, "sqlite-")
			if err != nil {
				return "", nil, err
			}
			return "sqlite:" + filepath.Join(d, "hum.db"), func() { os.RemoveAll(d) }, nil
		}, func() {}, nil
	}
	p, err := openPostgres(ctx, c.hum.Postgres)
	if err != nil {
		return nil, nil, err
	}
	return p.fresh, func() { p.admin.Close() }, nil
}

// postgres hands out one schema per run on the server behind base, and
// points hum at it with search_path, so no run sees another's data and
// nothing is left behind.
type postgres struct {
	admin *sql.DB
	base  *url.URL
}

func openPostgres(ctx context.Context, dsn string) (*postgres, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("--postgres: %w", err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("PostgreSQL at %s: %w", u.Redacted(), err)
	}
	return &postgres{admin: admin, base: u}, nil
}

func (p *postgres) fresh(ctx context.Context) (string, func(), error) {
	return db.NewSchema(ctx, p.admin, p.base.String(), "humbench_")
}
