package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"hum/internal/db"
)

// image is a closed SQLite database as bytes: the main file, its search
// index (db.SearchPath) and its delivery queue (db.QueuePath), their
// write-ahead logs checkpointed.
// Writing it into a directory gives a database equal to the one read,
// at the cost of a file copy instead of the migrations and the inserts
// that made it.
type image map[string][]byte // file name (hum.db, hum.search.db, hum.queue.db) -> bytes

// readImage reads the closed database hum.db in dir, whose logs were
// checkpointed: a log or its index copied with the file could be read
// as another database's.
func readImage(dir string) (image, error) {
	im := image{}
	for _, name := range []string{"hum.db", "hum.search.db", "hum.queue.db"} {
		if fi, err := os.Stat(filepath.Join(dir, name+"-wal")); err == nil && fi.Size() > 0 {
			return nil, fmt.Errorf("%s has a log of %d bytes after its checkpoint", name, fi.Size())
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		im[name] = b
	}
	return im, nil
}

// write writes the image into dir, as hum.db and the files beside it.
func (im image) write(dir string) error {
	for name, b := range im {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// open writes the image into dir and opens it.
func (im image) open(ctx context.Context, dir string) (*db.DB, error) {
	if err := im.write(dir); err != nil {
		return nil, err
	}
	return db.Open(ctx, "sqlite:"+filepath.Join(dir, "hum.db"))
}

// build makes an image: a database in a directory of its own, made by
// fill from from (a migrated empty database when from is nil), closed
// and read back. The directory is removed.
func buildImage(ctx context.Context, from image, fill func(*db.DB) error) (im image, err error) {
	dir, err := os.MkdirTemp("", "hum-dbtest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var d *db.DB
	if from != nil {
		d, err = from.open(ctx, dir)
	} else {
		d, err = db.Open(ctx, "sqlite:"+filepath.Join(dir, "hum.db"))
	}
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := fill(d); err != nil {
		d.Close()
		return nil, err
	}
	// The search connection keeps the main file attached, so closing
	// does not checkpoint: the logs are emptied into the files first.
	for _, c := range []*sql.DB{d.DB, d.Search} {
		if _, err := c.ExecContext(ctx, `PRAGMA main.wal_checkpoint(TRUNCATE)`); err != nil {
			d.Close()
			return nil, err
		}
	}
	if err := d.Close(); err != nil {
		return nil, err
	}
	return readImage(dir)
}

// migrated is the image of a migrated empty SQLite database, made once
// per test binary: a copy of it is what dbtest.New gives each test.
var migrated struct {
	sync.Mutex
	im  image
	err error
}

func migratedImage(ctx context.Context) (image, error) {
	migrated.Lock()
	defer migrated.Unlock()
	if migrated.im == nil && migrated.err == nil {
		migrated.im, migrated.err = buildImage(ctx, nil, func(*db.DB) error { return nil })
		if migrated.err != nil {
			migrated.err = fmt.Errorf("dbtest: migrating the SQLite database every test copies: %w", migrated.err)
		}
	}
	return migrated.im, migrated.err
}
