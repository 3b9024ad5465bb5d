package opendata

import (
	"strings"
	"time"
)

// Filters on values held in memory: the fixed vocabularies (Rows), and
// fields every object has the same value for (Empty, Value), which the
// SQL compiler settles here rather than in the database.

// constant is the value of an Empty or Value field.
func constant(f *Field) any {
	if f.Value != nil {
		return f.Value
	}
	switch {
	case f.Type == ToMany:
		return []any{}
	case f.Null:
		return nil
	case f.Type == String:
		return ""
	case f.Type == Boolean:
		return false
	case f.Type == Integer:
		return int64(0)
	}
	return nil
}

// matchValue tells whether v passes the lookup with vals. A ToMany value
// (a list of keys) passes when one of its keys does; isnull asks whether
// it is empty.
func matchValue(v any, lookup string, vals []any) bool {
	if keys, ok := asList(v); ok {
		if lookup == "isnull" {
			return (len(keys) == 0) == vals[0].(bool)
		}
		for _, k := range keys {
			if matchValue(k, lookup, vals) {
				return true
			}
		}
		return false
	}
	switch lookup {
	case "isnull":
		return (v == nil) == vals[0].(bool)
	case "exact":
		return equal(v, vals[0])
	case "in":
		for _, x := range vals {
			if equal(v, x) {
				return true
			}
		}
		return false
	case "range":
		return v != nil && compare(v, vals[0]) >= 0 && compare(v, vals[1]) <= 0
	case "gt":
		return v != nil && compare(v, vals[0]) > 0
	case "gte":
		return v != nil && compare(v, vals[0]) >= 0
	case "lt":
		return v != nil && compare(v, vals[0]) < 0
	case "lte":
		return v != nil && compare(v, vals[0]) <= 0
	}
	s, ok := v.(string)
	x, _ := vals[0].(string)
	if !ok {
		return false
	}
	if strings.HasPrefix(lookup, "i") {
		s, x, lookup = strings.ToLower(s), strings.ToLower(x), lookup[1:]
	}
	switch lookup {
	case "exact":
		return s == x
	case "contains":
		return strings.Contains(s, x)
	case "startswith":
		return strings.HasPrefix(s, x)
	case "endswith":
		return strings.HasSuffix(s, x)
	}
	return false
}

func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	case []int64:
		out := make([]any, len(l))
		for i, n := range l {
			out[i] = n
		}
		return out, true
	}
	return nil, false
}

func equal(v, x any) bool {
	if v == nil || x == nil {
		return v == nil && x == nil
	}
	return compare(v, x) == 0
}

// compare orders two values of one type; values of different types
// differ.
func compare(a, b any) int {
	switch a := a.(type) {
	case int64:
		if b, ok := b.(int64); ok {
			return cmp3(a < b, a > b)
		}
	case string:
		if b, ok := b.(string); ok {
			return strings.Compare(a, b)
		}
	case bool:
		if b, ok := b.(bool); ok {
			return cmp3(!a && b, a && !b)
		}
	case time.Time:
		if b, ok := b.(time.Time); ok {
			return a.Compare(b)
		}
	}
	return 2
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

// matchRow tells whether a row of a Rows resource passes every filter.
func (s *Service) matchRow(r *Resource, row Row, conds []cond) bool {
	for _, c := range conds {
		if !s.matchAt(row, c, 0) {
			return false
		}
	}
	return true
}

// matchAt tests the part of c from c.path[i] on, against a row of the
// resource that holds c.path[i].
func (s *Service) matchAt(row Row, c cond, i int) bool {
	f := c.path[i]
	v := row[f.Name]
	if f.Empty || f.Value != nil {
		v = constant(f)
	}
	if i == len(c.path)-1 {
		return matchValue(v, c.lookup, c.vals)
	}
	keys := s.keysMatching(s.byName[f.To], c, i+1)
	if l, ok := asList(v); ok {
		for _, k := range l {
			if keys[k] {
				return true
			}
		}
		return false
	}
	return v != nil && keys[v]
}

// keysMatching gives the keys of the rows of t (a Rows resource) that
// pass the part of c from c.path[i] on.
func (s *Service) keysMatching(t *Resource, c cond, i int) map[any]bool {
	keys := map[any]bool{}
	for _, row := range t.Rows {
		if s.matchAt(row, c, i) {
			keys[row[t.Key]] = true
		}
	}
	return keys
}
