package charters

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

// Ballot kinds, the Datatracker's charter ballot types (doc.ballottype).
const (
	ReadyForExternal = "r-extrev" // during internal review
	Approve          = "approve"  // during IESG review
)

// BallotKinds are the kinds with their names and questions.
var BallotKinds = []struct{ Slug, Name, Question string }{
	{ReadyForExternal, "Ready for external review", "Is this charter ready for external review?"},
	{Approve, "Approve", "Do we approve of this charter?"},
}

// BallotName gives a ballot kind's name.
func BallotName(kind string) string {
	for _, k := range BallotKinds {
		if k.Slug == kind {
			return k.Name
		}
	}
	return kind
}

// BallotQuestion gives the question a ballot kind asks.
func BallotQuestion(kind string) string {
	for _, k := range BallotKinds {
		if k.Slug == kind {
			return k.Question
		}
	}
	return ""
}

// Positions on a charter ballot, the Datatracker's slugs. Block is the
// charters' blocking position (a draft's is Discuss).
const (
	PosYes      = "yes"
	PosNoObj    = "noobj"
	PosBlock    = "block"
	PosAbstain  = "abstain"
	PosNoRecord = "norecord"
)

// Positions are the positions with their names.
var Positions = []Name{{PosYes, "Yes"}, {PosNoObj, "No Objection"}, {PosBlock, "Block"}, {PosAbstain, "Abstain"}, {PosNoRecord, "No Record"}}

// PositionName gives a position's name; "" is No Record.
func PositionName(slug string) string {
	if slug == "" {
		return "No Record"
	}
	return nameOf(Positions, slug)
}

// Position is one AD's position on a ballot.
type Position struct {
	PersonID int64
	Name     string
	Area     string
	Pos      string // "" or norecord: none
	Block    string
	Comment  string
	At       *time.Time
	Sitting  bool // false: a former AD's position, shown and not counted
}

// Ballot is a charter's IESG ballot with the sitting ADs' positions.
type Ballot struct {
	ID        int64
	Kind      string
	Rev       string
	Opened    time.Time
	Closed    *time.Time
	Positions []Position
	Yes       int
	NoObj     int
	Block     int
	Abstain   int
	Sitting   int
	Waiting   []string // sitting ADs with no position
	Passes    bool
	Missing   string // what it lacks to pass, in words
}

// Open reports whether positions may still be taken.
func (b Ballot) Open() bool { return b.ID != 0 && b.Closed == nil }

// Ballot returns the charter's open ballot, or its newest closed one; a
// zero Ballot when it never had one.
func (s *Service) Ballot(ctx context.Context, name string) (c Charter, b Ballot, err error) {
	defer fail.Wrap(&err, "charters.Ballot(%q)", name)
	if c, err = s.Get(ctx, name); err != nil || c.ID == 0 {
		return c, b, err
	}
	b, err = ballot(ctx, s.DB, c.ID, false)
	if errors.Is(err, errNoBallot) {
		return c, Ballot{}, nil
	}
	return c, b, err
}

var errNoBallot = errors.New("no ballot")

// ballot reads charter id's open ballot (or, unless open, its newest)
// with the positions, counted as the Datatracker counts a charter's: it
// passes with at least one YES and no BLOCK.
func ballot(ctx context.Context, q db.Querier, charterID int64, open bool) (b Ballot, err error) {
	where := ""
	if open {
		where = " AND closed IS NULL"
	}
	var closed sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT id, kind, rev, opened, closed FROM charter_ballot WHERE charter_id = $1`+where+` ORDER BY id DESC LIMIT 1`, charterID).
		Scan(&b.ID, &b.Kind, &b.Rev, &b.Opened, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return b, errNoBallot
	}
	if err != nil {
		return b, err
	}
	b.Opened, b.Closed = b.Opened.UTC(), timePtr(closed)
	ads, err := sittingADs(ctx, q)
	if err != nil {
		return b, err
	}
	taken, err := db.Query(ctx, q, func(row db.Scanner) (Position, error) {
		var p Position
		var at time.Time
		err := row.Scan(&p.PersonID, &p.Name, &p.Pos, &p.Block, &p.Comment, &at)
		at = at.UTC()
		p.At = &at
		return p, err
	}, `SELECT cp.person_id, p.name, cp.pos, cp.block, cp.comment, cp.at FROM charter_position cp JOIN person_name p ON p.id = cp.person_id
		WHERE cp.ballot_id = $1 AND cp.id = (SELECT MAX(x.id) FROM charter_position x WHERE x.ballot_id = cp.ballot_id AND x.person_id = cp.person_id)
		ORDER BY p.name`, b.ID)
	if err != nil {
		return b, err
	}
	b.Sitting = len(ads)
	for _, a := range ads {
		p := Position{PersonID: a.id, Name: a.name}
		if i := slices.IndexFunc(taken, func(t Position) bool { return t.PersonID == a.id }); i >= 0 {
			p = taken[i]
			taken = slices.Delete(taken, i, i+1)
		}
		p.Area, p.Sitting = a.area, true
		switch p.Pos {
		case PosYes:
			b.Yes++
		case PosNoObj:
			b.NoObj++
		case PosBlock:
			b.Block++
		case PosAbstain:
			b.Abstain++
		default:
			b.Waiting = append(b.Waiting, p.Name)
		}
		b.Positions = append(b.Positions, p)
	}
	b.Positions = append(b.Positions, taken...) // former ADs'
	var missing []string
	if b.Yes == 0 {
		missing = append(missing, "a YES")
	}
	if b.Block > 0 {
		missing = append(missing, fmt.Sprintf("the %d BLOCK position(s) cleared", b.Block))
	}
	b.Passes, b.Missing = len(missing) == 0, strings.Join(missing, " and ")
	return b, nil
}

type ad struct {
	id         int64
	name, area string
}

// sittingADs are the IESG's voting members: ADs of the active areas
// (R42), one entry per person.
func sittingADs(ctx context.Context, q db.Querier) ([]ad, error) {
	return db.Query(ctx, q, func(row db.Scanner) (ad, error) {
		var a ad
		err := row.Scan(&a.id, &a.name, &a.area)
		return a, err
	}, `SELECT p.id, p.name, MIN(r.acronym) FROM role_holder r JOIN person_name p ON p.id = r.person_id
		WHERE r.role = 'ad' AND r.group_type = 'area' AND r.group_state = 'active'
		GROUP BY p.id, p.name ORDER BY MIN(r.acronym), p.name`)
}

// openBallot closes c's open ballot, if any, and opens one of kind.
func openBallot(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, kind string) error {
	if err := closeBallots(ctx, tx, by, c); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO charter_ballot (charter_id, kind, rev, opened, opened_by) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, kind, c.Rev, tx.Now, db.NullID(by.ID)); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "doc", c.Name, "ballot_opened", fmt.Sprintf("Created %q ballot", BallotName(kind)), "")
}

// closeBallots closes c's open ballot, if any.
func closeBallots(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter) error {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM charter_ballot WHERE charter_id = $1 AND closed IS NULL`, c.ID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE charter_ballot SET closed = $1 WHERE charter_id = $2 AND closed IS NULL`, tx.Now, c.ID); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "doc", c.Name, "ballot_closed", fmt.Sprintf("Closed %q ballot", BallotName(kind)), "")
}

// PositionChange is what an AD sends for a charter ballot.
type PositionChange struct {
	Pos     string // yes, noobj, block, abstain, norecord
	Block   string // what must change: required with block
	Comment string
}

// SetPosition records a sitting AD's position on the charter's open
// ballot. Only ADs ballot (R42); a BLOCK needs its text, and another
// position clears it.
func (s *Service) SetPosition(ctx context.Context, by groups.Actor, name string, p PositionChange) (err error) {
	defer fail.Wrap(&err, "charters.SetPosition(%q, %q)", name, p.Pos)
	p.Pos = strings.ToLower(strings.TrimSpace(p.Pos))
	if p.Pos == "no-objection" || p.Pos == "noobjection" {
		p.Pos = PosNoObj // as docs.SetPosition takes it
	}
	if p.Pos == "" || nameOf(Positions, p.Pos) == p.Pos {
		return fail.Field("position", "%q is not a charter ballot position; send yes, noobj, block, abstain or norecord.", p.Pos)
	}
	p.Block = strings.TrimSpace(strings.ReplaceAll(p.Block, "\r\n", "\n"))
	p.Comment = strings.TrimSpace(strings.ReplaceAll(p.Comment, "\r\n", "\n"))
	if p.Pos == PosBlock && p.Block == "" {
		return fail.Field("block", "A BLOCK needs its text: say what must change for you to clear it.")
	}
	if p.Pos != PosBlock {
		p.Block = ""
	}
	if len(p.Block)+len(p.Comment) > 100_000 {
		return fail.Field("comment", "The BLOCK and comment together are longer than 100,000 characters.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, name)
		if err != nil {
			return err
		}
		ads, err := sittingADs(ctx, tx)
		if err != nil {
			return err
		}
		if by.ID == 0 || !slices.ContainsFunc(ads, func(a ad) bool { return a.id == by.ID }) {
			return fail.Rule("R42", fail.Forbidden, "Only sitting Area Directors ballot on charters; the IESG decides.")
		}
		b, err := ballot(ctx, tx, c.ID, true)
		if errors.Is(err, errNoBallot) || c.ID == 0 {
			return fail.New(fail.Conflict, "%s has no open IESG ballot: one opens when internal review starts, and another when the charter goes to IESG review.", c.Name)
		}
		if err != nil {
			return err
		}
		old := ""
		for _, x := range b.Positions {
			if x.PersonID == by.ID {
				old = x.Pos
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO charter_position (ballot_id, person_id, pos, block, comment, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			b.ID, by.ID, p.Pos, p.Block, p.Comment, tx.Now); err != nil {
			return err
		}
		summary := fmt.Sprintf("[Ballot Position Update] Position for %s changed to %s from %s", by.Actor, PositionName(p.Pos), PositionName(old))
		if old == "" {
			summary = fmt.Sprintf("[Ballot Position Update] New position, %s, has been recorded for %s", PositionName(p.Pos), by.Actor)
		}
		var why []string
		if p.Block != "" {
			why = append(why, "BLOCK: "+p.Block)
		}
		if p.Comment != "" {
			why = append(why, "COMMENT: "+p.Comment)
		}
		return record.Add(ctx, tx, by.Actor, "doc", c.Name, "ballot_position", summary, strings.Join(why, "\n\n"))
	})
}
