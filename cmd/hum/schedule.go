package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"hum/internal/groups"
	"hum/internal/scheduler"
)

// schedule is `hum schedule`: schedule every schedulable session of a
// meeting and store the result beside the official schedule, as the
// secretariat; or, with --score, cost an existing schedule. The report
// goes to standard output and holds no timings, so the same inputs and
// seed print the same bytes; the time taken and where the schedule was
// stored go to standard error.
func schedule(ctx context.Context, args []string, out io.Writer) (err error) {
	fs := flags("schedule")
	number := fs.String("meeting", "", "the meeting's number, e.g. 83")
	var r scheduler.RunRequest
	fs.StringVar(&r.Name, "name", "", "the new schedule's name (default auto-YYYYMMDD-HHMMSS, UTC)")
	fs.Uint64Var(&r.Seed, "seed", 0, "the search's seed: the same seed and inputs give the same schedule")
	fs.DurationVar(&r.Time, "time", 10*time.Second, "the search's time budget")
	fs.Int64Var(&r.Moves, "moves", 0, "a budget in moves per worker instead of time alone (benchmarks, tests)")
	fs.IntVar(&r.Workers, "workers", 0, "parallel searches (default one per core); the same seed gives the same schedule with the same number of workers")
	fs.StringVar(&r.From, "from", "", "start from this schedule, keeping the sessions pinned in it")
	pinFile := fs.String("pin", "", `a placement file of sessions to pin (a JSON list of {"group", "session_index", "start", "room"})`)
	jsonFile := fs.String("json", "", "write the placements to this file, in the placement file's format")
	fs.BoolVar(&r.Official, "official", false, "make the result the official schedule, which the agenda shows")
	score := fs.String("score", "", "print what this existing schedule costs instead of scheduling (e.g. the official one, mtg:83)")
	fs.StringVar(&r.Why, "why", "", "why, for the record")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *number == "" {
		return fmt.Errorf("schedule takes --meeting N and flags only (got %q)", fs.Args())
	}
	if *pinFile != "" {
		f, err := os.Open(*pinFile)
		if err != nil {
			return err
		}
		r.Pins, err = scheduler.DecodePins(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *pinFile, err)
		}
	}
	// The placement file is created first, so that a path that cannot
	// be written fails before the search; it is removed if anything
	// fails after.
	var jsonOut *os.File
	if *jsonFile != "" {
		if jsonOut, err = os.Create(*jsonFile); err != nil {
			return err
		}
		defer func() {
			if cerr := jsonOut.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(*jsonFile)
			}
		}()
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if *score != "" {
		sc, err := a.Scheduler.Score(ctx, *number, *score)
		if err != nil {
			return err
		}
		if err := writePlacements(jsonOut, sc.Problem, sc.Placement); err != nil {
			return err
		}
		return scheduler.WriteScore(out, sc.Problem, sc.Report)
	}
	began := time.Now()
	o, err := a.Scheduler.Run(ctx, groups.Operator(admin()), *number, r)
	if err != nil {
		return withProblems(err)
	}
	if err := writePlacements(jsonOut, o.Problem, o.Result.Placement); err != nil {
		return err
	}
	if err := scheduler.WriteReport(out, o.Problem, o.Result); err != nil {
		return err
	}
	official := ""
	if o.Schedule.Official {
		official = ", now the official schedule"
	}
	fmt.Fprintf(os.Stderr, "stored as schedule %q of IETF %s%s\n", o.Schedule.Name, *number, official)
	fmt.Fprintf(os.Stderr, "time: %.2fs (best found at %.2fs), %d moves; %.2fs in all\n",
		o.Result.Elapsed.Seconds(), o.Result.BestAt.Seconds(), o.Result.Moves, time.Since(began).Seconds())
	return nil
}

// writePlacements writes a placement file to f, if there is one.
func writePlacements(f *os.File, p *scheduler.Problem, pl scheduler.Placement) error {
	if f == nil {
		return nil
	}
	return scheduler.WriteJSON(f, p, pl)
}
