package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"hum/internal/benchrun"
)

// result is everything measured on one engine.
type result struct {
	engine   string
	starts   []time.Duration // exec to first 200, one per cold start
	rssIdle  int64           // KiB, after the last start and an idle pause
	rssAfter int64           // KiB, after the load and an idle pause
	rssPeak  int64           // KiB, VmHWM after the load
	loads    []loadResult    // group page, API, then the single-connection run
	wrk      *wrkResult      // nil when wrk is absent or turned off
}

// benchEngine cold-starts hum c.runs times on fresh databases, then loads
// the last server it started.
func benchEngine(ctx context.Context, c config, engine, work string, progress io.Writer) (*result, error) {
	fresh, release, err := databases(ctx, c, engine, work)
	if err != nil {
		return nil, err
	}
	defer release()
	r := &result{engine: engine}
	var last *benchrun.Server
	for i := range c.runs {
		dsn, drop, err := fresh(ctx)
		if err != nil {
			return nil, err
		}
		s, err := benchrun.Start(ctx, benchrun.Serve{Bin: c.hum.Bin, DSN: dsn, Dir: fmt.Sprintf("%s/%s-%d", work, engine, i), Demo: true})
		if err != nil {
			drop()
			return nil, err
		}
		r.starts = append(r.starts, s.Ready)
		fmt.Fprintf(progress, "%s: cold start %d/%d: first 200 on / after %v\n", engine, i+1, c.runs, s.Ready.Round(time.Millisecond/10))
		if i < c.runs-1 {
			s.Stop()
			drop()
			continue
		}
		defer drop()
		last = s
	}
	defer last.Stop()
	if err := measure(ctx, c, last, r, progress); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, last.LogTail())
	}
	return r, nil
}

// measure reads idle memory, runs the loads and reads memory again.
func measure(ctx context.Context, c config, s *benchrun.Server, r *result, progress io.Writer) error {
	pid := s.Cmd.Process.Pid
	if err := sleep(ctx, c.idle); err != nil {
		return err
	}
	var err error
	if r.rssIdle, _, err = benchrun.RSS(pid); err != nil {
		return err
	}
	for _, path := range []string{groupPage, groupAPI} {
		fmt.Fprintf(progress, "%s: %v warm-up, then %v on %s with %d connections\n", r.engine, c.warmup, c.duration, path, c.conns)
		if _, err := load(ctx, s.Base+path, c.conns, c.warmup, c.maxReqs); err != nil {
			return err
		}
		lr, err := load(ctx, s.Base+path, c.conns, c.duration, c.maxReqs)
		if err != nil {
			return err
		}
		r.loads = append(r.loads, lr)
	}
	if c.solo > 0 {
		fmt.Fprintf(progress, "%s: %v on %s with 1 connection\n", r.engine, c.solo, groupPage)
		lr, err := load(ctx, s.Base+groupPage, 1, c.solo, c.maxReqs)
		if err != nil {
			return err
		}
		r.loads = append(r.loads, lr)
	}
	if err := sleep(ctx, c.idle); err != nil {
		return err
	}
	if r.rssAfter, r.rssPeak, err = benchrun.RSS(pid); err != nil {
		return err
	}
	if c.wrk {
		fmt.Fprintf(progress, "%s: wrk cross-check on %s\n", r.engine, groupPage)
		if r.wrk, err = runWrk(ctx, s.Base+groupPage, c.conns, c.duration); err != nil {
			return err
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
