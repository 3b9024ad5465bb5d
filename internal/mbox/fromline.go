package mbox

import (
	"bytes"
	"regexp"
)

// dateShapedFrom matches a From_ line whose tail is an asctime-like date:
// "From <sender> <weekday> <month> <day> <hh:mm[:ss]> [zone] <year> [zone]".
// The sender may contain spaces because pipermail obfuscates addresses as
// "user at example.com". Requiring the date is what keeps body lines such as
// "From the wikipedia page we can ..." in pipermail archives (which never
// escape body "From " lines) from being taken as separators.
var dateShapedFrom = regexp.MustCompile(`^From \S.*?[ \t]+` +
	`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?[ \t]+` +
	`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+` +
	`\d{1,2}[ \t]+\d{1,2}:\d{2}(?::\d{2})?` +
	`(?:[ \t]+(?:[A-Za-z]{1,5}|[+-]\d{4}))?[ \t]+\d{4}` +
	`(?:[ \t]+(?:[A-Za-z]{1,5}|[+-]\d{4}))?` +
	`(?:[ \t]+remote from .*)?[ \t]*$`)

// isFromLine reports whether line (with or without its line ending) is an
// mbox From_ separator. Two shapes are accepted:
//
//   - the classic date-shaped line (see dateShapedFrom);
//   - a bare sender token with no date, as written by Netscape ("From - ")
//     and Gmail Takeout ("From 1844347792267117879@xxx"). The token must be
//     "-" or contain "@", so prose like "From Russia with love" is not split.
func isFromLine(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	line = bytes.TrimRight(line, "\r\n")
	rest := bytes.TrimRight(line[5:], " \t")
	if len(rest) > 0 && bytes.IndexAny(rest, " \t") < 0 {
		if bytes.Equal(rest, []byte("-")) || bytes.IndexByte(rest, '@') > 0 {
			return true
		}
	}
	if len(rest) == 0 {
		return false
	}
	return dateShapedFrom.Match(line)
}

// isEscapedFrom reports whether line is a mboxrd-quoted From line: one or
// more '>' followed by "From ".
func isEscapedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}

// needsEscape reports whether a message line must gain a '>' when written
// as mboxrd: "From " or any number of '>' followed by "From ".
func needsEscape(line []byte) bool {
	return bytes.HasPrefix(line, []byte("From ")) || isEscapedFrom(line)
}

func isBlank(line []byte) bool {
	return len(line) == 0 || bytes.Equal(line, []byte("\n")) || bytes.Equal(line, []byte("\r\n"))
}

var mmdfDelim = []byte("\x01\x01\x01\x01")

func isMMDFDelim(line []byte) bool {
	return bytes.Equal(bytes.TrimRight(line, "\r\n"), mmdfDelim)
}

// isYearLine reports whether line is a bare year from 1900 to 2099, the
// message separator of FormatYear files.
func isYearLine(line []byte) bool {
	line = bytes.TrimRight(line, "\r\n")
	return len(line) == 4 && (line[0] == '1' && line[1] == '9' || line[0] == '2' && line[1] == '0') &&
		'0' <= line[2] && line[2] <= '9' && '0' <= line[3] && line[3] <= '9'
}

// isHeaderField reports whether line starts like a header field: a name of
// printable ASCII other than ':' (RFC 5322 ftext), then ':'.
func isHeaderField(line []byte) bool {
	i := 0
	for i < len(line) && line[i] > ' ' && line[i] < 0x7f && line[i] != ':' {
		i++
	}
	return i > 0 && i < len(line) && line[i] == ':'
}

// hasFieldName reports whether line is a field named name, which is given
// in lower case with its colon ("content-type:").
func hasFieldName(line []byte, name string) bool {
	return len(line) >= len(name) && bytes.EqualFold(line[:len(name)], []byte(name))
}

// isPlainField reports whether line starts with a field name made of ASCII
// letters, digits and '-' only, and its colon. isHeaderField also takes
// body lines such as "<ftp://host/path>" for fields.
func isPlainField(line []byte) bool {
	i := 0
	for i < len(line) && (line[i] == '-' || '0' <= line[i] && line[i] <= '9' ||
		'a' <= line[i]|0x20 && line[i]|0x20 <= 'z') {
		i++
	}
	return i > 0 && i < len(line) && line[i] == ':'
}
