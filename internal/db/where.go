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
