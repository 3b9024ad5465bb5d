package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestRunner runs three jobs for ten and a half minutes of synctest's
// clock: each runs at start and then once a period, failures and panics
// are recorded without stopping anything, and the status says when each
// ran and runs next.
func TestRunner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs strings.Builder
		r := New(slog.New(slog.NewTextHandler(&logs, nil)))
		var minutely, fiveMinutely, bad atomic.Int32
		r.Add(Job{Name: "minutely", Every: time.Minute, Run: func(context.Context) error { minutely.Add(1); return nil }})
		r.Add(Job{Name: "five", Every: 5 * time.Minute, Run: func(context.Context) error { fiveMinutely.Add(1); return nil }})
		r.Add(Job{Name: "bad", Every: 4 * time.Minute, Run: func(context.Context) error {
			if bad.Add(1)%2 == 0 {
				panic("boom")
			}
			return errors.New("the database is down")
		}})
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute+30*time.Second)
		defer cancel()
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()

		time.Sleep(90 * time.Second)
		synctest.Wait()
		st := r.Jobs()
		if st[0].Runs != 2 || st[0].Running || !st[0].Next.Equal(start.Add(2*time.Minute)) || !st[0].LastStart.Equal(start.Add(time.Minute)) {
			t.Errorf("after 90 s, minutely: %+v", st[0])
		}
		<-done
		if n := minutely.Load(); n != 11 {
			t.Errorf("minutely ran %d times in 10.5 minutes, want 11 (at 0, 1, ..., 10)", n)
		}
		if n := fiveMinutely.Load(); n != 3 {
			t.Errorf("five ran %d times, want 3 (at 0, 5, 10)", n)
		}
		st = r.Jobs()
		if b := st[2]; b.Runs != 3 || b.Failures != 3 || b.LastError != "the database is down" || !b.Next.IsZero() {
			t.Errorf("bad job: %+v", b)
		}
		if !strings.Contains(logs.String(), "panic: boom") {
			t.Errorf("the panic was not logged:\n%s", logs.String())
		}
	})
}

// TestRunnerNeverOverlaps: a run longer than its period delays the next
// one instead of running beside it.
func TestRunnerNeverOverlaps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := New(slog.New(slog.DiscardHandler))
		var running, most, runs atomic.Int32
		r.Add(Job{Name: "slow", Every: time.Minute, Run: func(ctx context.Context) error {
			n := running.Add(1)
			if n > most.Load() {
				most.Store(n)
			}
			runs.Add(1)
			time.Sleep(150 * time.Second)
			running.Add(-1)
			return nil
		}})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute+time.Second)
		defer cancel()
		r.Run(ctx)
		if most.Load() != 1 {
			t.Errorf("%d runs at once", most.Load())
		}
		if n := runs.Load(); n != 5 {
			t.Errorf("%d runs of 150 s in 10 minutes, want 5 (at 0, 150, 300, 450, 600 s)", n)
		}
	})
}

func TestAddRefuses(t *testing.T) {
	ok := Job{Name: "a", Every: time.Second, Run: func(context.Context) error { return nil }}
	for _, c := range []struct {
		what string
		j    Job
	}{
		{"no name", Job{Every: time.Second, Run: ok.Run}},
		{"no period", Job{Name: "b", Run: ok.Run}},
		{"no function", Job{Name: "c", Every: time.Second}},
		{"a name twice", ok},
	} {
		r := New(slog.New(slog.DiscardHandler))
		if c.what == "a name twice" {
			r.Add(ok)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: added", c.what)
				}
			}()
			r.Add(c.j)
		}()
	}
}
