package docs

import (
	"context"
	"strings"

	"hum/internal/db"
)

// approvers are the people who confirm a submission, and whose own
// upload posts at once: for a draft's first revision the authors it
// names, and for a later revision the authors of the revision before it,
// as in the Datatracker (submit/utils.py accept_submission: prev_authors
// unless the revision is 00). Naming oneself an author of someone else's
// draft does not make one: the new revision waits for its authors.
type approvers struct {
	emails   []string
	ids      []int64 // the accounts of the previous revision's authors
	previous bool    // the authors are the previous revision's
}

func (s *Service) approversOf(ctx context.Context, tx *db.Tx, sub Submission) (approvers, error) {
	if sub.Rev == "00" {
		var a approvers
		for _, au := range sub.Meta.Authors {
			if au.Email != "" && !contains(a.emails, au.Email) {
				a.emails = append(a.emails, au.Email)
			}
		}
		return a, nil
	}
	a := approvers{previous: true}
	rows, err := tx.QueryContext(ctx, `SELECT a.email, COALESCE(a.person_id, 0) FROM doc_author a JOIN doc d ON d.id = a.doc_id
		WHERE d.name = $1 AND d.type = 'draft' ORDER BY a.ord`, sub.Name)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var email string
		var id int64
		if err := rows.Scan(&email, &id); err != nil {
			return a, err
		}
		if email != "" && !contains(a.emails, email) {
			a.emails = append(a.emails, strings.ToLower(email))
		}
		if id != 0 {
			a.ids = append(a.ids, id)
		}
	}
	return a, rows.Err()
}

// include reports whether the logged-in submitter is one of them.
func (a approvers) include(who Submitter) bool {
	if who.ID == 0 {
		return false
	}
	for _, id := range a.ids {
		if id == who.ID {
			return true
		}
	}
	for _, e := range who.Emails {
		if contains(a.emails, e) {
			return true
		}
	}
	return false
}
