package benchrun

import (
	"context"

	"hum/internal/app"
	"hum/internal/db"
)

// Open opens and migrates the database at dsn and builds hum's services
// on it, in the bench's process, configured by c. Close the App when
// done.
func Open(ctx context.Context, dsn string, c app.Config) (*app.App, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	a, err := app.New(d, c, nil)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}
