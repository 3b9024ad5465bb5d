package docs

import (
	"context"
	"slices"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Discuss is a DISCUSS position a sitting AD holds on an open ballot.
type Discuss struct {
	Doc     Document
	AD      Person
	Text    string
	Since   time.Time // when the AD took this DISCUSS, through any rewording
	Updated time.Time // the position's latest change
}

// Discusses lists the DISCUSS positions outstanding on open ballots, the
// newest first (the Datatracker's /iesg/discusses/). A former AD's
// position no longer counts (R35), so it is left out.
func (s *Service) Discusses(ctx context.Context) (out []Discuss, err error) {
	defer fail.Wrap(&err, "docs.Discusses")
	ads, err := s.SittingADs(ctx)
	if err != nil {
		return nil, err
	}
	type row struct {
		doc, person  int64
		pos, discuss string
		at           time.Time
	}
	rows, err := db.Query(ctx, s.DB, func(r db.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.doc, &x.person, &x.pos, &x.discuss, &x.at)
		return x, err
	}, `SELECT b.doc_id, bp.person_id, bp.pos, bp.discuss, bp.at FROM ballot_position bp JOIN ballot b ON b.id = bp.ballot_id
		WHERE b.closed IS NULL ORDER BY b.id, bp.person_id, bp.id`)
	if err != nil {
		return nil, err
	}
	// Per ballot and AD, the positions oldest first: a DISCUSS is
	// outstanding when the newest is one, since the first of its run.
	docsByID := map[int64]Document{}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].doc == rows[i].doc && rows[j].person == rows[i].person {
			j++
		}
		run := rows[i:j]
		i = j
		last := run[len(run)-1]
		if last.pos != PosDiscuss {
			continue
		}
		k := slices.IndexFunc(ads, func(a Person) bool { return a.ID == last.person })
		if k < 0 {
			continue
		}
		since := last.at
		for n := len(run) - 1; n >= 0 && run[n].pos == PosDiscuss; n-- {
			since = run[n].at
		}
		d, ok := docsByID[last.doc]
		if !ok {
			if d, err = s.byID(ctx, last.doc); err != nil {
				return nil, err
			}
			docsByID[last.doc] = d
		}
		out = append(out, Discuss{Doc: d, AD: ads[k], Text: last.discuss, Since: since.UTC(), Updated: last.at.UTC()})
	}
	slices.SortStableFunc(out, func(a, b Discuss) int { return b.Since.Compare(a.Since) })
	return out, nil
}

func (s *Service) byID(ctx context.Context, id int64) (Document, error) {
	var name string
	if err := s.DB.QueryRowContext(ctx, `SELECT name FROM doc WHERE id = $1`, id).Scan(&name); err != nil {
		return Document{}, err
	}
	return s.Get(ctx, name)
}
