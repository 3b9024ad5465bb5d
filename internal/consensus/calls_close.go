package consensus

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// Thread returns the call's list thread as the archive holds it: the call
// and every reply, whoever sent it.
func (s *Service) Thread(ctx context.Context, c Call) ([]archive.Post, error) {
	return s.Archive.ThreadOf(ctx, c.List, c.MessageID)
}

// inThread returns the message of the call's thread with id messageID.
func (s *Service) inThread(ctx context.Context, c Call, messageID string) (archive.Post, bool, error) {
	posts, err := s.Thread(ctx, c)
	if err != nil {
		return archive.Post{}, false, err
	}
	id := strings.Trim(messageID, "<> ")
	for _, p := range posts {
		if p.MessageID == id {
			return p, true, nil
		}
	}
	return archive.Post{}, false, nil
}

// NoteMessage records the chair's reading of one message of the thread;
// noting it again replaces the reading. An objection or an issue opens an
// issue that stays open until it is addressed (R33).
func (s *Service) NoteMessage(ctx context.Context, by groups.Actor, callID int64, messageID, kind, note string) (err error) {
	defer fail.Wrap(&err, "consensus.NoteMessage(%d, %q)", callID, messageID)
	c, _, err := s.ledCall(ctx, by, callID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(NoteKinds, func(k struct{ Slug, Name string }) bool { return k.Slug == kind }) {
		return fail.Field("kind", "%q is not a reading of a message: supports, objects, issue or comment.", kind)
	}
	p, ok, err := s.inThread(ctx, c, messageID)
	if err != nil {
		return err
	}
	if !ok {
		return fail.Field("message", "The thread of call #%d has no message %q.", c.ID, messageID)
	}
	note = strings.TrimSpace(note)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		// The call is still open, and stays so until this commits: the
		// update holds its row, as Close's does, so a note and a close
		// are one after the other.
		if err := exactlyOne(tx.ExecContext(ctx, `UPDATE consensus_call SET id = id WHERE id = $1 AND state = 'open'`, c.ID)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consensus_note (call_id, message_id, kind, note, noted_by, noted) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (call_id, message_id) DO UPDATE SET kind = excluded.kind, note = excluded.note, noted_by = excluded.noted_by, noted = excluded.noted`,
			c.ID, p.MessageID, kind, note, db.NullID(by.ID), tx.Now); err != nil {
			return err
		}
		who := p.FromName
		if who == "" {
			who = p.FromAddr
		}
		if kind == "objects" || kind == "issue" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM consensus_issue WHERE call_id = $1 AND message_id = $2`, c.ID, p.MessageID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO consensus_issue (call_id, message_id, kind, summary) VALUES ($1, $2, $3, $4)`,
					c.ID, p.MessageID, kind, note); err != nil {
					return err
				}
			}
		}
		return record.Add(ctx, tx, by.Actor, subjectType, record.SubjectID(c.ID), "call_noted",
			fmt.Sprintf("Message <%s> from %s read as: %s", p.MessageID, who, noteName(kind)), note)
	})
}

func noteName(kind string) string {
	for _, k := range NoteKinds {
		if k.Slug == kind {
			return strings.ToLower(k.Name)
		}
	}
	return kind
}

// Address marks an open objection or issue addressed, linking the message
// of the thread or the draft's revision that addressed it (R33).
func (s *Service) Address(ctx context.Context, by groups.Actor, issueID int64, messageID, rev, note string) (err error) {
	defer fail.Wrap(&err, "consensus.Address(%d)", issueID)
	var callID int64
	var state string
	if err := s.DB.QueryRowContext(ctx, `SELECT call_id, state FROM consensus_issue WHERE id = $1`, issueID).Scan(&callID, &state); err != nil {
		return fail.New(fail.NotFound, "There is no objection or issue #%d.", issueID)
	}
	c, _, err := s.ledCall(ctx, by, callID)
	if err != nil {
		return err
	}
	if state != "open" {
		return fail.New(fail.Conflict, "Issue #%d is already %s.", issueID, state)
	}
	messageID, rev, note = strings.Trim(messageID, "<> "), strings.TrimSpace(rev), strings.TrimSpace(note)
	if messageID == "" && rev == "" {
		return fail.Rule("R33", fail.Invalid, "Link what addressed the issue: a message of the thread or a revision of the draft.")
	}
	if messageID != "" {
		if _, ok, err := s.inThread(ctx, c, messageID); err != nil {
			return err
		} else if !ok {
			return fail.Rule("R33", fail.Invalid, "The thread of call #%d has no message %q: link a message of the thread that addressed the issue.", c.ID, messageID)
		}
	}
	if rev != "" {
		if err := s.checkRev(ctx, c, rev); err != nil {
			return err
		}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := exactlyOne(tx.ExecContext(ctx, `UPDATE consensus_issue SET state = 'addressed', addressed_message_id = $1, addressed_rev = $2,
			addressed_note = $3, addressed_by = $4, addressed = $5 WHERE id = $6 AND state = 'open'`,
			messageID, rev, note, db.NullID(by.ID), tx.Now, issueID)); err != nil {
			return err
		}
		what := "message <" + messageID + ">"
		if rev != "" {
			what = c.Doc + "-" + rev
			if messageID != "" {
				what += " and message <" + messageID + ">"
			}
		}
		return record.Add(ctx, tx, by.Actor, subjectType, record.SubjectID(c.ID), "issue_addressed",
			fmt.Sprintf("Issue #%d addressed by %s", issueID, what), note)
	})
}

func (s *Service) checkRev(ctx context.Context, c Call, rev string) error {
	if c.DocID == 0 {
		return fail.Rule("R33", fail.Invalid, "Call #%d is on no draft: link a message of the thread instead of a revision.", c.ID)
	}
	revs, err := s.Docs.Revisions(ctx, c.DocID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(revs, func(r docs.Revision) bool { return r.Rev == rev }) {
		return fail.Rule("R33", fail.Invalid, "%s has no revision %q: link a posted revision that addressed the issue.", c.Doc, rev)
	}
	return nil
}

// Closing is the chair's outcome of a call.
type Closing struct {
	Outcome     string // consensus, rough, none, withdrawn
	Explanation string
	// NotAccommodated gives, for an issue still open, why it is not
	// accommodated (R34); required for each open one to close with
	// (rough) consensus (R33).
	NotAccommodated map[int64]string
}

// wgMoves is where a draft goes when its call closes: adoption with
// (rough) consensus to Adopted by a WG, otherwise back to Candidate for
// WG Adoption (no longer claimed by the WG, R16); WG last call with
// (rough) consensus to Waiting for WG Chair Go-Ahead, otherwise back to
// WG Document.
var wgMoves = map[string][2]string{"adoption": {"adopt-wg", "wg-cand"}, "wglc": {"chair-w", "wg-doc"}}

// Close records a call's outcome with its reasoned explanation, posts it
// to the list in the call's thread, and applies its effects (the draft's
// state, the decision confirmed or reversed), all in one transaction.
// (Rough) consensus is refused while an objection or issue is open and the
// chair has not said why it is not accommodated (R33, R34).
func (s *Service) Close(ctx context.Context, by groups.Actor, callID int64, cl Closing) (err error) {
	defer fail.Wrap(&err, "consensus.Close(%d, %q)", callID, cl.Outcome)
	c, _, err := s.ledCall(ctx, by, callID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(Outcomes, func(o struct{ Slug, Name string }) bool { return o.Slug == cl.Outcome }) {
		return fail.Field("outcome", "%q is not an outcome: consensus, rough, none or withdrawn.", cl.Outcome)
	}
	cl.Explanation = strings.TrimSpace(cl.Explanation)
	if cl.Explanation == "" {
		return fail.Rule("R34", fail.Invalid, "Give the reasoned explanation of the outcome: the working group, and anyone who objected, are owed it.")
	}
	open, err := s.openIssues(ctx, c, cl)
	if err != nil {
		return err
	}
	reached := cl.Outcome == "consensus" || cl.Outcome == "rough"
	from, name, err := s.sender(ctx, by)
	if err != nil {
		return err
	}
	c.Outcome, c.Explanation = cl.Outcome, cl.Explanation
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		outID := newMessageID(s.Domain)
		if err := exactlyOne(tx.ExecContext(ctx, `UPDATE consensus_call SET state = 'closed', outcome = $1, explanation = $2, closed_by = $3, closed = $4,
			outcome_message_id = $5 WHERE id = $6 AND state = 'open'`, cl.Outcome, cl.Explanation, db.NullID(by.ID), tx.Now, outID, c.ID)); err != nil {
			return err
		}
		if reached {
			// An objection noted since open was read blocks it too (R33).
			var late int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM consensus_issue WHERE call_id = $1 AND state = 'open'`, c.ID).Scan(&late); err != nil {
				return err
			}
			if late != len(open) {
				return fail.Rule("R33", fail.Conflict, "An objection or issue was raised on call #%d a moment ago; reload the page and answer it before closing.", c.ID)
			}
			for _, i := range open {
				if err := exactlyOne(tx.ExecContext(ctx, `UPDATE consensus_issue SET state = 'not-accommodated', addressed_note = $1, addressed_by = $2, addressed = $3
					WHERE id = $4 AND state = 'open'`, strings.TrimSpace(cl.NotAccommodated[i.ID]), db.NullID(by.ID), tx.Now, i.ID)); err != nil {
					return err
				}
				if err := record.Add(ctx, tx, by.Actor, subjectType, record.SubjectID(c.ID), "issue_not_accommodated",
					fmt.Sprintf("Issue #%d (message <%s>) not accommodated", i.ID, i.MessageID), cl.NotAccommodated[i.ID]); err != nil {
					return err
				}
			}
		}
		why := fmt.Sprintf("%s call #%d closed: %s", KindName(c.Kind), c.ID, OutcomeName(cl.Outcome))
		if m, ok := wgMoves[c.Kind]; ok && cl.Outcome != "" {
			state := m[1]
			if reached {
				state = m[0]
			}
			if err := s.Docs.SetWGStateIn(ctx, tx, c.Doc, by, docs.WGChange{State: state, Why: why}); err != nil {
				return err
			}
		}
		if err := s.settle(ctx, tx, by, c); err != nil {
			return err
		}
		if err := s.Mail.Queue(ctx, tx, mail.Message{From: from, FromName: name, To: []string{c.List + "@" + s.Domain},
			Subject: "Re: " + callSubject(c), Body: s.outcomeBody(c, open, cl),
			Headers: map[string]string{"Message-Id": "<" + outID + ">", "In-Reply-To": "<" + c.MessageID + ">", "References": "<" + c.MessageID + ">"}}); err != nil {
			return err
		}
		return s.events(ctx, tx, by, c, "call_closed", fmt.Sprintf("%s closed: %s, on %s", KindName(c.Kind), OutcomeName(cl.Outcome), callTopic(c)), cl.Explanation)
	})
}

// openIssues returns the call's open issues, refusing (rough) consensus
// while any of them lacks the chair's reason for not accommodating it.
func (s *Service) openIssues(ctx context.Context, c Call, cl Closing) ([]Issue, error) {
	all, err := s.Issues(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var open []Issue
	for _, i := range all {
		if i.State == "open" {
			open = append(open, i)
		}
	}
	if cl.Outcome != "consensus" && cl.Outcome != "rough" {
		return open, nil
	}
	var missing []string
	var from map[string]archive.Post // the thread's authors, read once
	for _, i := range open {
		if strings.TrimSpace(cl.NotAccommodated[i.ID]) == "" {
			if from == nil {
				posts, err := s.Thread(ctx, c)
				if err != nil {
					return nil, err
				}
				from = map[string]archive.Post{}
				for _, p := range posts {
					from[p.MessageID] = p
				}
			}
			who := "someone"
			if p, ok := from[i.MessageID]; ok {
				who = strings.TrimSpace(p.FromName + " <" + p.FromAddr + ">")
			}
			missing = append(missing, fmt.Sprintf("#%d, %s by %s in message <%s>", i.ID, noteName(i.Kind), who, i.MessageID))
		}
	}
	if len(missing) > 0 {
		return nil, &fail.Error{Kind: fail.Conflict, Rule: "R33, R34", Field: "not_accommodated",
			Message: fmt.Sprintf("%s is not reached while an objection or issue is open and unexplained: address each (link the message or revision that did), or say why it is not accommodated. Open: %s.",
				OutcomeName(cl.Outcome), strings.Join(missing, "; "))}
	}
	return open, nil
}

// settle confirms or reverses the decision a confirmation call was about
// (R31); a withdrawn call leaves it pending.
func (s *Service) settle(ctx context.Context, tx *db.Tx, by groups.Actor, c Call) error {
	if c.Kind != "confirm" || c.DecisionID == 0 || c.Outcome == "withdrawn" {
		return nil
	}
	state, summary := "confirmed", fmt.Sprintf("Decision #%d confirmed on the list (call #%d)", c.DecisionID, c.ID)
	var reason any = ""
	if c.Outcome == "none" {
		state, summary = "reversed", fmt.Sprintf("Decision #%d reversed: no consensus on the list (call #%d)", c.DecisionID, c.ID)
		reason = OutcomeName(c.Outcome) + ": " + c.Explanation
	}
	if err := exactlyOne(tx.ExecContext(ctx, `UPDATE decision SET state = $1, settled = $2, settled_by_call = $3, reason = $4 WHERE id = $5 AND state = 'pending'`,
		state, tx.Now, c.ID, reason, c.DecisionID)); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "group", c.Group, "decision_"+state, summary, c.Explanation)
}

func (s *Service) outcomeBody(c Call, open []Issue, cl Closing) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The call closes with this outcome: %s.\n\n%s\n", OutcomeName(c.Outcome), c.Explanation)
	if (c.Outcome == "consensus" || c.Outcome == "rough") && len(open) > 0 {
		b.WriteString("\nObjections and issues not accommodated, and why:\n")
		for _, i := range open {
			fmt.Fprintf(&b, "- <%s>: %s\n", i.MessageID, strings.TrimSpace(cl.NotAccommodated[i.ID]))
		}
	}
	fmt.Fprintf(&b, "\nThe call, the chairs' reading of the thread and the issues raised:\n%s/group/%s/calls/%d/\n", s.BaseURL, c.Group, c.ID)
	return b.String()
}
