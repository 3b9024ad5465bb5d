package benchrun

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Serve is how to start one `hum serve`.
type Serve struct {
	Bin, DSN string
	Dir      string   // hum's log and --data go here
	Demo     bool     // --demo: load the demo into an empty database
	SMTP     bool     // take mail on a free port (Server.SMTP); else --smtp ""
	Args     []string // more flags (--smarthost, --resolver, ...)
	Wait     time.Duration
}

// Server is one running `hum serve`.
type Server struct {
	Cmd   *exec.Cmd
	Base  string        // http://127.0.0.1:PORT, also hum's --base-url
	SMTP  string        // host:port of its mail endpoint; empty when off
	Ready time.Duration // from exec to the first 200 on /

	log    string // file holding hum's output
	exited chan error
}

// Start runs hum as o says, its environment without HUM_* variables so
// that only the bench's flags configure it, and returns once / answers
// 200, or fails after o.Wait (a minute when zero). Stop ends it; so does
// the end of ctx.
func Start(ctx context.Context, o Serve) (*Server, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{Base: "http://" + addr, log: filepath.Join(o.Dir, "hum.log"), exited: make(chan error, 1)}
	if o.SMTP {
		if s.SMTP, err = FreeAddr(); err != nil {
			return nil, err
		}
	}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := []string{"serve", "--db", o.DSN, "--http", addr, "--smtp", s.SMTP, "--data", filepath.Join(o.Dir, "data")}
	if o.Demo {
		args = append(args, "--demo")
	}
	s.Cmd = exec.CommandContext(ctx, o.Bin, append(args, o.Args...)...)
	s.Cmd.Stdout, s.Cmd.Stderr = logf, logf
	s.Cmd.Env = withoutHumEnv(os.Environ())
	s.Cmd.Cancel = func() error { return s.Cmd.Process.Signal(os.Interrupt) }
	s.Cmd.WaitDelay = 10 * time.Second

	t0 := time.Now()
	if err := s.Cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.exited <- s.Cmd.Wait() }()
	wait := o.Wait
	if wait == 0 {
		wait = time.Minute
	}
	if err := s.waitReady(ctx, t0, wait); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, s.LogTail())
	}
	return s, nil
}

// waitReady polls / every millisecond until it answers 200.
func (s *Server) waitReady(ctx context.Context, t0 time.Time, limit time.Duration) error {
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := c.Get(s.Base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.Ready = time.Since(t0)
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
			return fmt.Errorf("hum did not answer 200 on %s within %v", s.Base, limit)
		}
	}
}

// Stop asks hum to shut down and waits for it (killing it after 10 s).
// It may be called more than once.
func (s *Server) Stop() {
	select {
	case err := <-s.exited:
		s.exited <- err
		return
	default:
	}
	s.Cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-s.exited:
		s.exited <- err
	case <-time.After(10 * time.Second):
		s.Cmd.Process.Kill()
		s.exited <- <-s.exited
	}
}

// LogTail is the end of hum's output, for an error message.
func (s *Server) LogTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "hum's log:\n" + string(b)
}

// withoutHumEnv drops HUM_* variables.
func withoutHumEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "HUM_") })
}
