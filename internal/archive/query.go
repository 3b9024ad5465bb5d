package archive

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"hum/internal/db"
	"hum/internal/fail"
)

// Query is a parsed search. Text terms go to the search engine of the
// dialect; lists and dates are plain SQL filters.
//
// The syntax is the IETF mail archive's: words, "quoted phrases",
// from:NAME-OR-ADDRESS, subject:WORD or subject:"a phrase", list:NAME
// (repeatable, or comma separated), since:YYYY-MM-DD and until:YYYY-MM-DD
// (inclusive). Every term must match.
type Query struct {
	Terms []Term
	Lists []string
	Since time.Time // zero: no bound
	Until time.Time // exclusive upper bound (the day after until:)
	// Hidden lists are left out whatever the query says: private
	// archives the reader may not see. The caller sets it.
	Hidden []string
}

// Term is a word or phrase, optionally restricted to one field.
type Term struct {
	Field string   // "", "subject" or "author"
	Words []string // one word, or a phrase
	Text  string   // the words as written, with their hyphens: see phrase
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool {
	return len(q.Terms) == 0 && len(q.Lists) == 0 && q.Since.IsZero() && q.Until.IsZero()
}

// ParseQuery parses the search box. It fails only on a bad date.
func ParseQuery(s string) (Query, error) {
	var q Query
	for _, tok := range tokens(s) {
		key, val, hasKey := "", tok, false
		if i := strings.IndexByte(tok, ':'); i > 0 && !strings.HasPrefix(tok, `"`) {
			key, val, hasKey = strings.ToLower(tok[:i]), tok[i+1:], true
		}
		val = strings.Trim(val, `"`)
		switch {
		case hasKey && key == "list":
			for _, l := range strings.Split(val, ",") {
				if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
					q.Lists = append(q.Lists, l)
				}
			}
		case hasKey && (key == "since" || key == "until"):
			d, err := time.Parse("2006-01-02", val)
			if err != nil {
				return q, fail.Field("q", "%s:%s is not a date: write it as YYYY-MM-DD.", key, val)
			}
			if key == "since" {
				q.Since = d
			} else {
				q.Until = d.AddDate(0, 0, 1)
			}
		case hasKey && (key == "from" || key == "subject"):
			field := key
			if key == "from" {
				field = "author"
			}
			if ws := words(val); len(ws) > 0 {
				q.Terms = append(q.Terms, Term{Field: field, Words: ws, Text: val})
			}
		default:
			// An unknown key ("http:" in a pasted URL) is just text.
			if ws := words(tok); len(ws) > 0 {
				q.Terms = append(q.Terms, Term{Words: ws, Text: strings.Trim(tok, `"`)})
			}
		}
	}
	return q, nil
}

// tokens splits at spaces outside double quotes, keeping quotes.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// words splits at anything that is not a letter or digit, as both search
// engines' tokenizers do, and lower-cases: what is left can be put in
// either engine's query syntax without escaping anything.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(f) > 16 {
		f = f[:16]
	}
	return f
}

// fts5 renders the text terms as an FTS5 MATCH expression.
func (q Query) fts5() string {
	var parts []string
	for _, t := range q.Terms {
		p := `"` + strings.Join(t.Words, " ") + `"`
		if t.Field != "" {
			p = t.Field + " : " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND ")
}

// fts5Subject is fts5 with the words that may match anywhere required
// in the subject.
func (q Query) fts5Subject() string {
	var parts []string
	for _, t := range q.Terms {
		field := t.Field
		if field == "" {
			field = "subject"
		}
		parts = append(parts, field+` : "`+strings.Join(t.Words, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

// tsquery returns a PostgreSQL expression for the terms with no field,
// or with field "subject" or "author" those restricted to it, and with
// "rank" the terms that put a message first when its subject has them
// (those with no field and the subject's). Each term's text goes in as a
// parameter added to w; it is "" when there are no such terms.
//
// Words and subject phrases go through phraseto_tsquery with their
// hyphens: it turns "non-standard file" into 'non-standard' <-> 'non' <->
// 'standard' <-> 'file', whose rare compound spares GIN from rechecking
// every message with the three common words. Authors are matched by
// words, as their addresses are indexed split at '@' and '.'.
func (q Query) tsquery(w *db.Where, field string) string {
	var parts []string
	for _, t := range q.Terms {
		switch {
		case field == "rank" && t.Field == "author", field != "rank" && t.Field != field:
			continue
		case t.Field == "author":
			parts = append(parts, "to_tsquery('english', "+w.Arg(strings.Join(t.Words, " <-> "))+")")
		default:
			parts = append(parts, "phraseto_tsquery('english', "+w.Arg(phraseText(t))+")")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, " && ") + ")"
}

// phraseText is t's text with only letters, digits and the hyphens
// inside words, or its words when that leaves a different set of words
// (phraseto_tsquery parses what it is given; nothing in it is syntax).
func phraseText(t Term) string {
	var b strings.Builder
	for _, r := range t.Text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	if s := b.String(); slices.Equal(words(s), t.Words) {
		return s
	}
	return strings.Join(t.Words, " ")
}
