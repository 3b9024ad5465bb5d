package appeals

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// MayRespond reports whether who may record the response of the level a
// is at, and if not, why:
//   - the WG chairs: the group's chairs;
//   - the AD(s): the ADs of the group's area, and the AD whose action is
//     appealed;
//   - the IESG Chair: the IETF Chair;
//   - the IESG: an IESG member, or the secretariat on its behalf;
//   - the IAB: an IAB member, or the secretariat, but never the IETF
//     Chair, who takes no part in appeals against the IESG (R43); every
//     appeal that reaches the IAB is one, the level below being the IESG;
//   - the ISOC Board: the secretariat, on the Trustees' behalf.
func MayRespond(who groups.Actor, a Appeal) error {
	if who.ID == 0 && !who.Secretariat() {
		return fail.New(fail.Unauthorized, "Log in to record a response.")
	}
	no := func(format string, args ...any) error { return fail.New(fail.Forbidden, format, args...) }
	switch a.Level {
	case Chairs:
		if chairs(who, a.GroupID) {
			return nil
		}
		return no("Only the chairs of %s record their response to this appeal.", a.Group)
	case ADs:
		if a.GroupID != 0 && who.AD(groups.Group{ID: a.GroupID, Type: a.GroupType, ParentID: a.GroupParentID}) ||
			a.Kind == AD && who.ID == a.DecidedByID && who.IESG() {
			return nil
		}
		return no("Only the responsible Area Director records the AD's response to this appeal.")
	case IESGChair:
		if who.IETFChair() {
			return nil
		}
		return no("Only the IESG Chair (the IETF Chair) records the IESG Chair's response (R39).")
	case WholeIESG:
		if who.IESG() || who.Secretariat() {
			return nil
		}
		return no("Only an IESG member or the secretariat records the IESG's response.")
	case IAB:
		if who.IETFChair() {
			return fail.Rule("R43", fail.Forbidden, "The IETF Chair takes no part in the IAB's handling of an appeal against the IESG, so may not record the IAB's response.")
		}
		if who.IAB() || who.Secretariat() {
			return nil
		}
		return no("Only an IAB member or the secretariat records the IAB's response.")
	case ISOC:
		if who.Secretariat() {
			return nil
		}
		return no("Only the secretariat records the ISOC Board of Trustees' acknowledgement and response, on the Trustees' behalf (R40).")
	}
	return no("Appeal %d is at no level that responds.", a.ID)
}

func chairs(who groups.Actor, groupID int64) bool {
	for _, r := range who.Roles {
		if r.GroupID == groupID && groupID != 0 && r.Name == "chair" {
			return true
		}
	}
	return false
}

// Response is a level's response.
type Response struct {
	Text string
	// Annul, at the IAB on an IESG action, annuls the IESG decision
	// (R39): recorded on the decision's subject as well as the appeal.
	Annul bool
}

// Respond records the response of the level appeal id is at. The last
// level of its chain makes the appeal final.
func (s *Service) Respond(ctx context.Context, who groups.Actor, id int64, r Response) (err error) {
	defer fail.Wrap(&err, "appeals.Respond(%d)", id)
	r.Text = strings.TrimSpace(r.Text)
	if r.Text == "" {
		return fail.Field("response", "Write the level's response: it goes on the record and to the list.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		a, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := MayRespond(who, a); err != nil {
			return err
		}
		if a.State != Open {
			return fail.New(fail.Conflict, "Appeal %d is %s: %s has nothing to respond to.", id, a.State, LevelNames[a.Level])
		}
		if r.Annul && (a.Level != IAB || a.Kind != IESG) {
			return fail.Rule("R39", fail.Invalid, "Only the IAB, on an appeal of an IESG action, may annul the decision appealed.")
		}
		state := Answered
		if a.Next() == "" {
			state = Final
		}
		cur := a.Current()
		if _, err := tx.ExecContext(ctx, `UPDATE appeal_level SET response = $1, responded = $2, responder_id = $3, responder = $4, annuls = $5
			WHERE appeal_id = $6 AND seq = $7`, r.Text, tx.Now, db.NullID(who.ID), who.Name, r.Annul, id, cur.Seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appeal SET state = $1, annulled = annulled OR $2, updated = $3 WHERE id = $4`, state, r.Annul, tx.Now, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s responded to appeal %d", upper(LevelNames[a.Level]), id)
		if state == Final {
			summary += "; the decision is final (" + finalRule(a.Kind) + ")"
		}
		if r.Annul {
			summary += "; the IESG decision is annulled (R39)"
		}
		if err := record.Add(ctx, tx, who.Actor, "appeal", record.SubjectID(id), "appeal_response", summary, r.Text); err != nil {
			return err
		}
		if r.Annul && (a.SubjectType == "doc" || a.SubjectType == "group") {
			if err := record.Add(ctx, tx, who.Actor, a.SubjectType, a.Subject, "annulled",
				fmt.Sprintf("Annulled by the IAB on appeal %d: %s (of %s)", id, a.Decision, a.Decided.UTC().Format("2006-01-02")), r.Text); err != nil {
				return err
			}
		}
		a.State, a.Annulled = state, a.Annulled || r.Annul
		return s.announce(ctx, tx, a, "response", r.Text)
	})
}

// Escalate takes appeal id, answered at its level, to the next level of
// its chain, for the reason given. Only the appellant may; after the last
// level there is none (R38; R40).
func (s *Service) Escalate(ctx context.Context, who groups.Actor, id int64, reason string) (err error) {
	defer fail.Wrap(&err, "appeals.Escalate(%d)", id)
	reason = strings.TrimSpace(reason)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		a, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := appellant(who, a, "escalate"); err != nil {
			return err
		}
		switch {
		case a.State == Final && a.Kind == IESG && a.Level == IAB:
			return fail.Rule("R40", fail.Conflict, "The IAB's decision on appeal %d is final: only a claim that the procedures themselves are inadequate goes on to the ISOC Board of Trustees, and this appeal made none.", id)
		case a.State == Final && a.Level == ISOC:
			return fail.Rule("R40", fail.Conflict, "The ISOC Board of Trustees' decision on appeal %d is final.", id)
		case a.State == Final:
			return fail.Rule("R38", fail.Conflict, "The IAB's decision on appeal %d is final; there is no level above it.", id)
		case a.State == Open:
			return fail.New(fail.Conflict, "Appeal %d awaits the response of %s; escalate once it has responded.", id, LevelNames[a.Level])
		case a.State != Answered:
			return fail.New(fail.Conflict, "Appeal %d is %s.", id, a.State)
		}
		if reason == "" {
			return fail.Field("reason", "Say why the response of %s does not settle the appeal.", LevelNames[a.Level])
		}
		next := a.Next()
		if _, err := tx.ExecContext(ctx, `UPDATE appeal SET level = $1, state = 'open', updated = $2 WHERE id = $3`, next, tx.Now, id); err != nil {
			return err
		}
		if err := addLevel(ctx, tx, id, a.Current().Seq+1, next, reason); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, who.Actor, "appeal", record.SubjectID(id), "appeal_escalated",
			fmt.Sprintf("Appeal %d escalated from %s to %s", id, LevelNames[a.Level], LevelNames[next]), reason); err != nil {
			return err
		}
		from := a.Level
		a.Level, a.State = next, Open
		return s.announce(ctx, tx, a, "escalated from "+LevelNames[from], reason)
	})
}

// Withdraw ends appeal id at its appellant's wish.
func (s *Service) Withdraw(ctx context.Context, who groups.Actor, id int64, why string) (err error) {
	defer fail.Wrap(&err, "appeals.Withdraw(%d)", id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		a, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := appellant(who, a, "withdraw"); err != nil {
			return err
		}
		if a.State != Open && a.State != Answered {
			return fail.New(fail.Conflict, "Appeal %d is %s already.", id, a.State)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appeal SET state = 'withdrawn', updated = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, who.Actor, "appeal", record.SubjectID(id), "appeal_withdrawn", fmt.Sprintf("Appeal %d withdrawn", id), strings.TrimSpace(why)); err != nil {
			return err
		}
		a.State = Withdrawn
		return s.announce(ctx, tx, a, "withdrawn", strings.TrimSpace(why))
	})
}

// Acknowledge records that the ISOC Board of Trustees acknowledged
// appeal id, which R40 asks within two weeks.
func (s *Service) Acknowledge(ctx context.Context, who groups.Actor, id int64) (err error) {
	defer fail.Wrap(&err, "appeals.Acknowledge(%d)", id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		a, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Level != ISOC || a.State != Open {
			return fail.New(fail.Conflict, "Appeal %d is not awaiting the ISOC Board of Trustees.", id)
		}
		if err := MayRespond(who, a); err != nil {
			return err
		}
		cur := a.Current()
		if cur.Acknowledged != nil {
			return fail.New(fail.Conflict, "The ISOC Board acknowledged appeal %d already.", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appeal_level SET acknowledged = $1 WHERE appeal_id = $2 AND seq = $3`, tx.Now, id, cur.Seq); err != nil {
			return err
		}
		summary := fmt.Sprintf("The ISOC Board of Trustees acknowledged appeal %d", id)
		if cur.Late(tx.Now) {
			summary += fmt.Sprintf(", after the two weeks R40 allows (due %s)", cur.Due.UTC().Format("2006-01-02"))
		}
		return record.Add(ctx, tx, who.Actor, "appeal", record.SubjectID(id), "appeal_acknowledged", summary, "")
	})
}

func appellant(who groups.Actor, a Appeal, what string) error {
	if who.ID == 0 {
		return fail.New(fail.Unauthorized, "Log in to %s your appeal.", what)
	}
	if who.ID != a.AppellantID {
		return fail.New(fail.Forbidden, "Only the appellant, %s, may %s appeal %d.", a.Appellant, what, a.ID)
	}
	return nil
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
