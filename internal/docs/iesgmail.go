package docs

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
)

// The mails of the IESG process that tell the people of a draft what
// happened to it, in the Datatracker's format (ietf/doc/views_ballot.py
// build_position_email with doc/ballot/ballot_comment_mail.txt, and the
// pubreq_iesg mail of doc/submit_to_iesg_email.txt). They are addressed
// to hum's aliases ({draft}.ad@, .authors@, .chairs@, .shepherd@, iesg@,
// iesg-secretary@), which the Mailer app gives expands at sending from
// the roles as they are in the transaction; an alias that reaches nobody
// is left out.

// mailPublicationRequested tells the responsible AD and the secretariat
// that publication of d was requested, with the shepherd write-up; the
// shepherd and the chairs are copied.
func (s *Service) mailPublicationRequested(ctx context.Context, tx *db.Tx, d subject, by groups.Actor) error {
	w, err := s.writeupOf(ctx, tx, d.Document)
	if err != nil {
		return err
	}
	level := StdLevelName(d.StdLevel)
	if level == "" {
		level = "an RFC"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has requested publication of %s-%s as %s", by.Actor.Name, d.Name, d.Rev, level)
	if d.g.ID != 0 {
		fmt.Fprintf(&b, " on behalf of the %s %s", strings.ToUpper(d.Group), groupKind(d.g.Type))
	}
	fmt.Fprintf(&b, ".\n\nPlease verify the document's state at %s\n\n", s.docURL(d.Name))
	if text := strings.TrimSpace(w.Text()); text != "" {
		b.WriteString("The document shepherd's write-up:\n\n" + text + "\n")
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain,
		To:      []string{d.Name + ".ad@" + s.Domain, "iesg-secretary@" + s.Domain},
		Cc:      []string{d.Name + ".shepherd@" + s.Domain, d.Name + ".chairs@" + s.Domain},
		Subject: fmt.Sprintf("Publication has been requested for %s-%s", d.Name, d.Rev), Body: b.String()})
}

func groupKind(typ string) string {
	switch typ {
	case "wg":
		return "working group"
	case "rg":
		return "research group"
	case "area":
		return "area"
	}
	return "group"
}

// positionMailed reports whether a position change is mailed: one with
// DISCUSS or COMMENT text, and a DISCUSS cleared, as the issue asks.
func positionMailed(old string, c PositionChange) bool {
	return c.Discuss != "" || c.Comment != "" || (old == PosDiscuss && c.Pos != PosDiscuss)
}

// mailPosition sends an AD's ballot position to the IESG, with the
// draft's authors, chairs and shepherd copied (the Datatracker's
// iesg_ballot_saved), from the AD's address.
func (s *Service) mailPosition(ctx context.Context, tx *db.Tx, d Document, ad Person, c PositionChange) error {
	pos := PositionName(c.Pos)
	genitive := ad.Name + "'s"
	if strings.HasSuffix(ad.Name, "s") {
		genitive = ad.Name + "'"
	}
	subject := fmt.Sprintf("%s %s on %s-%s", genitive, pos, d.Name, d.Rev)
	var with []string
	if c.Discuss != "" {
		with = append(with, "DISCUSS")
	}
	if c.Comment != "" {
		with = append(with, "COMMENT")
	}
	if len(with) > 0 {
		subject += ": (with " + strings.Join(with, " and ") + ")"
	}
	rule := strings.Repeat("-", 70) + "\n"
	var b strings.Builder
	fmt.Fprintf(&b, "%s has entered the following ballot position for\n%s-%s: %s\n\n", ad.Name, d.Name, d.Rev, pos)
	b.WriteString("When responding, please keep the subject line intact and reply to all\nemail addresses included in the To and CC lines. (Feel free to cut this\nintroductory paragraph, however.)\n\n")
	fmt.Fprintf(&b, "The document, along with other ballot positions, can be found here:\n%s\n\n", s.docURL(d.Name))
	if c.Discuss == "" && c.Comment == "" {
		b.WriteString("There are no remarks associated with this position.\n")
	}
	if c.Discuss != "" {
		b.WriteString(rule + "DISCUSS:\n" + rule + "\n" + wordwrap(c.Discuss, 73) + "\n\n\n")
	}
	if c.Comment != "" {
		b.WriteString(rule + "COMMENT:\n" + rule + "\n" + wordwrap(c.Comment, 73) + "\n")
	}
	// From the AD: the address the AD role is held with, else the AD's
	// primary one, else the IESG's.
	from := ad.Email
	if from == "" {
		as, err := db.Query(ctx, tx, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1 AND is_primary`, ad.ID)
		if err != nil {
			return err
		}
		from = "iesg@" + s.Domain
		if len(as) > 0 {
			from = as[0]
		}
	}
	cc := []string{d.Name + ".authors@" + s.Domain, d.Name + ".chairs@" + s.Domain, d.Name + ".shepherd@" + s.Domain}
	return s.Mail.Queue(ctx, tx, mail.Message{From: from, FromName: ad.Name,
		To: []string{"iesg@" + s.Domain}, Cc: cc, Subject: subject, Body: b.String()})
}

// wordwrap wraps each line of text longer than width at spaces, keeping
// the lines and paragraphs the AD wrote, as Django's wordwrap filter.
func wordwrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if len(l) > width {
			lines[i] = wrap(l, width+1, "")
		}
	}
	return strings.Join(lines, "\n")
}
