package message

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// date returns the message date from Date:, then the newest Received:
// stamp (what the IETF archive also falls back to), or the zero time.
func (h header) date() time.Time {
	if t, ok := parseDate(h.get("Date")); ok {
		return t
	}
	for _, rcv := range h.getAll("Received") {
		if i := strings.LastIndexByte(rcv, ';'); i >= 0 {
			if t, ok := parseDate(rcv[i+1:]); ok {
				return t
			}
		}
	}
	return time.Time{}
}

var (
	comments = regexp.MustCompile(`\([^()]*\)`)
	weekday  = regexp.MustCompile(`^(?i)(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*`)
	gmtZone  = regexp.MustCompile(`(?i)\b(?:GMT|UTC)([+-]\d{1,4})\b`)
)

// dateLayouts are the shapes seen in real archives once weekday and
// comments are removed. Go's "06" maps 69-99 to the 1900s, as RFC 5322
// asks for two-digit years.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04 MST",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04 -0700",
	"2 Jan 06 15:04 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04:05 -0700",
	"Jan 2 15:04:05 2006",
	"Jan 2 15:04:05 MST 2006",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2, 2006 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	time.RFC3339,
	"2-Jan-2006 15:04:05 -0700",
	"2-Jan-06 15:04:05",
	"2 Jan 2006 15.04.05 -0700",
	"2 Jan 2006 15:04:05 -07:00",
}

// parseDate parses the date forms found in real archives. Dates before
// 1970 or more than a year past the Date header's era are not rejected
// here; callers decide what is plausible.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t, true
	}
	s = comments.ReplaceAllString(s, " ")
	s = weekday.ReplaceAllString(strings.TrimSpace(s), "")
	s = gmtZone.ReplaceAllString(s, "$1")
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
