package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The load generator follows cmd/humbench/load.go: conns keep-alive
// connections, each a goroutine that owns its samples, GETs until the
// run's time is up. Here each request asks for the next of many paths,
// so a run covers thousands of documents, not one.

type loadResult struct {
	requests int
	errors   int
	firstErr string
	elapsed  time.Duration
	lat      []time.Duration // sorted
}

func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(p * float64(len(r.lat)-1))
	return r.lat[i]
}

func (r loadResult) rps() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

// load runs conns workers for d; next(i) gives the i-th path to fetch.
func load(ctx context.Context, base string, conns int, d time.Duration, next func(i int64) string) loadResult {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var seq atomic.Int64
	var wg sync.WaitGroup
	per := make([]worker, conns)
	start := time.Now()
	for i := range per {
		wg.Go(func() { per[i].run(ctx, c, base, &seq, next) })
	}
	wg.Wait()
	r := loadResult{elapsed: time.Since(start)}
	for _, w := range per {
		r.lat = append(r.lat, w.lat...)
		r.errors += w.errors
		if r.firstErr == "" {
			r.firstErr = w.firstErr
		}
	}
	r.requests = len(r.lat) + r.errors
	slices.Sort(r.lat)
	return r
}

type worker struct {
	lat      []time.Duration
	errors   int
	firstErr string
}

func (w *worker) run(ctx context.Context, c *http.Client, base string, seq *atomic.Int64, next func(int64) string) {
	for ctx.Err() == nil {
		path := next(seq.Add(1))
		t := time.Now()
		err := get(ctx, c, base+path)
		dt := time.Since(t)
		switch {
		case err == nil:
			w.lat = append(w.lat, dt)
		case ctx.Err() != nil:
		default:
			w.errors++
			if w.firstErr == "" {
				w.firstErr = err.Error()
			}
		}
	}
}

func get(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
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
