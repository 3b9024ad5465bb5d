package benchrun

import (
	"flag"
	"io"
	"slices"
	"testing"
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
