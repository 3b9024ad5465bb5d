package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"hum/internal/archive"
)

// importMbox is `hum import mbox --list NAME FILE...`: every message of
// every file (any mbox variant, gzip too) goes into the list's archive,
// de-duplicated by Message-ID and content. A progress line is drawn on
// stderr when it is a terminal; the summary accounts for every message.
func importMbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("import mbox")
	dsn := dbFlag(fs)
	list := fs.String("list", "", "the list whose archive receives the messages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: hum import mbox [--db URL] --list NAME FILE... (flags go before the files)")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	s := &archive.Service{DB: d}
	var bar io.Writer
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		bar = os.Stderr
	}
	var total archive.ImportResult
	start := time.Now()
	for _, name := range fs.Args() {
		res, err := importFile(ctx, s, *list, name, bar)
		summary(out, name, res)
		total.Read += res.Read
		total.Imported += res.Imported
		total.Duplicates += res.Duplicates
		total.Rejected = append(total.Rejected, res.Rejected...)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	el := time.Since(start)
	fmt.Fprintf(out, "total: %d messages read, %d imported, %d duplicates, %d rejected in %v (%.0f msgs/s)\n",
		total.Read, total.Imported, total.Duplicates, len(total.Rejected), el.Round(time.Millisecond), float64(total.Read)/el.Seconds())
	return nil
}

func importFile(ctx context.Context, s *archive.Service, list, name string, bar io.Writer) (archive.ImportResult, error) {
	f, err := os.Open(name)
	if err != nil {
		return archive.ImportResult{}, err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	cr := &countingReader{r: f}
	start := time.Now()
	progress := func(done int) {
		if bar == nil {
			return
		}
		pct := 100.0
		if size > 0 {
			pct = 100 * float64(cr.n.Load()) / float64(size)
		}
		rate := float64(done) / time.Since(start).Seconds()
		fmt.Fprintf(bar, "\r%s: %d messages, %.0f msgs/s, %3.0f%%  ", name, done, rate, pct)
	}
	res, err := s.Import(ctx, list, cr, progress)
	if bar != nil {
		fmt.Fprintln(bar)
	}
	return res, err
}

func summary(out io.Writer, name string, res archive.ImportResult) {
	fmt.Fprintf(out, "%s: %d messages read, %d imported, %d duplicates, %d rejected\n",
		name, res.Read, res.Imported, res.Duplicates, len(res.Rejected))
	for _, r := range res.Rejected {
		id := ""
		if r.MessageID != "" {
			id = " <" + r.MessageID + ">"
		}
		fmt.Fprintf(out, "  rejected message %d%s: %s\n", r.N, id, r.Reason)
	}
}

// countingReader counts the bytes read, for the progress line.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
