package loadgen

import (
	"context"
	"os"
	"path/filepath"

	"hum/internal/db"
)

// FreshDB makes an empty database for one bench run: a SQLite file in a
// new temporary directory, or a new schema on the PostgreSQL at pg. drop
// removes it.
func FreshDB(ctx context.Context, engine, pg, name string) (dsn string, drop func(), err error) {
	if engine == "sqlite" {
		d, err := os.MkdirTemp("", name+"-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(d, "hum.db"), func() { os.RemoveAll(d) }, nil
	}
	return db.OpenSchema(ctx, pg, name+"_")
}
