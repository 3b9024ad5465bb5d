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
	return r.queue(ctx, tx, m, Alias{})
}

// queue is Queue, told of one alias (known, by its Address) that the
// caller has looked up in tx already, so that it is not looked up again.
func (r router) queue(ctx context.Context, tx *db.Tx, m mail.Message, known Alias) error {
	if m.Rcpt != nil {
		return r.next.Queue(ctx, tx, m)
	}
	// An alias that reaches nobody now is left out of the headers too:
	// hum would refuse mail to it (CheckRcpt).
	var plain, plainCc, aliased, aliasedCc, rcpt []string
	for i, to := range slices.Concat(m.To, m.Cc) {
		cc := i >= len(m.To)
		a, found := known, known.Address != "" && to == known.Address
		if !found {
			var err error
			if a, found, err = r.s.Lookup(ctx, tx, to); err != nil {
				return err
			}
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

// Notifier mails documents' notify aliases for the notices (package
// notices), through next as the Router does.
func (s *Service) Notifier(next Mailer) Notifier { return Notifier{router{s, next}} }

// Notifier is what Service.Notifier returns.
type Notifier struct{ r router }

// MailNotify queues m to the notify alias of the document name
// ({name}.notify@), as the Router would, when the alias reaches anyone
// now, and returns whom it reaches: the notices leave them out of their
// followers' copies. The alias is looked up once, in tx. A document with
// no such alias (an RFC, a charter, a draft long gone) gets nothing.
func (n Notifier) MailNotify(ctx context.Context, tx *db.Tx, name string, m mail.Message) (reach []string, err error) {
	a, found, err := n.r.s.notifyAlias(ctx, tx, name)
	if err != nil || !found || len(a.Addresses()) == 0 {
		return nil, err
	}
	m.To, m.Cc, m.Rcpt = []string{a.Address}, nil, nil
	return a.Addresses(), n.r.queue(ctx, tx, m, a)
}
