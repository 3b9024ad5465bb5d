package docs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Position is one AD's current position on a ballot.
type Position struct {
	PersonID int64
	Name     string
	Area     string
	Pos      string // see Positions; "" is No Record
	Discuss  string
	Comment  string
	At       *time.Time
	Sitting  bool // false: an AD who has left the IESG; the position no longer counts
}

// BallotView is a document's latest IESG ballot, as its page shows it:
// every sitting AD's position, the count, and what is missing (R35).
type BallotView struct {
	Doc       Document
	Exists    bool
	Open      bool
	Opened    time.Time
	Closed    *time.Time
	Deferred  bool
	Positions []Position
	Tally     Tally
	Needed    int
	Passes    bool
	Missing   string   // in words, when it does not pass
	Waiting   []string // sitting ADs with no position yet
	// Alt is the alternate ballot (R36), which may override a held
	// DISCUSS; Passes is then set by its outcome, with Overridden.
	Alt        AltBallot
	Overridden bool
}

// Ballot returns the latest IESG ballot on a document.
func (s *Service) Ballot(ctx context.Context, name string) (v BallotView, err error) {
	defer fail.Wrap(&err, "docs.Ballot(%q)", name)
	if v.Doc, err = s.Get(ctx, name); err != nil {
		return v, err
	}
	var id int64
	var closed sql.NullTime
	err = s.DB.QueryRowContext(ctx, `SELECT id, opened, closed, deferred FROM ballot WHERE doc_id = $1 ORDER BY id DESC LIMIT 1`, v.Doc.ID).
		Scan(&id, &v.Opened, &closed, &v.Deferred)
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	v.Exists, v.Open, v.Closed = true, !closed.Valid, timePtr(closed)
	ads, err := s.SittingADs(ctx)
	if err != nil {
		return v, err
	}
	current, err := s.positions(ctx, id)
	if err != nil {
		return v, err
	}
	alt, err := s.altBallot(ctx, s.DB, id, ads)
	if err != nil {
		return v, err
	}
	v.count(ads, current, alt)
	return v, nil
}

// count fills in the positions of the sitting ADs (and of former ADs,
// shown but not counted), the tally and the outcome, with alternate
// ballot alt.
func (v *BallotView) count(ads []Person, current map[int64]Position, alt AltBallot) {
	v.Tally.Sitting = len(ads)
	for _, a := range ads {
		p, ok := current[a.ID]
		if !ok {
			p = Position{PersonID: a.ID, Name: a.Name}
			v.Waiting = append(v.Waiting, a.Name)
		}
		p.Area, p.Sitting = a.Area, true
		delete(current, a.ID)
		v.Positions = append(v.Positions, p)
		switch p.Pos {
		case PosYes:
			v.Tally.Yes++
		case PosNoObj:
			v.Tally.NoObj++
		case PosDiscuss:
			v.Tally.Discuss++
		case PosAbstain:
			v.Tally.Abstain++
		case PosRecuse:
			v.Tally.Recuse++
		}
	}
	for _, p := range current { // positions of former ADs: shown, not counted
		v.Positions = append(v.Positions, p)
	}
	slices.SortStableFunc(v.Positions[len(ads):], func(a, b Position) int { return strings.Compare(a.Name, b.Name) })
	v.Needed = v.Tally.Needed(v.Doc.StdLevel)
	v.Passes, v.Missing = v.Tally.Passes(v.Doc.StdLevel)
	v.Alt = alt
	v.Alt.Applies = v.Open && v.Tally.Discuss > 0
	if v.Alt.Applies && v.Alt.Recorded() && v.Alt.Passes {
		v.Passes, v.Missing, v.Overridden = true, "", true
	}
}

// positions returns the newest position of each person on a ballot.
func (s *Service) positions(ctx context.Context, ballotID int64) (map[int64]Position, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT bp.person_id, p.name, bp.pos, bp.discuss, bp.comment, bp.at
		FROM ballot_position bp JOIN person_name p ON p.id = bp.person_id
		WHERE bp.ballot_id = $1 AND bp.id = (SELECT MAX(id) FROM ballot_position x WHERE x.ballot_id = bp.ballot_id AND x.person_id = bp.person_id)`, ballotID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]Position{}
	for rows.Next() {
		var p Position
		var at time.Time
		if err := rows.Scan(&p.PersonID, &p.Name, &p.Pos, &p.Discuss, &p.Comment, &at); err != nil {
			return nil, err
		}
		at = at.UTC()
		p.At = &at
		m[p.PersonID] = p
	}
	return m, rows.Err()
}

// PositionChange is what an AD sends for a ballot.
type PositionChange struct {
	Pos     string // yes, noobj, discuss, abstain, recuse
	Discuss string // the DISCUSS text: required with discuss
	Comment string
}

// SetPosition records a sitting AD's position on a document's open
// ballot. Only ADs ballot (R42); a DISCUSS needs its text, and changing
// to another position clears it.
func (s *Service) SetPosition(ctx context.Context, name string, by groups.Actor, c PositionChange) (err error) {
	defer fail.Wrap(&err, "docs.SetPosition(%q, %q)", name, c.Pos)
	c.Pos = strings.ToLower(strings.TrimSpace(c.Pos))
	if c.Pos == "no-objection" || c.Pos == "noobjection" {
		c.Pos = PosNoObj
	}
	if _, ok := lookup(Positions, c.Pos); !ok {
		return fail.Field("position", "%q is not a ballot position; send yes, noobj, discuss, abstain or recuse.", c.Pos)
	}
	c.Discuss = strings.TrimSpace(strings.ReplaceAll(c.Discuss, "\r\n", "\n"))
	c.Comment = strings.TrimSpace(strings.ReplaceAll(c.Comment, "\r\n", "\n"))
	if c.Pos == PosDiscuss && c.Discuss == "" {
		return fail.Field("discuss", "A DISCUSS position needs its text: say what must change for you to clear it.")
	}
	if c.Pos != PosDiscuss {
		c.Discuss = ""
	}
	if len(c.Discuss)+len(c.Comment) > 100_000 {
		return fail.Field("comment", "The DISCUSS and comment together are longer than 100,000 characters.")
	}
	d, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	ads, err := s.SittingADs(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ads, func(a Person) bool { return a.ID == by.Actor.ID && a.ID != 0 })
	if i < 0 {
		return forbidden("R42", "Only sitting Area Directors ballot on documents; the IESG decides.")
	}
	if !balloting(d.IESGState) {
		return fail.New(fail.Conflict, "%s is in %s; positions are taken only during IESG Evaluation.", d.Name, IESGStateName(d.IESGState))
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		b, err := s.openBallot(ctx, tx, d.ID)
		if errors.Is(err, errNoBallot) {
			return fail.New(fail.Conflict, "%s has no open IESG ballot.", d.Name)
		} else if err != nil {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT pos FROM ballot_position WHERE ballot_id = $1 AND person_id = $2 ORDER BY id DESC LIMIT 1`, b.ID, by.Actor.ID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_position (ballot_id, person_id, pos, discuss, comment, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			b.ID, by.Actor.ID, c.Pos, c.Discuss, c.Comment, tx.Now); err != nil {
			return err
		}
		summary := fmt.Sprintf("[Ballot Position Update] Position for %s changed to %s from %s", by.Actor, PositionName(c.Pos), PositionName(old))
		if old == "" {
			summary = fmt.Sprintf("[Ballot Position Update] New position, %s, has been recorded for %s", PositionName(c.Pos), by.Actor)
		}
		var why []string
		if c.Discuss != "" {
			why = append(why, "DISCUSS: "+c.Discuss)
		}
		if c.Comment != "" {
			why = append(why, "COMMENT: "+c.Comment)
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", d.Name, "ballot_position", summary, strings.Join(why, "\n\n")); err != nil {
			return err
		}
		if !positionMailed(old, c) {
			return nil
		}
		return s.mailPosition(ctx, tx, d, ads[i], c)
	})
}
