package rfcindex

import (
	"bufio"
	"io"
	"regexp"
	"strings"
)

// entryStart is the first line of an entry: the number in column 0.
// The explanatory header indents its examples, so they never match.
var entryStart = regexp.MustCompile(`^\d+ `)

// Scanner reads entries one at a time, like bufio.Scanner.
type Scanner struct {
	lines *bufio.Scanner
	line  int    // lines read so far
	start int    // line of the current entry's first line
	next  string // a start line read ahead while finishing the previous entry
	entry Entry
	err   error
}

// NewScanner returns a Scanner reading the index from r.
func NewScanner(r io.Reader) *Scanner {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	return &Scanner{lines: s}
}

// Scan advances to the next entry; it returns false at the end or on error.
func (s *Scanner) Scan() bool {
	if s.err != nil {
		return false
	}
	first := s.next
	s.next = ""
	for first == "" && s.lines.Scan() {
		s.line++
		if entryStart.MatchString(s.lines.Text()) {
			first = s.lines.Text()
		}
	}
	if first == "" {
		if err := s.lines.Err(); err != nil {
			s.err = &Error{Code: CodeRead, Op: "rfcindex.Scan", Line: s.line, Msg: "reading the index failed", Err: err}
		}
		return false
	}
	s.start = s.line
	text := s.rest(first)
	e, ok := parseEntry(text)
	if !ok {
		s.err = &Error{Code: CodeMalformed, Op: "rfcindex.Scan", Line: s.start, Msg: "entry not in the index format: " + clip(text)}
		return false
	}
	s.entry = e
	return true
}

// rest reads the continuation lines of an entry up to a blank line (or
// the next entry start) and joins them. The index wraps long words after a
// hyphen ("Connectionless-" / "mode"), so such a break joins without space.
func (s *Scanner) rest(first string) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(first))
	for s.lines.Scan() {
		s.line++
		l := s.lines.Text()
		if strings.TrimSpace(l) == "" {
			break
		}
		if entryStart.MatchString(l) {
			s.next = l
			break
		}
		prev := b.String()
		if !(strings.HasSuffix(prev, "-") && len(prev) > 1 && isLetter(prev[len(prev)-2])) {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// Entry returns the entry read by the last successful Scan.
func (s *Scanner) Entry() Entry { return s.entry }

// Line returns the line on which the current entry starts.
func (s *Scanner) Line() int { return s.start }

// Err returns the first error met, or nil at a clean end of input.
func (s *Scanner) Err() error { return s.err }

// ReadAll reads every entry.
func ReadAll(r io.Reader) ([]Entry, error) {
	var out []Entry
	s := NewScanner(r)
	for s.Scan() {
		out = append(out, s.Entry())
	}
	return out, s.Err()
}
