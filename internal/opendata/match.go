package opendata

import (
	"context"
	"strings"
	"time"

	"hum/internal/db"
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

// rows gives the rows of a resource held in memory. A Load is computed
// once per version of the record: every change writes an event, so rows
// loaded when the newest event was v are the rows until the next event
// (group/grouphistory is rebuilt from every group's events, which costs
// far more than a request may).
func (s *Service) rows(ctx context.Context, r *Resource) ([]Row, error) {
	if r.Load == nil {
		return r.Rows, nil
	}
	v, err := s.Versions.Get(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	l, ok := s.loaded[r]
	s.mu.Unlock()
	if ok && l.version == v {
		return l.rows, nil
	}
	rows, err := r.Load(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	// The version read before loading: rows at least as new as it, so a
	// later request that sees a newer version loads again.
	s.mu.Lock()
	s.loaded[r] = loaded{version: v, rows: rows}
	s.mu.Unlock()
	return rows, nil
}

// loaded is a Load's rows and the version of the record they were read at.
type loaded struct {
	version int64
	rows    []Row
}

// rowFilter is a filter ready to test rows in memory: a relation's
// keys are found once, whichever way the resource pointed to is held.
type rowFilter struct {
	c    cond
	keys map[any]bool // the keys the relation may point to; nil for a filter on the field itself
}

func (s *Service) prepare(ctx context.Context, conds []cond) ([]rowFilter, error) {
	out := make([]rowFilter, len(conds))
	for i, c := range conds {
		out[i].c = c
		if len(c.path) > 1 && !c.path[0].Empty && c.path[0].Value == nil {
			keys, err := s.keysOf(ctx, s.byName[c.path[0].To], c, 1)
			if err != nil {
				return nil, err
			}
			out[i].keys = keys
		}
	}
	return out, nil
}

// matchRow tells whether a row passes every filter.
func matchRow(row Row, fs []rowFilter) bool {
	for _, f := range fs {
		fl := f.c.path[0]
		v := row[fl.Name]
		if fl.Empty || fl.Value != nil {
			v = constant(fl)
		}
		if len(f.c.path) == 1 {
			if !matchValue(v, f.c.lookup, f.c.vals) {
				return false
			}
			continue
		}
		if !hasKey(v, f.keys) {
			return false
		}
	}
	return true
}

// hasKey tells whether v (a key, or a list of them) is among keys.
func hasKey(v any, keys map[any]bool) bool {
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

// keysOf gives the keys of the rows of t that pass the part of c from
// c.path[i] on: by a query for a Table resource, in memory otherwise.
func (s *Service) keysOf(ctx context.Context, t *Resource, c cond, i int) (map[any]bool, error) {
	keys := map[any]bool{}
	if t.Table != nil {
		q := &compiler{s: s, ctx: ctx, w: &db.Where{}}
		cnd := q.cond(c, i)
		if q.err != nil {
			return nil, q.err
		}
		where := " WHERE " + cnd
		if t.Table.Where != "" {
			where += " AND (" + t.Table.Where + ")"
		}
		rows, err := s.DB.QueryContext(ctx, "SELECT "+t.key().Col+" FROM "+t.Table.From+where, q.w.Args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			k := cell{typ: t.key().Type}
			if err := rows.Scan(&k); err != nil {
				return nil, err
			}
			keys[k.v] = true
		}
		return keys, rows.Err()
	}
	rows, err := s.rows(ctx, t)
	if err != nil {
		return nil, err
	}
	sub := cond{param: c.param, path: c.path[i:], res: c.res[i:], lookup: c.lookup, typ: c.typ, vals: c.vals}
	fs, err := s.prepare(ctx, []cond{sub})
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		if matchRow(row, fs) {
			keys[row[t.Key]] = true
		}
	}
	return keys, nil
}
