package lists

import (
	"context"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// Announce posts a message hum writes itself (a Last Call, a new draft
// revision) to a list, inside tx: the announcement goes out, and is
// archived, if and only if the change that caused it commits. It skips
// moderation: the change itself was authorised. Other capabilities (docs)
// reach it through a small interface that main wires.
func (s *Service) Announce(ctx context.Context, tx *db.Tx, list string, m mail.Message) (err error) {
	defer fail.Wrap(&err, "lists.Announce(%q)", list)
	l, err := get(ctx, tx, list)
	if err != nil {
		return err
	}
	if len(m.To) == 0 {
		m.To = []string{l.Address(s.Domain)}
	}
	raw, err := mail.Render(m, "hum", tx.Now)
	if err != nil {
		return err
	}
	h, err := readHeader(raw)
	if err != nil {
		return err
	}
	var postID int64
	err = tx.QueryRowContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, verified, state, raw, received)
		VALUES ($1, $2, $3, $3, $4, TRUE, 'accepted', $5, $6) RETURNING id`,
		l.ID, strings.TrimSpace(h.Get("Message-Id")), m.From, oneLine(m.Subject), raw, tx.Now).Scan(&postID)
	if err != nil {
		return err
	}
	return s.accept(ctx, tx, l, postID, raw, record.System)
}

// Router returns a Mailer that posts mail addressed to one of hum's lists
// through Announce, and queues mail for everyone else on next. Capability
// packages that announce by mail (docs to i-d-announce@) take it as their
// Mailer, so an announcement reaches subscribers and the archive without
// a round trip through the smarthost.
func (s *Service) Router(next Mailer) Mailer { return router{s, next} }

type router struct {
	s    *Service
	next Mailer
}

func (r router) Queue(ctx context.Context, tx *db.Tx, m mail.Message) error {
	if m.Rcpt != nil {
		// Its envelope is set already (an alias expanded): deliver it so.
		return r.next.Queue(ctx, tx, m)
	}
	var others []string
	for _, to := range m.To {
		local, domain, _ := strings.Cut(strings.ToLower(to), "@")
		if domain == strings.ToLower(r.s.Domain) {
			if _, err := get(ctx, tx, local); err == nil {
				one := m
				one.To = []string{to}
				if err := r.s.Announce(ctx, tx, local, one); err != nil {
					return err
				}
				continue
			}
		}
		others = append(others, to)
	}
	if len(others) == 0 {
		return nil
	}
	m.To = others
	return r.next.Queue(ctx, tx, m)
}
