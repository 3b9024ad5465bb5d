package docs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// SetIESGState moves a draft through IESG processing (see iesgNext).
// The responsible AD and the secretariat move it; the WG's chairs may
// also request publication, as in the Datatracker. A move the process
// forbids is refused with the rule behind it:
//   - Publication Requested needs the shepherd write-up (R17), and sets
//     the WG state to Submitted to IESG for Publication (RULES.md note 1);
//   - IESG Evaluation comes only after IETF Last Call (R07), which lasts
//     its full period (R05, R06);
//   - Approved and Waiting for AD Go-Ahead need a ballot that passes (R35);
//   - a ballot is deferred only once.
//
// "lc" issues the Last Call with its default length and "ann" sends the
// approval announcement; "pub" is Publish's.
func (s *Service) SetIESGState(ctx context.Context, name string, by groups.Actor, to, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetIESGState(%q, %q)", name, to)
	switch to {
	case "lc":
		return s.IssueLastCall(ctx, name, by, 0, why)
	case "ann":
		return s.Announce(ctx, name, by, why)
	case "pub":
		return fail.New(fail.Conflict, "A draft is published by giving it an RFC number (the secretariat's Publish action), not by setting its state.")
	}
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if err := s.mayMove(ctx, d, by, to); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error { return s.move(ctx, tx, d, by, to, why) })
}

// mayMove checks who is acting and whether the process allows the move.
func (s *Service) mayMove(ctx context.Context, d subject, by groups.Actor, to string) error {
	if _, ok := lookup(IESGStates, to); !ok && to != "" {
		return fail.Field("state", "%q is not an IESG state.", to)
	}
	if to == "pub-req" && d.IESGState == "" {
		if !d.responsible(by) && !d.leads(by) {
			return forbidden("", "Only the chairs of the draft's WG, the responsible AD or the secretariat request publication of %s.", d.Name)
		}
	} else if !d.responsible(by) {
		who := "the ADs of its area"
		if d.AD != "" {
			who = d.AD
		} else if d.g.ID == 0 {
			who = "its AD, once an AD takes it on,"
		}
		return forbidden("R42", "Only the responsible AD (%s) or the secretariat change the IESG state of %s.", who, d.Name)
	}
	if to == d.IESGState {
		return fail.New(fail.Conflict, "%s is already in %s.", d.Name, IESGStateName(to))
	}
	if !slices.Contains(iesgNext[d.IESGState], to) {
		return wrongMove(d.Document, to)
	}
	switch to {
	case "pub-req":
		if d.State != "active" {
			return fail.New(fail.Conflict, "%s is %s; post a new revision before requesting publication.", d.Name, strings.ToLower(StateName(d.State)))
		}
		w, err := s.writeupOf(ctx, s.DB, d.Document)
		if err != nil {
			return err
		}
		if err := w.Incomplete(); err != nil {
			return err
		}
	case "writeupw":
		if d.LCEnds != nil && s.DB.Now().Before(*d.LCEnds) {
			rule := "R05"
			if !WGDocument(d.Document) {
				rule = "R06"
			}
			return fail.Rule(rule, fail.Conflict, "IETF Last Call on %s runs until %s and may not be cut short.", d.Name, d.LCEnds.Format("2006-01-02 15:04 UTC"))
		}
	case "defer":
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM ballot WHERE doc_id = $1 AND deferred`, d.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fail.New(fail.Conflict, "%s was already deferred once; IESG practice allows a document to be deferred only once.", d.Name)
		}
	case "approved", "goaheadw":
		v, err := s.Ballot(ctx, d.Name)
		if err != nil {
			return err
		}
		if !v.Open {
			return fail.Rule("R35", fail.Conflict, "%s has no open IESG ballot.", d.Name)
		}
		if !v.Passes { // R35, or a DISCUSS overridden by the alternate ballot (R36)
			return fail.Rule("R35", fail.Conflict, "The IESG ballot on %s does not pass yet: %s.", d.Name, v.Missing)
		}
	}
	return nil
}

func wrongMove(d Document, to string) error {
	var next []string
	for _, n := range iesgNext[d.IESGState] {
		if n != "pub" {
			next = append(next, IESGStateName(n))
		}
	}
	rule := ""
	if to == "iesg-eva" || to == "approved" || to == "ann" || to == "rfcqueue" {
		rule = "R07" // no IETF-stream RFC without IETF Last Call
	}
	msg := fmt.Sprintf("%s cannot go from %s to %s", d.Name, IESGStateName(d.IESGState), IESGStateName(to))
	if rule == "R07" {
		msg += "; IETF Last Call and the IESG ballot come first"
	}
	if len(next) > 0 {
		msg += "; from " + IESGStateName(d.IESGState) + " it can go to " + strings.Join(next, ", ")
	}
	if rule == "" {
		return fail.New(fail.Conflict, "%s.", msg)
	}
	return fail.Rule(rule, fail.Conflict, "%s.", msg)
}

// move makes a checked change in tx, with what comes with it: the WG
// state on publication request, a ballot opened, deferred or closed.
func (s *Service) move(ctx context.Context, tx *db.Tx, d subject, by groups.Actor, to, why string) error {
	set, args := `iesg_state = $1, updated = $2`, []any{to, tx.Now}
	if to == "pub-req" && d.g.ID != 0 && d.g.Type == "wg" {
		set += `, wg_state = 'sub-pub'`
	}
	if to == "pub-req" && d.ADID == 0 && d.g.ID != 0 {
		// The AD of the WG's area takes it on, as in the Datatracker.
		ads, err := s.Groups.ADsOf(ctx, d.g)
		if err != nil {
			return err
		}
		if len(ads) > 0 {
			set += fmt.Sprintf(`, ad_id = %d`, ads[0].PersonID)
			d.AD = ads[0].PersonName
		}
	}
	args = append(args, d.ID, d.IESGState)
	if err := changed(ctx, tx, d.Name, `UPDATE doc SET `+set+` WHERE id = $3 AND iesg_state = $4`, args...); err != nil {
		return err
	}
	summary := fmt.Sprintf("IESG state changed to %s from %s", IESGStateName(to), IESGStateName(d.IESGState))
	if to == "pub-req" && d.g.Type == "wg" && d.WGState != "sub-pub" {
		summary += "; WG state changed to Submitted to IESG for Publication"
	}
	if to == "pub-req" && d.ADID == 0 && d.AD != "" {
		summary += "; responsible AD: " + d.AD
	}
	rule := map[string]string{"pub-req": "R17", "iesg-eva": "R07", "approved": "R35", "goaheadw": "R35"}[to]
	if why != "" && rule != "" {
		why += " (" + rule + ")"
	} else if rule != "" {
		why = rule
	}
	if err := record.Add(ctx, tx, by.Actor, "doc", d.Name, "iesg_state", summary, why); err != nil {
		return err
	}
	switch to {
	case "pub-req":
		return s.mailPublicationRequested(ctx, tx, d, by)
	case "iesg-eva":
		if _, err := s.openBallot(ctx, tx, d.ID); errors.Is(err, errNoBallot) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ballot (doc_id, opened) VALUES ($1, $2)`, d.ID, tx.Now); err != nil {
				return err
			}
			return record.Add(ctx, tx, by.Actor, "doc", d.Name, "ballot_opened", "IESG ballot opened", "")
		} else if err != nil {
			return err
		}
	case "defer":
		_, err := tx.ExecContext(ctx, `UPDATE ballot SET deferred = TRUE WHERE doc_id = $1 AND closed IS NULL`, d.ID)
		return err
	case "dead", "ad-eval", "approved":
		_, err := tx.ExecContext(ctx, `UPDATE ballot SET closed = $1 WHERE doc_id = $2 AND closed IS NULL`, tx.Now, d.ID)
		return err
	}
	return nil
}

// WGDocument reports whether d is a WG's (or RG's) document. Last Call
// on one lasts two weeks; on an individual or area (AD-sponsored)
// document, four (R05, R06; RULES.md note 7); and its shepherd answers
// the write-up template for group documents.
func WGDocument(d Document) bool { return d.GroupType == "wg" || d.GroupType == "rg" }

var errNoBallot = errors.New("no open ballot")

type ballotRow struct {
	ID       int64
	Deferred bool
}

func (s *Service) openBallot(ctx context.Context, q db.Querier, docID int64) (ballotRow, error) {
	var b ballotRow
	err := q.QueryRowContext(ctx, `SELECT id, deferred FROM ballot WHERE doc_id = $1 AND closed IS NULL ORDER BY id DESC LIMIT 1`, docID).Scan(&b.ID, &b.Deferred)
	if errors.Is(err, sql.ErrNoRows) {
		return b, errNoBallot
	}
	return b, err
}
