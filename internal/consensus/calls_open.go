package consensus

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// DefaultPeriod is how long a call runs unless the chair says otherwise.
const DefaultPeriod = 14 * 24 * time.Hour

// Opening is what a chair gives to open a call.
type Opening struct {
	Group      string // acronym
	Kind       string // adoption, wglc, confirm, question
	Doc        string // adoption, wglc
	DecisionID int64  // confirm
	RequestID  int64  // the participant's request it answers, if any
	Question   string // "" takes DefaultQuestion
	Deadline   time.Time
}

// DefaultQuestion is the question a call of kind asks by default.
func DefaultQuestion(kind, doc, decision string) string {
	switch kind {
	case "adoption":
		return fmt.Sprintf("This starts a call for adoption of %s as a working group document. Please say on the list whether you support its adoption, and if you do not, why; comments on the draft are welcome too.", doc)
	case "wglc":
		return fmt.Sprintf("This starts a working group last call on %s. Please review the draft and say on the list whether you think it is ready to go to the IESG, and send any issues you find.", doc)
	case "confirm":
		return fmt.Sprintf("At a meeting, the working group decided: %q. Decisions taken at meetings are confirmed on the list (R31): please say whether you agree, and if you do not, why.", decision)
	}
	return ""
}

// leads: the group's chairs, secretaries and delegates, and the
// secretariat. A call is the chair's to open and to judge (R30).
func leads(by groups.Actor, g groups.Group) bool { return by.Secretariat() || by.Leads(g) }

func notLead(g groups.Group) error {
	return fail.Rule("R30", fail.Forbidden, "Only the chairs of %s (its chairs, secretaries and delegates) call for consensus on its list and judge the outcome.", g.Acronym)
}

// Prefill fills an opening from what the form was linked with: a kind, a
// draft, a decision, or a participant's request waiting in the group.
func (s *Service) Prefill(ctx context.Context, o Opening) (Opening, error) {
	if o.RequestID != 0 {
		var kind, doc string
		err := s.DB.QueryRowContext(ctx, `SELECT r.kind, d.name FROM call_request r JOIN group_ref g ON g.id = r.group_id
			JOIN doc_ref d ON d.id = r.doc_id WHERE r.id = $1 AND g.acronym = $2 AND r.state = 'waiting'`, o.RequestID, strings.ToLower(o.Group)).Scan(&kind, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			return o, fail.Field("request", "%s has no waiting request #%d.", o.Group, o.RequestID)
		}
		if err != nil {
			return o, err
		}
		o.Kind, o.Doc = kind, doc
	}
	if o.Kind == "" {
		switch {
		case o.DecisionID != 0:
			o.Kind = "confirm"
		case o.Doc != "":
			o.Kind = "adoption"
		default:
			o.Kind = "question"
		}
	}
	if o.Question == "" {
		var text string
		if o.DecisionID != 0 {
			s.DB.QueryRowContext(ctx, `SELECT text FROM decision WHERE id = $1`, o.DecisionID).Scan(&text)
		}
		o.Question = DefaultQuestion(o.Kind, o.Doc, text)
	}
	return o, nil
}

// opening is an Opening checked against what hum holds.
type opening struct {
	Opening
	g        groups.Group
	doc      docs.Document
	decision string
	request  int64
}

// Open opens a consensus call and posts it to the group's list from the
// chair, in one transaction: the call, its post (delivered, archived,
// threaded), the draft's move (adoption: Call for Adoption; WG last call:
// In WG Last Call), the request it answers, and the record.
func (s *Service) Open(ctx context.Context, by groups.Actor, o Opening) (_ Call, err error) {
	defer fail.Wrap(&err, "consensus.Open(%q, %q)", o.Group, o.Kind)
	ok, err := s.checkOpening(ctx, by, o)
	if err != nil {
		return Call{}, err
	}
	from, name, err := s.sender(ctx, by)
	if err != nil {
		return Call{}, err
	}
	msgID := newMessageID(s.Domain)
	var id int64
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		deadline := ok.Deadline
		if deadline.IsZero() {
			deadline = tx.Now.Add(DefaultPeriod)
		}
		if !deadline.After(tx.Now) {
			return fail.Field("deadline", "The deadline %s has passed: give a date in the future.", deadline.Format("2006-01-02 15:04 MST"))
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO consensus_call (group_id, kind, doc_id, rev, decision_id, question, list, message_id, opened_by, opened, deadline)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			ok.g.ID, ok.Kind, db.NullID(ok.doc.ID), ok.doc.Rev, db.NullID(ok.DecisionID), ok.Question, ok.g.Acronym, msgID,
			db.NullID(by.ID), tx.Now, deadline).Scan(&id); err != nil {
			return err
		}
		why := fmt.Sprintf("%s opened on the %s list (call #%d)", KindName(ok.Kind), ok.g.Acronym, id)
		switch ok.Kind {
		case "adoption":
			err = s.Docs.SetWGStateIn(ctx, tx, ok.Doc, by, docs.WGChange{State: "c-adopt", Group: ok.g.Acronym, Why: why})
		case "wglc":
			err = s.Docs.SetWGStateIn(ctx, tx, ok.Doc, by, docs.WGChange{State: "wg-lc", Why: why})
		}
		if err != nil {
			return err
		}
		if ok.request != 0 {
			if err := exactlyOne(tx.ExecContext(ctx, `UPDATE call_request SET state = 'opened', call_id = $1, answered_by = $2, answered = $3
				WHERE id = $4 AND state = 'waiting'`, id, db.NullID(by.ID), tx.Now, ok.request)); err != nil {
				return err
			}
		}
		c := Call{ID: id, Group: ok.g.Acronym, Kind: ok.Kind, Doc: ok.doc.Name, Rev: ok.doc.Rev, Decision: ok.decision, Question: ok.Question, Deadline: deadline}
		if err := s.Mail.Queue(ctx, tx, mail.Message{From: from, FromName: name, To: []string{ok.g.Acronym + "@" + s.Domain},
			Subject: callSubject(c), Body: s.callBody(c),
			Headers: map[string]string{"Message-Id": "<" + msgID + ">"}}); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s opened: %s (deadline %s)", KindName(ok.Kind), callTopic(c), deadline.Format("2006-01-02"))
		if err := s.events(ctx, tx, by, c, "call_opened", summary, ""); err != nil {
			return err
		}
		if ok.DecisionID != 0 {
			return record.Add(ctx, tx, by.Actor, "group", ok.g.Acronym, "decision_call", fmt.Sprintf("Decision #%d put to the list for confirmation (call #%d)", ok.DecisionID, id), "")
		}
		return nil
	})
	if err != nil {
		return Call{}, err
	}
	return s.Get(ctx, id)
}

func (s *Service) checkOpening(ctx context.Context, by groups.Actor, o Opening) (ok opening, err error) {
	ok.Opening = o
	if ok.g, err = s.Groups.Get(ctx, o.Group); err != nil {
		return ok, err
	}
	if !leads(by, ok.g) {
		return ok, notLead(ok.g)
	}
	if ok.g.Type != "wg" && ok.g.Type != "rg" {
		return ok, fail.Field("group", "%s is a %s: consensus calls are a working group's.", ok.g.Acronym, ok.g.Type)
	}
	if o.RequestID != 0 {
		var kind, doc string
		err := s.DB.QueryRowContext(ctx, `SELECT r.kind, d.name FROM call_request r JOIN doc_ref d ON d.id = r.doc_id
			WHERE r.id = $1 AND r.group_id = $2 AND r.state = 'waiting'`, o.RequestID, ok.g.ID).Scan(&kind, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			return ok, fail.Field("request", "%s has no waiting request #%d.", ok.g.Acronym, o.RequestID)
		}
		if err != nil {
			return ok, err
		}
		if kind != o.Kind || doc != o.Doc {
			return ok, fail.Field("request", "Request #%d asks for a %s on %s, not this call.", o.RequestID, strings.ToLower(KindName(kind)), doc)
		}
		ok.request = o.RequestID
	}
	if !o.Deadline.IsZero() && !o.Deadline.After(s.DB.Now()) {
		return ok, fail.Field("deadline", "The deadline %s has passed: give a date in the future.", o.Deadline.Format("2006-01-02 15:04 MST"))
	}
	ok.Question = strings.TrimSpace(o.Question)
	switch o.Kind {
	case "adoption", "wglc":
		return ok, s.checkDraft(ctx, &ok)
	case "confirm":
		return ok, s.checkDecision(ctx, &ok)
	case "question":
		if ok.Question == "" {
			return ok, fail.Field("question", "Say what the working group is asked.")
		}
		return ok, nil
	}
	return ok, fail.Field("kind", "%q is not a kind of call: adoption, wglc, confirm or question.", o.Kind)
}

func (s *Service) checkDraft(ctx context.Context, ok *opening) (err error) {
	if ok.Doc == "" {
		return fail.Field("doc", "Name the draft the call is on.")
	}
	if ok.doc, err = s.Docs.Get(ctx, ok.Doc); err != nil {
		if fail.KindOf(err) == fail.NotFound {
			return fail.Field("doc", "There is no draft called %q.", ok.Doc)
		}
		return err
	}
	ok.Doc = ok.doc.Name
	if ok.doc.Type != "draft" || ok.doc.State != "active" {
		return fail.Field("doc", "%s is not an active draft.", ok.doc.Name)
	}
	var open int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM consensus_call WHERE doc_id = $1 AND state = 'open'`, ok.doc.ID).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return fail.Field("doc", "A call on %s is already open: close it first.", ok.doc.Name)
	}
	if ok.Kind == "wglc" && ok.doc.GroupID != ok.g.ID {
		return fail.Field("doc", "%s is not a document of %s: a WG last call is on the WG's own documents (adopt it first).", ok.doc.Name, ok.g.Acronym)
	}
	if ok.Kind == "adoption" && ok.doc.GroupID == ok.g.ID && ok.doc.WGState != "" && ok.doc.WGState != "wg-cand" && ok.doc.WGState != "c-adopt" {
		return fail.Field("doc", "%s is already %q in %s.", ok.doc.Name, docs.WGStateName(ok.doc.WGState), ok.g.Acronym)
	}
	if ok.Question == "" {
		ok.Question = DefaultQuestion(ok.Kind, ok.doc.Name+"-"+ok.doc.Rev, "")
	}
	return nil
}

func (s *Service) checkDecision(ctx context.Context, ok *opening) error {
	if ok.DecisionID == 0 {
		return fail.Field("decision", "Name the decision to confirm.")
	}
	var groupID int64
	var state string
	err := s.DB.QueryRowContext(ctx, `SELECT group_id, state, text FROM decision WHERE id = $1`, ok.DecisionID).Scan(&groupID, &state, &ok.decision)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && groupID != ok.g.ID) {
		return fail.Field("decision", "%s has no decision #%d.", ok.g.Acronym, ok.DecisionID)
	}
	if err != nil {
		return err
	}
	if state != "pending" {
		return fail.Rule("R31", fail.Conflict, "Decision #%d is already %s: only a decision pending list confirmation is put to the list.", ok.DecisionID, state)
	}
	var open int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM consensus_call WHERE decision_id = $1 AND state = 'open'`, ok.DecisionID).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return fail.Field("decision", "A call to confirm decision #%d is already open.", ok.DecisionID)
	}
	if ok.Question == "" {
		ok.Question = DefaultQuestion("confirm", "", ok.decision)
	}
	return nil
}

// Extend moves a call's deadline later, saying why; each change is on the
// call's record.
func (s *Service) Extend(ctx context.Context, by groups.Actor, callID int64, deadline time.Time, why string) (err error) {
	defer fail.Wrap(&err, "consensus.Extend(%d)", callID)
	c, g, err := s.ledCall(ctx, by, callID)
	if err != nil {
		return err
	}
	why = strings.TrimSpace(why)
	switch {
	case !deadline.After(c.Deadline):
		return fail.Field("deadline", "The new deadline must be later than the present one, %s.", c.Deadline.Format("2006-01-02 15:04 MST"))
	case !deadline.After(s.DB.Now()):
		return fail.Field("deadline", "The deadline %s has passed: give a date in the future.", deadline.Format("2006-01-02 15:04 MST"))
	case why == "":
		return fail.Field("why", "Say why the deadline moves: the list will want to know.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := exactlyOne(tx.ExecContext(ctx, `UPDATE consensus_call SET deadline = $1 WHERE id = $2 AND state = 'open' AND deadline = $3`,
			deadline, c.ID, c.Deadline)); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, subjectType, record.SubjectID(c.ID), "call_extended",
			fmt.Sprintf("Deadline of %s call #%d (%s) moved from %s to %s", g.Acronym, c.ID, KindName(c.Kind), c.Deadline.Format("2006-01-02 15:04 MST"), deadline.Format("2006-01-02 15:04 MST")), why)
	})
}

// ledCall returns an open call and its group, refusing anyone who does
// not lead the group.
func (s *Service) ledCall(ctx context.Context, by groups.Actor, callID int64) (Call, groups.Group, error) {
	c, err := s.Get(ctx, callID)
	if err != nil {
		return c, groups.Group{}, err
	}
	g, err := s.Groups.Get(ctx, c.Group)
	if err != nil {
		return c, g, err
	}
	if !leads(by, g) {
		return c, g, notLead(g)
	}
	if !c.Open() {
		return c, g, fail.New(fail.Conflict, "Call #%d is closed (%s).", c.ID, strings.ToLower(OutcomeName(c.Outcome)))
	}
	return c, g, nil
}

// sender is the acting person's address and name, for a post in their name.
func (s *Service) sender(ctx context.Context, by groups.Actor) (addr, name string, err error) {
	if by.ID == 0 {
		return "noreply@" + s.Domain, by.String(), nil
	}
	err = s.DB.QueryRowContext(ctx, `SELECT a.address, p.name FROM person_address a JOIN person_name p ON p.id = a.person_id
		WHERE a.person_id = $1 ORDER BY a.is_primary DESC, a.address LIMIT 1`, by.ID).Scan(&addr, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fail.New(fail.Conflict, "Your account has no mail address to post to the list from.")
	}
	return addr, name, err
}

// events records a change of a call on its own record, its group's and,
// when it is on a draft, the draft's, so each history shows it.
func (s *Service) events(ctx context.Context, tx *db.Tx, by groups.Actor, c Call, kind, summary, why string) error {
	if err := record.Add(ctx, tx, by.Actor, subjectType, record.SubjectID(c.ID), kind, summary, why); err != nil {
		return err
	}
	if err := record.Add(ctx, tx, by.Actor, "group", c.Group, kind, summary, why); err != nil {
		return err
	}
	if c.Doc != "" {
		return record.Add(ctx, tx, by.Actor, "doc", c.Doc, kind, summary, why)
	}
	return nil
}

func callTopic(c Call) string {
	switch {
	case c.Doc != "":
		return c.Doc + "-" + c.Rev
	case c.Decision != "":
		return fmt.Sprintf("%q", clip(c.Decision, 60))
	}
	return fmt.Sprintf("%q", clip(c.Question, 60))
}

func callSubject(c Call) string {
	switch c.Kind {
	case "adoption":
		return "Call for adoption: " + c.Doc + "-" + c.Rev
	case "wglc":
		return "WG Last Call: " + c.Doc + "-" + c.Rev
	case "confirm":
		return "Confirming a meeting decision: " + clip(c.Decision, 60)
	}
	return "Consensus call: " + clip(c.Question, 60)
}

func (s *Service) callBody(c Call) string {
	return fmt.Sprintf("%s\n\nPlease reply on this list by %s.\n\nThe chairs will judge the outcome from the discussion, not by counting\nreplies (RFC 7282). The call, its replies and its outcome:\n%s/group/%s/calls/%d/\n",
		c.Question, c.Deadline.Format("Monday 2 January 2006, 15:04 MST"), s.BaseURL, c.Group, c.ID)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func newMessageID(domain string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "call-" + hex.EncodeToString(b) + "@" + domain
}

// exactlyOne turns an UPDATE that touched no row into a conflict: someone
// else changed it first.
func exactlyOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fail.New(fail.Conflict, "This was changed by someone else a moment ago; reload the page and try again.")
	}
	return nil
}
