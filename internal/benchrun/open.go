package benchrun

import (
	"context"

	"hum/internal/app"
	"hum/internal/db"
	"hum/internal/heapfloor"
)

// Open opens and migrates the database at dsn and builds hum's services
// on it, in the bench's process, configured by c, with the collector's
// heap floor that hum's own processes keep (heapfloor). Close the App
// when done.
func Open(ctx context.Context, dsn string, c app.Config) (*app.App, error) {
	heapfloor.Keep(heapfloor.Floor)
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
