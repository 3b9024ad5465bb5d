package docs

import (
	"context"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
)

// ByAuthor lists the documents a person wrote, newest first: those whose
// front page names them by account (personID) or by one of their
// addresses (emails, which catches drafts posted before the account
// existed). RFCs from the index carry names only, so they match by
// neither.
func (s *Service) ByAuthor(ctx context.Context, personID int64, emails []string, limit int) (ds []Document, err error) {
	defer fail.Wrap(&err, "docs.ByAuthor(%d)", personID)
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args := []any{personID}
	cond := "x.person_id = $1"
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			args = append(args, e)
			cond += " OR x.email = $" + itoa(len(args))
		}
	}
	args = append(args, limit)
	return db.Query(ctx, s.DB, scanDoc, `SELECT `+docCols+docFrom+`WHERE d.id IN (SELECT x.doc_id FROM doc_author x WHERE `+cond+`)
		ORDER BY COALESCE(d.posted, d.created) DESC, d.name LIMIT $`+itoa(len(args)), args...)
}
