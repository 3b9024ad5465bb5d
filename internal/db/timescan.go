package db

import (
	"fmt"
	"time"
)

// Time scans a timestamp read from either engine: a time.Time, as
// PostgreSQL's driver gives one, or the text SQLite stores, which the
// query reads through TimeCol so that SQLite's driver passes it on as
// text. That driver parses a column declared TIMESTAMP by trying layouts
// in turn, and the first (Go's time.String form) fails for every value
// hum writes (its "sqlite" form, 2006-01-02 15:04:05.999999999-07:00),
// so each date read cost a failed parse and the error it builds: an eighth
// of a search's CPU when it lists messages by date alone, and a thread
// page parses hundreds (issue 17 §3). Time reads that form in one pass
// and falls back to the driver's layouts for anything else.
type Time struct{ time.Time }

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		t.Time = v
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	}
	return fmt.Errorf("db.Time: cannot scan %T", v)
}

func (t *Time) parse(s string) error {
	if v, ok := ParseStored(s); ok {
		t.Time = v
		return nil
	}
	for _, layout := range storedLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("db.Time: %q is not a timestamp", s)
}

// storedLayouts are the layouts SQLite's driver reads a timestamp in.
var storedLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseStored reads YYYY-MM-DD HH:MM:SS[.F...][Z|±HH:MM] (a T for the
// space too), as time.Parse reads the driver's "sqlite" layout, and
// reports false for anything else, a value out of range included. The
// API reads the timestamps that SQLite hands on as text with it too
// (opendata's cells).
func ParseStored(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if i < len(s) && s[i] == '.' {
		i++
		digits := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if digits < 9 {
				nsec = nsec*10 + int(s[i]-'0')
			} else {
				return time.Time{}, false // as time.Parse: at most nine
			}
			digits++
			i++
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for range 9 - digits {
			nsec *= 10
		}
	}
	offset := 0
	switch rest := s[i:]; {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, okh := num(i+1, 2)
		m, okm := num(i+4, 2)
		if !okh || !okm || h > 23 || m > 59 {
			return time.Time{}, false
		}
		offset = h*3600 + m*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// TimeCol is how a query selects the timestamp column col to scan into a
// Time: on SQLite as an expression (unary plus, which changes nothing),
// whose result has no declared type, so that the driver hands on the
// stored text rather than parsing it; on PostgreSQL as it is.
func (d Dialect) TimeCol(col string) string {
	if d == SQLite {
		return "+" + col
	}
	return col
}
