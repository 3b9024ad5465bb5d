package db

import (
	"fmt"
	"strings"
)

// Where builds the WHERE clause of a dynamic filter with $N placeholders,
// the one place hum assembles SQL from parts.
type Where struct {
	conds []string
	Args  []any
}

// Add appends a condition; "$?" in it stands for v's placeholder.
func (w *Where) Add(cond string, v any) {
	w.Args = append(w.Args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(w.Args))))
}

// Raw appends a condition without an argument.
func (w *Where) Raw(cond string) { w.conds = append(w.conds, cond) }

// Arg adds v as an argument and returns its placeholder, for a value
// that goes elsewhere than a condition (a LIMIT, a ranking expression).
func (w *Where) Arg(v any) string {
	w.Args = append(w.Args, v)
	return fmt.Sprintf("$%d", len(w.Args))
}

// In returns "(ph1, ph2, ...)" with an argument for each of vs.
func (w *Where) In(vs []string) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = w.Arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// InKeys is In for keys of any type (a page's keys, as the API reads
// them).
func (w *Where) InKeys(keys []any) string {
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = w.Arg(k)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// SQL is " WHERE a AND b", or "" when there are no conditions.
func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Values builds "($1,$2),($3,$4)" for a multi-row INSERT of rows rows of
// n columns each.
func Values(rows, n int) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", r*n+i+1)
		}
		b.WriteByte(')')
	}
	return b.String()
}
