package lists

import (
	"context"
	"net/textproto"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
)

// ownerAddr is the address that reaches the people who run a list.
func (s *Service) ownerAddr(l List) string { return l.Name + "-owner@" + s.Domain }

// owner forwards mail for {list}-owner to the list's moderators (the
// secretariat when the list has none), through the outbox, with the
// message attached as it came. The sender is never answered, so a forged
// sender gets nothing back; X-Loop stops a forward that finds its way back
// here (a moderator's address that forwards to the owner address).
func (s *Service) owner(ctx context.Context, l List, env mail.Envelope, h textproto.MIMEHeader, raw []byte) (err error) {
	defer fail.Wrap(&err, "lists.owner(%q)", l.Name)
	if int64(len(raw)) > l.MaxBytes {
		return fail.Field("size", "Message too big for %s (limit %d bytes)", s.ownerAddr(l), l.MaxBytes)
	}
	for _, v := range h.Values("X-Loop") {
		if strings.EqualFold(strings.TrimSpace(v), s.ownerAddr(l)) {
			return nil
		}
	}
	_, author := parseAuthor(h.Values("From"))
	subject := oneLine(h.Get("Subject"))
	raw = withAuthResults(raw, env.Auth)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		to, err := s.moderatorAddresses(ctx, tx, l)
		if err != nil {
			return err
		}
		if len(to) == 0 {
			return nil // nobody to tell; the sender is not told either
		}
		from := author
		if from == "" {
			from = env.From
		}
		if from == "" {
			from = "(a bounce)"
		}
		hdr := map[string]string{"X-Loop": s.ownerAddr(l), "Auto-Submitted": "auto-forwarded"}
		if author != "" {
			hdr["Reply-To"] = author // parsed, so it carries no CR or LF
		}
		return s.Mail.Queue(ctx, tx, mail.Message{
			From: l.Name + "-bounces@" + s.Domain, To: to,
			Subject: "For the owners of " + l.Name + ": " + subject,
			Body: "This message came to " + s.ownerAddr(l) + " from " + from + ".\n" +
				"It is attached as it arrived; reply to write back to the sender.\n",
			Headers: hdr,
			Attach:  raw,
		})
	})
}
