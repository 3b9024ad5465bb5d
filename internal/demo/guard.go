package demo

import (
	"context"
	"strings"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/record"
)

// ExternalLists returns a check for the outbox sender: which of the
// addresses to are the mailing list of a group the demo loaded, at a real
// domain. The demo now gives its groups reserved addresses, but a
// database loaded by an older hum holds the real lists' addresses
// (trill@ietf.org, ietf-http-wg@w3.org), and an I-D Action about a demo
// draft would otherwise reach them through --smarthost. hum never sends
// there.
func ExternalLists(d *db.DB, gs *groups.Service) func(ctx context.Context, to []string) ([]string, error) {
	return func(ctx context.Context, to []string) ([]string, error) {
		real := map[string]bool{}
		for _, a := range to {
			if _, dom, ok := strings.Cut(a, "@"); ok && !Reserved(dom) {
				real[strings.ToLower(a)] = true
			}
		}
		if len(real) == 0 {
			return nil, nil
		}
		byList := map[string][]string{} // list address -> acronyms
		for offset := 0; ; {
			page, total, err := gs.List(ctx, groups.Filter{Limit: 500, Offset: offset})
			if err != nil {
				return nil, err
			}
			for _, g := range page {
				if a := strings.ToLower(g.ListEmail); real[a] {
					byList[a] = append(byList[a], g.Acronym)
				}
			}
			offset += len(page)
			if len(page) == 0 || offset >= total {
				break
			}
		}
		var refused []string
		for _, a := range to {
			for _, acronym := range byList[strings.ToLower(a)] {
				demo, err := loadedByDemo(ctx, d, acronym)
				if err != nil {
					return nil, err
				}
				if demo {
					refused = append(refused, a)
					break
				}
			}
		}
		return refused, nil
	}
}

// loadedByDemo reports whether the demo loader created the group, as the
// open record says.
func loadedByDemo(ctx context.Context, d *db.DB, acronym string) (bool, error) {
	evs, err := record.List(ctx, d, "group", acronym, 10000)
	if err != nil {
		return false, err
	}
	for _, e := range evs {
		if e.Kind == "group_created" {
			return e.Actor == by.Name, nil
		}
	}
	return false, nil
}
