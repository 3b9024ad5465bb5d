package main

import (
	"context"
	"net/url"
	"time"

	"hum/internal/loadgen"
)

// loadResult is one load run on one endpoint.
type loadResult struct {
	path  string
	conns int
	loadgen.Result
}

// load keeps conns keep-alive connections busy with GETs of target for d,
// or until max requests have been sent. Only loopback targets are allowed.
func load(ctx context.Context, target string, conns int, d time.Duration, max int) (loadResult, error) {
	r, err := loadgen.Run(ctx, target, conns, d, int64(max), nil)
	if err != nil {
		return loadResult{}, err
	}
	return loadResult{path: pathOf(target), conns: conns, Result: r}, nil
}

// pathOf is the path and query of a URL, for the report.
func pathOf(target string) string {
	if u, err := url.Parse(target); err == nil {
		return u.RequestURI()
	}
	return target
}
