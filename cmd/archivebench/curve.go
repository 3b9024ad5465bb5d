package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"hum/internal/db"
)

// importCurve times `hum import mbox` itself, a process of its own, on
// generated mbox files of each size in sizes, each into an empty archive:
// its peak resident memory and its CPU time per message, from the
// kernel's accounting of the process (as /usr/bin/time -v reports them).
// base is empty for SQLite (a new file per size) or a PostgreSQL URL, in
// which each size gets a schema of its own, dropped afterwards. hum is the
// binary to run; empty builds ./cmd/hum first.
func importCurve(ctx context.Context, base, source, hum, sizes string) error {
	dir, err := os.MkdirTemp("", "archivebench-curve")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if hum == "" {
		hum = filepath.Join(dir, "hum")
		build := exec.CommandContext(ctx, "go", "build", "-o", hum, "./cmd/hum")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building hum: %w", err)
		}
	}
	engine := "sqlite"
	if base != "" {
		engine = "postgres"
	}
	fmt.Printf("hum import mbox on %s, generated messages from %s, each size into an empty archive:\n", engine, filepath.Base(source))
	fmt.Printf("%10s %10s %14s %10s %10s %10s\n", "messages", "peak RSS", "CPU/message", "user", "system", "msgs/s")
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("--import-curve: %q is not a number of messages", f)
		}
		file := filepath.Join(dir, "gen.mbox")
		if err := writeGeneratedQuiet(source, n, file); err != nil {
			return err
		}
		dsn, drop := "sqlite:"+filepath.Join(dir, fmt.Sprintf("curve%d", n), "hum.db"), func() {}
		if base != "" {
			if dsn, drop, err = db.OpenSchema(ctx, base, "hum_curve_"); err != nil {
				return err
			}
		}
		cmd := exec.CommandContext(ctx, hum, "import", "mbox", "--db", dsn, "--list", "bench", file)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall := time.Since(start)
		drop()
		os.RemoveAll(filepath.Join(dir, fmt.Sprintf("curve%d", n)))
		os.Remove(file)
		if err != nil {
			return fmt.Errorf("hum import mbox (%d messages): %w\n%s", n, err, out)
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			return fmt.Errorf("no resource usage for hum import on this system")
		}
		user := time.Duration(ru.Utime.Nano())
		sys := time.Duration(ru.Stime.Nano())
		perMsg := float64(user+sys) / float64(time.Millisecond) / float64(n)
		fmt.Printf("%10d %7.0f MB %11.3f ms %9.1fs %9.1fs %10.0f\n", n, float64(ru.Maxrss)/1024, perMsg,
			user.Seconds(), sys.Seconds(), float64(n)/wall.Seconds())
	}
	return nil
}
