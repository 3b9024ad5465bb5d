package charters

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
)

// MayConclude reports whether by may conclude g: its responsible AD, or
// the secretariat on their behalf (R14).
func MayConclude(by groups.Actor, g groups.Group) bool { return by.AD(g) || by.Secretariat() }

// Conclude closes a working group, as its responsible AD decides (R14),
// with the reason, announced on ietf-announce and the WG's list. A
// rechartering effort under way ends with it. The list and its archive
// are not touched: they stay readable, as RFC 2418 §2.2 wants a WG's
// archive kept (R19). A BOF that does not become a WG is closed on the
// group's page (BOF Concluded), not here.
func (s *Service) Conclude(ctx context.Context, by groups.Actor, acronym, reason string) (err error) {
	defer fail.Wrap(&err, "charters.Conclude(%q)", acronym)
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return err
	}
	if !MayConclude(by, g) {
		return fail.Rule("R14", fail.Forbidden, "Closing a working group is its responsible Area Director's decision: only the ADs of %s's area, or the secretariat on their behalf, conclude it.", g.Acronym)
	}
	if reason == "" {
		return &fail.Error{Kind: fail.Invalid, Rule: "R14", Field: "reason", Message: "Say why the working group closes (its work is done, or it cannot finish it): the announcement gives the reason."}
	}
	if len(reason) > 10_000 {
		return fail.Field("reason", "The reason is longer than 10,000 characters.")
	}
	if !groups.Chartered(g.Type) {
		return fail.New(fail.Conflict, "%s is not a working group; its state is changed on its page.", g.Acronym)
	}
	wgList, err := s.wgList(ctx, groups.CharterName(g))
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, groups.CharterName(g))
		if err != nil {
			return err
		}
		if st := c.Group.State; st != "active" && st != "proposed" {
			return fail.New(fail.Conflict, "%s is %s: only an active or proposed WG is concluded (a BOF that does not become a WG is closed as BOF Concluded on its page).", c.Group.Acronym, groups.StateName(st))
		}
		if c.UnderReview() {
			if err := s.abandon(ctx, tx, by, c, "Chartering effort ended: the WG concluded", reason, false); err != nil {
				return err
			}
		}
		if err := groups.SetStateIn(ctx, tx, by.Actor, c.Group, "conclude", "", reason); err != nil {
			return err
		}
		return s.announceConclusion(ctx, tx, c, reason, wgList)
	})
}

func (s *Service) announceConclusion(ctx context.Context, tx *db.Tx, c Charter, reason, wgList string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "The %s (%s) working group in the %s has concluded.\nThe responsible Area Director closed it (RFC 3710 §4.3):\n\n%s\n\n",
		c.Group.Name, c.Group.Acronym, c.Group.ParentName, reason)
	if wgList != "" {
		fmt.Fprintf(&b, "The mailing list %s and its archive remain public:\n%s/arch/browse/%s/\n\n", wgList, s.BaseURL, c.Group.Acronym)
	}
	fmt.Fprintf(&b, "The group's page and history: %s/group/%s/about/\n", s.BaseURL, c.Group.Acronym)
	to := []string{"ietf-announce@" + s.Domain}
	if wgList != "" {
		to = append(to, wgList)
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), FromName: "The IESG", To: to,
		Subject: fmt.Sprintf("WG Action: Conclusion of %s (%s)", c.Group.Name, c.Group.Acronym), Body: b.String()})
}
