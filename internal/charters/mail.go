package charters

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
)

// The chartering announcements, after the Datatracker's templates
// (doc/charter/review_text.txt, action_text.txt and the internal review
// mail). They come from the IESG's secretary; the IESG and the IAB are
// reached through their aliases (iesg@, iab@: internal/aliases), which
// the Mailer app gives expands at sending, and comments go to iesg@.

func (s *Service) from() string { return "iesg-secretary@" + s.Domain }

func (s *Service) docURL(c Charter) string { return s.BaseURL + "/doc/" + c.Name + "/" }

// wgList is the address of the WG's list when hum has that list, "" when
// it has none; read before the change's transaction, as lists may make a
// new WG's list on first use.
func (s *Service) wgList(ctx context.Context, name string) string {
	g, err := groupOf(ctx, s.DB, name)
	if err != nil {
		return ""
	}
	l, err := s.Lists.Get(ctx, g.Acronym)
	if err != nil {
		return ""
	}
	return l.Address(s.Domain)
}

// info is the block that describes the group in every announcement.
func (s *Service) info(ctx context.Context, c Charter) string {
	var b strings.Builder
	title := fmt.Sprintf("%s (%s)", c.Group.Name, c.Group.Acronym)
	fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
	fmt.Fprintf(&b, "Current status: %s %s\n\n", groups.StateName(c.Group.State), groups.TypeName(c.Group.Type))
	if rs, _, err := s.Groups.Roles(ctx, groups.RoleFilter{GroupID: c.Group.ID, Name: "chair"}); err == nil && len(rs) > 0 {
		fmt.Fprintf(&b, "Chairs:\n%s\n", names(rs))
	}
	if rs, err := s.Groups.ADsOf(ctx, c.Group); err == nil && len(rs) > 0 {
		fmt.Fprintf(&b, "%s Directors:\n%s\n", c.Group.ParentName, names(rs))
	}
	fmt.Fprintf(&b, "Mailing list:\n  Address: %s@%s\n  Archive: %s/arch/browse/%s/\n\n", c.Group.Acronym, s.Domain, s.BaseURL, c.Group.Acronym)
	return b.String()
}

func names(rs []groups.Role) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %s\n", r.PersonName)
	}
	return b.String()
}

func (s *Service) charterBlock(c Charter, rev, text string) string {
	return fmt.Sprintf("Charter for %s %s (revision %s)\n%s\n\n%s\n\n", c.Group.Name, groups.TypeName(c.Group.Type), rev, strings.Repeat("=", 40), text)
}

// subject names the group, saying when it is a recharter.
func subject(prefix string, c Charter) string {
	if c.Recharter() {
		return fmt.Sprintf("%s: Recharter of %s (%s)", prefix, c.Group.Name, c.Group.Acronym)
	}
	return fmt.Sprintf("%s: %s (%s)", prefix, c.Group.Name, c.Group.Acronym)
}

func (s *Service) lead(c Charter) string {
	area := "the " + c.Group.ParentName
	if c.Group.ParentName == "" {
		area = "no area"
	}
	if c.Recharter() {
		return fmt.Sprintf("The %s (%s) working group in %s has a proposed new charter.", c.Group.Name, c.Group.Acronym, area)
	}
	return fmt.Sprintf("A new IETF working group has been proposed in %s.", area)
}

// announceInternal tells the IESG and the IAB that internal review began.
func (s *Service) announceInternal(ctx context.Context, tx *db.Tx, c Charter) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s The IESG has not made any determination yet.\n\n", s.lead(c))
	fmt.Fprintf(&b, "The IESG and the IAB review the proposed charter internally for at least a\nweek: it may be announced for external review from %s (RFC 2418 §2.3).\nThe IESG's ballot on whether it is ready for external review is open:\n%sballot/\n\n",
		dateTime(tx.Now.Add(ReviewWeek)), s.docURL(c))
	b.WriteString(s.info(ctx, c))
	b.WriteString(s.charterBlock(c, c.Rev, c.Text()))
	fmt.Fprintf(&b, "The charter and its history: %s\n", s.docURL(c))
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: []string{"iesg@" + s.Domain, "iab@" + s.Domain},
		Subject: subject("Internal WG Review", c), Body: b.String()})
}

// announceExternal posts the charter for the community's review on
// ietf-announce and new-work.
func (s *Service) announceExternal(ctx context.Context, tx *db.Tx, c Charter) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s The IESG has not made any determination yet.\nThe following draft charter was submitted, and is provided for\ninformational purposes only. Please send your comments to the IESG\n(iesg@%s) by %s.\n\n",
		s.lead(c), s.Domain, tx.Now.Add(ReviewWeek).UTC().Format(time.DateOnly))
	b.WriteString(s.info(ctx, c))
	b.WriteString(s.charterBlock(c, c.Rev, c.Text()))
	fmt.Fprintf(&b, "The charter and its history: %s\n", s.docURL(c))
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: []string{"ietf-announce@" + s.Domain, "new-work@" + s.Domain},
		Subject: subject("WG Review", c), Body: b.String(), Headers: map[string]string{"Reply-To": "iesg@" + s.Domain}})
}

// announceBallot tells the sitting ADs the approval ballot is open.
func (s *Service) announceBallot(ctx context.Context, tx *db.Tx, c Charter) error {
	body := fmt.Sprintf("%s\n\nThe IESG's ballot on the charter of %s (%s), revision %s, is open:\n%sballot/\n",
		BallotQuestion(Approve), c.Group.Name, c.Group.Acronym, c.Rev, s.docURL(c))
	if c.ExtRev != nil {
		body += fmt.Sprintf("\nThe IESG may approve it from %s, a week after its external review was\nannounced (R13).\n", dateTime(c.ExtRev.Add(ReviewWeek)))
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: []string{"iesg@" + s.Domain}, Subject: subject("Charter ballot", c), Body: body})
}

// announceApproval posts the IESG's action on ietf-announce and the WG's
// list (wgList, "" when hum has none).
func (s *Service) announceApproval(ctx context.Context, tx *db.Tx, c Charter, rev, proposed string, formed bool, wgList string) error {
	var b strings.Builder
	subj := fmt.Sprintf("WG Action: Rechartered %s (%s)", c.Group.Name, c.Group.Acronym)
	if formed {
		subj = fmt.Sprintf("WG Action: Formed %s (%s)", c.Group.Name, c.Group.Acronym)
		fmt.Fprintf(&b, "A new IETF working group has been formed in the %s. For additional\ninformation, please contact the Area Directors or the WG Chairs.\n\n", c.Group.ParentName)
	} else {
		fmt.Fprintf(&b, "The %s (%s) working group in the %s has been rechartered.\nFor additional information, please contact the Area Directors or the WG\nChairs.\n\n", c.Group.Name, c.Group.Acronym, c.Group.ParentName)
	}
	if c.ExtText != "" && c.ExtText != proposed {
		fmt.Fprintf(&b, "The text approved is revision %s; revision %s was announced for\nexternal review.\n\n", proposed, c.ExtText)
	}
	c.Group.State = "active"
	b.WriteString(s.info(ctx, c))
	b.WriteString(s.charterBlock(c, rev, c.Text()))
	fmt.Fprintf(&b, "The charter and its history: %s\n", s.docURL(c))
	to := []string{"ietf-announce@" + s.Domain}
	if wgList != "" {
		to = append(to, wgList)
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: to, Subject: subj, Body: b.String()})
}
