package message

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

type rawField struct {
	name  string
	value string // unfolded, still encoded
}

type header []rawField

// get returns the first value of the named field, or "".
func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

func (h header) getAll(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// splitHeader parses the header block of raw and returns it with the body.
// It is lenient the way MIME parsers that survive real mail are: a line in
// the header block that is neither a field nor a continuation is dropped
// (as mime4j does), a line holding only whitespace ends the header, and
// input whose first line is not a field has no header at all.
func splitHeader(raw []byte) (header, []byte) {
	var h header
	rest := raw
	for len(rest) > 0 {
		line, next := cutLine(rest)
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(trimmed)) == 0 {
			return h, next
		}
		switch {
		case (trimmed[0] == ' ' || trimmed[0] == '\t') && len(h) > 0:
			h[len(h)-1].value += " " + strings.TrimSpace(string(trimmed))
		case isFieldLine(bytes.TrimLeft(trimmed, " \t")):
			name, value, _ := strings.Cut(string(bytes.TrimLeft(trimmed, " \t")), ":")
			h = append(h, rawField{name: strings.TrimSpace(name), value: strings.TrimSpace(value)})
		case len(h) == 0:
			return nil, raw
		}
		rest = next
	}
	return h, nil
}

// isFieldLine reports whether line starts with a field name and a colon.
func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range bytes.TrimRight(line[:i], " \t") {
		if c <= ' ' || c >= 127 {
			return false
		}
	}
	return true
}

// cutLine returns the first line of b including its ending, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1], b[i+1:]
	}
	return b, nil
}

// sanitize makes a decoded value safe to show and to put back in a header:
// control characters (CR, LF, NUL, C1, U+2028/2029) and bidi overrides,
// which could reorder what a reader sees, become spaces, and runs of
// whitespace collapse.
func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\uFFFD':
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return ' '
		case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func (m *Message) warn(format string, args ...any) {
	if len(m.Warnings) < 50 {
		m.Warnings = append(m.Warnings, fmt.Sprintf(format, args...))
	}
}
