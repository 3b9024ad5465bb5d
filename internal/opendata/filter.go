package opendata

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
)

// The filters follow Tastypie's ModelResource.build_filters and
// check_filtering, which the Datatracker runs: a query parameter whose
// first part is not a field is not a filter and is ignored (limit,
// format, a client's cache-buster); a field the resource does not let
// filter, a relation through a field that is not ALL_WITH_RELATIONS and a
// lookup the field has not are refused with Tastypie's message, as
// {"error": "..."} with status 400.

// lookups are the Django lookups a filter may end with.
var lookups = map[string]bool{
	"exact": true, "iexact": true, "contains": true, "icontains": true,
	"startswith": true, "istartswith": true, "endswith": true, "iendswith": true,
	"in": true, "range": true, "gt": true, "gte": true, "lt": true, "lte": true, "isnull": true,
}

// textLookups apply to text only.
var textLookups = map[string]bool{"iexact": true, "contains": true, "icontains": true,
	"startswith": true, "istartswith": true, "endswith": true, "iendswith": true}

// cond is one filter: a path of fields from the resource (a relation
// for each but the last), the lookup, and its values.
type cond struct {
	param  string
	path   []*Field
	res    []*Resource // res[i] holds path[i]
	lookup string
	typ    Type  // the type of vals: the last field's, or the key's of the resource it points to
	vals   []any // parsed; a nil element is None (SQL NULL)
}

// last is the field the lookup applies to.
func (c cond) last() *Field { return c.path[len(c.path)-1] }

// parse reads the filters of q for r.
func (s *Service) parse(r *Resource, q url.Values) ([]cond, error) {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first error is the same on every request
	var out []cond
	for _, k := range keys {
		bits := strings.Split(k, "__")
		if r.Field(bits[0]) == nil {
			continue // not a field: not a filter (Tastypie: "Move along citizen.")
		}
		c := cond{param: k, lookup: "exact"}
		if n := len(bits); n > 1 && lookups[bits[n-1]] {
			c.lookup, bits = bits[n-1], bits[:n-1]
		}
		if err := s.walk(r, bits, &c); err != nil {
			return nil, err
		}
		s.viaPK(&c, q[k])
		c.typ = s.valueType(c.last())
		vals, err := values(c, q[k])
		if err != nil {
			return nil, err
		}
		c.vals = vals
		out = append(out, c)
	}
	return out, nil
}

// walk follows the field names of bits from r, as check_filtering does.
func (s *Service) walk(r *Resource, bits []string, c *cond) error {
	f := r.Field(bits[0])
	if f == nil {
		return invalid(c.param, "The '%s' field is not a valid field name", bits[0])
	}
	if f.Filter == None {
		return invalid(c.param, "The '%s' field does not allow filtering.", f.Name)
	}
	c.path, c.res = append(c.path, f), append(c.res, r)
	if len(bits) == 1 {
		return nil
	}
	if f.Type != ToOne && f.Type != ToMany {
		return invalid(c.param, "The '%s' field does not support relations.", f.Name)
	}
	if f.Filter != AllWithRelations {
		return invalid(c.param, "Lookups are not allowed more than one level deep on the '%s' field.", f.Name)
	}
	t := s.byName[f.To]
	if t == nil { // an Empty field (New refuses any other): hum has none of f.To
		return invalid(c.param, "The '%s' field points to %s, which hum does not serve.", f.Name, f.To)
	}
	return s.walk(t, bits[1:], c)
}

// viaPK turns a filter on a related field whose resource has a primary
// key other than its URI key (doc=123 on doc/document, named in URIs)
// into one on that key (doc__id=123), when its values are of the key's
// type.
func (s *Service) viaPK(c *cond, raw []string) {
	f := c.last()
	if f.Type != ToOne && f.Type != ToMany {
		return
	}
	t := s.byName[f.To]
	if t == nil || t.PK == "" || t.PK == t.Key || c.lookup == "isnull" {
		return
	}
	pk := t.Field(t.PK)
	for _, v := range raw {
		for _, x := range strings.Split(v, ",") {
			if _, err := parseValue(pk.Type, x); err != nil {
				return
			}
		}
	}
	c.path, c.res = append(c.path, pk), append(c.res, t)
}

func invalid(param, format string, args ...any) *fail.Error {
	return fail.Field(param, format, args...)
}

// valueType is the type a filter's values have: a related field's
// values are keys of the resource it points to.
func (s *Service) valueType(f *Field) Type {
	if f.Type == ToOne || f.Type == ToMany {
		if t := s.byName[f.To]; t != nil {
			return t.key().Type
		}
		return String
	}
	return f.Type
}

// values parses a filter's values for its last field.
func values(c cond, raw []string) ([]any, error) {
	f := c.last()
	if textLookups[c.lookup] && f.Type != String {
		return nil, invalid(c.param, "'%s' is not an allowed filter on the '%s' field.", c.lookup, f.Name)
	}
	if c.lookup == "isnull" {
		b, ok := parseBool(raw[len(raw)-1])
		if !ok {
			return nil, invalid(c.param, "Invalid resource lookup data provided (mismatched type).")
		}
		return []any{b}, nil
	}
	var strs []string
	switch c.lookup {
	case "in", "range":
		for _, v := range raw {
			if v != "" {
				strs = append(strs, strings.Split(v, ",")...)
			}
		}
		if c.lookup == "range" && len(strs) != 2 {
			return nil, invalid(c.param, "A range filter takes two values, low,high; %q has %d.", strings.Join(raw, ","), len(strs))
		}
	default:
		strs = raw[len(raw)-1:] // Django's QueryDict gives the last
	}
	out := make([]any, len(strs))
	for i, v := range strs {
		if c.lookup == "exact" && (v == "None" || v == "none" || v == "nil") && f.Type != String {
			out[i] = nil
			continue
		}
		x, err := parseValue(c.typ, v)
		if err != nil {
			return nil, invalid(c.param, "Invalid resource lookup data provided (mismatched type): %q is not %s.", v, article(c.typ))
		}
		out[i] = x
	}
	return out, nil
}

func article(t Type) string {
	switch t {
	case Integer:
		return "an integer"
	case Boolean:
		return "true or false"
	case DateTime:
		return "a date and time (YYYY-MM-DDTHH:MM:SS)"
	case Date:
		return "a date (YYYY-MM-DD)"
	}
	return "text"
}

// parseValue reads one filter value as type t. Related fields take the
// key of the row they point to or its resource URI.
func parseValue(t Type, v string) (any, error) {
	if strings.HasPrefix(v, "/api/v1/") {
		v = LastSegment(v)
	}
	switch t {
	case Integer:
		return strconv.ParseInt(v, 10, 64)
	case Boolean:
		b, ok := parseBool(v)
		if !ok {
			return nil, strconv.ErrSyntax
		}
		return b, nil
	case DateTime:
		return parseTime(v)
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			t, err := parseTime(v)
			if err != nil {
				return nil, err
			}
			return t.Format(time.DateOnly), nil
		}
		return v, nil
	}
	return v, nil
}

func parseBool(v string) (bool, bool) {
	switch v {
	case "true", "True", "1":
		return true, true
	case "false", "False", "0":
		return false, true
	}
	return false, false
}

// timeLayouts are the forms a time filter takes: what Django accepts, and
// the Datatracker's own output (with Z). A time without a zone is UTC, as
// the Datatracker keeps time.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly}

func parseTime(v string) (time.Time, error) {
	var err error
	for _, l := range timeLayouts {
		var t time.Time
		if t, err = time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// LastSegment takes "wg" or "/api/v1/name/grouptypename/wg/" alike.
func LastSegment(v string) string {
	v = strings.TrimSuffix(v, "/")
	if i := strings.LastIndex(v, "/"); i >= 0 {
		v = v[i+1:]
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
