package archive_test

import (
	"context"
	"testing"

	"hum/internal/archive"
	"hum/internal/fail"
)

// FuzzSearch types anything into the archive's search box: a query
// either parses or is refused as invalid input, and a parsed one runs on
// the database without an error (an FTS5 or tsquery syntax error would be
// a 500), on either engine (HUM_TEST_POSTGRES).
func FuzzSearch(f *testing.F) {
	s := newService(f)
	add(f, s, "quic", []byte(post))
	add(f, s, "tls", []byte(tlsPost))
	for _, q := range []string{
		`negotiation`, `"version negotiation" list:quic,tls`, `subject:"client hello"`, `from:bob@example.net`,
		`since:2026-01-01 until:2026-12-31`, `NEAR(a b)`, `a OR b NOT c`, `"unterminated`, `col:x`, `*`, `^x`,
		`subject:`, `from:"`, `a AND (b`, `'quote' & | ! <->`, `list:`, `-x +y`, `café ü 日本語`, "\x00", `""`,
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := archive.ParseQuery(text)
		if err != nil {
			if fail.KindOf(err) != fail.Invalid {
				t.Fatalf("ParseQuery(%q): %v is not a refusal of the input", text, err)
			}
			return
		}
		if _, err := s.Search(context.Background(), q, 5, 0); err != nil && fail.KindOf(err) != fail.Invalid {
			t.Fatalf("Search(%q): %v", text, err)
		}
	})
}
