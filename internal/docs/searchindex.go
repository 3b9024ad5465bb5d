package docs

import (
	"context"
	"strings"
	"sync"

	"hum/internal/db"
)

// textIndex finds the documents whose name or title contains a text, the
// heart of /doc/search/?name=. It is the one part of search where the
// engines really differ (migration 0008): SQLite answers it from an FTS5
// trigram index, PostgreSQL from pg_trgm GIN indexes, or, where pg_trgm
// could not be installed, from a word index that matches word prefixes.
type textIndex interface {
	// cond returns a condition on the document row d that holds when
	// its name or title contains t (lower case, not empty); arg adds a
	// parameter and returns its placeholder.
	cond(t string, arg func(any) string) string
}

// textIndexCache remembers which index the database has; it is asked
// once per Service, and again only after a failed probe.
type textIndexCache struct {
	mu  sync.Mutex
	idx textIndex
}

func (s *Service) textIndex(ctx context.Context) (textIndex, error) {
	c := &s.search
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != nil {
		return c.idx, nil
	}
	if s.DB.Dialect != db.Postgres {
		c.idx = trigramFTS{}
		return c.idx, nil
	}
	var trgm bool
	if err := s.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname = 'doc_text_trgm')`).Scan(&trgm); err != nil {
		return nil, err
	}
	c.idx = tsvectorWords{}
	if trgm {
		c.idx = likeTrigram{}
	}
	return c.idx, nil
}

// likeCond is the plain substring match. SQLite's LIKE ignores ASCII case
// by itself; PostgreSQL needs ILIKE (names are stored in lower case).
func likeCond(t string, arg func(any) string, ilike string) string {
	p := arg("%" + likeEscape(t) + "%")
	return "(d.name LIKE " + p + ` ESCAPE '\' OR d.title ` + ilike + " " + p + ` ESCAPE '\')`
}

// trigramFTS is SQLite's doc_fts, an FTS5 table with the trigram
// tokenizer: a quoted phrase matches any substring of three or more
// characters, case-insensitively, within one column. Shorter texts have
// no trigram and are matched by LIKE over the table.
type trigramFTS struct{}

func (trigramFTS) cond(t string, arg func(any) string) string {
	if len([]rune(t)) < 3 {
		return likeCond(t, arg, "LIKE")
	}
	return "d.id IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH " + arg(`"`+strings.ReplaceAll(t, `"`, `""`)+`"`) + ")"
}

// likeTrigram is PostgreSQL with pg_trgm: the GIN trigram index over
// name || ' ' || title answers ILIKE '%t%'; the plain condition then
// drops a match that only spans the two.
type likeTrigram struct{}

func (likeTrigram) cond(t string, arg func(any) string) string {
	p := arg("%" + likeEscape(t) + "%")
	return "((d.name || ' ' || d.title) ILIKE " + p + ` ESCAPE '' AND ` + likeCond(t, func(any) string { return p }, "ILIKE") + ")"
}

// tsvectorWords is PostgreSQL without pg_trgm: the GIN index over the
// words of name and title finds documents with a word starting with each
// word of t, and ILIKE then keeps those that contain t itself. So
// "quic-tls" finds draft-ietf-quic-tls but "uic" finds nothing: documented
// in migration 0008.
type tsvectorWords struct{}

func (tsvectorWords) cond(t string, arg func(any) string) string {
	words := strings.FieldsFunc(t, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	if len(words) == 0 {
		return likeCond(t, arg, "ILIKE")
	}
	for i, w := range words {
		words[i] = "'" + strings.ReplaceAll(w, "'", "''") + "':*"
	}
	return "(to_tsvector('simple', d.name || ' ' || d.title) @@ to_tsquery('simple', " + arg(strings.Join(words, " & ")) + ") AND " +
		likeCond(t, arg, "ILIKE") + ")"
}
