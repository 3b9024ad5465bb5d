// Package loadgen is the load generator of hum's benchmark commands:
// keep-alive connections, each a goroutine that owns its samples, GETting
// pages of a hum on this machine until the run's time or request budget
// is spent, with every latency recorded.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is one run.
type Result struct {
	Elapsed   time.Duration
	Latencies []time.Duration // every successful request, sorted
	Errors    int
	FirstErr  string
}

// RPS is successful requests per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Percentile is the nearest-rank p-th percentile (0 to 100): the smallest
// latency with at least p% of all latencies at or below it.
func (r Result) Percentile(p float64) time.Duration { return Percentile(r.Latencies, p) }

// Percentile of sorted samples, nearest rank.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p*n before the division keeps whole-number ranks exact (99*100/100).
	rank := int(p * float64(n) / 100)
	if float64(rank) < p*float64(n)/100 {
		rank++
	}
	return sorted[min(max(rank, 1), n)-1]
}

// Run keeps conns connections busy for d, or until max requests have been
// sent (0: no limit). Request i fetches base+next(i); a nil next fetches
// base. Only loopback targets are allowed: this machine's network is not
// for load tests.
func Run(ctx context.Context, base string, conns int, d time.Duration, max int64, next func(i int64) string) (Result, error) {
	u, err := url.Parse(base)
	if err != nil {
		return Result{}, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return Result{}, fmt.Errorf("loadgen: %s is not a loopback address", u.Host)
	}
	if next == nil {
		next = func(int64) string { return "" }
	}
	if max <= 0 {
		max = 1 << 62
	}
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		seq atomic.Int64
		wg  sync.WaitGroup
		per = make([]worker, conns)
	)
	start := time.Now()
	for i := range per {
		wg.Go(func() { per[i].run(ctx, client, base, &seq, max, next) })
	}
	wg.Wait()
	r := Result{Elapsed: time.Since(start)}
	for _, w := range per {
		r.Latencies = append(r.Latencies, w.lat...)
		r.Errors += w.errors
		if r.FirstErr == "" {
			r.FirstErr = w.firstErr
		}
	}
	slices.Sort(r.Latencies)
	return r, nil
}

// worker is one connection's loop; each owns its samples, so recording
// takes no lock.
type worker struct {
	lat      []time.Duration
	errors   int
	firstErr string
}

func (w *worker) run(ctx context.Context, c *http.Client, base string, seq *atomic.Int64, max int64, next func(int64) string) {
	w.lat = make([]time.Duration, 0, 1<<14)
	for ctx.Err() == nil {
		i := seq.Add(1)
		if i > max {
			return
		}
		target := base + next(i)
		t := time.Now()
		err := get(ctx, c, target)
		dt := time.Since(t)
		switch {
		case err == nil:
			w.lat = append(w.lat, dt)
		case ctx.Err() != nil:
			// Cut short by the end of the run: not a failure.
		default:
			w.errors++
			if w.firstErr == "" {
				w.firstErr = err.Error()
			}
		}
	}
}

// get fetches target, reads the whole body and wants a 200.
func get(ctx context.Context, c *http.Client, target string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL.RequestURI(), resp.Status)
	}
	return nil
}
