package main

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

// loadResult is one load run on one endpoint.
type loadResult struct {
	path     string
	conns    int
	elapsed  time.Duration
	lat      []time.Duration // every successful request, sorted
	errors   int
	firstErr string
}

func (r loadResult) rps() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.lat)) / r.elapsed.Seconds()
}

// load keeps conns keep-alive connections busy with GETs of target for d,
// or until max requests have been sent, and records every latency.
// It refuses any target that is not on loopback.
func load(ctx context.Context, target string, conns int, d time.Duration, max int) (loadResult, error) {
	u, err := url.Parse(target)
	if err != nil {
		return loadResult{}, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return loadResult{}, fmt.Errorf("load: %s is not a loopback address", u.Host)
	}
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport:     tr,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		sent atomic.Int64
		wg   sync.WaitGroup
		per  = make([]worker, conns)
	)
	start := time.Now()
	for i := range per {
		wg.Go(func() { per[i].run(ctx, client, target, &sent, int64(max)) })
	}
	wg.Wait()
	r := loadResult{path: u.RequestURI(), conns: conns, elapsed: time.Since(start)}
	for _, w := range per {
		r.lat = append(r.lat, w.lat...)
		r.errors += w.errors
		if r.firstErr == "" {
			r.firstErr = w.firstErr
		}
	}
	slices.Sort(r.lat)
	return r, nil
}

// worker is one connection's loop; each owns its samples, so recording
// takes no lock.
type worker struct {
	lat      []time.Duration
	errors   int
	firstErr string
}

func (w *worker) run(ctx context.Context, c *http.Client, target string, sent *atomic.Int64, max int64) {
	w.lat = make([]time.Duration, 0, 1<<14)
	for ctx.Err() == nil && sent.Add(1) <= max {
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
