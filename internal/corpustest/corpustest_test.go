package corpustest

import (
	"path/filepath"
	"testing"
)

// fakeT records what a corpus helper did to the test instead of ending it.
type fakeT struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Fatal(args ...any)              { f.failed = true }
func (f *fakeT) Fatalf(format string, _ ...any) { f.failed, f.msg = true, format }
func (f *fakeT) Skipf(format string, _ ...any)  { f.skipped, f.msg = true, format }

// TestMissingCorpusFailsInCI points the helpers at a corpus that is not
// there: in CI each fails the test, outside CI each skips it.
func TestMissingCorpusFailsInCI(t *testing.T) {
	saved := Dir
	Dir = filepath.Join(t.TempDir(), "no-corpus")
	defer func() { Dir = saved }()
	helpers := map[string]func(testing.TB){
		"Root":     func(t testing.TB) { Root(t) },
		"Path":     func(t testing.TB) { Path(t, "rfc/rfc-index.txt") },
		"ReadFile": func(t testing.TB) { ReadFile(t, "rfc/rfc-index.txt") },
	}
	for _, ci := range []string{"true", "1"} {
		t.Setenv("CI", ci)
		for name, h := range helpers {
			f := &fakeT{}
			h(f)
			if !f.failed || f.skipped {
				t.Errorf("CI=%s: %s with no corpus: failed %v, skipped %v; want a failure", ci, name, f.failed, f.skipped)
			}
		}
	}
	for _, ci := range []string{"", "false"} {
		t.Setenv("CI", ci)
		for name, h := range helpers {
			f := &fakeT{}
			h(f)
			if f.failed || !f.skipped {
				t.Errorf("CI=%q: %s with no corpus: failed %v, skipped %v; want a skip", ci, name, f.failed, f.skipped)
			}
		}
	}
}

// TestFindsCorpus: with the default location, the corpus beside the
// checkout is found (and in CI its absence fails here too).
func TestFindsCorpus(t *testing.T) {
	if p := Path(t, "rfc/rfc-index.txt"); filepath.Base(p) != "rfc-index.txt" {
		t.Errorf("Path = %q", p)
	}
}
