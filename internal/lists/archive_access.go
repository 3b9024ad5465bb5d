package lists

import (
	"context"
	"slices"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Who may read a private archive (archive_public off): the list's
// subscribers, through any address of their account, its moderators
// (MayModerate's rule) and the secretariat. Everyone else finds the list
// in no index, search, export or person page, and its pages refuse them.

// ArchiveHidden returns the names of the lists whose archive is private
// and which a person may not read, by name; personID 0 is an anonymous
// reader, who may read none of them. It returns nil when no archive is
// private, and an empty slice when the person may read them all.
func (s *Service) ArchiveHidden(ctx context.Context, who groups.Actor) (hidden []string, err error) {
	defer fail.Wrap(&err, "lists.ArchiveHidden(%d)", who.ID)
	priv, err := s.privateArchives(ctx)
	if err != nil || len(priv) == 0 {
		return nil, err
	}
	may := map[int64]bool{}
	if who.ID != 0 {
		addrs, err := db.Query(ctx, s.DB, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1`, who.ID)
		if err != nil {
			return nil, err
		}
		if may, err = s.mayReadArchives(ctx, who, addrs, priv); err != nil {
			return nil, err
		}
	}
	hidden = []string{}
	for _, l := range priv {
		if !may[l.ID] {
			hidden = append(hidden, l.Name)
		}
	}
	return hidden, nil
}

// MayReadArchive refuses a person (0 for an anonymous reader) the archive
// of list when it is private and they may not read it: unauthorized, so
// that they log in, when anonymous, and forbidden when logged in.
func (s *Service) MayReadArchive(ctx context.Context, who groups.Actor, list string) error {
	hidden, err := s.ArchiveHidden(ctx, who)
	if err != nil || !slices.Contains(hidden, list) {
		return err
	}
	return ArchiveRefusal(who.ID == 0, list)
}

// ArchiveRefusal is the answer to a reader refused the private archive of
// list: unauthorized, so that they log in, when anonymous; forbidden when
// logged in. An edge that has the hidden set already (web caches it) uses
// it without asking again.
func ArchiveRefusal(anonymous bool, list string) error {
	const why = "The %s archive is private: only the list's subscribers, its moderators and the secretariat may read it."
	if anonymous {
		return fail.New(fail.Unauthorized, why+" Log in if you are one of them.", list)
	}
	return fail.New(fail.Forbidden, why, list)
}

// privateArchives returns the lists whose archive is not public, by name,
// with the fields the rule needs (no subscriber counts).
func (s *Service) privateArchives(ctx context.Context) ([]List, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (List, error) {
		var l List
		err := row.Scan(&l.ID, &l.Name, &l.GroupID)
		return l, err
	}, `SELECT id, name, COALESCE(group_id, 0) FROM list WHERE NOT archive_public ORDER BY name`)
}
