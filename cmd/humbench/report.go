package main

import (
	"bufio"
	"debug/buildinfo"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"hum/internal/benchrun"
)

// The target for the group page.
const (
	targetP50 = 2 * time.Millisecond
	targetRPS = 5000
)

func printHeader(w io.Writer, c config) {
	fmt.Fprintf(w, "humbench: %d CPUs (%s), %s %s/%s, load average %s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAvg())
	fmt.Fprintf(w, "hum: %s (%s)\n", c.hum.Bin, revision(c.hum.Bin))
	fmt.Fprintf(w, "cold start: %d runs per engine, each `hum serve --demo` on a fresh empty database, timed from exec to the first 200 on / (polled every 1 ms)\n", c.runs)
	fmt.Fprintf(w, "load: %d keep-alive connections, %v warm-up then %v per endpoint, every latency recorded, nearest-rank percentiles\n", c.conns, c.warmup, c.duration)
	fmt.Fprintf(w, "NOTE: the load generator and hum share this machine's %d CPUs, so the figures are for both together, not for hum alone.\n", runtime.NumCPU())
}

func printEngine(w io.Writer, c config, r *result) {
	fmt.Fprintf(w, "\n== %s ==\n", r.engine)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var runs []string
	for _, d := range r.starts {
		runs = append(runs, ms(d))
	}
	fmt.Fprintf(tw, "cold start, exec to first 200 on /\tmedian %s\tmin %s\truns: %s\n", ms(median(r.starts)), ms(minOf(r.starts)), strings.Join(runs, ", "))
	fmt.Fprintf(tw, "RSS idle (after start + %v)\t%s\t\t\n", c.idle, mib(r.rssIdle))
	fmt.Fprintf(tw, "RSS after load (+ %v idle)\t%s\tpeak %s\t\n", c.idle, mib(r.rssAfter), mib(r.rssPeak))
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tconns\tseconds\trequests\treq/s\tp50\tp90\tp99\tmax\terrors\t")
	for _, l := range r.loads {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", l.path, l.conns, l.Elapsed.Seconds(), thousands(float64(len(l.Latencies))), thousands(l.RPS()),
			ms(l.Percentile(50)), ms(l.Percentile(90)), ms(l.Percentile(99)), ms(l.Percentile(100)), l.Errors)
	}
	tw.Flush()
	for _, l := range r.loads {
		if l.FirstErr != "" {
			fmt.Fprintf(w, "first error on %s: %s\n", l.path, l.FirstErr)
		}
	}
	if r.wrk != nil {
		fmt.Fprintf(w, "\nwrk cross-check:\n")
		for _, line := range r.wrk.summary {
			fmt.Fprintln(w, "  "+line)
		}
	} else if c.wrk {
		fmt.Fprintln(w, "\nwrk is not installed (apt install wrk): no cross-check")
	}
}

// printSummary writes one line per figure, both engines side by side.
func printSummary(w io.Writer, c config, rs []*result) {
	fmt.Fprintf(w, "\n-- summary, one line per figure (load average now %s) --\n", loadAvg())
	line(w, fmt.Sprintf("cold start of hum serve --demo, exec to first 200 on / (empty DB, %d runs)", c.runs), rs, func(r *result) string {
		return fmt.Sprintf("median %s, min %s", ms(median(r.starts)), ms(minOf(r.starts)))
	})
	line(w, "RSS", rs, func(r *result) string {
		return fmt.Sprintf("%s idle, %s after load (peak %s)", mib(r.rssIdle), mib(r.rssAfter), mib(r.rssPeak))
	})
	for i, path := range []string{groupPage, groupAPI} {
		line(w, fmt.Sprintf("%s (%d conns, %v)", path, c.conns, c.duration), rs, func(r *result) string { return loadLine(r.loads[i]) })
	}
	if c.solo > 0 {
		line(w, fmt.Sprintf("%s (1 conn, %v)", groupPage, c.solo), rs, func(r *result) string { return loadLine(r.loads[2]) })
	}
	if rs[0].wrk != nil {
		line(w, fmt.Sprintf("wrk -t2 -c%d on %s", c.conns, groupPage), rs, func(r *result) string {
			return fmt.Sprintf("%s req/s, p50 %s, p99 %s", thousands(r.wrk.rps), r.wrk.p50, r.wrk.p99)
		})
	}
	line(w, fmt.Sprintf("target for %s: p50 < %s and > %s req/s", groupPage, ms(targetP50), thousands(targetRPS)), rs, func(r *result) string {
		return verdict(r.loads[0])
	})
	fmt.Fprintf(w, "(%d closed-loop connections keep mean latency near conns / throughput, so p50 < %s at %d connections needs about %s req/s; load generator and hum shared %d CPUs)\n",
		c.conns, ms(targetP50), c.conns, thousands(float64(c.conns)/targetP50.Seconds()), runtime.NumCPU())
}

func line(w io.Writer, what string, rs []*result, f func(*result) string) {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.engine+" "+f(r))
	}
	fmt.Fprintf(w, "%s: %s\n", what, strings.Join(parts, "; "))
}

func loadLine(l loadResult) string {
	s := fmt.Sprintf("%s req/s, p50 %s, p90 %s, p99 %s", thousands(l.RPS()), ms(l.Percentile(50)), ms(l.Percentile(90)), ms(l.Percentile(99)))
	if l.Errors > 0 {
		s += fmt.Sprintf(", %d errors", l.Errors)
	}
	return s
}

func verdict(l loadResult) string {
	var missed []string
	if p := l.Percentile(50); p >= targetP50 {
		missed = append(missed, "p50 "+ms(p))
	}
	if l.RPS() <= targetRPS {
		missed = append(missed, thousands(l.RPS())+" req/s")
	}
	if len(missed) == 0 {
		return "met"
	}
	return "MISSED (" + strings.Join(missed, ", ") + ")"
}

func minOf(xs []time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	return slices.Min(xs)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

// thousands rounds f and groups its digits: 12345.6 is "12,346".
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// revision is the commit a binary was built from, as go build records it.
func revision(bin string) string {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "no build info"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " plus uncommitted changes"
			}
		}
	}
	if rev == "" {
		return "no VCS revision"
	}
	return "commit " + rev[:min(12, len(rev))] + dirty
}

// loadAvg is the 1-minute load average: other work on the machine skews
// every figure, so the report shows it.
func loadAvg() string {
	if l := benchrun.LoadAvg(); l != nil {
		return l[0]
	}
	return "unknown"
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
