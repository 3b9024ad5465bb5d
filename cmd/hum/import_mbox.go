package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"hum/internal/archive"
	"hum/internal/fail"
)

// importMbox is `hum import mbox --list NAME FILE...`: every message of
// every file (any mbox variant, gzip too) goes into the list's archive,
// de-duplicated by Message-ID and content. A progress line is drawn on
// stderr when it is a terminal; the summary accounts for every message.
//
// A file that cannot be opened or read to the end does not stop the
// import: the files after it are still imported, the summary ends with
// each such file and why, and the command then fails. Only an interrupt or
// a bad --list, which would fail for every file, stops it at once.
func importMbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("import mbox")
	list := fs.String("list", "", "the list whose archive receives the messages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: hum import mbox [--db URL] --list NAME FILE... (flags go before the files)")
	}
	a, err := fs.open(ctx, slog.Default()) // the archive warns of what it could not index
	if err != nil {
		return err
	}
	defer a.Close()
	s := a.Archive
	var bar io.Writer
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		bar = os.Stderr
	}
	var total archive.ImportResult
	var unread []unreadFile
	start := time.Now()
	for _, name := range fs.Args() {
		res, opened, err := importFile(ctx, s, *list, name, bar)
		if err != nil && (ctx.Err() != nil || fail.KindOf(err) == fail.Invalid) {
			summary(out, name, res)
			return fmt.Errorf("%s: %w", name, err)
		}
		if opened {
			summary(out, name, res)
		} else {
			fmt.Fprintf(out, "%s: not read\n", name)
		}
		if err != nil {
			unread = append(unread, unreadFile{name, opened, res.Read, err})
		}
		total.Read += res.Read
		total.Imported += res.Imported
		total.Duplicates += res.Duplicates
		total.Rejected = append(total.Rejected, res.Rejected...)
	}
	el := time.Since(start)
	fmt.Fprintf(out, "total: %d messages read, %d imported, %d duplicates, %d rejected in %v (%.0f msgs/s)\n",
		total.Read, total.Imported, total.Duplicates, len(total.Rejected), el.Round(time.Millisecond), float64(total.Read)/el.Seconds())
	return reportUnread(out, unread, fs.NArg())
}

// unreadFile is a FILE argument that could not be opened (opened false) or
// read to the end; the messages before the failure are imported.
type unreadFile struct {
	name   string
	opened bool
	read   int
	err    error
}

// reportUnread ends the summary with the files that could not be read and
// why, and fails the command if there were any.
func reportUnread(out io.Writer, unread []unreadFile, files int) error {
	if len(unread) == 0 {
		return nil
	}
	fmt.Fprintf(out, "%d of %d files could not be read:\n", len(unread), files)
	for _, u := range unread {
		if u.opened {
			fmt.Fprintf(out, "  %s: stopped after %d messages: %s\n", u.name, u.read, reason(u.err))
		} else {
			fmt.Fprintf(out, "  %s: %s\n", u.name, reason(u.err))
		}
	}
	return fmt.Errorf("%d of %d files could not be read (see the summary)", len(unread), files)
}

// reason shortens an error for the summary, whose lines already name the
// file: "open: no such file or directory", "read: is a directory",
// "gzip: invalid checksum".
func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(err) {
		err = u
	}
	return err.Error()
}

// importFile imports one file. opened reports whether the file could be
// opened; when it could, err is about reading or importing it.
func importFile(ctx context.Context, s *archive.Service, list, name string, bar io.Writer) (res archive.ImportResult, opened bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return archive.ImportResult{}, false, err
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
	res, err = s.Import(ctx, list, cr, progress)
	if bar != nil {
		fmt.Fprintln(bar)
	}
	return res, true, err
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
