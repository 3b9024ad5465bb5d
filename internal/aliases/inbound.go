package aliases

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/emersion/go-message/textproto"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// CheckRcpt answers RCPT TO for the SMTP endpoint: an alias that reaches
// someone is taken, one that reaches nobody now is refused with 550 and
// why (never taken and dropped), and every other address is the lists'
// to answer.
func (s *Service) CheckRcpt(ctx context.Context, to string, size int64) error {
	a, found, err := s.Lookup(ctx, s.DB, to)
	if err != nil {
		return err
	}
	if !found {
		return s.Lists.CheckRcpt(ctx, to, size)
	}
	if len(a.To) == 0 {
		return nobody(a)
	}
	if size > MaxBytes {
		return fail.Field("size", "Message too big for %s (limit %d bytes)", a.Address, MaxBytes)
	}
	return nil
}

func nobody(a Alias) error {
	return fail.New(fail.NotFound, "%s reaches nobody now: %s.", a.Address, a.Nobody)
}

// Receive takes one inbound message for one recipient. Mail to an alias
// is passed on as it came, with a Delivered-To line on top, to the
// addresses the alias reaches at this moment, through the outbox; it is
// not archived, unless one of them is a list of hum's, which gets it as
// a post. Anything else is the lists'.
func (s *Service) Receive(ctx context.Context, env mail.Envelope, raw []byte) error {
	if len(env.To) != 1 {
		return fail.New(fail.Invalid, "one recipient at a time")
	}
	a, found, err := s.Lookup(ctx, s.DB, env.To[0])
	if err != nil {
		return err
	}
	if !found {
		return s.Lists.Receive(ctx, env, raw)
	}
	return s.deliver(ctx, env, a.Address, raw)
}

func (s *Service) deliver(ctx context.Context, env mail.Envelope, alias string, raw []byte) (err error) {
	defer fail.Wrap(&err, "aliases.deliver(%q)", alias)
	if int64(len(raw)) > MaxBytes {
		return fail.Field("size", "Message too big for %s (limit %d bytes)", alias, MaxBytes)
	}
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return fail.New(fail.Invalid, "The message header cannot be parsed.")
	}
	for _, d := range h.Values("Delivered-To") {
		if strings.EqualFold(strings.TrimSpace(d), alias) {
			return fail.Field("loop", "Mail loop: this message has already been delivered to %s", alias)
		}
	}
	if env.Auth.DMARC == "fail" && env.Auth.Policy == "reject" {
		return fail.New(fail.Forbidden, "The author's domain says this message is forged (DMARC); it is not passed on to %s.", alias)
	}
	msgID := strings.TrimSpace(h.Get("Message-Id"))
	if msgID == "" {
		sum := sha256.Sum256(raw) // the same message sent again has the same id
		msgID = "<" + hex.EncodeToString(sum[:12]) + ".generated@" + s.Domain + ">"
	}
	subject := strings.Join(strings.Fields(h.Get("Subject")), " ")
	raw = append([]byte("Delivered-To: "+alias+"\r\n"), raw...)

	var lists []string
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO alias_message (alias, message_id, received) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, alias, msgID, tx.Now)
		if err != nil {
			return err
		}
		again := false
		if n, _ := res.RowsAffected(); n == 0 {
			again = true // sent again after a lost 250: the people have it
		}
		// Expanded in the transaction that queues the copies: the roles
		// as they are when the message goes out.
		a, found, err := s.Lookup(ctx, tx, alias)
		if err != nil {
			return err
		}
		if !found {
			return fail.New(fail.NotFound, "%s is no longer an address here.", alias)
		}
		if len(a.To) == 0 {
			return nobody(a)
		}
		var people []string
		if lists, people, err = s.split(ctx, tx, a.Addresses()); err != nil || again || len(people) == 0 {
			return err
		}
		if err := s.Outbox.QueueRaw(ctx, tx, env.From, people, subject, raw); err != nil {
			return err
		}
		return record.Add(ctx, tx, record.System, "alias", alias, "alias_delivered",
			fmt.Sprintf("A message to %s was passed on to %d addresses", alias, len(people)), "")
	})
	if err != nil {
		return err
	}
	// A list the alias reaches takes the message as a post of its own,
	// archived; it knows a message it already has, so a retry is safe.
	for _, l := range lists {
		one := env
		one.To = []string{l}
		if err := s.Lists.Receive(ctx, one, raw); err != nil {
			return err
		}
	}
	return nil
}

// split parts addrs into hum's lists and everyone else. Another address
// at hum's own domain that is not a list is left out: no alias reaches
// another, so mail cannot loop through them.
func (s *Service) split(ctx context.Context, q db.Querier, addrs []string) (lists, others []string, err error) {
	for _, a := range addrs {
		local, ours := s.local(a)
		if !ours {
			others = append(others, a)
			continue
		}
		isList, err := s.Lists.Has(ctx, q, local)
		if err != nil {
			return nil, nil, err
		}
		if isList {
			lists = append(lists, a)
		}
	}
	return lists, others, nil
}
