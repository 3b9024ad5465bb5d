package charters

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// SetState moves a charter along its review, as its responsible AD or the
// secretariat asks:
//   - intrev (start internal review) from Draft Charter: the IESG and the
//     IAB are told, and the IESG's "ready for external review" ballot
//     opens;
//   - infrev (back to Draft Charter) from internal review;
//   - extrev (external review) from internal review, a week after it began
//     and with that ballot passed, or again from IESG review: announced on
//     ietf-announce and new-work, and a BOF becomes a proposed WG;
//   - iesgrev (IESG review) from external review: the approval ballot
//     opens.
//
// A move that skips a step, or comes before its week is over, is refused
// naming R13. Approval and abandoning are Approve and Abandon.
func (s *Service) SetState(ctx context.Context, by groups.Actor, name, to, why string) (err error) {
	defer fail.Wrap(&err, "charters.SetState(%q, %q)", name, to)
	to = strings.TrimSpace(to)
	switch to {
	case Draft, Internal, External, IESGReview:
	case Approved:
		return fail.Field("state", "The IESG approves a charter with Approve, once its ballot passes.")
	case NotReview:
		return fail.Field("state", "A charter leaves review when its chartering is abandoned: use Abandon.")
	default:
		return fail.Field("state", "%q is not a charter state to move to; use infrev, intrev, extrev or iesgrev.", to)
	}
	why = strings.TrimSpace(why)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := mayManage(by, c.Group); err != nil {
			return err
		}
		if err := chartered(c.Group); err != nil {
			return err
		}
		if c.State == to {
			return fail.New(fail.Conflict, "%s is already in %s.", c.Name, StateName(to))
		}
		switch to {
		case Internal:
			return s.startInternal(ctx, tx, by, c, why)
		case Draft:
			if c.State != Internal {
				return fail.New(fail.Conflict, "%s goes back to Draft Charter only from internal review; it is in %s.", c.Name, StateName(c.State))
			}
			if err := closeBallots(ctx, tx, by, c); err != nil {
				return err
			}
			return s.move(ctx, tx, by, c, Draft, why, `intrev_at = NULL`)
		case External:
			return s.startExternal(ctx, tx, by, c, why)
		default:
			return s.toIESG(ctx, tx, by, c, why)
		}
	})
}

// move sets c's state to `to`, with set's extra assignments, and records it.
func (s *Service) move(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, to, why, set string, args ...any) error {
	if set != "" {
		set = ", " + set
	}
	n := len(args)
	all := append(args, to, tx.Now, c.ID, c.State)
	if err := changed(ctx, tx, c, fmt.Sprintf(`UPDATE charter SET state = $%d, updated = $%d%s WHERE id = $%d AND state = $%d`, n+1, n+2, set, n+3, n+4), all...); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "doc", c.Name, "charter_state", fmt.Sprintf("State changed to %s from %s", StateName(to), StateName(c.State)), why)
}

func (s *Service) startInternal(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, why string) error {
	if c.State != Draft {
		return fail.New(fail.Conflict, "Internal review starts from Draft Charter; %s is in %s. Post a new text to start (re)chartering.", c.Name, StateName(c.State))
	}
	if err := s.move(ctx, tx, by, c, Internal, why, `intrev_at = $1, extrev_at = NULL, extrev_rev = ''`, tx.Now); err != nil {
		return err
	}
	if err := openBallot(ctx, tx, by, c, ReadyForExternal); err != nil {
		return err
	}
	return s.announceInternal(ctx, tx, c)
}

// startExternal checks R13's first week and the IESG's agreement, then
// announces the charter for external review.
func (s *Service) startExternal(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, why string) error {
	switch c.State {
	case Internal:
		if from := c.ExternalFrom(); tx.Now.Before(from) {
			return fail.Rule("R13", fail.Conflict, "The IESG and the IAB review a proposed charter for at least a week before it goes to external review: internal review of %s began %s, so external review may start from %s.",
				c.Name, dateTime(*c.IntRev), dateTime(from))
		}
		b, err := ballot(ctx, tx, c.ID, true)
		if err != nil && err != errNoBallot {
			return err
		}
		if err == errNoBallot || b.Kind != ReadyForExternal || !b.Passes {
			missing := "no ballot is open"
			if err == nil {
				missing = "the ballot needs " + b.Missing
			}
			return fail.Rule("R13", fail.Conflict, "The IESG has not agreed that %s is ready for external review: %s.", c.Name, missing)
		}
		if err := closeBallots(ctx, tx, by, c); err != nil {
			return err
		}
	case IESGReview:
		// Another round of external review, as after substantial changes.
		if err := closeBallots(ctx, tx, by, c); err != nil {
			return err
		}
	default:
		return fail.Rule("R13", fail.Conflict, "A proposed charter is reviewed by the IESG and the IAB for at least a week before it is announced for external review: %s is in %s, so start internal review first.", c.Name, StateName(c.State))
	}
	if err := s.move(ctx, tx, by, c, External, why, `extrev_at = $1, extrev_rev = $2`, tx.Now, c.Rev); err != nil {
		return err
	}
	switch c.Group.State {
	case "bof", "unknown":
		if err := groups.SetStateIn(ctx, tx, by.Actor, c.Group, "proposed",
			fmt.Sprintf("State changed to Proposed from %s: its charter (%s-%s) is out for external review", groups.StateName(c.Group.State), c.Name, c.Rev), why); err != nil {
			return err
		}
	}
	return s.announceExternal(ctx, tx, c)
}

func (s *Service) toIESG(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, why string) error {
	if c.State != External {
		return fail.Rule("R13", fail.Conflict, "The IESG decides on a charter after it has been announced for external review on ietf-announce and new-work: %s is in %s.", c.Name, StateName(c.State))
	}
	if err := s.move(ctx, tx, by, c, IESGReview, why, ""); err != nil {
		return err
	}
	if err := openBallot(ctx, tx, by, c, Approve); err != nil {
		return err
	}
	return s.announceBallot(ctx, tx, c)
}

// Approve records the IESG's approval of a charter in IESG review, a
// week or more after its external review was announced and with its
// ballot passed (R13): the text becomes the group's charter (approved
// revision NN), the group becomes active, and the action is announced on
// ietf-announce and the WG's list.
func (s *Service) Approve(ctx context.Context, by groups.Actor, name, why string) (rev string, err error) {
	defer fail.Wrap(&err, "charters.Approve(%q)", name)
	why = strings.TrimSpace(why)
	wgList, err := s.wgList(ctx, name)
	if err != nil {
		return "", err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := mayManage(by, c.Group); err != nil {
			return err
		}
		if err := chartered(c.Group); err != nil {
			return err
		}
		switch c.State {
		case IESGReview:
		case Draft, Internal:
			return fail.Rule("R13", fail.Conflict, "A charter is approved only after it has been announced for external review on ietf-announce and new-work and reviewed for at least a week: %s is in %s.", c.Name, StateName(c.State))
		case External:
			return fail.Rule("R13", fail.Conflict, "The IESG decides on a ballot: put %s on the IESG's ballot (IESG review) first.", c.Name)
		default:
			return fail.New(fail.Conflict, "%s is not under review (%s): there is nothing to approve.", c.Name, StateName(c.State))
		}
		if c.ExtRev == nil {
			return fail.Rule("R13", fail.Conflict, "%s has no record of being announced for external review: send it to external review first.", c.Name)
		}
		if from := c.ApproveFrom(); tx.Now.Before(from) {
			return fail.Rule("R13", fail.Conflict, "The community reviews a proposed charter for at least a week after it is announced before the IESG decides: %s was announced %s, so it may be approved from %s.",
				c.Name, dateTime(*c.ExtRev), dateTime(from))
		}
		b, err := ballot(ctx, tx, c.ID, true)
		if err != nil && err != errNoBallot {
			return err
		}
		if err == errNoBallot || b.Kind != Approve || !b.Passes {
			missing := "no ballot is open"
			if err == nil {
				missing = "the ballot needs " + b.Missing
			}
			return fail.Rule("R13", fail.Conflict, "The IESG has not approved %s: %s.", c.Name, missing)
		}
		if err := closeBallots(ctx, tx, by, c); err != nil {
			return err
		}
		text, proposed := c.Text(), c.Rev
		n, err := groups.InstallCharterIn(ctx, tx, by.Actor, c.Group, text, fmt.Sprintf("Approved by the IESG: %s-%s", c.Name, proposed))
		if err != nil {
			return err
		}
		rev = fmt.Sprintf("%02d", n)
		if err := changed(ctx, tx, c, `UPDATE charter SET state = $1, rev = $2, intrev_at = NULL, extrev_at = NULL, updated = $3 WHERE id = $4 AND state = $5`,
			Approved, rev, tx.Now, c.ID, c.State); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", c.Name, "iesg_approved", "IESG has approved the charter", why); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", c.Name, "charter_state", fmt.Sprintf("State changed to %s from %s", StateName(Approved), StateName(c.State)), ""); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", c.Name, "new_revision", fmt.Sprintf("New version available: %s-%s.txt", c.Name, rev), ""); err != nil {
			return err
		}
		formed := c.Group.State != "active"
		if formed {
			if err := groups.SetStateIn(ctx, tx, by.Actor, c.Group, "active", "Charter approved, group active", why); err != nil {
				return err
			}
		}
		return s.announceApproval(ctx, tx, c, rev, proposed, formed, wgList)
	})
	return rev, err
}

// Abandon ends a (re)chartering effort: a BOF's or proposed WG's charter
// goes back to Not currently under review and the group is abandoned, as
// the Datatracker does; an active WG keeps its approved charter.
func (s *Service) Abandon(ctx context.Context, by groups.Actor, name, why string) (err error) {
	defer fail.Wrap(&err, "charters.Abandon(%q)", name)
	why = strings.TrimSpace(why)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := mayManage(by, c.Group); err != nil {
			return err
		}
		if !c.UnderReview() {
			return fail.New(fail.Conflict, "%s is not under review (%s): there is no chartering effort to abandon.", c.Name, StateName(c.State))
		}
		return s.abandon(ctx, tx, by, c, "Chartering effort abandoned", why, true)
	})
}

// abandon takes c out of review; the group is abandoned too when it was
// never chartered and group says so.
func (s *Service) abandon(ctx context.Context, tx *db.Tx, by groups.Actor, c Charter, summary, why string, group bool) error {
	if err := closeBallots(ctx, tx, by, c); err != nil {
		return err
	}
	to, rev := Approved, c.ApprovedRev()
	if rev == "" || c.Group.State != "active" {
		to = NotReview
	}
	if rev == "" {
		rev = c.Rev
	}
	if err := changed(ctx, tx, c, `UPDATE charter SET state = $1, rev = $2, intrev_at = NULL, extrev_at = NULL, updated = $3 WHERE id = $4 AND state = $5`,
		to, rev, tx.Now, c.ID, c.State); err != nil {
		return err
	}
	if err := record.Add(ctx, tx, by.Actor, "doc", c.Name, "charter_state", fmt.Sprintf("%s: state changed to %s from %s", summary, StateName(to), StateName(c.State)), why); err != nil {
		return err
	}
	switch c.Group.State {
	case "bof", "proposed", "unknown":
		if group {
			return groups.SetStateIn(ctx, tx, by.Actor, c.Group, "abandon", fmt.Sprintf("State changed to Abandoned from %s: chartering abandoned", groups.StateName(c.Group.State)), why)
		}
	}
	return nil
}
