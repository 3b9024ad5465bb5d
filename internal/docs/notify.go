package docs

import (
	"context"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// maxNotify bounds a document's added addresses: the field is for a few
// people the roles miss, not a mailing list.
const maxNotify = 20

// NotifyList returns the addresses the chairs, the AD or the secretariat
// added to a document's notify list (the Datatracker's "notify" field),
// in the order given. Its authors, chairs, shepherd and responsible AD
// are on the list anyway ({draft}.notify@, package aliases).
func (s *Service) NotifyList(ctx context.Context, name string) ([]string, error) {
	return db.Query(ctx, s.DB, db.Scalar[string], `SELECT n.address FROM doc_notify n JOIN doc d ON d.id = n.doc_id
		WHERE d.name = $1 ORDER BY n.ord`, BaseName(strings.ToLower(name)))
}

// SetNotify replaces the addresses added to a document's notify list: its
// WG's chairs, its responsible AD or the secretariat may, as those who
// may choose its shepherd (the Datatracker's /doc/{name}/edit/notify/).
// Each address must be an account's, so that no notice goes to an
// address hum does not know.
func (s *Service) SetNotify(ctx context.Context, name string, by groups.Actor, addrs []string, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetNotify(%q)", name)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if !d.leads(by) && !d.responsible(by) {
		return forbidden("", "Only the WG's chairs, the responsible AD or the secretariat change who is notified of changes to %s.", d.Name)
	}
	var clean []string
	for _, a := range addrs {
		a = strings.ToLower(strings.TrimSpace(a))
		if a != "" && !slices.Contains(clean, a) {
			clean = append(clean, a)
		}
	}
	if len(clean) > maxNotify {
		return fail.Field("notify", "Add at most %d addresses; the document's people are on the list already.", maxNotify)
	}
	old, err := s.NotifyList(ctx, d.Name)
	if err != nil {
		return err
	}
	if slices.Equal(old, clean) {
		return fail.Field("notify", "The notify list of %s is already that.", d.Name)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		for _, a := range clean {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_address WHERE address = $1`, a).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fail.Field("notify", "No one has an account with the address %q: hum only sends notices to addresses it knows.", a)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_notify WHERE doc_id = $1`, d.ID); err != nil {
			return err
		}
		for i, a := range clean {
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_notify (doc_id, address, ord) VALUES ($1, $2, $3)`, d.ID, a, i); err != nil {
				return err
			}
		}
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET updated = $1 WHERE id = $2`, tx.Now, d.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "notify",
			"Notification list changed to "+orNull(strings.Join(clean, ", "))+" from "+orNull(strings.Join(old, ", ")), why)
	})
}
