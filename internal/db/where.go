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
