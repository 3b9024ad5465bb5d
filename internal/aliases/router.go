package aliases

import (
	"context"
	"slices"

	"hum/internal/db"
	"hum/internal/mail"
)

// Mailer queues mail in a transaction (the lists' Router does, and
// mail.Outbox).
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Router returns a Mailer for the mail hum writes itself (a Last Call
// ended, to iesg-secretary@): a message to an alias keeps the alias in
// To and goes to the addresses it reaches now, expanded in the caller's
// transaction; every other recipient, lists included, is next's. An
// alias that reaches nobody now gets nothing.
func (s *Service) Router(next Mailer) Mailer { return router{s, next} }

type router struct {
	s    *Service
	next Mailer
}

func (r router) Queue(ctx context.Context, tx *db.Tx, m mail.Message) error {
	if m.Rcpt != nil {
		return r.next.Queue(ctx, tx, m)
	}
	// An alias that reaches nobody now is left out of the headers too:
	// hum would refuse mail to it (CheckRcpt).
	var plain, plainCc, aliased, aliasedCc, rcpt []string
	for i, to := range slices.Concat(m.To, m.Cc) {
		cc := i >= len(m.To)
		a, found, err := r.s.Lookup(ctx, tx, to)
		if err != nil {
			return err
		}
		switch {
		case !found && cc:
			plainCc = append(plainCc, to)
		case !found:
			plain = append(plain, to)
		case len(a.To) == 0:
		case cc:
			aliasedCc = append(aliasedCc, a.Address)
		default:
			aliased = append(aliased, a.Address)
		}
		if found {
			rcpt = append(rcpt, a.Addresses()...)
		}
	}
	if len(aliased)+len(aliasedCc) == 0 && len(plain)+len(plainCc) == len(m.To)+len(m.Cc) {
		return r.next.Queue(ctx, tx, m)
	}
	if len(plain)+len(plainCc) > 0 {
		p := m
		p.To, p.Cc = plain, plainCc
		if err := r.next.Queue(ctx, tx, p); err != nil {
			return err
		}
	}
	lists, people, err := r.s.split(ctx, tx, rcpt)
	if err != nil {
		return err
	}
	done := slices.Concat(plain, plainCc)
	// A list an alias reaches gets the message as a post; the lists'
	// Router takes it from To.
	if lists = without(dedupe(lists), done); len(lists) > 0 {
		l := m
		l.To, l.Cc = lists, nil
		if err := r.next.Queue(ctx, tx, l); err != nil {
			return err
		}
	}
	if people = without(dedupe(people), done); len(people) == 0 {
		return nil
	}
	m.To, m.Cc, m.Rcpt = aliased, aliasedCc, people
	return r.next.Queue(ctx, tx, m)
}

func dedupe(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}

// without returns ss less those in drop: they have a copy already.
func without(ss, drop []string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return slices.Contains(drop, s) })
}
