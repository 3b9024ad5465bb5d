package benchrun

import (
	"flag"
	"io"
	"os/exec"
	"slices"
	"testing"
	"time"
)

func TestWithoutHumEnv(t *testing.T) {
	env := []string{"PATH=/bin", "HUM_DB=sqlite:x", "HOME=/root", "HUM_SMARTHOST=mx:25"}
	got := withoutHumEnv(env)
	if want := []string{"PATH=/bin", "HOME=/root"}; !slices.Equal(got, want) {
		t.Errorf("withoutHumEnv = %q, want %q", got, want)
	}
	if len(env) != 4 || env[1] != "HUM_DB=sqlite:x" {
		t.Errorf("the environment given was changed: %q", env)
	}
}

func TestParseRefusesArguments(t *testing.T) {
	var h Hum
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	h.Flags(fs)
	if err := Parse(fs, []string{"--hum", "/tmp/hum", "extra"}); err == nil {
		t.Error("an argument after the flags was taken")
	}
	if err := Parse(fs, []string{"--hum", "/tmp/hum"}); err != nil || h.Bin != "/tmp/hum" {
		t.Errorf("Parse: %v, --hum %q", err, h.Bin)
	}
}

// TestCommandCPU: the CPU time of the processes named sh counts the
// work of one that spins.
func TestCommandCPU(t *testing.T) {
	spin := exec.Command("sh", "-c", "while :; do :; done")
	if err := spin.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { spin.Process.Kill(); spin.Wait() }()
	time.Sleep(20 * time.Millisecond)
	before, err := CommandCPU("sh")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	after, err := CommandCPU("sh")
	if err != nil {
		t.Fatal(err)
	}
	// A core of its own would give it 300 ms; a busy machine less.
	if got := after - before; got < 10*time.Millisecond || got > 2*time.Second {
		t.Errorf("300 ms of spinning counted as %v", got)
	}
}
