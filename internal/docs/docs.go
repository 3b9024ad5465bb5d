// Package docs holds Internet-Drafts and RFCs: submission, revisions,
// states, IESG ballots, publication and expiry. Parsing and validation of
// a submitted file live in docs/draft; the RFC Editor's index in
// docs/rfcindex.
package docs

import (
	"hum/internal/db"
)

// Service is the documents store.
type Service struct {
	DB *db.DB
}
