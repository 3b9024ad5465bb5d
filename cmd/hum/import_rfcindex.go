package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"hum/internal/docs/rfcindex"
)

// importRFCIndex is `hum import rfc-index FILE`: every RFC with its title,
// authors, date, status, relations and STD/BCP/FYI numbers, in one
// transaction. Running it again updates what changed.
func importRFCIndex(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("import rfc-index")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("import rfc-index takes one FILE, the RFC Editor's rfc-index.txt (flags go before it)")
	}
	start := time.Now()
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := rfcindex.ReadAll(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	read := time.Since(start)
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	c, err := a.Docs.ImportIndex(ctx, entries)
	if err != nil {
		return err
	}
	if bad := rfcindex.Inconsistencies(entries); len(bad) > 0 {
		fmt.Fprintf(out, "note: %d relations are stated on one side of the index only; both directions were recorded\n", len(bad))
	}
	fmt.Fprintf(out, "%s (read %v, stored %v)\n", c, read.Round(time.Millisecond), (time.Since(start) - read).Round(time.Millisecond))
	return nil
}
