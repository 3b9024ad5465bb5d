// Command humbench measures the figures the foundation issue asks of hum,
// on SQLite and on PostgreSQL: how long `hum serve --demo` takes on an empty
// database from exec to its first 200 on /, its resident memory when idle
// and after load, and the throughput and latency of the group page and the
// group API under concurrent keep-alive connections.
//
// It drives a built hum binary over loopback only. The load generator runs
// on the same machine as the server, so both share the CPUs: the figures
// are for that setup, not for hum alone.
//
//	go run ./cmd/humbench                     # both engines, 5 starts, 10 s per load
//	go run ./cmd/humbench --engines sqlite --duration 3s
//	go run ./cmd/humbench --pages --engines sqlite  # every anonymous page against nginx
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"hum/internal/benchrun"
)

// config is what the flags ask for.
type config struct {
	hum      benchrun.Hum // the binary, and the PostgreSQL each run makes a schema on
	engines  []string
	runs     int           // cold starts per engine
	duration time.Duration // measured load per endpoint
	warmup   time.Duration // unmeasured load before each endpoint
	idle     time.Duration // pause before reading RSS
	solo     time.Duration // single-connection latency run; 0 skips it
	conns    int
	maxReqs  int // cap on requests per load run, so memory stays bounded
	wrk      bool
	pages    bool // measure every anonymous page against nginx instead
}

// The two endpoints the issue names.
const (
	groupPage = "/group/httpbis/about/"
	groupAPI  = "/api/v1/group/group/?acronym=httpbis"
)

func main() { benchrun.Main("humbench", run) }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("humbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.hum.Flags(fs)
	engines := fs.String("engines", "sqlite,postgres", "comma-separated engines to measure")
	fs.IntVar(&c.runs, "runs", 5, "cold starts per engine, each on a fresh database")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured load per endpoint")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured load before each endpoint")
	fs.DurationVar(&c.idle, "idle", 2*time.Second, "idle pause before each RSS reading")
	fs.DurationVar(&c.solo, "solo", 3*time.Second, "single-connection latency run on the group page (0 skips it)")
	fs.IntVar(&c.conns, "conns", 50, "concurrent keep-alive connections")
	fs.IntVar(&c.maxReqs, "max-requests", 2_000_000, "stop a load run after this many requests")
	fs.BoolVar(&c.wrk, "wrk", true, "cross-check the group page with wrk when it is installed")
	fs.BoolVar(&c.pages, "pages", false, "instead: every kind of anonymous page under wrk, side by side with nginx serving the same bytes (needs wrk and nginx)")
	if err := benchrun.Parse(fs, args); err != nil {
		return c, err
	}
	for _, e := range strings.Split(*engines, ",") {
		switch e = strings.TrimSpace(e); e {
		case "sqlite", "postgres":
			c.engines = append(c.engines, e)
		case "":
		default:
			return c, fmt.Errorf("unknown engine %q: want sqlite or postgres", e)
		}
	}
	switch {
	case len(c.engines) == 0:
		return c, errors.New("--engines names no engine")
	case c.runs < 1 || c.conns < 1 || c.maxReqs < 1:
		return c, errors.New("--runs, --conns and --max-requests must be at least 1")
	case c.duration <= 0:
		return c, errors.New("--duration must be positive")
	}
	return c, nil
}

func run(ctx context.Context, args []string, out, progress io.Writer) error {
	c, err := parseFlags(args, progress)
	if err != nil {
		return err
	}
	work, cleanup, err := c.hum.Setup(ctx, "humbench", progress)
	if err != nil {
		return err
	}
	defer cleanup()
	if c.pages {
		for _, e := range c.engines {
			rows, err := benchPages(ctx, c, e, work, progress)
			if err != nil {
				return fmt.Errorf("%s: %w", e, err)
			}
			printPages(out, c, e, rows)
		}
		return nil
	}
	printHeader(out, c)
	var results []*result
	for _, e := range c.engines {
		r, err := benchEngine(ctx, c, e, work, progress)
		if err != nil {
			return fmt.Errorf("%s: %w", e, err)
		}
		printEngine(out, c, r)
		results = append(results, r)
	}
	printSummary(out, c, results)
	return nil
}
