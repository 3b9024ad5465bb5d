package charters

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
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

// wgList is the address of the WG's list when hum has that list, ""
// when it has none; read before the change's transaction, as lists may
// make a new WG's list on first use.
func (s *Service) wgList(ctx context.Context, name string) (string, error) {
	g, err := groupOf(ctx, s.DB, name)
	if err != nil {
		return "", err
	}
	l, err := s.Lists.Get(ctx, g.Acronym)
	if fail.KindOf(err) == fail.NotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return l.Address(s.Domain), nil
}

// info is the block that describes the group in every announcement,
// read in the change's transaction: its chairs, its ADs, and its list
// when hum has one (never an address hum does not serve).
func (s *Service) info(ctx context.Context, tx *db.Tx, c Charter) (string, error) {
	var b strings.Builder
	title := fmt.Sprintf("%s (%s)", c.Group.Name, c.Group.Acronym)
	fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
	fmt.Fprintf(&b, "Current status: %s %s\n\n", groups.StateName(c.Group.State), groups.TypeName(c.Group.Type))
	holders := func(groupID int64, role string) ([]string, error) {
		return db.Query(ctx, tx, db.Scalar[string], `SELECT p.name FROM role_holder r JOIN person_name p ON p.id = r.person_id
			WHERE r.group_id = $1 AND r.role = $2 ORDER BY p.name`, groupID, role)
	}
	chairs, err := holders(c.Group.ID, "chair")
	if err != nil {
		return "", err
	}
	if len(chairs) > 0 {
		fmt.Fprintf(&b, "Chairs:\n%s\n", names(chairs))
	}
	if area := c.Group.ParentID; area != 0 {
		ads, err := holders(area, "ad")
		if err != nil {
			return "", err
		}
		if len(ads) > 0 {
			fmt.Fprintf(&b, "%s Directors:\n%s\n", c.Group.ParentName, names(ads))
		}
	}
	has, err := s.Lists.Has(ctx, tx, c.Group.Acronym)
	if err != nil {
		return "", err
	}
	if has {
		fmt.Fprintf(&b, "Mailing list:\n  Address: %s@%s\n  Archive: %s/arch/browse/%s/\n\n", c.Group.Acronym, s.Domain, s.BaseURL, c.Group.Acronym)
	}
	return b.String(), nil
}

func names(ns []string) string {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, "  %s\n", n)
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
	info, err := s.info(ctx, tx, c)
	if err != nil {
		return err
	}
	b.WriteString(info)
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
	info, err := s.info(ctx, tx, c)
	if err != nil {
		return err
	}
	b.WriteString(info)
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
	info, err := s.info(ctx, tx, c)
	if err != nil {
		return err
	}
	b.WriteString(info)
	b.WriteString(s.charterBlock(c, rev, c.Text()))
	fmt.Fprintf(&b, "The charter and its history: %s\n", s.docURL(c))
	to := []string{"ietf-announce@" + s.Domain}
	if wgList != "" {
		to = append(to, wgList)
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: to, Subject: subj, Body: b.String()})
}
