package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
)

var summaryLine = regexp.MustCompile(`(?m)^(.+): (\d+) messages read, (\d+) imported, (\d+) duplicates, (\d+) rejected$`)

// TestImportMboxCorpus runs `hum import mbox` over every file of the email
// and list corpora, as the issue asks: no panic, no error, and every
// message read is imported, a duplicate, or rejected with a reason.
func TestImportMboxCorpus(t *testing.T) {
	root := corpustest.Root(t)
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
		t.Fatalf("no files in the corpus under %s", root)
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

// TestImportMboxYear imports the year-separated mailbox of the IETF
// importer's tests: 4 messages (4 "Message-Id:" lines in the file, see
// internal/mbox TestCorpusMailboxYear), all taken as mail.
func TestImportMboxYear(t *testing.T) {
	p := corpustest.Path(t, "email/ietf-mailarchive/mailbox_year")
	out, err := hum(t, "import", "mbox", "--db", dbtest.DSN(t), "--list", "forces", p)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if want := p + ": 4 messages read, 4 imported, 0 duplicates, 0 rejected\n"; !strings.Contains(out, want) {
		t.Errorf("output:\n%s\nwant the line %q", out, want)
	}
}

// TestImportMboxHeaderSeparated imports the IETF importer's files whose
// messages are separated by a repeat of the header field the file starts
// with, not by From_ lines (internal/mbox TestCorpusHeaderSeparated and
// TestCorpusMailboxFrom count them from the raw files). Each message read
// must be imported: none of them is a piece of a body without header
// fields, and none repeats another.
func TestImportMboxHeaderSeparated(t *testing.T) {
	dir := corpustest.Path(t, "email/ietf-mailarchive") + "/"
	for _, tt := range []struct {
		file string
		n    int
	}{
		{"mailbox-x-envelope-from", 4},
		{"mailbox_envelope-to", 2},
		{"mailbox_return-path", 3},
		{"mailbox_to", 15},
		{"mailbox_date", 1},  // its second Date: block is a forwarded message in the body
		{"mailbox_from", 13}, // of 14: one has no blank line before it
	} {
		p := dir + tt.file
		out, err := hum(t, "import", "mbox", "--db", dbtest.DSN(t), "--list", "ietf", p)
		if err != nil {
			t.Fatalf("import %s: %v\n%s", tt.file, err, out)
		}
		if want := fmt.Sprintf("%s: %d messages read, %d imported, 0 duplicates, 0 rejected\n", p, tt.n, tt.n); !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant the line %q", out, want)
		}
	}
}

// TestImportMboxUnreadable gives a missing file, a directory and a
// truncated gzip between two good files: both good files are imported,
// the summary names each bad file with its reason, and the command fails.
func TestImportMboxUnreadable(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	msg := func(id string) string {
		return fmt.Sprintf("From a@example.org Mon Feb  3 01:02:03 2020\nMessage-ID: <%s@example.org>\n"+
			"From: a@example.org\nSubject: %s\n\nbody of %s\n\n", id, id, id)
	}
	first := write("first.mbox", []byte(msg("first")))
	last := write("last.mbox", []byte(msg("last")))
	missing := filepath.Join(dir, "missing.mbox")
	subdir := filepath.Join(dir, "subdir")
	if err := os.Mkdir(subdir, 0o755); err != nil {
		t.Fatal(err)
	}
	// One whole message, then one whose long, incompressible body is cut
	// off with the end of the gzip stream.
	var plain strings.Builder
	plain.WriteString(msg("gz1") + msg("gz2"))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 4000 {
		fmt.Fprintf(&plain, "%016x%016x%016x\n", rng.Uint64(), rng.Uint64(), rng.Uint64())
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(plain.String()))
	zw.Close()
	truncated := write("truncated.mbox.gz", gz.Bytes()[:gz.Len()-1000])

	out, err := hum(t, "import", "mbox", "--db", dbtest.DSN(t), "--list", "x", first, missing, subdir, truncated, last)
	if err == nil || !strings.Contains(err.Error(), "3 of 5 files could not be read") {
		t.Errorf("err = %v, want one saying 3 of 5 files could not be read", err)
	}
	for _, want := range []string{
		first + ": 1 messages read, 1 imported, 0 duplicates, 0 rejected\n",
		missing + ": not read\n",
		subdir + ": 0 messages read, 0 imported, 0 duplicates, 0 rejected\n",
		truncated + ": 1 messages read, 1 imported, 0 duplicates, 0 rejected\n",
		last + ": 1 messages read, 1 imported, 0 duplicates, 0 rejected\n",
		"total: 3 messages read, 3 imported, 0 duplicates, 0 rejected in ",
		"3 of 5 files could not be read:\n" +
			"  " + missing + ": open: no such file or directory\n" +
			"  " + subdir + ": stopped after 0 messages: read: is a directory\n" +
			"  " + truncated + ": stopped after 1 messages: unexpected EOF\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestImportLeavesNoWAL: once `hum import` has returned, hum.db is whole
// and its WAL empty or gone, so a copy of hum.db is the archive (issue
// 17: an import left a 49 MB hum.db-wal). A clean exit of `hum serve`
// closes the database the same way (db.Close).
func TestImportLeavesNoWAL(t *testing.T) {
	p := corpustest.Path(t, "email/ietf-mailarchive/mailbox_year")
	path := filepath.Join(t.TempDir(), "hum.db")
	if out, err := hum(t, "import", "mbox", "--db", "sqlite:"+path, "--list", "forces", p); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, f := range []string{path + "-wal", strings.TrimSuffix(path, ".db") + ".search.db-wal"} {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			t.Errorf("after the import %s holds %d bytes, want none", filepath.Base(f), st.Size())
		}
	}
}
