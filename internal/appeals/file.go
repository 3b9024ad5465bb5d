package appeals

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Filing is what an appellant sends.
type Filing struct {
	Decision   string // the decision's link (see Resolve)
	Kind       string // "" for the likeliest the decision admits
	Level      string // the level addressed first; "" for the first of the chain
	Facts      string
	Remedy     string
	Procedural bool // an IESG action: claims the procedures are inadequate (R40)
}

// File files an appeal by who. It is refused, changing nothing, when the
// facts or the remedy are missing or too short (R41), when the decision
// became public more than two months ago (R41), and when it is addressed
// to another level than the first of its chain (R37; R39 for the IESG).
func (s *Service) File(ctx context.Context, who groups.Actor, f Filing) (id int64, err error) {
	defer fail.Wrap(&err, "appeals.File(%q)", f.Decision)
	if who.ID == 0 {
		return 0, fail.New(fail.Unauthorized, "Log in to file an appeal: the appellant is named on the record.")
	}
	f.Facts, f.Remedy = strings.TrimSpace(f.Facts), strings.TrimSpace(f.Remedy)
	var problems []*fail.Error
	if n := utf8.RuneCountInString(f.Facts); n < MinFacts {
		problems = append(problems, &fail.Error{Kind: fail.Invalid, Rule: "R41", Field: "facts", Code: "facts-short",
			Message: fmt.Sprintf("State the facts of the dispute in detail: what was decided, by whom, and why you disagree (at least %d characters; this has %d).", MinFacts, n)})
	}
	if n := utf8.RuneCountInString(f.Remedy); n < MinRemedy {
		problems = append(problems, &fail.Error{Kind: fail.Invalid, Rule: "R41", Field: "remedy", Code: "remedy-short",
			Message: fmt.Sprintf("Say what remedy you seek (at least %d characters).", MinRemedy)})
	}
	if len(problems) == 1 {
		return 0, problems[0]
	} else if len(problems) > 1 {
		return 0, fail.Join(fail.Invalid, problems, "An appeal states the facts in detail and the remedy sought (R41).")
	}
	d, err := s.Resolve(ctx, f.Decision)
	if err != nil {
		return 0, err
	}
	kind := f.Kind
	if kind == "" {
		kind = d.Kinds[0]
	}
	if _, ok := KindNames[kind]; !ok {
		return 0, fail.Field("kind", "%q is not a kind of appeal: wg, ad or iesg.", kind)
	}
	if !slices.Contains(d.Kinds, kind) {
		var names []string
		for _, k := range d.Kinds {
			names = append(names, KindNames[k])
		}
		return 0, fail.Field("kind", "Event %d (%s by %s) is not %s; it may be appealed as %s.", d.Event.ID, d.Event.Summary, d.Event.Actor, KindNames[kind], strings.Join(names, " or "))
	}
	if kind == WG && d.Group.ID == 0 {
		return 0, fail.Field("kind", "A WG dispute needs a working group; event %d concerns none.", d.Event.ID)
	}
	procedural := f.Procedural && kind == IESG
	if f.Procedural && kind != IESG {
		return 0, fail.Rule("R40", fail.Invalid, "Only an appeal of an IESG action may claim that the procedures themselves are inadequate and go on to the ISOC Board of Trustees.")
	}
	chain := Chain(kind, procedural)
	level := f.Level
	if level == "" {
		level = chain[0]
	}
	if level != chain[0] {
		e := fail.Rule(chainRule(kind), fail.Invalid, "An appeal of %s goes first to %s, then %s; not to %s first.", KindNames[kind], LevelNames[chain[0]], laterLevels(chain[1:]), orUnknown(level))
		e.Field = "level"
		return 0, e
	}
	name := fmt.Sprintf("Appeal by %s of %s", who.Name, d.Event.Summary)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if now, dl := tx.Now, Deadline(d.Event.At); now.After(dl) {
			e := fail.Rule("R41", fail.Invalid, "This decision became public on %s; an appeal must be filed within two months of that, by %s.", d.Event.At.UTC().Format("2 January 2006"), dl.UTC().Format("2 January 2006"))
			e.Field = "decision"
			return e
		}
		gid := sql.NullInt64{Int64: d.Group.ID, Valid: d.Group.ID != 0}
		decidedBy := sql.NullInt64{Int64: d.Event.ActorID, Valid: d.Event.ActorID != 0}
		err := tx.QueryRowContext(ctx, `INSERT INTO appeal (name, kind, group_id, event_id, decided, decided_by, subject_type, subject, decision,
			appellant_id, appellant, facts, remedy, procedural, level, state, filed, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open', $16, $16) RETURNING id`,
			oneLine(name, 500), kind, gid, d.Event.ID, d.Event.At, decidedBy, d.Event.SubjectType, d.Event.Subject, d.Event.Summary,
			who.ID, who.Name, f.Facts, f.Remedy, procedural, level, tx.Now).Scan(&id)
		if err != nil {
			return err
		}
		if err := addLevel(ctx, tx, id, 1, level, ""); err != nil {
			return err
		}
		summary := fmt.Sprintf("Appeal %d filed with %s: %s", id, LevelNames[level], KindNames[kind])
		if err := record.Add(ctx, tx, who.Actor, "appeal", record.SubjectID(id), "appeal_filed", summary, f.Remedy); err != nil {
			return err
		}
		if d.Event.SubjectType == "doc" || d.Event.SubjectType == "group" {
			if err := record.Add(ctx, tx, who.Actor, d.Event.SubjectType, d.Event.Subject, "appealed",
				fmt.Sprintf("Appealed (appeal %d, to %s): %s", id, LevelNames[level], d.Event.Summary), ""); err != nil {
				return err
			}
		}
		a, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.announce(ctx, tx, a, "filed", f.Facts+"\n\nRemedy sought:\n"+f.Remedy)
	})
	return id, err
}

func addLevel(ctx context.Context, tx *db.Tx, id int64, seq int, level, reason string) error {
	var due sql.NullTime
	if level == ISOC {
		due = sql.NullTime{Time: tx.Now.Add(AckWithin), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO appeal_level (appeal_id, seq, level, reason, addressed, due) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, seq, level, reason, tx.Now, due)
	return err
}

func laterLevels(ls []string) string {
	var names []string
	for _, l := range ls {
		names = append(names, LevelNames[l])
	}
	return strings.Join(names, ", then ")
}

func orUnknown(level string) string {
	if n, ok := LevelNames[level]; ok {
		return n
	}
	return fmt.Sprintf("%q", level)
}

// oneLine is s on one line, at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
