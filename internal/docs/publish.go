package docs

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// ActionType is the approval announcement's kind: a "Protocol Action"
// for the Standards Track and BCP, a "Document Action" otherwise.
func ActionType(stdLevel string) string {
	if twoThirds(stdLevel) {
		return "Protocol Action"
	}
	return "Document Action"
}

// Announce sends the approval announcement of an approved draft to
// ietf-announce (and the RFC Editor and the WG), which puts it in the
// RFC Editor queue. The responsible AD or the secretariat sends it.
func (s *Service) Announce(ctx context.Context, name string, by groups.Actor, why string) (err error) {
	defer fail.Wrap(&err, "docs.Announce(%q)", name)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if d.IESGState != "approved" {
		return wrongMove(d.Document, "ann")
	}
	if !d.responsible(by) {
		return forbidden("R42", "Only the responsible AD or the secretariat announce the approval of %s.", d.Name)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET iesg_state = 'rfcqueue', updated = $1 WHERE id = $2 AND iesg_state = 'approved'`, tx.Now, d.ID); err != nil {
			return err
		}
		action := ActionType(d.StdLevel)
		if err := record.Add(ctx, tx, by.Actor, "doc", d.Name, "iesg_state",
			"IESG state changed to Approved-announcement sent from Approved-announcement to be sent: "+action+" announced on ietf-announce", why); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, record.System, "doc", d.Name, "iesg_state",
			"IESG state changed to RFC Ed Queue from Approved-announcement sent", ""); err != nil {
			return err
		}
		return s.announceApproval(ctx, tx, d)
	})
}

func (s *Service) announceApproval(ctx context.Context, tx *db.Tx, d subject) error {
	level := StdLevelName(d.StdLevel)
	if level == "" {
		level = "an RFC"
	} else if !twoThirds(d.StdLevel) {
		level += " RFC"
	}
	to := []string{"ietf-announce@" + s.Domain, "rfc-editor@" + s.Domain}
	if l, err := s.groupList(ctx, tx, d.g); err != nil {
		return err
	} else if l != "" {
		to = append(to, l)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The IESG has approved the following document:\n- '%s'\n  (%s-%s.txt) as %s\n\n", d.Title, d.Name, d.Rev, level)
	if d.Group != "" {
		fmt.Fprintf(&b, "This document is the product of the %s %s.\n\n", d.GroupName, strings.ToUpper(d.GroupType))
	}
	if d.AD != "" {
		fmt.Fprintf(&b, "The IESG contact person is %s.\n\n", d.AD)
	}
	fmt.Fprintf(&b, "A URL of this Internet-Draft is:\n%s\n\n", s.docURL(d.Name))
	b.WriteString("Technical Summary\n\n")
	for _, p := range strings.Split(d.Abstract, "\n\n") {
		b.WriteString(wrap(p, 72, "   ") + "\n\n")
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain, To: to,
		Subject: fmt.Sprintf("%s: '%s' to %s (%s-%s.txt)", ActionType(d.StdLevel), d.Title, level, d.Name, d.Rev), Body: b.String()})
}

// Publish makes a draft in the RFC Editor queue an RFC: the secretariat
// gives it a number (0: the next free one), and hum creates the rfc{N}
// document linked to its draft, with the draft's authors and its
// obsoletes/updates relations. The draft keeps every revision (R04).
func (s *Service) Publish(ctx context.Context, name string, by groups.Actor, number int) (rfc string, err error) {
	defer fail.Wrap(&err, "docs.Publish(%q, %d)", name, number)
	d, err := s.subject(ctx, name)
	if err != nil {
		return "", err
	}
	if !by.Secretariat() {
		return "", forbidden("", "Only the secretariat records the publication of an RFC.")
	}
	if d.IESGState != "rfcqueue" {
		return "", fail.Rule("R07", fail.Conflict, "%s is in %s; only a draft the IESG approved and announced (RFC Ed Queue) is published.", d.Name, IESGStateName(d.IESGState))
	}
	if number < 0 {
		return "", fail.Field("number", "An RFC number is positive.")
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if number == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rfc_number), 0) + 1 FROM doc WHERE type = 'rfc'`).Scan(&number); err != nil {
				return err
			}
		}
		rfc = RFCName(number)
		var taken string
		switch err := tx.QueryRowContext(ctx, `SELECT name FROM doc WHERE name = $1 OR (rfc_number = $2 AND type = 'rfc')`, rfc, number).Scan(&taken); {
		case err == nil:
			return &fail.Error{Kind: fail.Conflict, Rule: "R09", Field: "number", Message: fmt.Sprintf("RFC %d already exists; an RFC number is never reused.", number)}
		case err != sql.ErrNoRows:
			return err
		}
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET state = 'rfc', iesg_state = 'pub', rfc_number = $1, updated = $2 WHERE id = $3 AND iesg_state = 'rfcqueue'`,
			number, tx.Now, d.ID); err != nil {
			return err
		}
		var rfcID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO doc (name, type, state, title, abstract, group_id, std_level, stream, rfc_number, pages, doc_date, posted, created, updated)
			VALUES ($1, 'rfc', 'published', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10) RETURNING id`,
			rfc, d.Title, d.Abstract, db.NullID(d.GroupID), d.StdLevel, d.Stream, number, d.Pages, tx.Now.UTC().Format("2006-01"), tx.Now).Scan(&rfcID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_author (doc_id, ord, name, ascii_name, organization, email, person_id)
			SELECT $1, ord, name, ascii_name, organization, email, person_id FROM doc_author WHERE doc_id = $2`, rfcID, d.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_relation (source, type, target)
			SELECT $1, type, target FROM doc_relation WHERE source = $2 AND type IN ('obs', 'updates') ON CONFLICT DO NOTHING`, rfc, d.Name); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", d.Name, "published", fmt.Sprintf("Published as RFC %d; IESG state changed to RFC Published from RFC Ed Queue", number), ""); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", rfc, "published", fmt.Sprintf("RFC %d published from %s-%s", number, d.Name, d.Rev), ""); err != nil {
			return err
		}
		body := fmt.Sprintf("A new Request for Comments is now available:\n\n        RFC %d\n\n        Title:      %s\n        Status:     %s\n        Pages:      %d\n        Draft:      %s-%s\n\n%s\n",
			number, d.Title, StdLevelName(d.StdLevel), d.Pages, d.Name, d.Rev, s.docURL(rfc))
		return s.Mail.Queue(ctx, tx, mail.Message{From: "rfc-editor@" + s.Domain, To: []string{"ietf-announce@" + s.Domain},
			Subject: fmt.Sprintf("RFC %d on %s", number, d.Title), Body: body})
	})
	return rfc, err
}
