package docs

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hum/internal/fail"
)

// LastCallList is the list each Last Call announcement asks comments to
// be sent to (last-call@, as the IESG's announcements say).
const LastCallList = "last-call"

// LastCallWindow is when comments on d's IETF Last Call count: the days
// from the one the first Last Call on it was issued to the end of the
// latest (a Last Call issued again, after a new revision, keeps the
// earlier comments with it). Whole UTC days, as the announcement gives
// the end: a comment's Date comes from its sender's clock. ok is false
// when d never went to Last Call.
func (s *Service) LastCallWindow(ctx context.Context, d Document) (from, to time.Time, ok bool, err error) {
	defer fail.Wrap(&err, "docs.LastCallWindow(%q)", d.Name)
	if d.LCEnds == nil {
		return from, to, false, nil
	}
	err = s.DB.QueryRowContext(ctx, `SELECT at FROM event WHERE subject_type = 'doc' AND subject = $1 AND kind = 'last_call' ORDER BY id LIMIT 1`, d.Name).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return from, to, false, nil
	}
	return from.UTC().Truncate(24 * time.Hour), d.LCEnds.UTC(), err == nil, err
}
