// Package benchrun runs hum for the benchmark commands (cmd/*bench): it
// builds the hum binary, starts `hum serve` on free loopback ports
// configured by the bench's flags alone, waits until it serves and stops
// it; or opens hum's services in the bench's own process. What is
// measured, and how it is reported, stays with each command.
package benchrun

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

// Main runs a bench command: run with the command-line arguments, until
// it ends or the process is interrupted; an error is printed after the
// command's name, and the process exits 1.
func Main(name string, run func(ctx context.Context, args []string, out, progress io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Hum is the flags of a bench that runs the hum binary on PostgreSQL.
type Hum struct {
	Bin      string // a built hum; empty: Binary builds one
	Postgres string // DSN of the server the bench makes its schemas on
}

// Flags adds --hum and --postgres to fs.
func (h *Hum) Flags(fs *flag.FlagSet) {
	fs.StringVar(&h.Bin, "hum", "", "path to a built hum binary (default: go build ./cmd/hum into a temporary directory)")
	fs.StringVar(&h.Postgres, "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL DSN; each run makes a schema of its own there and drops it")
}

// Setup makes the bench's temporary directory, which cleanup removes,
// and, when --hum names no binary, builds ./cmd/hum into it (saying so
// on progress) and sets h.Bin.
func (h *Hum) Setup(ctx context.Context, name string, progress io.Writer) (work string, cleanup func(), err error) {
	work, err = os.MkdirTemp("", name+"-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(work) }
	if h.Bin == "" {
		fmt.Fprintln(progress, "building ./cmd/hum ...")
		if h.Bin, err = Build(ctx, work); err != nil {
			cleanup()
			return "", nil, err
		}
	}
	return work, cleanup, nil
}

// Parse parses a bench's flags, which take no arguments.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return nil
}

// Build builds ./cmd/hum of the module the bench runs in, into dir.
func Build(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "/dev" {
		return "", errors.New("run the bench inside the hum module, or pass --hum")
	}
	bin := filepath.Join(dir, "hum")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hum")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hum: %w\n%s", err, out)
	}
	return bin, nil
}

// FreeAddr finds a loopback port nobody listens on.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// LoadAvg is the machine's load averages over 1, 5 and 15 minutes, as
// uptime prints them, or nil when /proc does not tell: other work on a
// shared machine skews every figure, so the reports show it.
func LoadAvg() []string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return nil
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return nil
	}
	return f[:3]
}
