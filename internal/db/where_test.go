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
	w.Raw("d IN " + w.In([]string{"x", "y"}))
	if got, want := w.SQL()+" LIMIT "+w.Arg(5), " WHERE a = $1 AND b IS NULL AND LOWER(c) LIKE $2 AND d IN ($3, $4) LIMIT $5"; got != want || len(w.Args) != 5 || w.Args[3] != "y" || w.Args[4] != 5 {
		t.Errorf("got %q %v, want %q", got, w.Args, want)
	}
}

func TestValues(t *testing.T) {
	if got, want := Values(2, 3), "($1,$2,$3),($4,$5,$6)"; got != want {
		t.Errorf("Values(2, 3) = %q, want %q", got, want)
	}
	if got := Values(0, 3); got != "" {
		t.Errorf("Values(0, 3) = %q", got)
	}
}
