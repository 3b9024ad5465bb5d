// Package corpustest finds the shared test corpus, ../shared/corpus beside
// the checkout, for tests. Without the corpus a test that reads it skips
// on a developer's machine, but fails in CI (CI set, as every CI system
// sets it): there the rule tests that read real drafts, mail and the RFC
// index must not pass by skipping.
package corpustest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir, when set, is where the corpus is looked for instead of
// HUM_TEST_CORPUS or else ../shared/corpus beside the module; this
// package's tests point it at a directory that does not exist.
var Dir string

// CI reports whether the tests run in CI, where a missing corpus fails.
func CI() bool {
	switch strings.ToLower(os.Getenv("CI")) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// Missing skips t because the corpus is not there, or fails it in CI.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if CI() {
		t.Fatalf("%s; in CI (CI=%s) the shared corpus must be present beside the checkout", msg, os.Getenv("CI"))
		return
	}
	t.Skipf("%s (the corpus lives beside the checkout, in ../shared/corpus)", msg)
}

// Root returns the corpus directory, or skips t (fails it in CI) when
// there is none.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := find()
	if err != nil {
		Missing(t, "%v", err)
	}
	return dir
}

// Seeds returns the corpus directory for a fuzz target's seeds, and
// whether it is there. A target has seeds of its own besides, so without
// the corpus it runs on those, except in CI, where it fails.
func Seeds(f *testing.F) (string, bool) {
	f.Helper()
	dir, err := find()
	if err != nil && CI() {
		Missing(f, "%v", err)
	}
	return dir, err == nil
}

// find locates the corpus: Dir, HUM_TEST_CORPUS, or ../shared/corpus
// beside the module.
func find() (string, error) {
	dir := Dir
	if dir == "" {
		dir = os.Getenv("HUM_TEST_CORPUS")
	}
	if dir == "" {
		mod, err := moduleRoot()
		if err != nil {
			return "", fmt.Errorf("corpus: %w", err)
		}
		dir = filepath.Join(mod, "..", "shared", "corpus")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("shared corpus not found at %s: %v", dir, err)
	}
	return dir, nil
}

// Path returns the corpus file or directory rel, after Root. A path
// missing from a corpus that is there fails the test: the corpus is
// fixed, so that is a wrong name, not a missing corpus.
func Path(t testing.TB, rel string) string {
	t.Helper()
	root := Root(t)
	if root == "" {
		return "" // Missing has ended the test, unless t is a fake
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file %s: %v", rel, err)
	}
	return p
}

// ReadFile returns the contents of the corpus file rel.
func ReadFile(t testing.TB, rel string) []byte {
	t.Helper()
	p := Path(t, rel)
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// moduleRoot is the directory of hum's go.mod, found from the test's
// working directory (its package directory) upwards.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = up
	}
}
