// Command agendabench measures IETF 83's agenda under load: it imports
// the meeting from the corpus into a fresh database, serves hum's web
// handler in-process on loopback, and reports req/s, p50 and p99 of
// /meeting/83/agenda/, agenda.ics and agenda.json under 50 concurrent
// connections, on SQLite and, with --postgres, PostgreSQL.
//
//	go run ./cmd/agendabench --postgres 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// "cached" runs repeat the URLs anonymous readers use, which the page
// cache answers (internal/web/public.go). "uncached" runs add a unique
// query string to every request, so each page is rendered again, from
// the agenda's model (cached until the record moves). "cold" runs call
// the meetings service's Agenda from as many goroutines, which is what a
// render costs the database after any change.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"hum/internal/app"
	"hum/internal/benchrun"
	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/loadgen"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/web"
)

func main() {
	dir := flag.String("dir", "../shared/corpus/meetings/ietf83", "the Datatracker's IETF 83 fixtures")
	groupList := flag.String("groups", "../shared/corpus/groups/workinggroups-2013.json", "the Datatracker's group list")
	conns := flag.Int("conns", 50, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "length of each run")
	pg := flag.String("postgres", os.Getenv("HUM_TEST_POSTGRES"), "PostgreSQL DSN; a fresh schema is made and dropped (empty: SQLite only)")
	flag.Parse()
	ctx := context.Background()
	in := meetings.DatatrackerImport{Number: "83", ListDomain: "ietf.example"}
	for _, f := range []string{filepath.Join(*dir, "meeting83.json"), filepath.Join(*dir, "constraint83.json"), *groupList} {
		b, err := os.ReadFile(f)
		if err != nil {
			fatal(err)
		}
		in.Fixtures = append(in.Fixtures, b)
	}
	engines := []string{"sqlite"}
	if *pg != "" {
		engines = append(engines, "postgres")
	}
	for _, e := range engines {
		dsn, drop, err := loadgen.FreshDB(ctx, e, *pg, "agendabench")
		if err != nil {
			fatal(err)
		}
		err = run(ctx, e, dsn, in, *conns, *dur)
		drop()
		if err != nil {
			fatal(err)
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "agendabench:", err)
	os.Exit(1)
}

func run(ctx context.Context, engine, dsn string, in meetings.DatatrackerImport, conns int, dur time.Duration) error {
	a, err := benchrun.Open(ctx, dsn, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"})
	if err != nil {
		return err
	}
	defer a.Close()
	d := a.DB
	t := time.Now()
	sum, err := a.Meetings.ImportDatatracker(ctx, groups.Operator(record.Actor{Name: "(agendabench)"}), in)
	if err != nil {
		return err
	}
	fmt.Printf("\n%s: %s in %v\n", engine, sum, time.Since(t).Round(time.Millisecond))
	if d.Dialect == db.Postgres {
		if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
			return err
		}
	}
	s, err := web.New(web.Config{DB: d, People: a.People, Groups: a.Groups, Archive: a.Archive, Lists: a.Lists, Docs: a.Docs, Meetings: a.Meetings, Jobs: a.Jobs,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: a.Config.BaseURL})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	fmt.Printf("%-34s %8s %8s %8s %7s\n", "endpoint", "req/s", "p50", "p99", "errors")
	for _, p := range []string{"/meeting/83/agenda/", "/meeting/83/agenda.ics", "/meeting/83/agenda.json"} {
		for _, mode := range []string{"cached", "uncached"} {
			next := func(int64) string { return p }
			if mode == "uncached" {
				next = func(i int64) string { return fmt.Sprintf("%s?u=%d", p, i) }
			}
			loadgen.Run(ctx, srv.URL, conns, time.Second, 0, next) // warm up
			r, err := loadgen.Run(ctx, srv.URL, conns, dur, 0, next)
			if err != nil {
				return err
			}
			fmt.Printf("%-34s %8.0f %8s %8s %7d\n", p+" "+mode, r.RPS(), ms(r.Percentile(50)), ms(r.Percentile(99)), r.Errors)
			if r.FirstErr != "" {
				fmt.Printf("  first error: %s\n", r.FirstErr)
			}
		}
	}
	r, err := cold(ctx, a.Meetings, conns, dur)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %8.0f %8s %8s %7d\n", "meetings.Agenda(83) cold", r.RPS(), ms(r.Percentile(50)), ms(r.Percentile(99)), r.Errors)
	return nil
}

// cold calls the service from conns goroutines for d: the database's
// share of a page after a change, when no cache holds the agenda.
func cold(ctx context.Context, ms *meetings.Service, conns int, d time.Duration) (loadgen.Result, error) {
	var mu sync.Mutex
	var r loadgen.Result
	var firstErr error
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				_, err := ms.Agenda(ctx, "83")
				if err != nil {
					mu.Lock()
					r.Errors++
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			r.Latencies = append(r.Latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r.Elapsed = time.Since(start)
	slices.Sort(r.Latencies)
	return r, firstErr
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
