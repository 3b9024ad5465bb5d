package benchrun

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RSS is process pid's resident memory in KiB, now and at its peak
// (VmRSS, VmHWM), from /proc.
func RSS(pid int) (now, peak int64, err error) {
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

// CPUTime is the CPU time this process has used, user and system: on a
// shared machine a steadier figure than the time on the clock.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// CommandCPU is the CPU time used so far by the live processes of this
// machine whose command is comm (/proc/PID/comm), summed from the
// scheduler statistics of each one's main thread (/proc/PID/schedstat, in
// nanoseconds; PostgreSQL's processes have no other). With comm
// "postgres" it is a local PostgreSQL server's: its backends live as
// long as their connections, so over a span in which a pool keeps its
// connections the difference of two readings is what the server spent.
// A process that exits between the readings takes its time with it.
func CommandCPU(comm string) (time.Duration, error) {
	dir, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	var sum time.Duration
	for _, e := range dir {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		c, err := os.ReadFile("/proc/" + e.Name() + "/comm")
		if err != nil || strings.TrimSpace(string(c)) != comm {
			continue // gone meanwhile, or another command
		}
		s, err := os.ReadFile("/proc/" + e.Name() + "/schedstat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(s))
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%s/schedstat: %w", e.Name(), err)
		}
		sum += time.Duration(ns)
	}
	return sum, nil
}
