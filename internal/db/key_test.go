package db_test

import (
	"context"
	"testing"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// SQLite's hum_key, which arch_ref's index holds, is db.Key, which the
// archive looks Message-IDs up by; the two parts are kept apart.
func TestKeyIsHumKey(t *testing.T) {
	d := dbtest.SQLite(t)
	for _, p := range [][2]string{{"idr", "a@example.org"}, {"", ""}, {"ab", "c"}, {"a", "bc"}, {"r-package-devel", "CAB=x+y@mail.gmail.com"}} {
		var got int64
		if err := d.QueryRowContext(context.Background(), `SELECT hum_key(?, ?)`, p[0], p[1]).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := db.Key(p[0], p[1]); got != want {
			t.Errorf("hum_key(%q, %q) = %d, db.Key %d", p[0], p[1], got, want)
		}
	}
	if db.Key("ab", "c") == db.Key("a", "bc") {
		t.Error(`Key("ab", "c") = Key("a", "bc")`)
	}
}
