package db

import "testing"

func TestWhere(t *testing.T) {
	var w Where
	if w.SQL() != "" {
		t.Errorf("empty: %q", w.SQL())
	}
	w.Add("a = $?", 1)
	w.Raw("b IS NULL")
	w.Add("LOWER(c) LIKE $?", "%x%")
	if got, want := w.SQL(), " WHERE a = $1 AND b IS NULL AND LOWER(c) LIKE $2"; got != want || len(w.Args) != 2 {
		t.Errorf("got %q %v, want %q", got, w.Args, want)
	}
}
