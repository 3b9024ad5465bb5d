package message

import (
	"bytes"
	"encoding/base64"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// encodedWord matches an RFC 2047 encoded-word. The text part allows
// spaces and the charset allows an RFC 2231 language suffix, because
// mailers get both wrong.
var encodedWord = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=`)

// decodeText decodes RFC 2047 encoded-words in a header value and any raw
// 8-bit bytes, then sanitises the result. Adjacent words in one charset are
// joined before charset decoding, since mailers split multi-byte characters
// across words; whitespace between encoded-words is dropped (RFC 2047 §6.2).
func decodeText(s string) string {
	if !strings.Contains(s, "=?") {
		return sanitize(toUTF8([]byte(s), ""))
	}
	var out strings.Builder
	var pending []byte
	pendingCharset := ""
	flush := func() {
		if pending != nil {
			out.WriteString(toUTF8(pending, pendingCharset))
			pending, pendingCharset = nil, ""
		}
	}
	last := 0
	for _, loc := range encodedWord.FindAllStringSubmatchIndex(s, -1) {
		between := s[last:loc[0]]
		if strings.TrimSpace(between) != "" || pending == nil {
			flush()
			out.WriteString(toUTF8([]byte(between), ""))
		}
		cs, _, _ := strings.Cut(strings.ToLower(s[loc[2]:loc[3]]), "*")
		word := decodeWord(s[loc[4]:loc[5]], s[loc[6]:loc[7]])
		if pending != nil && cs != pendingCharset {
			flush()
		}
		pending, pendingCharset = append(pending, word...), cs
		last = loc[1]
	}
	flush()
	out.WriteString(toUTF8([]byte(s[last:]), ""))
	return sanitize(out.String())
}

// decodeWord decodes the text of one encoded-word, keeping what it can of
// malformed input.
func decodeWord(enc, text string) []byte {
	if enc == "b" || enc == "B" {
		return decodeBase64([]byte(text))
	}
	var out []byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			out = append(out, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// decodeBase64 ignores characters outside the alphabet and missing or
// excess padding, and returns whatever decodes.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// toUTF8 decodes b from the named charset. Unknown or lying charsets fall
// back to UTF-8 when b is valid UTF-8 and to Windows-1252 (a superset of
// Latin-1 for printable text) otherwise, so decoding never fails.
func toUTF8(b []byte, label string) string {
	label = strings.ToLower(strings.Trim(label, "\"' \t"))
	switch label {
	case "iso-8859-1", "latin1", "iso_8859-1", "windows-1252", "cp1252":
		// Mislabelled UTF-8 is common, and Latin-1 prose is almost never
		// valid UTF-8 by accident, so valid UTF-8 wins.
		if utf8.Valid(b) {
			return string(b)
		}
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unknown-8bit", "x-unknown", "8bit", "default":
	default:
		if r, err := charset.Reader(label, bytes.NewReader(b)); err == nil {
			if out, err := io.ReadAll(r); err == nil {
				return strings.ToValidUTF8(string(out), "\uFFFD")
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}
