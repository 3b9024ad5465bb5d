package archive

import (
	"context"
	"strings"
	"time"

	"hum/internal/fail"
)

// Mentioning returns the messages of list dated from from to to whose
// subject names name as a whole (draft-foo or draft-foo-03, not
// draft-foo-bar), oldest first, at most limit of them: the comments a
// Last Call received, for the document's page.
func (s *Service) Mentioning(ctx context.Context, list, name string, from, to time.Time, limit int) (_ []Summary, err error) {
	defer fail.Wrap(&err, "archive.Mentioning(%q, %q)", list, name)
	name = strings.ToLower(name)
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(name) + "%"
	ms, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message
		WHERE list = $1 AND date >= $2 AND date <= $3 AND LOWER(subject) LIKE $4 ESCAPE '\'
		ORDER BY date, id`, list, from.UTC(), to.UTC(), pattern)
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, m := range ms {
		if names(strings.ToLower(m.Subject), name) {
			out = append(out, m)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// names reports whether subject has name as a whole word: not inside a
// longer name, though a revision may follow it ("-03").
func names(subject, name string) bool {
	for i := 0; ; {
		j := strings.Index(subject[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !nameByte(subject[start-1])) && wordEnd(subject[end:]) {
			return true
		}
		i = start + 1
	}
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

// wordEnd reports whether rest (what follows a name) ends it: nothing,
// a character no name has, or a revision such as "-03".
func wordEnd(rest string) bool {
	if rest == "" || !nameByte(rest[0]) {
		return true
	}
	if len(rest) >= 3 && rest[0] == '-' && isDigit(rest[1]) && isDigit(rest[2]) {
		return len(rest) == 3 || !nameByte(rest[3])
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
