package opendata

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
)

// cell scans one column into the Go value of its type: int64, string,
// bool, time.Time or nil. SQLite gives computed columns back as text or
// integers whatever their type, so each type takes what either engine
// sends.
type cell struct {
	typ Type
	v   any
}

func (c *cell) Scan(src any) error {
	if src == nil {
		c.v = nil
		return nil
	}
	if b, ok := src.([]byte); ok {
		src = string(b)
	}
	switch c.typ {
	case Integer:
		switch x := src.(type) {
		case int64:
			c.v = x
		case float64:
			c.v = int64(x)
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return fmt.Errorf("opendata: %q is not an integer", x)
			}
			c.v = n
		default:
			return fmt.Errorf("opendata: cannot read %T as an integer", src)
		}
	case Boolean:
		switch x := src.(type) {
		case bool:
			c.v = x
		case int64:
			c.v = x != 0
		case string:
			c.v = x == "1" || x == "true" || x == "t"
		default:
			return fmt.Errorf("opendata: cannot read %T as a boolean", src)
		}
	case DateTime:
		switch x := src.(type) {
		case time.Time:
			c.v = x.UTC()
		case string:
			t, err := parseStoredTime(x)
			if err != nil {
				return err
			}
			c.v = t
		default:
			return fmt.Errorf("opendata: cannot read %T as a time", src)
		}
	case Date:
		switch x := src.(type) {
		case time.Time:
			c.v = x.UTC().Format(time.DateOnly)
		case string:
			c.v = x
			if len(x) > 10 { // a timestamp as SQLite keeps it: its UTC day
				if t, err := parseStoredTime(x); err == nil {
					c.v = t.Format(time.DateOnly)
				}
			}
		default:
			return fmt.Errorf("opendata: cannot read %T as a date", src)
		}
	default:
		switch x := src.(type) {
		case string:
			c.v = x
		case time.Time:
			c.v = x.UTC().Format(time.RFC3339)
		default:
			c.v = fmt.Sprint(x)
		}
	}
	return nil
}

// parseStoredTime reads a time as SQLite keeps it ("2006-01-02
// 15:04:05.999999999-07:00") or in any layout a filter takes.
func parseStoredTime(s string) (time.Time, error) {
	if t, ok := db.ParseStored(s); ok {
		return t.UTC(), nil
	}
	t, err := parseTime(s)
	if err != nil {
		return t, fmt.Errorf("opendata: %q is not a time", s)
	}
	return t, nil
}

// object renders a row (vals in field order; many holds the ToMany
// fields' keys by field index) as the Datatracker does: every field
// present, related objects as resource URIs, times in UTC with a Z.
func (s *Service) object(r *Resource, vals []any, many map[int][]any) map[string]any {
	o := make(map[string]any, len(r.Fields)+1)
	for i := range r.Fields {
		f := &r.Fields[i]
		v := vals[i]
		if f.Empty || f.Value != nil {
			v = constant(f)
		}
		if f.Type == ToMany && r.Table != nil && !f.Empty {
			v = many[i]
		}
		if f.Map != nil {
			v = f.Map(v)
		}
		o[f.Name] = s.render(f, v)
	}
	o["resource_uri"] = r.URI(vals[s.keyIndex(r)])
	return o
}

func (s *Service) keyIndex(r *Resource) int {
	for i := range r.Fields {
		if r.Fields[i].Name == r.Key {
			return i
		}
	}
	return -1
}

func (s *Service) render(f *Field, v any) any {
	switch f.Type {
	case List:
		if v == nil {
			return []any{}
		}
		return v
	case ToMany:
		l, _ := asList(v)
		uris := make([]string, 0, len(l))
		for _, k := range l {
			uris = append(uris, uri(f.To, k))
		}
		return uris
	case ToOne:
		if v == nil {
			return nil
		}
		return uri(f.To, v)
	case DateTime:
		if t, ok := v.(time.Time); ok {
			return t.UTC().Format("2006-01-02T15:04:05Z")
		}
		return nil
	case Date:
		if d, ok := v.(string); ok && len(d) >= 10 {
			return d[:10]
		}
		return v
	case String:
		if v == nil && !f.Null {
			return ""
		}
		if str, ok := v.(string); ok {
			return strings.ToValidUTF8(str, "\uFFFD")
		}
	}
	return v
}
