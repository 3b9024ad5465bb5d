package notices

import (
	"context"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
)

// Follow is one thing a person follows.
type Follow struct {
	Type    string // "doc" or "group"
	Subject string // the document's name, the group's acronym
	Mode    string // Each or Daily
	// After is the newest event when they began to follow: changes
	// recorded before are not sent to them.
	After int64
}

// Follow starts following a document or a group, or changes how: mode is
// Each or Daily. personID is the logged-in person; following is theirs
// alone, so it is not in the open record.
func (s *Service) Follow(ctx context.Context, personID int64, typ, subject, mode string) (err error) {
	defer fail.Wrap(&err, "notices.Follow(%s %q, %s)", typ, subject, mode)
	subject, err = s.check(ctx, personID, typ, subject)
	if err != nil {
		return err
	}
	if mode != Each && mode != Daily {
		return fail.Field("mode", "Choose %q (a mail for each change) or %q (one summary a day).", Each, Daily)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO follow (person_id, subject_type, subject, mode, after_event, created)
			VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(id), 0) FROM event), $5)
			ON CONFLICT (person_id, subject_type, subject) DO UPDATE SET mode = excluded.mode`, personID, typ, subject, mode, tx.Now)
		return err
	})
}

// Unfollow stops following a document or a group.
func (s *Service) Unfollow(ctx context.Context, personID int64, typ, subject string) (err error) {
	defer fail.Wrap(&err, "notices.Unfollow(%s %q)", typ, subject)
	if personID == 0 {
		return fail.New(fail.Forbidden, "Log in to track documents and groups.")
	}
	subject = strings.ToLower(strings.TrimSpace(subject))
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM follow WHERE person_id = $1 AND subject_type = $2 AND subject = $3`, personID, typ, subject)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fail.New(fail.NotFound, "You do not track %s.", subject)
		}
		return nil
	})
}

// check tells whether typ and subject name something to follow, and
// returns the subject as stored.
func (s *Service) check(ctx context.Context, personID int64, typ, subject string) (string, error) {
	if personID == 0 {
		return "", fail.New(fail.Forbidden, "Log in to track documents and groups.")
	}
	subject = strings.ToLower(strings.TrimSpace(subject))
	var q string
	switch typ {
	case "doc":
		q = `SELECT COUNT(*) FROM doc_alias_ref WHERE name = $1`
	case "group":
		q = `SELECT COUNT(*) FROM group_ref WHERE acronym = $1`
	default:
		return "", fail.Field("type", "Track a document (doc) or a group (group).")
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, q, subject).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", fail.New(fail.NotFound, "There is no %s called %q.", map[string]string{"doc": "document", "group": "group"}[typ], subject)
	}
	return subject, nil
}

// Following returns what a person follows, documents first, by name.
func (s *Service) Following(ctx context.Context, personID int64) ([]Follow, error) {
	return db.Query(ctx, s.DB, scanFollow, `SELECT subject_type, subject, mode, after_event FROM follow WHERE person_id = $1
		ORDER BY subject_type, subject`, personID)
}

// Mode returns how a person follows a document or a group: Each, Daily,
// or "" when they do not.
func (s *Service) Mode(ctx context.Context, personID int64, typ, subject string) (string, error) {
	ms, err := db.Query(ctx, s.DB, db.Scalar[string], `SELECT mode FROM follow WHERE person_id = $1 AND subject_type = $2 AND subject = $3`,
		personID, typ, strings.ToLower(subject))
	if err != nil || len(ms) == 0 {
		return "", err
	}
	return ms[0], nil
}

func scanFollow(row db.Scanner) (Follow, error) {
	var f Follow
	err := row.Scan(&f.Type, &f.Subject, &f.Mode, &f.After)
	return f, err
}

// follower is a person following in one mode, at their primary address,
// with what they follow of the documents asked about.
type follower struct {
	personID int64
	address  string
	follows  []Follow
}

// followers returns who follows, in mode, any of docs or their groups.
func followers(ctx context.Context, q db.Querier, mode string, docs []string) ([]follower, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	w := &db.Where{}
	w.Add("f.mode = $?", mode)
	in := w.In(docs)
	var gs []string
	for _, d := range docs {
		if g := charterGroup(d); g != "" {
			gs = append(gs, g)
		}
	}
	charters := ""
	if len(gs) > 0 {
		charters = "f.subject IN " + w.In(gs) + " OR "
	}
	w.Raw(`((f.subject_type = 'doc' AND f.subject IN ` + in + `) OR (f.subject_type = 'group' AND (` + charters + `f.subject IN
		(SELECT g.acronym FROM doc_alias_ref d JOIN group_ref g ON g.id = d.group_id WHERE d.name IN ` + in + `))))`)
	return queryFollowers(ctx, q, w)
}

// queryFollowers returns the follows that match w (on follow f), by
// person, each at their primary address. A person without one gets
// nothing: hum mails only the addresses it knows.
func queryFollowers(ctx context.Context, q db.Querier, w *db.Where) ([]follower, error) {
	type row struct {
		person  int64
		address string
		f       Follow
	}
	rows, err := db.Query(ctx, q, func(r db.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.person, &x.address, &x.f.Type, &x.f.Subject, &x.f.Mode, &x.f.After)
		return x, err
	}, `SELECT f.person_id, e.address, f.subject_type, f.subject, f.mode, f.after_event FROM follow f
		JOIN person_address e ON e.person_id = f.person_id AND e.is_primary`+w.SQL()+` ORDER BY f.person_id, f.subject_type DESC, f.subject`, w.Args...)
	if err != nil {
		return nil, err
	}
	var out []follower
	for _, x := range rows {
		if i := slices.IndexFunc(out, func(f follower) bool { return f.personID == x.person }); i >= 0 {
			out[i].follows = append(out[i].follows, x.f)
			continue
		}
		out = append(out, follower{personID: x.person, address: x.address, follows: []Follow{x.f}})
	}
	return out, nil
}

// charterGroup is the group whose charter a document is
// (charter-ietf-{acronym}, charter-irtf-{acronym}: package charters keeps
// them apart from the drafts), or "".
func charterGroup(doc string) string {
	for _, p := range []string{"charter-ietf-", "charter-irtf-"} {
		if g, ok := strings.CutPrefix(doc, p); ok {
			return g
		}
	}
	return ""
}
