package docs

import (
	"context"
	"database/sql"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Ballots returns the latest IESG ballot of each named document, in the
// order of names, as Ballot does one by one, but in a fixed number of
// queries whatever the number of documents: the telechat agenda, its
// calendar and documents.txt list a telechat's documents at once. A name
// hum does not hold is an error, as with Ballot.
func (s *Service) Ballots(ctx context.Context, names []string) (vs []BallotView, err error) {
	defer fail.Wrap(&err, "docs.Ballots(%d)", len(names))
	if len(names) == 0 {
		return nil, nil
	}
	bases := make([]string, len(names))
	for i, n := range names {
		bases[i] = BaseName(n)
	}
	// Every query below is over the same documents: those named, and
	// for the ballot tables each one's latest ballot.
	w := &db.Where{}
	in := "d.name IN " + w.In(bases)
	args := w.Args
	const latest = ` AND b.id = (SELECT MAX(x.id) FROM ballot x WHERE x.doc_id = b.doc_id)`

	ds, err := db.Query(ctx, s.DB, func(row db.Scanner) (Document, error) { return scanDoc(row) },
		`SELECT `+docCols+docFrom+` WHERE `+in, args...)
	if err != nil {
		return nil, err
	}
	byName := map[string]*BallotView{}
	for _, d := range ds {
		byName[d.Name] = &BallotView{Doc: d}
	}
	for i, b := range bases {
		if byName[b] == nil {
			return nil, fail.New(fail.NotFound, "There is no document called %q.", names[i])
		}
	}

	type author struct {
		doc string
		Author
	}
	as, err := db.Query(ctx, s.DB, func(row db.Scanner) (author, error) {
		var a author
		err := row.Scan(&a.doc, &a.Name, &a.ASCIIName, &a.Organization, &a.Email, &a.PersonID)
		return a, err
	}, `SELECT d.name, a.name, a.ascii_name, a.organization, a.email, COALESCE(a.person_id, 0)
		FROM doc_author a JOIN doc d ON d.id = a.doc_id WHERE `+in+` ORDER BY a.doc_id, a.ord`, args...)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		v := byName[a.doc]
		v.Doc.Authors = append(v.Doc.Authors, a.Author)
	}

	type ballot struct {
		doc      string
		id       int64
		opened   time.Time
		closed   sql.NullTime
		deferred bool
	}
	bs, err := db.Query(ctx, s.DB, func(row db.Scanner) (ballot, error) {
		var b ballot
		err := row.Scan(&b.doc, &b.id, &b.opened, &b.closed, &b.deferred)
		return b, err
	}, `SELECT d.name, b.id, b.opened, b.closed, b.deferred FROM ballot b JOIN doc d ON d.id = b.doc_id WHERE `+in+latest, args...)
	if err != nil {
		return nil, err
	}
	var ads []Person
	if len(bs) > 0 {
		if ads, err = s.SittingADs(ctx); err != nil {
			return nil, err
		}
	}

	type position struct {
		ballot int64
		Position
	}
	ps, err := db.Query(ctx, s.DB, func(row db.Scanner) (position, error) {
		var p position
		var at time.Time
		err := row.Scan(&p.ballot, &p.PersonID, &p.Name, &p.Pos, &p.Discuss, &p.Comment, &at)
		at = at.UTC()
		p.At = &at
		return p, err
	}, `SELECT bp.ballot_id, bp.person_id, p.name, bp.pos, bp.discuss, bp.comment, bp.at
		FROM ballot_position bp JOIN person_name p ON p.id = bp.person_id JOIN ballot b ON b.id = bp.ballot_id JOIN doc d ON d.id = b.doc_id
		WHERE `+in+latest+` AND bp.id = (SELECT MAX(y.id) FROM ballot_position y WHERE y.ballot_id = bp.ballot_id AND y.person_id = bp.person_id)`, args...)
	if err != nil {
		return nil, err
	}
	current := map[int64]map[int64]Position{}
	for _, p := range ps {
		if current[p.ballot] == nil {
			current[p.ballot] = map[int64]Position{}
		}
		current[p.ballot][p.PersonID] = p.Position
	}

	type vote struct {
		ballot, person int64
		vote           string
	}
	vts, err := db.Query(ctx, s.DB, func(row db.Scanner) (vote, error) {
		var x vote
		err := row.Scan(&x.ballot, &x.person, &x.vote)
		return x, err
	}, `SELECT ba.ballot_id, ba.person_id, ba.vote FROM ballot_alt ba JOIN ballot b ON b.id = ba.ballot_id JOIN doc d ON d.id = b.doc_id
		WHERE `+in+latest, args...)
	if err != nil {
		return nil, err
	}
	votes := map[int64]map[int64]string{}
	for _, x := range vts {
		if votes[x.ballot] == nil {
			votes[x.ballot] = map[int64]string{}
		}
		votes[x.ballot][x.person] = x.vote
	}

	for _, b := range bs {
		v := byName[b.doc]
		v.Exists, v.Open, v.Closed, v.Opened, v.Deferred = true, !b.closed.Valid, timePtr(b.closed), b.opened, b.deferred
		alt := AltBallot{Votes: votes[b.id]}
		if alt.Votes == nil {
			alt.Votes = map[int64]string{}
		}
		alt.tally(ads)
		cur := current[b.id]
		if cur == nil {
			cur = map[int64]Position{}
		}
		v.count(ads, cur, alt)
	}
	vs = make([]BallotView, len(bases))
	for i, b := range bases {
		vs[i] = *byName[b]
	}
	return vs, nil
}
