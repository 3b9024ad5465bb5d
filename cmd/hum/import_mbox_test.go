package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"hum/internal/db/dbtest"
)

var summaryLine = regexp.MustCompile(`(?m)^(.+): (\d+) messages read, (\d+) imported, (\d+) duplicates, (\d+) rejected$`)

// TestImportMboxCorpus runs `hum import mbox` over every file of the email
// and list corpora, as the issue asks: no panic, no error, and every
// message read is imported, a duplicate, or rejected with a reason.
func TestImportMboxCorpus(t *testing.T) {
	root := "../../../shared/corpus"
	var files []string
	for _, dir := range []string{"email", "lists"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && !(raceEnabled && filepath.Base(p) == "r-package-devel-2015q2-2026q3.mbox.gz") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skipf("corpus not available under %s", root)
	}
	if testing.Short() {
		t.Skip("imports the whole corpus")
	}
	dsn := dbtest.DSN(t)
	out, err := hum(t, append([]string{"import", "mbox", "--db", dsn, "--list", "corpus"}, files...)...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, m := range summaryLine.FindAllStringSubmatch(out, -1) {
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+2])
		}
		if n[0] != n[1]+n[2]+n[3] {
			t.Errorf("%s: read %d != imported %d + duplicates %d + rejected %d", m[1], n[0], n[1], n[2], n[3])
		}
		seen[m[1]] = true
		if m[1] == filepath.Join(root, "lists/r-package-devel-2015q2-2026q3.mbox.gz") && n[0] != 11114 {
			t.Errorf("r-package-devel: read %d messages, want 11114", n[0])
		}
	}
	for _, f := range files {
		if !seen[f] {
			t.Errorf("no summary for %s", f)
		}
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files\n%s", len(files), out[len(out)-min(len(out), 2000):])
}

func TestImportMboxUsage(t *testing.T) {
	if _, err := hum(t, "import", "mbox", "--db", dbtest.DSN(t), "x.mbox"); err == nil {
		t.Error("import mbox without --list succeeded")
	}
	if _, err := hum(t, "import", "mbox", "--db", dbtest.DSN(t), "--list", "x", "/nonexistent.mbox"); err == nil {
		t.Error("import of a missing file succeeded")
	}
}
