package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEAdministration runs every command of the README's
// Administration section, as written and in order, against a database
// holding the demo standards body. The commands are read from README.md
// itself, so the README and this test cannot drift apart.
func TestREADMEAdministration(t *testing.T) {
	cmds := readmeCommands(t, "../../README.md", "## Administration")
	if len(cmds) < 5 {
		t.Fatalf("README's Administration section has %d commands; the block was not found", len(cmds))
	}
	dsn, _ := demoLoaded.DSN(t)
	// The README says --db takes a plain path too; on SQLite the test
	// gives it one, as a reader would.
	dsn = strings.TrimPrefix(dsn, "sqlite:")

	// The files the commands name, in the directory they run in.
	dir := t.TempDir()
	writeFile(t, dir, "password.txt", []byte("a long enough demo password\n"))
	writeFile(t, dir, "2024-01.mbox", []byte(readmeMbox("jan", "Mon, 15 Jan 2024 10:00:00 +0000")))
	writeFile(t, dir, "2024-02.mbox", []byte(readmeMbox("feb", "Thu, 15 Feb 2024 10:00:00 +0000")))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(readmeMbox("rdevel", "Fri, 15 Mar 2024 10:00:00 +0000")))
	zw.Close()
	writeFile(t, dir, "r-devel.mbox.gz", gz.Bytes())
	writeFile(t, dir, "rfc-index.txt", []byte(readmeRFCIndex))
	t.Chdir(dir)
	t.Setenv("HUM_DB", dsn)

	for _, c := range cmds {
		args, stdin := shellWords(t, c)
		if len(args) == 0 || args[0] != "hum" {
			t.Fatalf("README command %q does not start with hum", c)
		}
		out, err := humStdin(t, stdin, args[1:]...)
		if err != nil {
			t.Errorf("README: %s\n  failed: %v\n%s", c, err, out)
		}
	}
}

// readmeCommands returns the lines of the first ```sh block after the
// heading, without blank lines.
func readmeCommands(t *testing.T, path, heading string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s has no %q", path, heading)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	if !ok {
		t.Fatalf("%s: no ```sh block under %q", path, heading)
	}
	block, _, _ := strings.Cut(rest, "```")
	var cmds []string
	for _, l := range strings.Split(block, "\n") {
		if strings.TrimSpace(l) != "" {
			cmds = append(cmds, strings.TrimSpace(l))
		}
	}
	return cmds
}

// shellWords splits a command line as sh would for the README's needs:
// quotes, a # comment, "< FILE" for standard input, and globs, which must
// match at least one file (sh would otherwise pass the pattern on).
func shellWords(t *testing.T, line string) (args []string, stdin string) {
	t.Helper()
	var (
		words  []string
		cur    strings.Builder
		inWord bool
		quote  rune
		glob   []bool
		isGlob bool
	)
	end := func() {
		if inWord {
			words = append(words, cur.String())
			glob = append(glob, isGlob)
		}
		cur.Reset()
		inWord, isGlob = false, false
	}
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == '#' && !inWord:
			end()
			goto done
		case r == ' ' || r == '\t':
			end()
		default:
			if strings.ContainsRune("*?[", r) {
				isGlob = true
			}
			cur.WriteRune(r)
			inWord = true
		}
	}
	end()
done:
	if quote != 0 {
		t.Fatalf("unbalanced quote in %q", line)
	}
	for i := 0; i < len(words); i++ {
		switch {
		case words[i] == "<" && i+1 < len(words):
			stdin = words[i+1]
			i++
		case glob[i]:
			m, err := filepath.Glob(words[i])
			if err != nil || len(m) == 0 {
				t.Fatalf("%q: %q matches no file", line, words[i])
			}
			args = append(args, m...)
		default:
			args = append(args, words[i])
		}
	}
	return args, stdin
}

// humStdin runs the CLI with standard input from the named file, if any.
func humStdin(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	if stdin == "" {
		return hum(t, args...)
	}
	f, err := os.Open(stdin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	return hum(t, args...)
}

func writeFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readmeMbox(id, date string) string {
	return fmt.Sprintf("From someone@example.org Mon Jan  1 00:00:00 2024\n"+
		"From: Some One <someone@example.org>\nTo: httpbis@example.org\nSubject: README test %s\n"+
		"Date: %s\nMessage-ID: <%s@readme.example.org>\n\nA message for the README's import.\n\n",
		id, date, id)
}

// readmeRFCIndex is two entries in the RFC Editor's rfc-index.txt format.
const readmeRFCIndex = `8200 Internet Protocol, Version 6 (IPv6) Specification. S. Deering, R.
     Hinden. July 2017. (Format: TXT, HTML) (Obsoletes RFC2460) (Also
     STD86) (Status: INTERNET STANDARD) (DOI: 10.17487/RFC8200)

9110 HTTP Semantics. R. Fielding, Ed., M. Nottingham, Ed., J. Reschke,
     Ed.. June 2022. (Format: HTML, TXT, PDF, XML) (Obsoletes RFC2818,
     RFC7230, RFC7231, RFC7232, RFC7233, RFC7235, RFC7538, RFC7615,
     RFC7694) (Updates RFC3864) (Also STD97) (Status: INTERNET STANDARD)
     (DOI: 10.17487/RFC9110)
`
