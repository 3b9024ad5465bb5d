package nomcom

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Source is a random source: what it is, announced in advance, and its
// value, entered once known.
type Source struct {
	Description string
	Value       string
}

// maxSources bounds the sources of one selection (RFC 3797 §3.3 asks for
// enough entropy; three to five sources give it).
const maxSources = 10

// AnnounceSources publishes, as the chair, the pool and the random
// sources before their values are known (RFC 3797 §2.1, §3.1): the call
// for volunteers ends, the pool (the eligible volunteers who sit on none
// of R48's bodies) is fixed in its published order, by name, and the
// sources and the day their values will be known are announced on
// ietf-announce with the pool.
func (s *Service) AnnounceSources(ctx context.Context, by groups.Actor, year int, descriptions []string, valuesDate, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.AnnounceSources(%d)", year)
	var srcs []string
	for _, d := range descriptions {
		if d = strings.Join(strings.Fields(d), " "); d != "" {
			if !utf8.ValidString(d) || utf8.RuneCountInString(d) > 500 {
				return fail.Field("sources", "Describe each source in at most 500 characters.")
			}
			srcs = append(srcs, d)
		}
	}
	if len(srcs) == 0 || len(srcs) > maxSources {
		return fail.Field("sources", "Name between 1 and %d random sources, one a line (RFC 3797 §3.1: for example a lottery's numbers drawn on a given day).", maxSources)
	}
	values, err := time.Parse(time.DateOnly, strings.TrimSpace(valuesDate))
	if err != nil {
		return fail.Field("values_date", "Write the day the sources' values will be known as YYYY-MM-DD, not %q.", valuesDate)
	}
	bars, err := s.Barred(ctx, 0)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		n, err := get(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := s.mayRun(n, by); err != nil {
			return err
		}
		if n.State != Open {
			return fail.New(fail.Conflict, "NomCom %d is not calling for volunteers (%s); its pool can be published once, after the call.", year, n.StateName())
		}
		if !values.After(tx.Now) {
			return fail.Field("values_date", "The sources' values must be unknown when they are announced (RFC 3797 §3.1): give a day after today, not %s.", values.Format(time.DateOnly))
		}
		vs, err := volunteers(ctx, tx, year)
		if err != nil {
			return err
		}
		slices.SortStableFunc(vs, func(a, b Volunteer) int {
			if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
				return c
			}
			return int(a.PersonID - b.PersonID)
		})
		pos := 0
		var pool []Volunteer
		for _, v := range vs {
			if bs := bars[v.PersonID]; len(bs) > 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE nomcom_volunteer SET excluded = $1 WHERE id = $2`, "R48: "+bs[0].What, v.ID); err != nil {
					return err
				}
				continue
			}
			pos++
			v.Position = pos
			pool = append(pool, v)
			if _, err := tx.ExecContext(ctx, `UPDATE nomcom_volunteer SET pool_pos = $1 WHERE id = $2`, pos, v.ID); err != nil {
				return err
			}
		}
		if len(pool) < n.Seats {
			return fail.Rule("R49", fail.Conflict, "The pool has %d eligible volunteers, fewer than the %d seats; keep the call open.", len(pool), n.Seats)
		}
		for i, d := range srcs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO nomcom_source (nomcom_id, ord, description) VALUES ($1, $2, $3)`, n.ID, i+1, d); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nomcom SET state = $1, values_date = $2, updated = $3 WHERE id = $4 AND state = $5`,
			Pool, values.Format(time.DateOnly), tx.Now, n.ID, Open); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_pool",
			fmt.Sprintf("Pool of %d published; %d random sources announced, their values due on %s", len(pool), len(srcs), values.Format(time.DateOnly)), why); err != nil {
			return err
		}
		n.ValuesDate = values
		return s.announce(ctx, tx, year, fmt.Sprintf("NomCom %d: the pool of volunteers and the random sources", year), poolText(s, n, pool, srcs))
	})
}

func poolText(s *Service, n NomCom, pool []Volunteer, srcs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The call for volunteers for the %d NomCom is closed. These %d eligible\nvolunteers are the pool, in this order, from which %d voting members will\nbe selected by the method of RFC 3797, no more than two with the same\nprimary affiliation (RFC 8713 §4.17):\n\n", n.Year, len(pool), n.Seats)
	for _, v := range pool {
		fmt.Fprintf(&b, "%4d. %s (%s)\n", v.Position, v.Name, v.Affiliation)
	}
	fmt.Fprintf(&b, "\nThe random sources, whose values will be known on %s, are, in\nthis order:\n\n", n.ValuesDate.Format(time.DateOnly))
	for i, d := range srcs {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, d)
	}
	b.WriteString("\nEach value is canonicalised and the values joined into a key as RFC 3797\n§4 says; the i-th person is drawn by the MD5 hash of the key between two\ncopies of i, as a two-byte counter from 0, modulo the number of people\nleft. Anyone can repeat the computation:\n")
	fmt.Fprintf(&b, "  %s\n  hum nomcom select --year %d\n", s.URL(n.Year, "selection/"), n.Year)
	return b.String()
}

// Sources are a NomCom's random sources, in order.
func (s *Service) Sources(ctx context.Context, year int) ([]Source, error) {
	return sources(ctx, s.DB, year)
}

func sources(ctx context.Context, q db.Querier, year int) ([]Source, error) {
	return db.Query(ctx, q, func(row db.Scanner) (x Source, err error) {
		err = row.Scan(&x.Description, &x.Value)
		return x, err
	}, `SELECT s.description, s.value FROM nomcom_source s JOIN nomcom n ON n.id = s.nomcom_id WHERE n.year = $1 ORDER BY s.ord`, year)
}

// Computation is the selection from its published inputs, step by step.
type Computation struct {
	NomCom  NomCom
	Pool    []Candidate
	Sources []Source
	Key     string
	Steps   []Step
	// Recorded says whether the selection hum seated is the one computed
	// here (when values are given, the recorded one may not exist yet).
	Recorded bool
}

// Selected are the steps that took a seat.
func (c Computation) Selected() []Step {
	var out []Step
	for _, s := range c.Steps {
		if s.Selected {
			out = append(out, s)
		}
	}
	return out
}

// Skipped are the steps R49 skipped.
func (c Computation) Skipped() []Step {
	var out []Step
	for _, s := range c.Steps {
		if !s.Selected {
			out = append(out, s)
		}
	}
	return out
}

// Compute runs the selection from the published pool and sources: with
// the values entered, or with values given (one per source), which
// changes nothing and lets anyone check a computation or try one before
// the values are entered.
func (s *Service) Compute(ctx context.Context, year int, values []string) (c Computation, err error) {
	defer fail.Wrap(&err, "nomcom.Compute(%d)", year)
	if c.NomCom, err = s.Get(ctx, year); err != nil {
		return c, err
	}
	if c.NomCom.State == New || c.NomCom.State == Open {
		return c, fail.New(fail.Conflict, "NomCom %d has not published its pool and random sources yet.", year)
	}
	if c.Sources, err = s.Sources(ctx, year); err != nil {
		return c, err
	}
	vs, err := s.Volunteers(ctx, year)
	if err != nil {
		return c, err
	}
	c.Pool = poolOf(vs)
	if values == nil {
		for _, x := range c.Sources {
			values = append(values, x.Value)
		}
		if c.NomCom.State != Selected {
			return c, fail.New(fail.Conflict, "The values of NomCom %d's random sources are not in yet (due %s); give them to compute the selection.", year, c.NomCom.ValuesDate.Format(time.DateOnly))
		}
	}
	if len(values) != len(c.Sources) {
		return c, fail.Field("values", "There are %d sources; give %d values, in their order.", len(c.Sources), len(c.Sources))
	}
	for i := range c.Sources {
		c.Sources[i].Value = values[i]
	}
	if c.Key, err = Key(values); err != nil {
		return c, fail.Field("values", "%s.", capital(err.Error()))
	}
	if c.Steps, err = Select(c.Key, c.Pool, c.NomCom.Seats); err != nil {
		return c, err
	}
	c.Recorded = c.NomCom.State == Selected && c.Key == c.NomCom.Key && sameSeats(c, vs)
	return c, nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// poolOf is the published pool, in order.
func poolOf(vs []Volunteer) []Candidate {
	var pool []Candidate
	for _, v := range vs {
		if v.Position > 0 {
			pool = append(pool, Candidate{Position: v.Position, PersonID: v.PersonID, Name: v.Name, Affiliation: v.Affiliation})
		}
	}
	slices.SortFunc(pool, func(a, b Candidate) int { return a.Position - b.Position })
	return pool
}

// sameSeats reports whether the seats recorded are the ones computed.
func sameSeats(c Computation, vs []Volunteer) bool {
	seat := map[int64]int{}
	for _, v := range vs {
		if v.Seat > 0 {
			seat[v.PersonID] = v.Seat
		}
	}
	sel := c.Selected()
	if len(sel) != len(seat) {
		return false
	}
	for _, st := range sel {
		if seat[st.PersonID] != st.Seat {
			return false
		}
	}
	return true
}

// EnterValues enters the sources' values, as the chair, once they are
// known: hum computes the selection (RFC 3797, R49), seats the selected
// volunteers as the NomCom's voting members, and announces the
// computation and the result on ietf-announce.
func (s *Service) EnterValues(ctx context.Context, by groups.Actor, year int, values []string, why string) (c Computation, err error) {
	defer fail.Wrap(&err, "nomcom.EnterValues(%d)", year)
	for i := range values {
		values[i] = strings.Join(strings.Fields(values[i]), " ")
		if !utf8.ValidString(values[i]) || utf8.RuneCountInString(values[i]) > 500 {
			return c, fail.Field("values", "Each value is at most 500 characters.")
		}
	}
	n, err := s.Get(ctx, year)
	if err != nil {
		return c, err
	}
	if err := s.mayRun(n, by); err != nil {
		return c, err
	}
	if n.State != Pool {
		return c, fail.New(fail.Conflict, "NomCom %d is not waiting for the random sources' values (%s).", year, n.StateName())
	}
	if c, err = s.Compute(ctx, year, values); err != nil {
		return c, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if tx.Now.Before(n.ValuesDate) {
			return fail.New(fail.Conflict, "The sources' values are due on %s; they cannot be known before (RFC 3797 §3.1).", n.ValuesDate.Format(time.DateOnly))
		}
		res, err := tx.ExecContext(ctx, `UPDATE nomcom SET state = $1, selection_key = $2, updated = $3 WHERE id = $4 AND state = $5`, Selected, c.Key, tx.Now, n.ID, Pool)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			return fail.New(fail.Conflict, "Someone entered NomCom %d's values a moment ago.", year)
		}
		for i, v := range values {
			if _, err := tx.ExecContext(ctx, `UPDATE nomcom_source SET value = $1 WHERE nomcom_id = $2 AND ord = $3`, v, n.ID, i+1); err != nil {
				return err
			}
		}
		gctx := db.WithTx(ctx, tx)
		for _, st := range c.Selected() {
			if _, err := tx.ExecContext(ctx, `UPDATE nomcom_volunteer SET seat = $1 WHERE nomcom_id = $2 AND person_id = $3`, st.Seat, n.ID, st.PersonID); err != nil {
				return err
			}
			email, err := primaryEmail(ctx, tx, st.PersonID)
			if err != nil {
				return err
			}
			if err := s.Groups.Grant(gctx, by, n.Acronym, "member", st.PersonID, email,
				fmt.Sprintf("R49: selected for seat %d at draw %d by RFC 3797 from the published pool and sources (%s)", st.Seat, st.Step, s.URL(year, "selection/"))); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("Random sources' values entered; key %s; %d voting members selected", c.Key, len(c.Selected()))
		if k := len(c.Skipped()); k > 0 {
			summary += fmt.Sprintf(", %d skipped by R49", k)
		}
		if err := record.Add(ctx, tx, by.Actor, "nomcom", n.Subject(), "nomcom_selected", summary, why); err != nil {
			return err
		}
		return s.announce(ctx, tx, year, fmt.Sprintf("NomCom %d: the voting members selected", year), s.ResultText(c))
	})
	if err != nil {
		return c, err
	}
	c.NomCom.State, c.NomCom.Key, c.Recorded = Selected, c.Key, true
	return c, nil
}

// ResultText is the computation as text: the announcement, and what
// `hum nomcom select` prints.
func (s *Service) ResultText(c Computation) string {
	var b strings.Builder
	n := c.NomCom
	fmt.Fprintf(&b, "The selection of the voting members of the %d NomCom, by RFC 3797 from\nthe pool of %d published before the sources' values were known.\n\n", n.Year, len(c.Pool))
	b.WriteString("The random sources and their values:\n")
	for i, x := range c.Sources {
		canon, _ := CanonicalSource(x.Value)
		fmt.Fprintf(&b, "  %d. %s\n     value %q, canonical %q\n", i+1, x.Description, x.Value, canon)
	}
	fmt.Fprintf(&b, "\nThe key: %s\n\n", c.Key)
	b.WriteString("step  MD5 of the key between two copies of the step-1 counter   left  rem  pos  volunteer\n")
	for _, st := range c.Steps {
		mark := fmt.Sprintf("seat %d", st.Seat)
		if !st.Selected {
			mark = "skipped: " + st.Skipped
		}
		fmt.Fprintf(&b, "%4d  %s  %4d %4d %4d  %s (%s): %s\n", st.Step, st.Hex(), st.Left, st.Remainder, st.Position, st.Name, st.Affiliation, mark)
	}
	sel := c.Selected()
	fmt.Fprintf(&b, "\nThe %d voting members selected, by seat:\n", len(sel))
	for _, st := range sel {
		fmt.Fprintf(&b, "  %2d. %s (%s)\n", st.Seat, st.Name, st.Affiliation)
	}
	if len(sel) < n.Seats {
		fmt.Fprintf(&b, "\nThe pool ran out: %d of the %d seats are filled.\n", len(sel), n.Seats)
	}
	fmt.Fprintf(&b, "\nThe pool, the sources and every step: %s\nRun it yourself: hum nomcom select --year %d\n", s.URL(n.Year, "selection/"), n.Year)
	return b.String()
}
