package ipr

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// R11 in hum. A contributor who personally knows of IPR covering a
// contribution must disclose it as soon as reasonably possible (RFC 8179
// §5.1). Software cannot know what a person knows; what it can do is ask
// each author of a draft's current revision to say, and hold the answer
// to what is on file:
//   - "none": the author knows of no IPR covering the revision; refused
//     to an author who has filed a disclosure about the draft themselves;
//   - "disclosed": the author knows of IPR covering it and it is
//     disclosed; refused, naming R11, until a disclosure about the draft
//     (or the drafts it replaced, or its RFC) is filed and not rejected
//     or removed.
//
// There is no answer "I know of IPR that is not disclosed": the form
// sends such an author to file the disclosure first. A new revision is a
// new contribution, so each revision is confirmed afresh. The shepherd
// write-up reads the confirmations (ConfirmationsOf) to answer the IESG
// template's question whether each author has confirmed.

// Answers an author gives.
const (
	KnowsNone    = "none"
	AllDisclosed = "disclosed"
)

// AnswerNames are the answers as the page puts them.
var AnswerNames = map[string]string{
	KnowsNone:    "knows of no IPR covering it",
	AllDisclosed: "knows of IPR covering it, and it is disclosed",
}

// Confirmation is one author's answer about one revision.
type Confirmation struct {
	Doc      string
	Rev      string
	PersonID int64
	Name     string
	Answer   string
	At       time.Time
}

// AnswerName is the answer as a phrase.
func (c Confirmation) AnswerName() string { return AnswerNames[c.Answer] }

// Confirmations are the answers about a draft's current revision, and
// the authors who have not answered.
type Confirmations struct {
	Doc       string
	Rev       string
	Confirmed []Confirmation
	Awaiting  []docs.Author // authors with an account who have not answered
	NoAccount []docs.Author // authors hum cannot ask: their address is no account's
}

// Complete reports whether every author of the revision has answered.
func (c Confirmations) Complete() bool { return len(c.Awaiting) == 0 && len(c.NoAccount) == 0 }

// ConfirmationsOf returns the answers about draft name's current revision.
func (s *Service) ConfirmationsOf(ctx context.Context, name string) (c Confirmations, err error) {
	defer fail.Wrap(&err, "ipr.ConfirmationsOf(%q)", name)
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return c, err
	}
	c.Doc, c.Rev = d.Name, d.Rev
	if d.Type != "draft" {
		return c, nil
	}
	if c.Confirmed, err = db.Query(ctx, s.DB, func(row db.Scanner) (Confirmation, error) {
		x := Confirmation{Doc: d.Name}
		err := row.Scan(&x.Rev, &x.PersonID, &x.Name, &x.Answer, &x.At)
		return x, err
	}, `SELECT c.rev, c.person_id, p.name, c.answer, c.at FROM ipr_confirmation c JOIN person_name p ON p.id = c.person_id
		WHERE c.doc_id = $1 AND c.rev = $2 ORDER BY c.at, c.person_id`, d.ID, d.Rev); err != nil {
		return c, err
	}
	done := map[int64]bool{}
	for _, x := range c.Confirmed {
		done[x.PersonID] = true
	}
	for _, a := range d.Authors {
		switch {
		case a.PersonID == 0:
			c.NoAccount = append(c.NoAccount, a)
		case !done[a.PersonID]:
			c.Awaiting = append(c.Awaiting, a)
		}
	}
	return c, nil
}

// MayConfirm reports whether by is an author of d's current revision,
// who alone answers for it.
func MayConfirm(d docs.Document, by groups.Actor) bool {
	if by.ID == 0 || d.Type != "draft" {
		return false
	}
	for _, a := range d.Authors {
		if a.PersonID == by.ID {
			return true
		}
	}
	return false
}

// Confirm records by's answer about draft name's current revision,
// replacing an earlier answer about it.
func (s *Service) Confirm(ctx context.Context, name string, by groups.Actor, answer, why string) (err error) {
	defer fail.Wrap(&err, "ipr.Confirm(%q)", name)
	if by.ID == 0 {
		return fail.New(fail.Unauthorized, "Log in as an author of %s to confirm its IPR disclosures.", name)
	}
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return err
	}
	if d.Type != "draft" {
		return fail.New(fail.Invalid, "%s is an RFC; its authors confirmed their IPR disclosures on the drafts it came from.", strings.ToUpper(d.Name))
	}
	if !MayConfirm(d, by) {
		return fail.New(fail.Forbidden, "Only the authors of %s-%s answer for the IPR they know of covering it.", d.Name, d.Rev)
	}
	if _, ok := AnswerNames[answer]; !ok {
		return fail.Field("answer", "Say whether you know of IPR covering %s-%s.", d.Name, d.Rev)
	}
	names, err := s.Related(ctx, d.Name)
	if err != nil {
		return err
	}
	filed, _, err := s.List(ctx, Filter{Docs: names, States: []string{Pending, Parked, Posted}})
	if err != nil {
		return err
	}
	switch answer {
	case AllDisclosed:
		if len(filed) == 0 {
			return fail.Rule("R11", fail.Conflict, "You know of IPR covering %s-%s, and no disclosure of it is on file. A contributor who knows of IPR covering a contribution must disclose it as soon as reasonably possible (RFC 8179 §5.1): file it at /ipr/new-specific/ (IPR you or your employer hold) or /ipr/new-third-party/ (someone else's), then confirm.", d.Name, d.Rev)
		}
	case KnowsNone:
		for _, x := range filed {
			if x.ByID == by.ID {
				return fail.Rule("R11", fail.Conflict, "You filed IPR disclosure %d about %s (%s), so you know of IPR covering it: confirm that it is disclosed.", x.ID, d.Name, x.Title)
			}
		}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ipr_confirmation (doc_id, rev, person_id, answer, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (doc_id, rev, person_id) DO UPDATE SET answer = excluded.answer, at = excluded.at`,
			d.ID, d.Rev, by.ID, answer, tx.Now); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "ipr_confirmed",
			fmt.Sprintf("IPR confirmation for revision %s (R11): %s %s", d.Rev, by.Actor, AnswerNames[answer]), why)
	})
}
