package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// proc is one running `hum serve`.
type proc struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	smtp   string
	log    string
	exited chan error
}

// start runs `hum serve --demo` on dsn (the first loads the demo, the
// others find it), its mail checks asking resolver, and returns once /
// answers 200.
func start(ctx context.Context, bin, dsn, smarthost, resolver, dir string) (*proc, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	smtpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p := &proc{base: "http://" + httpAddr, smtp: smtpAddr, log: filepath.Join(dir, "hum.log"), exited: make(chan error, 1)}
	logf, err := os.Create(p.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	p.cmd = exec.Command(bin, "serve", "--demo", "--db", dsn, "--http", httpAddr, "--smtp", smtpAddr,
		"--smarthost", smarthost, "--resolver", resolver, "--domain", "hum.test", "--base-url", p.base, "--data", filepath.Join(dir, "data"))
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	p.cmd.Env = withoutHumEnv(os.Environ())
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.exited <- p.cmd.Wait() }()
	c := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if resp, err := c.Get(p.base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case err := <-p.exited:
			p.exited <- err
			return nil, fmt.Errorf("hum exited before serving: %v\n%s", err, p.logTail())
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("hum did not answer on %s\n%s", p.base, p.logTail())
		}
	}
}

// stop asks hum to shut down and waits for it.
func (p *proc) stop() {
	select {
	case err := <-p.exited:
		p.exited <- err
		return
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.exited:
		p.exited <- err
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		p.exited <- <-p.exited
	}
}

func (p *proc) logTail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "hum's log:\n" + string(b)
}

// buildHum builds ./cmd/hum of the module procbench runs in.
func buildHum(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "/dev" {
		return "", errors.New("run procbench inside the hum module, or pass --hum")
	}
	bin := filepath.Join(dir, "hum")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hum")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hum: %w\n%s", err, out)
	}
	return bin, nil
}

// discardSink is the smarthost: it takes every copy and keeps nothing.
func discardSink() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := smtp.NewServer(discard{})
	srv.Domain = "sink.test"
	go srv.Serve(ln)
	return ln, nil
}

type discard struct{}

func (discard) NewSession(*smtp.Conn) (smtp.Session, error) { return discard{}, nil }
func (discard) Reset()                                      {}
func (discard) Logout() error                               { return nil }
func (discard) Mail(string, *smtp.MailOptions) error        { return nil }
func (discard) Rcpt(string, *smtp.RcptOptions) error        { return nil }
func (discard) Data(r io.Reader) error                      { _, err := io.Copy(io.Discard, r); return err }

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// withoutHumEnv drops HUM_* variables, so only procbench's flags
// configure hum.
func withoutHumEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "HUM_") })
}

func sortDurations(d []time.Duration) { slices.Sort(d) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadAvg is the machine's load average, as uptime prints it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
