package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is wrk's own report on the group page, kept as a cross-check
// of humbench's load generator: wrk is C and lighter on the shared CPUs.
type wrkResult struct {
	summary []string // wrk's lines, as printed
	rps     float64
	p50     string
	p99     string
}

// runWrk runs `wrk -t2 -cN -dD --latency [-H header]... target`, or
// returns nil when wrk is not installed.
func runWrk(ctx context.Context, target string, conns int, d time.Duration, headers ...string) (*wrkResult, error) {
	bin, err := exec.LookPath("wrk")
	if errors.Is(err, exec.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", secs), "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.CommandContext(ctx, bin, append(args, target)...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out)), nil
}

func parseWrk(out string) *wrkResult {
	w := &wrkResult{}
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		w.summary = append(w.summary, line)
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			w.rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) == 2 && f[0] == "50%":
			w.p50 = f[1]
		case len(f) == 2 && f[0] == "99%":
			w.p99 = f[1]
		}
	}
	return w
}
