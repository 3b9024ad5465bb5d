package lists

import (
	"context"
	"database/sql"
	"errors"

	"hum/internal/db"
	"hum/internal/fail"
)

// R19 (RFC 2418 §2.2): every WG has a list, and its complete archive is
// kept in a public place. hum refuses to make a WG's archive private;
// other lists (standalone ones, research groups') may still be private.
// A WG's archive that an older hum let be private was made public once,
// by migration 0033 (it used to be redone at every start).

// wgList tells whether l is the list of a working group (a BOF and a
// proposed WG are WGs of another state).
func wgList(ctx context.Context, q db.Querier, l List) (bool, error) {
	if l.GroupID == 0 {
		return false, nil
	}
	var typ string
	err := q.QueryRowContext(ctx, `SELECT type FROM group_ref WHERE id = $1`, l.GroupID).Scan(&typ)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return typ == "wg", err
}

// mayHideArchive refuses to make l's archive private when l is a WG's.
func (s *Service) mayHideArchive(ctx context.Context, l List) error {
	wg, err := wgList(ctx, s.DB, l)
	if err != nil || !wg {
		return err
	}
	return &fail.Error{Kind: fail.Forbidden, Rule: "R19", Field: "archive_public",
		Message: "The archive of " + l.Name + " is a working group's and must stay public (R19, RFC 2418 section 2.2): a WG's complete archive is kept in a public place."}
}

// Has tells whether a list of that name exists, in q (a transaction of
// the caller's). Unlike Get it never creates a new WG's list, so it is
// safe inside another write.
func (s *Service) Has(ctx context.Context, q db.Querier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM list WHERE name = $1`, name).Scan(&n)
	return n > 0, err
}
