package opendata

import (
	"context"
	"sort"
	"strings"
	"time"

	"hum/internal/db"
)

// compiler turns filters into one WHERE clause with $N placeholders,
// which both engines take (db.Where numbers them).
type compiler struct {
	s   *Service
	ctx context.Context
	w   *db.Where
	err error // the first failure reading keys of a resource held in memory
}

// where is the WHERE clause (with " WHERE ") of r's fixed condition and
// conds, or "".
func (q *compiler) where(r *Resource, conds []cond, more ...string) string {
	var parts []string
	if r.Table.Where != "" {
		parts = append(parts, "("+r.Table.Where+")")
	}
	for _, c := range conds {
		parts = append(parts, q.cond(c, 0))
	}
	parts = append(parts, more...)
	if len(parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(parts, " AND ")
}

func sqlBool(b bool) string {
	if b {
		return "1=1"
	}
	return "1=0"
}

// cond compiles the part of c from c.path[i] on, as a condition on a row
// of c.res[i].
func (q *compiler) cond(c cond, i int) string {
	r, f := c.res[i], c.path[i]
	lastField := i == len(c.path)-1
	if f.Empty || f.Value != nil {
		if lastField {
			return sqlBool(matchValue(constant(f), c.lookup, c.vals))
		}
		return sqlBool(false) // a relation through nothing reaches nothing
	}
	if lastField {
		if f.Type == ToMany {
			l := f.Link
			exists := "EXISTS (SELECT 1 FROM " + l.From + " WHERE " + l.Owner + " = " + r.key().Col
			if c.lookup == "isnull" {
				if c.vals[0].(bool) {
					return "NOT " + exists + ")"
				}
				return exists + ")"
			}
			return exists + " AND " + q.scalar(l.Key, c.lookup, c.vals) + ")"
		}
		if f.Type == Date && f.Stamp {
			return q.day(f.Col, c.lookup, c.vals)
		}
		return q.scalar(f.Col, c.lookup, c.vals)
	}
	t := q.s.byName[f.To]
	var in string
	if t.Table == nil {
		keys, err := q.s.keysOf(q.ctx, t, c, i+1)
		if err != nil && q.err == nil {
			q.err = err
		}
		if len(keys) == 0 {
			return sqlBool(false)
		}
		ks := make([]any, 0, len(keys))
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(a, b int) bool { return compare(ks[a], ks[b]) < 0 })
		in = "IN " + q.list(ks)
	} else {
		sub := "SELECT " + t.key().Col + " FROM " + t.Table.From
		var parts []string
		if t.Table.Where != "" {
			parts = append(parts, "("+t.Table.Where+")")
		}
		parts = append(parts, q.cond(c, i+1))
		sub += " WHERE " + strings.Join(parts, " AND ")
		in = "IN (" + sub + ")"
		if next := c.path[i+1]; f.Type == ToOne && i+1 == len(c.path)-1 && next.Unique && c.lookup == "exact" && c.vals[0] != nil {
			// One object at most (Field.Unique); LIMIT 1 in case the
			// resource's joins repeat its row.
			in = "= (" + sub + " LIMIT 1)"
			if f.Via != nil && f.Via.Field == next.Name {
				return "(" + f.Col + " " + in + " AND " + f.Via.Col + " = " + q.w.Arg(c.vals[0]) + ")"
			}
		}
	}
	if f.Type == ToMany {
		l := f.Link
		return "EXISTS (SELECT 1 FROM " + l.From + " WHERE " + l.Owner + " = " + r.key().Col + " AND " + l.Key + " " + in + ")"
	}
	return f.Col + " " + in
}

func (q *compiler) list(vs []any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = q.w.Arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// text is a placeholder for a text value, cast so that PostgreSQL knows
// its type inside functions such as LOWER and LENGTH.
func (q *compiler) text(v any) string { return "CAST(" + q.w.Arg(v) + " AS TEXT)" }

// scalar is the condition "col lookup vals".
func (q *compiler) scalar(col, lookup string, vals []any) string {
	pg := q.s.DB.Dialect == db.Postgres
	switch lookup {
	case "isnull":
		if vals[0].(bool) {
			return col + " IS NULL"
		}
		return col + " IS NOT NULL"
	case "exact":
		if vals[0] == nil {
			return col + " IS NULL"
		}
		return col + " = " + q.w.Arg(vals[0])
	case "in":
		var some []any
		null := false
		for _, v := range vals {
			if v == nil {
				null = true
			} else {
				some = append(some, v)
			}
		}
		var parts []string
		if len(some) > 0 {
			parts = append(parts, col+" IN "+q.list(some))
		}
		if null {
			parts = append(parts, col+" IS NULL")
		}
		if len(parts) == 0 {
			return sqlBool(false)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case "range":
		return col + " BETWEEN " + q.w.Arg(vals[0]) + " AND " + q.w.Arg(vals[1])
	case "gt", "gte", "lt", "lte":
		op := map[string]string{"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[lookup]
		return col + " " + op + " " + q.w.Arg(vals[0])
	}
	// Text lookups; i... compares lower-cased (both engines lower ASCII
	// alike, PostgreSQL every letter, SQLite only ASCII).
	v, _ := vals[0].(string)
	if strings.HasPrefix(lookup, "i") {
		col, lookup = "LOWER("+col+")", lookup[1:]
		v = strings.ToLower(v)
	}
	if v == "" && lookup != "exact" {
		return col + " IS NOT NULL" // everything contains, starts and ends with ""
	}
	switch lookup {
	case "exact":
		return col + " = " + q.text(v)
	case "contains":
		if pg {
			return "STRPOS(" + col + ", " + q.text(v) + ") > 0"
		}
		return "INSTR(" + col + ", " + q.text(v) + ") > 0"
	case "startswith":
		p := q.text(v)
		return "SUBSTR(" + col + ", 1, LENGTH(" + p + ")) = " + p
	case "endswith":
		p := q.text(v)
		if pg {
			return "RIGHT(" + col + ", LENGTH(" + p + ")) = " + p
		}
		return "SUBSTR(" + col + ", -LENGTH(" + p + ")) = " + p
	}
	return sqlBool(false)
}

// day is the condition "col lookup vals" for a Stamp field: col is a
// timestamp, vals are dates ("2006-01-02"), and each date stands for the
// UTC day [d, d+1). The timestamp is compared with the bounds as times,
// so an index on it serves.
func (q *compiler) day(col, lookup string, vals []any) string {
	bounds := func(v any) (time.Time, time.Time) {
		d, _ := time.Parse(time.DateOnly, v.(string))
		return d, d.AddDate(0, 0, 1)
	}
	within := func(v any) string {
		lo, hi := bounds(v)
		return "(" + col + " >= " + q.w.Arg(lo) + " AND " + col + " < " + q.w.Arg(hi) + ")"
	}
	switch lookup {
	case "exact":
		if vals[0] == nil {
			return col + " IS NULL"
		}
		return within(vals[0])
	case "in":
		var parts []string
		for _, v := range vals {
			if v == nil {
				parts = append(parts, col+" IS NULL")
			} else {
				parts = append(parts, within(v))
			}
		}
		if len(parts) == 0 {
			return sqlBool(false)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case "range":
		lo, _ := bounds(vals[0])
		_, hi := bounds(vals[1])
		return "(" + col + " >= " + q.w.Arg(lo) + " AND " + col + " < " + q.w.Arg(hi) + ")"
	case "gt":
		_, hi := bounds(vals[0])
		return col + " >= " + q.w.Arg(hi)
	case "gte":
		lo, _ := bounds(vals[0])
		return col + " >= " + q.w.Arg(lo)
	case "lt":
		lo, _ := bounds(vals[0])
		return col + " < " + q.w.Arg(lo)
	case "lte":
		_, hi := bounds(vals[0])
		return col + " < " + q.w.Arg(hi)
	}
	return q.scalar(col, lookup, vals) // isnull
}
