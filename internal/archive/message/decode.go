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

// readCharset is the charset reader for net/mail's encoded-words: it
// decodes as toUTF8 does and never fails, so that a name in a charset
// nobody knows stays visible instead of being dropped.
func readCharset(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(toUTF8(b, label)), nil
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
	case "hp-roman8", "roman8", "r8", "cshproman8":
		return roman8(b)
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

// roman8 decodes HP Roman-8 (IANA hp-roman8, MIBenum 2004), which HP-UX
// mailers sent and which neither x/text nor go-message knows. Its lower
// half is ASCII.
func roman8(b []byte) string {
	var out strings.Builder
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(rune(c)) // C1 controls, as in ISO 8859; sanitize drops them
		default:
			out.WriteRune(roman8High[c-0xA0])
		}
	}
	return out.String()
}

// roman8High maps 0xA0-0xFF (checked against Python's hp_roman8 codec).
var roman8High = [96]rune{
	0x00A0, 0x00C0, 0x00C2, 0x00C8, 0x00CA, 0x00CB, 0x00CE, 0x00CF,
	0x00B4, 0x02CB, 0x02C6, 0x00A8, 0x02DC, 0x00D9, 0x00DB, 0x20A4,
	0x00AF, 0x00DD, 0x00FD, 0x00B0, 0x00C7, 0x00E7, 0x00D1, 0x00F1,
	0x00A1, 0x00BF, 0x00A4, 0x00A3, 0x00A5, 0x00A7, 0x0192, 0x00A2,
	0x00E2, 0x00EA, 0x00F4, 0x00FB, 0x00E1, 0x00E9, 0x00F3, 0x00FA,
	0x00E0, 0x00E8, 0x00F2, 0x00F9, 0x00E4, 0x00EB, 0x00F6, 0x00FC,
	0x00C5, 0x00EE, 0x00D8, 0x00C6, 0x00E5, 0x00ED, 0x00F8, 0x00E6,
	0x00C4, 0x00EC, 0x00D6, 0x00DC, 0x00C9, 0x00EF, 0x00DF, 0x00D4,
	0x00C1, 0x00C3, 0x00E3, 0x00D0, 0x00F0, 0x00CD, 0x00CC, 0x00D3,
	0x00D2, 0x00D5, 0x00F5, 0x0160, 0x0161, 0x00DA, 0x0178, 0x00FF,
	0x00DE, 0x00FE, 0x00B7, 0x00B5, 0x00B6, 0x00BE, 0x2014, 0x00BC,
	0x00BD, 0x00AA, 0x00BA, 0x00AB, 0x25A0, 0x00BB, 0x00B1, 0xFFFD,
}
