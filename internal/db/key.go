package db

import (
	"database/sql/driver"

	"modernc.org/sqlite"
)

// Key is a 64-bit key of a and b (FNV-1a over a, a zero byte and b), for
// an index that finds long text by a short number: SQLite's archive
// finds a Message-ID of a list by Key(list, id) (migration 0042). Two
// texts may share a key, so whoever looks one up compares the text too.
// SQLite's connections know it as hum_key(a, b); an index on it can be
// written only by hum's process.
func Key(a, b string) int64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * prime
	}
	h *= prime // the zero byte: ("ab", "c") and ("a", "bc") differ
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * prime
	}
	return int64(h)
}

func init() {
	err := sqlite.RegisterDeterministicScalarFunction("hum_key", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		a, _ := args[0].(string)
		b, _ := args[1].(string)
		return Key(a, b), nil
	})
	if err != nil {
		panic(err)
	}
}
