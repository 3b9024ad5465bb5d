package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"hum/internal/app"
	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/loadgen"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/scheduler"
)

// loadIETF83 imports IETF 83 into a fresh SQLite database as `hum import
// meeting` does, and loads it twice with the scheduler's service: bare,
// for the searches, and from the official schedule, for its score.
func loadIETF83(ctx context.Context, c config, out io.Writer) (bare, official *scheduler.Problem, err error) {
	in := meetings.DatatrackerImport{Number: "83"}
	for _, f := range []string{filepath.Join(c.dir, "meeting83.json"), filepath.Join(c.dir, "constraint83.json"), c.groups} {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		in.Fixtures = append(in.Fixtures, b)
	}
	dsn, drop, err := loadgen.FreshDB(ctx, "sqlite", "", "schedbench")
	if err != nil {
		return nil, nil, err
	}
	defer drop()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	a, err := app.New(d, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"}, nil)
	if err != nil {
		return nil, nil, err
	}
	began := time.Now()
	sum, err := a.Meetings.ImportDatatracker(ctx, groups.Operator(record.Actor{Name: "(schedbench)"}), in)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(out, "%s (%v)\n", sum, time.Since(began).Round(time.Millisecond))
	svc := a.Scheduler
	began = time.Now()
	if bare, err = svc.Load(ctx, "83", ""); err != nil {
		return nil, nil, err
	}
	if official, err = svc.Load(ctx, "83", "mtg:83"); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(out, "loaded: %s (%v)\n", shape(bare), time.Since(began).Round(time.Millisecond))
	return bare, official, nil
}

// shape says how big a problem is.
func shape(p *scheduler.Problem) string {
	rooms := map[string]bool{}
	for _, s := range p.Slots {
		rooms[s.Room] = true
	}
	conflicts := 0
	for _, g := range p.Groups {
		conflicts += len(g.Conflicts)
	}
	return fmt.Sprintf("%d sessions of %d groups, %d slots in %d rooms, %d conflicts", len(p.Sessions), len(p.Groups), len(p.Slots), len(rooms), conflicts)
}

// scoreOfficial prints what the official schedule, mtg:83, costs.
func scoreOfficial(out io.Writer, p *scheduler.Problem) error {
	r, err := scheduler.Score(p, scheduler.Placement(p.Start))
	if err != nil {
		return fmt.Errorf("scoring mtg:83: %w", err)
	}
	unplaced := kindTotal(r, "unplaced")
	fmt.Fprintf(out, "\nofficial schedule mtg:83: cost %s = %s on constraints + %d unplaced × %s; %d hard violations\n",
		scheduler.Thousands(r.Cost), scheduler.Thousands(r.Cost-unplaced), len(r.Unplaced), scheduler.Thousands(p.Penalty.Unplaced), len(r.Hard))
	for _, k := range r.Kinds {
		fmt.Fprintf(out, "  %-30s %4d × %9s = %11s\n", k.Slug, k.Count, scheduler.Thousands(k.Penalty), scheduler.Thousands(k.Total))
	}
	for _, h := range r.Hard {
		fmt.Fprintf(out, "  hard: %s\n", h)
	}
	for _, u := range r.Unplaced {
		fmt.Fprintf(out, "  unplaced: %s session %d (%s)\n", u.Group, u.Index+1, u.Reason)
	}
	return nil
}

// scoreRandom prints what n random feasible schedules cost, both ways
// randomPlacement makes them.
func scoreRandom(out io.Writer, p *scheduler.Problem, n int) error {
	if n <= 0 {
		return nil
	}
	fmt.Fprintf(out, "\nrandom feasible schedules, %d of each kind (one slot a session, no hard violation):\n", n)
	for _, fit := range []bool{true, false} {
		var costs []int64
		trims, unplaced := 0, 0
		for seed := range uint64(n) {
			r, err := scheduler.Score(p, randomPlacement(p, seed+1, fit))
			if err != nil {
				return err
			}
			if len(r.Hard) > 0 {
				return fmt.Errorf("random placement %d is not feasible: %s", seed+1, r.Hard[0])
			}
			costs = append(costs, r.Cost)
			trims += kindCount(r, "session_requires_trim")
			unplaced += len(r.Unplaced)
		}
		slices.Sort(costs)
		how := "in a slot that fits when one is free"
		if !fit {
			how = "in any free slot"
		}
		fmt.Fprintf(out, "  %-37s cost min %s p10 %s median %s p90 %s max %s; trims %.1f, unplaced %.1f a schedule\n",
			how, scheduler.Thousands(costs[0]), scheduler.Thousands(costs[n/10]), scheduler.Thousands(median(costs)), scheduler.Thousands(costs[n*9/10]), scheduler.Thousands(costs[n-1]),
			float64(trims)/float64(n), float64(unplaced)/float64(n))
	}
	return nil
}

// solveIETF83 solves IETF 83 with seeds 1..c.seeds at one budget.
func solveIETF83(ctx context.Context, out io.Writer, p *scheduler.Problem, c config, budget time.Duration) error {
	fmt.Fprintf(out, "\nIETF 83, budget %v, %d workers; %s\n", budget, workers(c.workers), loadavg())
	fmt.Fprintf(out, "%4s %10s %4s %8s %8s %8s %11s  %-20s %s\n", "seed", "cost", "hard", "unplaced", "best at", "elapsed", "moves", "stopped", "breakdown")
	var costs []int64
	var bestAt []time.Duration
	var bound int64
	zero, feasible := 0, 0
	for seed := 1; seed <= c.seeds; seed++ {
		r, err := scheduler.Solve(ctx, p, scheduler.Options{Seed: uint64(seed), Time: budget, Workers: c.workers})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%4d %10s %4d %8d %8s %8s %11s  %-20s %s\n", seed, scheduler.Thousands(r.Report.Cost), len(r.Report.Hard), len(r.Report.Unplaced),
			secs(r.BestAt), secs(r.Elapsed), scheduler.Thousands(r.Moves), r.Stopped, breakdown(r.Report))
		costs = append(costs, r.Report.Cost)
		bestAt = append(bestAt, r.BestAt)
		bound = r.LowerBound
		if r.Report.Cost == 0 {
			zero++
		}
		if len(r.Report.Hard) == 0 && len(r.Report.Unplaced) == 0 {
			feasible++
		}
	}
	if len(costs) == 0 {
		return nil
	}
	slices.Sort(costs)
	slices.Sort(bestAt)
	fmt.Fprintf(out, "summary, budget %v: cost min %s median %s max %s (lower bound %s); %d of %d runs at 0; %d feasible (no hard violation, none unplaced); time to best median %s max %s\n",
		budget, scheduler.Thousands(costs[0]), scheduler.Thousands(median(costs)), scheduler.Thousands(costs[len(costs)-1]), scheduler.Thousands(bound), zero, len(costs), feasible,
		secs(median(bestAt)), secs(bestAt[len(bestAt)-1]))
	return nil
}

// solveGenerated solves the generated meetings.
func solveGenerated(ctx context.Context, out io.Writer, c config) error {
	fmt.Fprintf(out, "\ngenerated meetings (scheduler.Generate), budget %v, %d workers; %s\n", c.genTime, workers(c.workers), loadavg())
	fmt.Fprintf(out, "%8s %5s %4s %6s %5s %7s %11s %9s %10s %4s %8s %8s %8s %11s  %-20s %s\n",
		"sessions", "rooms", "seed", "groups", "slots", "confl", "random", "lower bnd", "cost", "hard", "unplaced", "best at", "elapsed", "moves", "stopped", "breakdown")
	for _, z := range c.sizes {
		for seed := 1; seed <= c.genSeeds; seed++ {
			p := scheduler.Generate(scheduler.GenSpec{Sessions: z.sessions, Rooms: z.rooms}, uint64(seed))
			rnd, err := scheduler.Score(p, randomPlacement(p, uint64(seed), true))
			if err != nil {
				return err
			}
			r, err := scheduler.Solve(ctx, p, scheduler.Options{Seed: uint64(seed), Time: c.genTime, Workers: c.workers})
			if err != nil {
				return err
			}
			conflicts := 0
			for _, g := range p.Groups {
				conflicts += len(g.Conflicts)
			}
			fmt.Fprintf(out, "%8d %5d %4d %6d %5d %7d %11s %9s %10s %4d %8d %8s %8s %11s  %-20s %s\n",
				len(p.Sessions), z.rooms, seed, len(p.Groups), len(p.Slots), conflicts, scheduler.Thousands(rnd.Cost), scheduler.Thousands(r.LowerBound),
				scheduler.Thousands(r.Report.Cost), len(r.Report.Hard), len(r.Report.Unplaced), secs(r.BestAt), secs(r.Elapsed), scheduler.Thousands(r.Moves), r.Stopped, breakdown(r.Report))
			if len(r.Report.Hard) > 0 {
				fmt.Fprintf(out, "  hard violations: %d, first: %s\n", len(r.Report.Hard), r.Report.Hard[0])
			}
		}
	}
	return nil
}
