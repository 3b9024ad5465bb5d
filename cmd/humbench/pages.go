package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"hum/internal/benchrun"
)

// The pages mode (--pages) answers issue 17's "pages at the static
// server's speed": every kind of anonymous page, served by hum, side by
// side with nginx serving the same bytes as a static file (with
// gzip_static for the compressed form, hum's own gzip bytes beside each
// file), both under the same wrk load, one after the other, in one run.

// page is one anonymous page measured.
type page struct {
	kind string
	path string
}

// The pages found on the demo: a fixed path where the demo's content is
// fixed, else the first link of a kind on a page that lists them.
var pageFinders = []struct {
	kind, from string
	link       *regexp.Regexp // nil: from is the page itself
}{
	{"draft", "/doc/search/?name=draft-ietf", regexp.MustCompile(`href="(/doc/draft-[^"/]+/)"`)},
	{"rfc", "/doc/search/?name=rfc", regexp.MustCompile(`href="(/doc/rfc\d+/)"`)},
	{"group", "/group/httpbis/about/", nil},
	{"thread list", "/arch/browse/httpbis/", nil},
	{"message", "/arch/browse/httpbis/", regexp.MustCompile(`href="(/arch/msg/httpbis/[^"/]+/)"`)},
	{"agenda", "/meeting/83/agenda/", nil},
	{"search", "/arch/search/?q=http", nil},
}

// findPages returns the pages to measure on a running demo.
func findPages(ctx context.Context, base string) ([]page, error) {
	var out []page
	for _, f := range pageFinders {
		if f.link == nil {
			out = append(out, page{f.kind, f.from})
			continue
		}
		body, _, err := fetch(ctx, base+f.from, false)
		if err != nil {
			return nil, err
		}
		m := f.link.FindSubmatch(body)
		if m == nil {
			return nil, fmt.Errorf("no %s link on %s", f.kind, f.from)
		}
		out = append(out, page{f.kind, string(m[1])})
	}
	return out, nil
}

// fetch GETs url as an anonymous reader, asking for gzip or not, and
// returns the bytes as sent.
func fetch(ctx context.Context, url string, gz bool) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, "", err
	}
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	c := &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableCompression: true}}
	res, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, "", err
	}
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return b, res.Header.Get("Content-Encoding"), nil
}

// nginx is one running nginx serving a directory.
type nginx struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

// startNginx serves dir/www on a free port with gzip_static, as a static
// site would be served.
func startNginx(ctx context.Context, dir string) (*nginx, error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		return nil, errors.New("the pages mode needs nginx (Debian: apt-get install nginx-light)")
	}
	addr, err := benchrun.FreeAddr()
	if err != nil {
		return nil, err
	}
	user := ""
	if os.Geteuid() == 0 {
		// Workers would run as nobody, who cannot read the 0700 work
		// directory.
		user = "user root;"
	}
	conf := fmt.Sprintf(`%[3]s
worker_processes 2;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 100000000;
	sendfile on;
	tcp_nopush on;
	gzip_static on;
	gzip_vary on;
	charset utf-8;
	types { text/html html; }
	server {
		listen %[2]s;
		root %[1]s/www;
	}
}
`, dir, addr, user)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		return nil, err
	}
	n := &nginx{base: "http://" + addr, done: make(chan error, 1)}
	n.cmd = exec.CommandContext(ctx, bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	n.cmd.Cancel = func() error { return n.cmd.Process.Signal(os.Interrupt) }
	out, err := os.Create(filepath.Join(dir, "nginx.out"))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	n.cmd.Stdout, n.cmd.Stderr = out, out
	if err := n.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { n.done <- n.cmd.Wait() }()
	for t0 := time.Now(); ; {
		if _, _, err := fetch(ctx, n.base+"/0.html", false); err == nil {
			return n, nil
		}
		select {
		case err := <-n.done:
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return nil, fmt.Errorf("nginx exited: %v\n%s", err, b)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Since(t0) > 10*time.Second {
			n.stop()
			return nil, errors.New("nginx did not answer within 10 s")
		}
	}
}

func (n *nginx) stop() {
	n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.done:
	case <-time.After(10 * time.Second):
		n.cmd.Process.Kill()
		<-n.done
	}
}

// pageRow is one page in one encoding, measured on both servers.
type pageRow struct {
	page       page
	gzip       bool
	bytes      int
	hum, nginx *wrkResult
}

// benchPages measures every page on one engine's demo.
func benchPages(ctx context.Context, c config, engine, work string, progress io.Writer) ([]pageRow, error) {
	fresh, release, err := databases(ctx, c, engine, work)
	if err != nil {
		return nil, err
	}
	defer release()
	dsn, drop, err := fresh(ctx)
	if err != nil {
		return nil, err
	}
	defer drop()
	s, err := benchrun.Start(ctx, benchrun.Serve{Bin: c.hum.Bin, DSN: dsn, Dir: filepath.Join(work, engine+"-pages"), Demo: true})
	if err != nil {
		return nil, err
	}
	defer s.Stop()
	pages, err := findPages(ctx, s.Base)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, s.LogTail())
	}
	dir := filepath.Join(work, engine+"-nginx")
	if err := os.MkdirAll(filepath.Join(dir, "www"), 0o755); err != nil {
		return nil, err
	}
	var rows []pageRow
	for i, p := range pages {
		plain, _, err := fetch(ctx, s.Base+p.path, false)
		if err != nil {
			return nil, err
		}
		gz, enc, err := fetch(ctx, s.Base+p.path, true)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, "www", fmt.Sprintf("%d.html", i))
		if err := os.WriteFile(file, plain, 0o644); err != nil {
			return nil, err
		}
		rows = append(rows, pageRow{page: p, bytes: len(plain)})
		if enc == "gzip" {
			if err := os.WriteFile(file+".gz", gz, 0o644); err != nil {
				return nil, err
			}
			rows = append(rows, pageRow{page: p, gzip: true, bytes: len(gz)})
		}
	}
	n, err := startNginx(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer n.stop()
	index := map[string]int{}
	for i, p := range pages {
		index[p.path] = i
	}
	for i := range rows {
		r := &rows[i]
		var hdr []string
		enc := "identity"
		if r.gzip {
			hdr, enc = []string{"Accept-Encoding: gzip"}, "gzip"
		}
		fmt.Fprintf(progress, "%s: %s %s (%s, %d bytes): hum, then nginx, %v each\n", engine, r.page.kind, r.page.path, enc, r.bytes, c.duration)
		// A warm-up fills hum's page cache as readers would.
		if _, err := runWrk(ctx, s.Base+r.page.path, c.conns, time.Second, hdr...); err != nil {
			return nil, err
		}
		if r.hum, err = runWrk(ctx, s.Base+r.page.path, c.conns, c.duration, hdr...); err != nil {
			return nil, err
		}
		if r.nginx, err = runWrk(ctx, fmt.Sprintf("%s/%d.html", n.base, index[r.page.path]), c.conns, c.duration, hdr...); err != nil {
			return nil, err
		}
		if r.hum == nil || r.nginx == nil {
			return nil, errors.New("the pages mode needs wrk (Debian: apt-get install wrk)")
		}
	}
	return rows, nil
}

// printPages writes one line per page and encoding: hum's and nginx's
// rates and tails, and hum's rate as a share of nginx's.
func printPages(w io.Writer, c config, engine string, rows []pageRow) {
	fmt.Fprintf(w, "\npages on %s: wrk -t2 -c%d -d%v --latency, hum's cached anonymous page, then nginx serving the same bytes as a static file (gzip_static)\n", engine, c.conns, c.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\tencoding\tbytes\thum req/s\thum p50\thum p99\tnginx req/s\tnginx p50\tnginx p99\thum/nginx\t")
	for _, r := range rows {
		enc := "identity"
		if r.gzip {
			enc = "gzip"
		}
		ratio := "-"
		if r.nginx.rps > 0 {
			ratio = fmt.Sprintf("%.2fx", r.hum.rps/r.nginx.rps)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%s\t%s\t%.0f\t%s\t%s\t%s\t\n", r.page.kind, enc, r.bytes, r.hum.rps, r.hum.p50, r.hum.p99, r.nginx.rps, r.nginx.p50, r.nginx.p99, ratio)
	}
	tw.Flush()
	for _, r := range rows {
		for who, res := range map[string]*wrkResult{"hum": r.hum, "nginx": r.nginx} {
			for _, line := range res.summary {
				if strings.Contains(line, "Non-2xx") || strings.Contains(line, "Socket errors") {
					fmt.Fprintf(w, "warning: %s on %s: %s\n", who, r.page.path, strings.TrimSpace(line))
				}
			}
		}
	}
}
