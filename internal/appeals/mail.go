package appeals

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/mail"
)

// list is where news of appeal a at its current level is posted: the
// WG's list while the chairs or the AD hold it, ietf-announce from the
// IESG up (and for an appeal with no WG).
func (s *Service) list(a Appeal) string {
	if (a.Level == Chairs || a.Level == ADs) && a.Group != "" && a.GroupType == "wg" {
		return a.Group + "@" + s.Domain
	}
	return "ietf-announce@" + s.Domain
}

// announce posts what happened to appeal a (filed, a response, an
// escalation) to its list, in tx.
func (s *Service) announce(ctx context.Context, tx *db.Tx, a Appeal, what, text string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Appeal %d, %s, was %s.\n\n", a.ID, KindNames[a.Kind], what)
	if what == "response" {
		b.Reset()
		fmt.Fprintf(&b, "%s responded to appeal %d (%s).\n\n", upper(LevelNames[a.Level]), a.ID, KindNames[a.Kind])
	}
	fmt.Fprintf(&b, "Appellant: %s\nDecision appealed: %s\n  made public %s, %s/event/%d/\nNow with: %s (%s)\n\n",
		a.Appellant, a.Decision, a.Decided.UTC().Format("2006-01-02"), s.BaseURL, a.EventID, LevelNames[a.Level], a.State)
	if text != "" {
		b.WriteString(text + "\n\n")
	}
	fmt.Fprintf(&b, "The appeal and its history: %s/appeals/%d/\n", s.BaseURL, a.ID)
	subject := fmt.Sprintf("Appeal %d %s: %s", a.ID, what, oneLine(a.Decision, 120))
	if what == "response" {
		subject = fmt.Sprintf("Appeal %d: response of %s", a.ID, LevelNames[a.Level])
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain, To: []string{s.list(a)}, Subject: subject, Body: b.String()})
}
