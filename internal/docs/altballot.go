package docs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Alternate-ballot votes.
const (
	AltYes    = "yes"
	AltNo     = "no"
	AltRecuse = "recuse"
)

// AltBallot is the alternate ballot that overrides a held DISCUSS (R36,
// IESG Statement "DISCUSS Criteria in IESG Review" §4): each sitting AD
// says yes or no, and the document passes with YES from two thirds of
// the sitting ADs who have not recused, rounded up, and at most two NO.
type AltBallot struct {
	// Applies is set while the ballot is open and a DISCUSS is held: the
	// only case the alternate ballot is for.
	Applies bool
	Votes   map[int64]string // by AD: yes, no, recuse
	Sitting int
	Yes     int
	No      int
	Recuse  int
	Needed  int // YES votes needed
	Passes  bool
	Missing string // in words, when it does not pass
}

// Recorded reports whether any vote has been recorded.
func (a AltBallot) Recorded() bool { return len(a.Votes) > 0 }

// Vote is the recorded vote of one AD, "" when there is none.
func (a AltBallot) Vote(personID int64) string { return a.Votes[personID] }

// tally applies R36 to the recorded votes of the sitting ADs.
func (a *AltBallot) tally(ads []Person) {
	a.Sitting, a.Yes, a.No, a.Recuse = len(ads), 0, 0, 0
	for _, ad := range ads {
		switch a.Votes[ad.ID] {
		case AltYes:
			a.Yes++
		case AltNo:
			a.No++
		case AltRecuse:
			a.Recuse++
		}
	}
	a.Needed = (2*(a.Sitting-a.Recuse) + 2) / 3
	switch {
	case a.No > 2:
		a.Passes, a.Missing = false, fmt.Sprintf("%d ADs said NO; at most two may", a.No)
	case a.Yes < a.Needed:
		a.Passes, a.Missing = false, plural(a.Needed-a.Yes, "more YES is needed", "more YES votes are needed")
	default:
		a.Passes, a.Missing = true, ""
	}
}

// altBallot loads the alternate-ballot votes of ballot id.
func (s *Service) altBallot(ctx context.Context, q db.Querier, id int64, ads []Person) (AltBallot, error) {
	a := AltBallot{Votes: map[int64]string{}}
	rows, err := q.QueryContext(ctx, `SELECT person_id, vote FROM ballot_alt WHERE ballot_id = $1`, id)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var p int64
		var v string
		if err := rows.Scan(&p, &v); err != nil {
			return a, err
		}
		a.Votes[p] = v
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	a.tally(ads)
	return a, nil
}

// RecordAltBallot records the alternate ballot on a document's open
// ballot (R36), as the secretariat collects it: a vote (yes, no, recuse)
// per sitting AD; an AD left out keeps any vote recorded before, and ""
// removes one. It may be held only while a DISCUSS is.
func (s *Service) RecordAltBallot(ctx context.Context, name string, by groups.Actor, votes map[int64]string) (err error) {
	defer fail.Wrap(&err, "docs.RecordAltBallot(%q)", name)
	if !by.Secretariat() {
		return forbidden("R36", "Only the secretariat records the alternate ballot.")
	}
	v, err := s.Ballot(ctx, name)
	if err != nil {
		return err
	}
	if !v.Open {
		return fail.Rule("R36", fail.Conflict, "%s has no open IESG ballot.", v.Doc.Name)
	}
	if v.Tally.Discuss == 0 {
		return fail.Rule("R36", fail.Conflict, "No DISCUSS is held on %s; the alternate ballot only overrides a held DISCUSS.", v.Doc.Name)
	}
	ads, err := s.SittingADs(ctx)
	if err != nil {
		return err
	}
	sitting := map[int64]string{}
	for _, a := range ads {
		sitting[a.ID] = a.Name
	}
	ids := make([]int64, 0, len(votes))
	for id, vote := range votes {
		if _, ok := sitting[id]; !ok {
			return fail.Rule("R36", fail.Invalid, "Person %d is not a sitting Area Director; only sitting ADs vote on the alternate ballot.", id)
		}
		if vote != "" && vote != AltYes && vote != AltNo && vote != AltRecuse {
			return fail.Field("vote", "%q is not an alternate-ballot vote; record yes, no or recuse.", vote)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		b, err := s.openBallot(ctx, tx, v.Doc.ID)
		if err != nil {
			return err
		}
		var said []string
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM ballot_alt WHERE ballot_id = $1 AND person_id = $2`, b.ID, id); err != nil {
				return err
			}
			if votes[id] == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_alt (ballot_id, person_id, vote, at) VALUES ($1, $2, $3, $4)`,
				b.ID, id, votes[id], tx.Now); err != nil {
				return err
			}
			said = append(said, sitting[id]+": "+strings.ToUpper(votes[id]))
		}
		a, err := s.altBallot(ctx, tx, b.ID, ads)
		if err != nil {
			return err
		}
		outcome := "it does not pass yet: " + a.Missing
		if a.Passes {
			outcome = "it passes and overrides the DISCUSS"
		}
		summary := fmt.Sprintf("Alternate ballot (R36) recorded by %s: %d yes, %d no, %d recused; %s", by.Actor, a.Yes, a.No, a.Recuse, outcome)
		return record.Add(ctx, tx, by.Actor, "doc", v.Doc.Name, "ballot_alt", summary, strings.Join(said, "\n"))
	})
}
