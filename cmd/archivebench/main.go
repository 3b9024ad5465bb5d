// Command archivebench measures the mail archive.
//
// On one mbox file it measures the import rate (threading and search index
// included), then search latency, on SQLite or PostgreSQL, and runs the
// peer (public-inbox) on the same file in the same run to print the ratio:
//
//	go run ./cmd/archivebench [--db URL] [--peer /work/shared/bench/public-inbox-import] FILE
//
// With --generate N --mbox FILE it only writes the generated messages to
// FILE, so that the import command itself can be timed on them:
//
//	go run ./cmd/archivebench --generate 200000 --mbox /var/tmp/gen200k.mbox
//	time go run ./cmd/hum import mbox --db sqlite:/var/tmp/a.db --list bench /var/tmp/gen200k.mbox
//
// With --import-curve N,N,... it runs `hum import mbox` as a process of
// its own on generated files of each size, each into an empty archive
// (SQLite, or a fresh schema of the PostgreSQL server --db names), and
// prints its peak resident memory and CPU time per message, so that how
// they grow with the input is written down:
//
//	go run ./cmd/archivebench --import-curve 11000,50000,200000
//	go run ./cmd/archivebench --import-curve 11000,50000,200000 --db postgres://...
//
// With --generate N it builds (or reuses) an archive of N messages made
// from the real corpus, each copy of a message with fresh Message-IDs, and
// measures search and thread-page latency over it, the latter under load:
//
//	go run ./cmd/archivebench --generate 1000000 --db sqlite:/var/tmp/arch1m.db
//
// With --serve-memory DURATION it runs `hum serve` on such an archive
// under mixed reading and posting (serve.go), printing its resident
// memory every minute:
//
//	go run ./cmd/archivebench --serve-memory 60m --db sqlite:/var/tmp/arch1m.db
//
// The database is kept: a second run with the same --db and N imports
// nothing and goes straight to the measurements; a larger N adds the rest.
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
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"time"

	"hum/internal/app"
	"hum/internal/archive"
	"hum/internal/benchrun"
	"hum/internal/db"
)

func main() {
	dsn := flag.String("db", "", "database (default: a new SQLite file in a temporary directory)")
	peer := flag.String("peer", "/work/shared/bench/public-inbox-import", "the peer's import script; empty to skip")
	searches := flag.Int("searches", 500, "search queries to time")
	generate := flag.Int("generate", 0, "build an archive of this many messages from --source and measure it")
	mboxOut := flag.String("mbox", "", "with --generate: only write the generated messages to this mbox file, for timing `hum import mbox` on it")
	source := flag.String("source", "../shared/corpus/lists/r-package-devel-2015q2-2026q3.mbox.gz", "corpus mbox that --generate scales")
	pages := flag.Int("pages", 5000, "thread pages to time with --generate")
	conc := flag.Int("concurrency", 50, "concurrent readers of thread pages and searches with --generate")
	curve := flag.String("import-curve", "", "comma-separated sizes: time `hum import mbox` on generated mbox files of each size (peak RSS, CPU per message); --db names a PostgreSQL server to measure there")
	humBin := flag.String("hum", "", "with --import-curve or --serve-memory: the hum binary to run (default: build ./cmd/hum)")
	serveMem := flag.Duration("serve-memory", 0, "run `hum serve` on --db (an archive --generate built) under mixed reading and posting for this long, printing its resident memory every minute")
	readers := flag.Int("readers", 8, "with --serve-memory: concurrent readers")
	only := flag.String("query", "", "time only this search query (default: the built-in mix)")
	flag.BoolVar(&sameDates, "same-dates", false, "generate every copy of the corpus on the corpus's own dates, rather than each copy after the one before")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memprofile := flag.String("memprofile", "", "write a profile of the whole run's allocations to this file at its end")
	flag.Parse()
	if *only != "" {
		queries = []string{*only}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "archivebench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			f, err := os.Create(*memprofile)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "archivebench:", err)
			}
		}()
	}
	ctx := context.Background()
	var err error
	switch {
	case *serveMem > 0:
		err = serveMemory(ctx, *dsn, *humBin, *serveMem, *readers)
	case *curve != "":
		err = importCurve(ctx, *dsn, *source, *humBin, *curve)
	case *generate > 0 && *mboxOut != "":
		err = writeGenerated(*source, *generate, *mboxOut)
	case *generate > 0:
		err = runGenerated(ctx, *dsn, *source, *generate, *searches, *pages, *conc)
	case flag.NArg() == 1:
		err = run(ctx, *dsn, *peer, *searches, flag.Arg(0))
	default:
		fmt.Fprintln(os.Stderr, "usage: archivebench [--db URL] [--peer SCRIPT] FILE\n       archivebench --generate N --db URL [--source MBOX]")
		os.Exit(2)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "archivebench:", err)
		os.Exit(1)
	}
}

// open opens hum on dsn, or on a new SQLite file when dsn is empty;
// done closes it and removes the temporary file.
func open(ctx context.Context, dsn string) (a *app.App, done func(), err error) {
	done = func() {}
	if dsn == "" {
		dir, err := os.MkdirTemp("", "archivebench")
		if err != nil {
			return nil, done, err
		}
		done = func() { os.RemoveAll(dir) }
		dsn = "sqlite:" + filepath.Join(dir, "hum.db")
	}
	a, err = benchrun.Open(ctx, dsn, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"})
	if err != nil {
		done()
		return nil, func() {}, err
	}
	rm := done
	return a, func() { a.Close(); rm() }, nil
}

func run(ctx context.Context, dsn, peer string, searches int, file string) error {
	a, done, err := open(ctx, dsn)
	if err != nil {
		return err
	}
	defer done()
	d := a.DB
	s := a.Archive
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
	if err := timeSearches(ctx, s, searches, 1); err != nil {
		return err
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

// queries mixes rare and common words, phrases, field terms and filters.
var queries = []string{"vignette", "cran check note", `"non-standard file"`, "from:hadley", "subject:windows",
	"rcpp compile error since:2020-01-01", "list:bench until:2016-01-01", "namespace imports", "valgrind", "submission rejected",
	"package", "error", `"r cmd check"`, "subject:note from:gmail.com"}

// timeSearches runs n searches one at a time, then, with conc > 1, n
// more with conc readers at once, each a fresh query to the database (the
// archive service keeps no results), and prints the percentiles of each.
func timeSearches(ctx context.Context, s *archive.Service, n, conc int) error {
	if n == 0 {
		return nil
	}
	search := func(i int) error {
		q, _ := archive.ParseQuery(queries[i%len(queries)])
		_, err := s.Search(ctx, q, 20, 0)
		return err
	}
	// timed runs the n searches with conc readers, and returns their
	// latencies and the line that sums them up.
	//
	// On PostgreSQL the search runs in the server: the line adds the
	// server's CPU a search when it runs on this machine (the postgres
	// processes' scheduler time; the pool keeps its connections open
	// through the run, so the difference is what the searches cost it).
	perSearch := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	timed := func(conc int, what string) ([]time.Duration, string, error) {
		cpu0 := benchrun.CPUTime()
		pg0, _ := benchrun.CommandCPU("postgres")
		lat, took, err := timeConcurrent(n, conc, search)
		cpu := benchrun.CPUTime() - cpu0
		pg1, _ := benchrun.CommandCPU("postgres")
		if err != nil {
			return nil, "", err
		}
		p50, p99 := percentiles(lat)
		server := ""
		if s.DB.Dialect == db.Postgres && pg1 > pg0 {
			server = fmt.Sprintf(", and %.2f ms of the server's", perSearch(pg1-pg0))
		}
		return lat, fmt.Sprintf("hum search: p50 %v, p99 %v over %d queries, %s (%.0f searches/s, %.2f ms of CPU a search%s)",
			p50, p99, n, what, float64(n)/took.Seconds(), perSearch(cpu), server), nil
	}
	lat, line, err := timed(1, "one at a time")
	if err != nil {
		return err
	}
	worst, total, count := map[string]time.Duration{}, map[string]time.Duration{}, map[string]int{}
	for i, el := range lat {
		q := queries[i%len(queries)]
		worst[q] = max(worst[q], el)
		total[q] += el
		count[q]++
	}
	fmt.Println(line)
	for _, q := range queries {
		if count[q] > 0 {
			fmt.Printf("  %-40q mean %v, slowest %v\n", q, (total[q] / time.Duration(count[q])).Round(time.Microsecond), worst[q].Round(time.Microsecond))
		}
	}
	if conc <= 1 {
		return nil
	}
	if _, line, err = timed(conc, fmt.Sprintf("%d concurrent", conc)); err != nil {
		return err
	}
	fmt.Println(line)
	return nil
}

// timeConcurrent calls do(0..n-1) from conc goroutines at once and returns
// each call's latency (in the order of i), the whole run's time and the
// first error.
func timeConcurrent(n, conc int, do func(i int) error) (lat []time.Duration, took time.Duration, err error) {
	lat = make([]time.Duration, n)
	var wg sync.WaitGroup
	var once sync.Once
	next := make(chan int)
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				e := do(i)
				lat[i] = time.Since(t)
				if e != nil {
					once.Do(func() { err = e })
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat, time.Since(start), err
}

// percentiles returns lat's median and 99th percentile, leaving lat in
// its order.
func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	lat = slices.Clone(lat)
	slices.Sort(lat)
	return lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond)
}
