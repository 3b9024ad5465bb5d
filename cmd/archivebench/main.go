// Command archivebench measures the mail archive on one mbox file: import
// rate (threading and search index included), then search latency, on
// SQLite or PostgreSQL, and runs the peer (public-inbox) on the same file
// in the same run to print the ratio.
//
//	go run ./cmd/archivebench [--db URL] [--peer /work/shared/bench/public-inbox-import] FILE
//
// Without --db it uses a fresh SQLite file in a temporary directory. A
// PostgreSQL --db should name an empty database or schema.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"hum/internal/archive"
	"hum/internal/db"
)

func main() {
	dsn := flag.String("db", "", "database (default: a new SQLite file in a temporary directory)")
	peer := flag.String("peer", "/work/shared/bench/public-inbox-import", "the peer's import script; empty to skip")
	searches := flag.Int("searches", 500, "search queries to time after the import")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: archivebench [--db URL] [--peer SCRIPT] FILE")
		os.Exit(2)
	}
	if err := run(context.Background(), *dsn, *peer, *searches, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "archivebench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn, peer string, searches int, file string) error {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "archivebench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "hum.db")
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	s := &archive.Service{DB: d}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	res, err := s.Import(ctx, "bench", f, nil)
	if err != nil {
		return err
	}
	took := time.Since(start)
	rate := float64(res.Read) / took.Seconds()
	fmt.Printf("hum (%s): %d messages (%d imported, %d duplicates, %d rejected) in %.1f s = %.0f msgs/s\n",
		d.Dialect, res.Read, res.Imported, res.Duplicates, len(res.Rejected), took.Seconds(), rate)

	queries := []string{"vignette", "cran check note", `"non-standard file"`, "from:hadley", "subject:windows",
		"rcpp compile error since:2020-01-01", "list:bench until:2016-01-01", "namespace imports", "valgrind", "submission rejected"}
	var lat []time.Duration
	for i := range searches {
		q, _ := archive.ParseQuery(queries[i%len(queries)])
		t := time.Now()
		if _, err := s.Search(ctx, q, 20, 0); err != nil {
			return err
		}
		lat = append(lat, time.Since(t))
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		fmt.Printf("hum search: p50 %v, p99 %v over %d queries\n", lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), len(lat))
	}
	if peer == "" {
		return nil
	}
	out, err := exec.CommandContext(ctx, peer, file).CombinedOutput()
	fmt.Print(string(out))
	if err != nil {
		return fmt.Errorf("peer: %w", err)
	}
	if m := regexp.MustCompile(`= (\d+) msgs/s`).FindSubmatch(out); m != nil {
		pr, _ := strconv.ParseFloat(string(m[1]), 64)
		fmt.Printf("ratio hum/public-inbox: %.1fx\n", rate/pr)
	}
	return nil
}
