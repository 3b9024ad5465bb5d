package demo

import (
	"context"
	"slices"
	"strings"

	"hum/internal/db"
)

// ExternalLists returns a check for the outbox sender: which of the
// addresses to are the mailing list of a group the demo loaded, at a real
// domain. The demo now gives its groups reserved addresses, but a
// database loaded by an older hum holds the real lists' addresses
// (trill@ietf.org, ietf-http-wg@w3.org), and an I-D Action about a demo
// draft would otherwise reach them through --smarthost. hum never sends
// there.
//
// The check costs one query, and only for mail with a recipient outside
// the reserved domains.
func ExternalLists(d *db.DB) func(ctx context.Context, to []string) ([]string, error) {
	return func(ctx context.Context, to []string) ([]string, error) {
		var real []string
		for _, a := range to {
			if _, dom, ok := strings.Cut(a, "@"); ok && !Reserved(dom) {
				real = append(real, strings.ToLower(a))
			}
		}
		if len(real) == 0 {
			return nil, nil
		}
		w := &db.Where{}
		w.Raw("LOWER(g.list_email) IN " + w.In(real))
		w.Add(`EXISTS (SELECT 1 FROM event e WHERE e.subject_type = 'group' AND e.subject = g.acronym
			AND e.kind = 'group_created' AND e.actor = $?)`, by.Name)
		demoLists, err := db.Query(ctx, d, db.Scalar[string], `SELECT DISTINCT LOWER(g.list_email) FROM grp g`+w.SQL(), w.Args...)
		if err != nil {
			return nil, err
		}
		var refused []string
		for _, a := range to {
			if slices.Contains(demoLists, strings.ToLower(a)) {
				refused = append(refused, a)
			}
		}
		return refused, nil
	}
}
