package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// buildHum builds ./cmd/hum of the module humbench runs in.
func buildHum(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "/dev" {
		return "", errors.New("run humbench inside the hum module, or pass --hum")
	}
	bin := filepath.Join(dir, "hum")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hum")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hum: %w\n%s", err, out)
	}
	return bin, nil
}

// server is one running `hum serve --demo`.
type server struct {
	cmd    *exec.Cmd
	base   string        // http://127.0.0.1:PORT
	ready  time.Duration // from exec to the first 200 on /
	log    string        // file holding hum's output
	exited chan error
}

// startHum runs hum on dsn and returns once / answers 200.
func startHum(ctx context.Context, bin, dsn, dir string) (*server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, log: filepath.Join(dir, "hum.log"), exited: make(chan error, 1)}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	s.cmd = exec.CommandContext(ctx, bin, "serve", "--demo", "--db", dsn, "--http", addr, "--smtp", "", "--data", filepath.Join(dir, "data"))
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.Env = withoutHumEnv(os.Environ())
	s.cmd.Cancel = func() error { return s.cmd.Process.Signal(os.Interrupt) }
	s.cmd.WaitDelay = 10 * time.Second

	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.exited <- s.cmd.Wait() }()
	if err := s.waitReady(ctx, t0, time.Minute); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w\n%s", err, s.logTail())
	}
	return s, nil
}

// waitReady polls / every millisecond until it answers 200.
func (s *server) waitReady(ctx context.Context, t0 time.Time, limit time.Duration) error {
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := c.Get(s.base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ready = time.Since(t0)
				return nil
			}
		}
		select {
		case err := <-s.exited:
			s.exited <- err
			return fmt.Errorf("hum exited before serving: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
		if time.Since(t0) > limit {
			return fmt.Errorf("hum did not answer 200 on / within %v", limit)
		}
	}
}

// stop asks hum to shut down and waits for it.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func (s *server) logTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "hum's log:\n" + string(b)
}

// rss is resident memory in KiB, now and at its peak, from /proc.
func rss(pid int) (now, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range bytes.Lines(b) {
		k, v, ok := strings.Cut(string(line), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			now = n
		} else {
			peak = n
		}
	}
	return now, peak, nil
}

// freeAddr finds a loopback port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// withoutHumEnv drops HUM_* variables, so only humbench's flags configure hum.
func withoutHumEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HUM_") {
			out = append(out, kv)
		}
	}
	return out
}
