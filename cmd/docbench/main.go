// Command docbench measures the documents pages under load: it loads the
// real rfc-index and generated drafts (10,000 by default) into a fresh
// database, serves hum's web handler in-process on loopback, and reports
// p50/p99 latency of /doc/{name}/ and /doc/search/?name=... under 50
// concurrent connections, on SQLite and, with --postgres, PostgreSQL.
//
//	go run ./cmd/docbench --postgres 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// "uncached" runs add a unique query string to every request, so each is
// rendered from the database; "cached" runs repeat a few URLs, which
// anonymous readers get from the page cache (internal/web/public.go). The
// cached runs go first: that cache stops admitting pages once full, and
// the uncached runs fill it. Before the runs it times each search once by
// itself. DOCBENCH_KEEP=sqlite (or postgres) stops after loading and
// keeps the database for EXPLAIN, printing its DSN.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"hum/internal/app"
	"hum/internal/benchrun"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
	"hum/internal/loadgen"
	"hum/internal/web"
)

func main() {
	index := flag.String("index", "../shared/corpus/rfc/rfc-index.txt", "the RFC Editor's rfc-index.txt")
	drafts := flag.Int("drafts", 10000, "generated drafts")
	wgs := flag.Int("wgs", 120, "generated WGs")
	conns := flag.Int("conns", 50, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "length of each run")
	pg := flag.String("postgres", os.Getenv("HUM_TEST_POSTGRES"), "PostgreSQL DSN; a fresh schema is made and dropped (empty: SQLite only)")
	sqliteOnly := flag.Bool("sqlite-only", false, "skip PostgreSQL")
	only := flag.String("only", "", "run only the scenarios whose name contains this")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the runs")
	flag.Parse()
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			fatal(err)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	onlyRun = *only
	ctx := context.Background()
	f, err := os.Open(*index)
	if err != nil {
		fatal(err)
	}
	es, err := rfcindex.ReadAll(f)
	f.Close()
	if err != nil {
		fatal(err)
	}
	engines := []string{"sqlite"}
	if *pg != "" && !*sqliteOnly {
		engines = append(engines, "postgres")
	}
	for _, e := range engines {
		dsn, drop, err := loadgen.FreshDB(ctx, e, *pg, "docbench")
		if err != nil {
			fatal(err)
		}
		err = run(ctx, e, dsn, es, *drafts, *wgs, *conns, *dur)
		drop()
		if err != nil {
			fatal(err)
		}
	}
}

var onlyRun string

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "docbench:", err)
	os.Exit(1)
}

func run(ctx context.Context, engine, dsn string, es []rfcindex.Entry, n, wgs, conns int, dur time.Duration) error {
	a, err := benchrun.Open(ctx, dsn, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"})
	if err != nil {
		return err
	}
	defer a.Close()
	d := a.DB
	gs, ds := a.Groups, a.Docs
	t := time.Now()
	if err := makeGroups(ctx, gs, wgs); err != nil {
		return err
	}
	if _, err := ds.ImportIndex(ctx, es); err != nil {
		return err
	}
	tIndex := time.Since(t)
	t = time.Now()
	if err := insertDrafts(ctx, d, n, wgs); err != nil {
		return err
	}
	tDrafts := time.Since(t)
	if d.Dialect == db.Postgres {
		if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
			return err
		}
	}
	s, err := web.New(web.Config{DB: d, People: a.People, Groups: gs, Archive: a.Archive, Lists: a.Lists, Docs: ds, Meetings: a.Meetings, Jobs: a.Jobs,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: a.Config.BaseURL})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	fmt.Printf("\n%s: %d RFCs imported and %d WGs in %v; %d drafts bulk-inserted in %v\n", engine, len(es), wgs, tIndex.Round(time.Millisecond), n, tDrafts.Round(time.Millisecond))

	rfcs, err := db.Query(ctx, d, db.Scalar[int], `SELECT rfc_number FROM doc WHERE type = 'rfc' ORDER BY rfc_number`)
	if err != nil {
		return err
	}
	searches := []string{"transport", "quic", "rfc9110", "draft-ietf-rtg04", "Number 4711", "http", "author7-", "zzz-nothing"}
	scenarios := []struct {
		name string
		next func(i int64) string
	}{
		{"/doc/{name}/ cached", func(i int64) string {
			if i%2 == 0 {
				return fmt.Sprintf("/doc/%s/", draftName(int(i%50), wgs))
			}
			return fmt.Sprintf("/doc/rfc%d/", rfcs[i%50])
		}},
		{"/doc/search/?name= cached", func(i int64) string {
			return "/doc/search/?name=" + url.QueryEscape(searches[i%int64(len(searches))])
		}},
		{"/doc/{draft}/ uncached", func(i int64) string { return fmt.Sprintf("/doc/%s/?u=%d", draftName(int(i*7919%int64(n)), wgs), i) }},
		{"/doc/rfc{N}/ uncached", func(i int64) string { return fmt.Sprintf("/doc/rfc%d/?u=%d", rfcs[i*7919%int64(len(rfcs))], i) }},
		{"/doc/search/?name= uncached", func(i int64) string {
			return fmt.Sprintf("/doc/search/?name=%s&u=%d", url.QueryEscape(searches[i%int64(len(searches))]), i)
		}},
	}
	if os.Getenv("DOCBENCH_KEEP") == engine {
		fmt.Println("keeping", dsn)
		os.Exit(0)
	}
	// One search at a time, straight to the service: what each query
	// costs by itself, without the load's queueing.
	for _, q := range searches {
		t := time.Now()
		var total int
		const n = 20
		for range n {
			if _, total, err = ds.Search(ctx, docs.Query{Name: q}); err != nil {
				return err
			}
		}
		fmt.Printf("  search %-20q %5d matches %8s each\n", q, total, ms(time.Since(t)/n))
	}
	fmt.Printf("%-30s %8s %8s %8s %8s %7s\n", "endpoint", "req/s", "p50", "p90", "p99", "errors")
	for _, sc := range scenarios {
		if !strings.Contains(sc.name, onlyRun) {
			continue
		}
		loadgen.Run(ctx, srv.URL, conns, time.Second, 0, sc.next) // warm up
		r, err := loadgen.Run(ctx, srv.URL, conns, dur, 0, sc.next)
		if err != nil {
			return err
		}
		fmt.Printf("%-30s %8.0f %8s %8s %8s %7d\n", sc.name, r.RPS(), ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)), r.Errors)
		if r.FirstErr != "" {
			fmt.Printf("  first error: %s\n", r.FirstErr)
		}
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
