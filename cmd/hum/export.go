package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// exportPublic writes the public dump of the record to a file: the same
// dump hum serve keeps and serves at /api/export/ (package export).
func exportPublic(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("export", "hide-addresses")
	path := fs.String("public", "", "the file to write, a SQLite database (replaced when the dump is complete)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" || fs.NArg() > 0 {
		return fmt.Errorf("export takes --public FILE (got %q)", fs.Args())
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	st, err := a.Export.WriteFile(ctx, *path)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s in %s: %s", *path, time.Since(start).Round(time.Millisecond), st.Summary())
	return nil
}
