// Package jobs is the one place where hum's periodic background work runs:
// the document timers, the search index's catch-up, the session sweep, and
// whatever a capability adds. Each capability hands its ticks to the
// Runner as named jobs with a period; the Runner starts and stops them
// together, logs every run with its duration and error, and tells the
// secretariat (/admin/jobs/) when each last ran and runs next.
//
// Work that users must see as state (the outbox, list deliveries) is not a
// job: it lives in its own table and its workers lease rows from it. A
// job's business logic reads time from its transaction; the Runner's own
// timers use the time package, so testing/synctest drives them.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Job is one kind of periodic work.
type Job struct {
	Name  string        // shown to the secretariat, e.g. "document timers"
	Every time.Duration // the period; the first run is at start
	Run   func(context.Context) error
}

// Status is what the Runner knows of a job in this process.
type Status struct {
	Name      string
	Every     time.Duration
	Runs      int           // runs finished since start
	Failures  int           // of those, the ones that returned an error
	Running   bool          // a run is under way
	LastStart time.Time     // zero before the first run
	LastTook  time.Duration // how long the last finished run took
	LastError string        // of the last finished run; "" when it succeeded
	Next      time.Time     // when the next run is due; zero when stopped
}

// Runner runs jobs. Add them before Run; Run returns when its context is
// done and every run under way has returned.
type Runner struct {
	log  *slog.Logger
	mu   sync.Mutex
	jobs []*entry
	on   bool
}

// entry is a job and what the Runner knows of it.
type entry struct {
	Job
	st Status
}

// New makes a Runner that logs to log.
func New(log *slog.Logger) *Runner {
	return &Runner{log: log}
}

// Add hands a job to the Runner. It panics when the Runner has started or
// the job has no name, period or function: that is a mistake in the
// assembly, found by any test that builds it.
func (r *Runner) Add(j Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on || j.Name == "" || j.Every <= 0 || j.Run == nil {
		panic(fmt.Sprintf("jobs: cannot add %q (every %v) to this runner", j.Name, j.Every))
	}
	for _, e := range r.jobs {
		if e.Name == j.Name {
			panic(fmt.Sprintf("jobs: %q added twice", j.Name))
		}
	}
	r.jobs = append(r.jobs, &entry{Job: j, st: Status{Name: j.Name, Every: j.Every}})
}

// Run runs every job now and then once each period until ctx is done. A
// run that is still going when its next one is due delays that one: a job
// never runs twice at once in one process.
func (r *Runner) Run(ctx context.Context) {
	r.mu.Lock()
	r.on = true
	jobs := slices.Clone(r.jobs)
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, e := range jobs {
		wg.Add(1)
		go func() { defer wg.Done(); r.loop(ctx, e) }()
	}
	wg.Wait()
}

func (r *Runner) loop(ctx context.Context, e *entry) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		if ctx.Err() != nil { // checked again: both may be ready after a long run
			r.mu.Lock()
			e.st.Next = time.Time{}
			r.mu.Unlock()
			return
		}
		next := r.once(ctx, e)
		t.Reset(max(time.Until(next), 0))
	}
}

// once runs j, records how it went, and returns when it is due next.
func (r *Runner) once(ctx context.Context, e *entry) time.Time {
	j := e.Job
	start := time.Now()
	r.mu.Lock()
	s := &e.st
	s.Running, s.LastStart = true, start
	r.mu.Unlock()
	err := run(ctx, j)
	took := time.Since(start)
	r.mu.Lock()
	s.Running, s.LastTook, s.Runs = false, took.Round(time.Microsecond), s.Runs+1
	s.LastError = ""
	if err != nil {
		s.Failures++
		s.LastError = err.Error()
	}
	s.Next = start.Add(j.Every)
	r.mu.Unlock()
	switch {
	case err != nil && ctx.Err() == nil:
		r.log.Warn("job failed", "job", j.Name, "took", took.Round(time.Millisecond), "err", err)
	case took >= time.Second:
		r.log.Info("job ran", "job", j.Name, "took", took.Round(time.Millisecond))
	default:
		r.log.Debug("job ran", "job", j.Name, "took", took.Round(time.Millisecond))
	}
	return start.Add(j.Every)
}

// run calls j.Run and turns a panic into an error, so that one job's bug
// does not stop the others or the process.
func run(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return j.Run(ctx)
}

// Jobs returns the status of every job, in the order they were added. A
// nil Runner has none.
func (r *Runner) Jobs() []Status {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, len(r.jobs))
	for i, e := range r.jobs {
		out[i] = e.st
	}
	return out
}
