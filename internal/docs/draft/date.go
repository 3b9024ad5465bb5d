package draft

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date whose day, or month and day, may be unknown (0),
// as in "July 2016" on an RFC or <date year="2016"/> in XML.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// IsZero reports whether no part of the date is known.
func (d Date) IsZero() bool { return d.Year == 0 }

// String gives ISO 8601 with only the known parts: "2023-03-07", "2016-07".
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Complete fills missing parts the way xml2rfc and the Datatracker do: a
// missing part means "today" when the known parts agree with today, and
// otherwise the first day (of the month or year).
func (d Date) Complete(today Date) Date {
	if d.Year == 0 {
		return today
	}
	if d.Month == 0 {
		if d.Year == today.Year {
			return today
		}
		return Date{d.Year, time.January, 1}
	}
	if d.Day == 0 {
		if d.Year == today.Year && d.Month == today.Month {
			return today
		}
		d.Day = 1
	}
	return d
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// parseMonth accepts "March", "Mar", "Mar." and "3"/"03".
func parseMonth(s string) time.Month {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= 12 {
			return time.Month(n)
		}
		return 0
	}
	if len(s) < 3 {
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), strings.ToLower(s)) {
			return m
		}
	}
	return 0
}

// dateFromAttrs turns XML <date> attributes into a Date; a part that does
// not parse is left unknown so the validator can complain.
func dateFromAttrs(a DateAttrs) Date {
	var d Date
	d.Year, _ = strconv.Atoi(strings.TrimSpace(a.Year))
	if d.Year != 0 {
		d.Month = parseMonth(a.Month)
	}
	if d.Month != 0 {
		d.Day, _ = strconv.Atoi(strings.TrimSpace(a.Day))
		if d.Day < 0 || d.Day > 31 {
			d.Day = 0
		}
	}
	return d
}

var (
	dateDMY = regexp.MustCompile(`^(\d{1,2})\s+([A-Za-z]+\.?)\s+(\d{4})$`)   // 7 March 2023
	dateMDY = regexp.MustCompile(`^([A-Za-z]+\.?)\s+(\d{1,2}),?\s+(\d{4})$`) // December 23, 2013
	dateMY  = regexp.MustCompile(`^([A-Za-z]+\.?),?\s+(\d{4})$`)             // July 2016
)

// parsePrintedDate reads the date forms xml2rfc has printed over the
// years; ok is false when s is not a date.
func parsePrintedDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	var day, mon, year string
	if m := dateDMY.FindStringSubmatch(s); m != nil {
		day, mon, year = m[1], m[2], m[3]
	} else if m := dateMDY.FindStringSubmatch(s); m != nil {
		mon, day, year = m[1], m[2], m[3]
	} else if m := dateMY.FindStringSubmatch(s); m != nil {
		mon, year = m[1], m[2]
	} else {
		return Date{}, false
	}
	d := Date{Month: parseMonth(mon)}
	if d.Month == 0 {
		return Date{}, false
	}
	d.Year, _ = strconv.Atoi(year)
	if day != "" {
		d.Day, _ = strconv.Atoi(day)
	}
	return d, true
}
