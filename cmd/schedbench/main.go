// Command schedbench measures the meeting scheduler. It imports IETF 83
// from the corpus into a fresh SQLite database, scores the official
// (hand-made) schedule, scores random feasible schedules for context,
// runs the solver with several seeds at each time budget, and then runs
// it on generated meetings of larger sizes (scheduler.Generate) to show
// how time and cost grow.
//
//	go run ./cmd/schedbench                      # 10 seeds × 10 s, then 300 and 600 sessions
//	go run ./cmd/schedbench -seeds 1 -time 1s -sizes 300 -gen-seeds 1 -gen-time 1s
//
// The machine is shared: the load average is printed before each part.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is what one run of the bench does.
type config struct {
	dir, groups string          // the IETF 83 fixtures and the group list
	seeds       int             // IETF 83 is solved with seeds 1..seeds
	times       []time.Duration // at each of these budgets
	workers     int             // Options.Workers; 0: GOMAXPROCS
	random      int             // random feasible schedules scored
	sizes       []size          // generated meetings
	genSeeds    int             // each generated size with seeds 1..genSeeds
	genTime     time.Duration   // budget for a generated meeting
}

// size is a generated meeting's: sessions and rooms.
type size struct{ sessions, rooms int }

func main() {
	var c config
	var times, sizes string
	flag.StringVar(&c.dir, "dir", "../shared/corpus/meetings/ietf83", "the Datatracker's IETF 83 fixtures")
	flag.StringVar(&c.groups, "groups", "../shared/corpus/groups/workinggroups-2013.json", "the Datatracker's group list")
	flag.IntVar(&c.seeds, "seeds", 10, "solve IETF 83 with seeds 1..N")
	flag.StringVar(&times, "time", "10s", "time budgets, comma-separated (2s,10s)")
	flag.IntVar(&c.workers, "workers", 0, "independent searches per run (0: one per core)")
	flag.IntVar(&c.random, "random", 100, "random feasible schedules to score")
	flag.StringVar(&sizes, "sizes", "300:20,600:40", "generated meetings, SESSIONS[:ROOMS] comma-separated (rooms default to sessions/15); empty for none")
	flag.IntVar(&c.genSeeds, "gen-seeds", 3, "seeds per generated size")
	flag.DurationVar(&c.genTime, "gen-time", 10*time.Second, "time budget for a generated meeting")
	flag.Parse()
	var err error
	if c.times, err = parseTimes(times); err != nil {
		fatal(err)
	}
	if c.sizes, err = parseSizes(sizes); err != nil {
		fatal(err)
	}
	if err := run(context.Background(), c, os.Stdout); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "schedbench:", err)
	os.Exit(1)
}

func parseTimes(s string) ([]time.Duration, error) {
	var ds []time.Duration
	for f := range strings.SplitSeq(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("-time: %q is not a positive duration such as 10s", f)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

func parseSizes(s string) ([]size, error) {
	var zs []size
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for f := range strings.SplitSeq(s, ",") {
		n, r, hasRooms := strings.Cut(strings.TrimSpace(f), ":")
		var z size
		var err error
		if z.sessions, err = strconv.Atoi(n); err != nil || z.sessions <= 0 {
			return nil, fmt.Errorf("-sizes: %q: sessions must be a positive number", f)
		}
		z.rooms = (z.sessions + 14) / 15
		if hasRooms {
			if z.rooms, err = strconv.Atoi(r); err != nil || z.rooms <= 0 {
				return nil, fmt.Errorf("-sizes: %q: rooms must be a positive number", f)
			}
		}
		zs = append(zs, z)
	}
	return zs, nil
}

// run is the whole bench, writing its report to out.
func run(ctx context.Context, c config, out io.Writer) error {
	fmt.Fprintf(out, "schedbench: %s\n", machine())
	p, official, err := loadIETF83(ctx, c, out)
	if err != nil {
		return err
	}
	if err := scoreOfficial(out, official); err != nil {
		return err
	}
	if err := scoreRandom(out, p, c.random); err != nil {
		return err
	}
	for _, d := range c.times {
		if err := solveIETF83(ctx, out, p, c, d); err != nil {
			return err
		}
	}
	if len(c.sizes) > 0 {
		return solveGenerated(ctx, out, c)
	}
	return nil
}
