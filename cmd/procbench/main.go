// Command procbench measures how hum's rates grow with the number of
// `hum serve` processes on one PostgreSQL (issue 17): the group page's
// rate under concurrent keep-alive readers, and the rate at which posts
// to a list get their SMTP 250, with the load spread evenly over one,
// two and three processes.
//
// Everything runs on this machine: the processes, PostgreSQL, the load
// generator and the sink that takes the list's copies share its cores,
// so the figures say how cost grows here, not what more machines give.
// Keep runs short on a shared machine.
//
//	go run ./cmd/procbench                        # 1, 2 and 3 processes, 3 s per figure
//	go run ./cmd/procbench --procs 1,2 --duration 5s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/benchrun"
	"hum/internal/loadgen"
	"hum/internal/mail/stubdns"
)

type config struct {
	hum      benchrun.Hum
	procs    []int
	duration time.Duration
	conns    int // page readers, spread over the processes
	senders  int // SMTP clients, spread over the processes
}

const (
	page   = "/group/httpbis/about/"
	list   = "httpbis"
	poster = "bench-poster@example.org"
)

func main() { benchrun.Main("procbench", run) }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("procbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.hum.Flags(fs)
	procs := fs.String("procs", "1,2,3", "comma-separated numbers of hum processes to measure")
	fs.DurationVar(&c.duration, "duration", 3*time.Second, "measured load per figure")
	fs.IntVar(&c.conns, "conns", 48, "concurrent page readers, spread over the processes")
	fs.IntVar(&c.senders, "senders", 6, "concurrent SMTP clients, spread over the processes")
	if err := benchrun.Parse(fs, args); err != nil {
		return c, err
	}
	for _, p := range strings.Split(*procs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 16 {
			return c, fmt.Errorf("--procs: %q is not a number of processes from 1 to 16", p)
		}
		c.procs = append(c.procs, n)
	}
	if c.duration <= 0 || c.conns < 1 || c.senders < 1 {
		return c, errors.New("--duration, --conns and --senders must be positive")
	}
	return c, nil
}

func run(ctx context.Context, args []string, out, progress io.Writer) error {
	c, err := parseFlags(args, progress)
	if err != nil {
		return err
	}
	work, cleanup, err := c.hum.Setup(ctx, "procbench", progress)
	if err != nil {
		return err
	}
	defer cleanup()
	dsn, drop, err := loadgen.FreshDB(ctx, "postgres", c.hum.Postgres, "procbench")
	if err != nil {
		return err
	}
	defer drop()
	sink, err := benchrun.DiscardSink()
	if err != nil {
		return err
	}
	defer sink.Close()
	// The checks of each post (SPF, DMARC) ask a DNS server of our own,
	// which answers at once that there is no policy: this machine's
	// resolver drops some of a burst of queries, and each dropped one
	// held a post 5 s, which measured the resolver, not hum.
	dns, err := stubdns.Serve(nil)
	if err != nil {
		return err
	}
	defer dns.Close()

	// The demo, loaded by the first process alone; the list gets a
	// subscribed poster, so that posts are taken, not held.
	fmt.Fprintln(progress, "loading the demo")
	most := 0
	for _, n := range c.procs {
		most = max(most, n)
	}
	var procs []*benchrun.Server
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	for i := range most {
		// The first loads the demo, the others find it.
		p, err := benchrun.Start(ctx, benchrun.Serve{Bin: c.hum.Bin, DSN: dsn, Dir: filepath.Join(work, strconv.Itoa(i)), Demo: true, SMTP: true,
			Args: []string{"--smarthost", sink.Addr().String(), "--resolver", dns.Addr, "--domain", "hum.test"}, Wait: 3 * time.Minute})
		if err != nil {
			return err
		}
		procs = append(procs, p)
		if i == 0 {
			cmd := exec.CommandContext(ctx, c.hum.Bin, "list", "subscribe", "--db", dsn, list, poster)
			if b, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("hum list subscribe: %v\n%s", err, b)
			}
		}
	}

	fmt.Fprintf(out, "procbench: %s on one PostgreSQL, %v per figure; load %s\n", page, c.duration, loadAvg())
	fmt.Fprintf(out, "%-9s %12s %9s %9s %14s %9s\n", "processes", "page req/s", "p50", "p99", "SMTP 250/s", "p99")
	for _, n := range c.procs {
		pr, err := pageRate(ctx, procs[:n], c)
		if err != nil {
			return err
		}
		sr, err := smtpRate(ctx, procs[:n], c)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%-9d %12.0f %9s %9s %14.0f %9s\n", n, pr.RPS(), ms(pr.Percentile(50)), ms(pr.Percentile(99)), sr.rate, ms(sr.p99))
	}
	fmt.Fprintf(out, "load after: %s\n", loadAvg())
	return nil
}

// pageRate reads the group page through every process at once, conns
// spread evenly, and sums what they served.
func pageRate(ctx context.Context, procs []*benchrun.Server, c config) (loadgen.Result, error) {
	var (
		mu   sync.Mutex
		all  loadgen.Result
		wg   sync.WaitGroup
		errs []error
	)
	for i, p := range procs {
		conns := c.conns / len(procs)
		if i < c.conns%len(procs) {
			conns++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A short unmeasured run first fills the page cache.
			if _, err := loadgen.Run(ctx, p.Base+page, conns, c.duration/4, 0, nil); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			r, err := loadgen.Run(ctx, p.Base+page, conns, c.duration, 0, nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			all.Latencies = append(all.Latencies, r.Latencies...)
			all.Errors += r.Errors
			all.Elapsed = max(all.Elapsed, r.Elapsed)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return all, err
	}
	if all.Errors > 0 {
		return all, fmt.Errorf("%d page requests failed", all.Errors)
	}
	sortDurations(all.Latencies)
	return all, nil
}

type smtpResult struct {
	rate float64
	p99  time.Duration
}

// smtpRate sends posts to the list for the duration, the senders spread
// over the processes, each on its own connection post after post (RSET
// between), and counts the 250s.
func smtpRate(ctx context.Context, procs []*benchrun.Server, c config) (smtpResult, error) {
	var (
		n     atomic.Int64
		mu    sync.Mutex
		lat   []time.Duration
		errs  []error
		wg    sync.WaitGroup
		seq   atomic.Int64
		until = time.Now().Add(c.duration)
	)
	for i := range c.senders {
		p := procs[i%len(procs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			err := func() error {
				cl, err := smtp.Dial(p.SMTP)
				if err != nil {
					return err
				}
				defer cl.Close()
				if err := cl.Hello("bench.example.org"); err != nil {
					return err
				}
				for time.Now().Before(until) && ctx.Err() == nil {
					k := seq.Add(1)
					t0 := time.Now()
					if err := post(cl, k); err != nil {
						return err
					}
					mine = append(mine, time.Since(t0))
					n.Add(1)
				}
				return cl.Quit()
			}()
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return smtpResult{}, err
	}
	sortDurations(lat)
	return smtpResult{rate: float64(n.Load()) / elapsed.Seconds(), p99: loadgen.Percentile(lat, 99)}, nil
}

func post(cl *smtp.Client, k int64) error {
	if err := cl.Mail(poster, nil); err != nil {
		return err
	}
	if err := cl.Rcpt(list+"@hum.test", nil); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "From: Bench Poster <%s>\r\nTo: %s@hum.test\r\nSubject: bench post %d\r\nMessage-ID: <procbench-%d-%d@example.org>\r\n\r\nPost %d of the bench, a few lines\r\nlong, as most list mail is.\r\n",
		poster, list, k, time.Now().UnixNano(), k, k)
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Reset()
}
