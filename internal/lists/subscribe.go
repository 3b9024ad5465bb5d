package lists

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/secrets"
)

// Subscription is one address on one list. Only moderators and the
// secretariat see them; the open record says that someone joined, never who.
type Subscription struct {
	ID             int64
	List           string
	Address        string
	PersonID       int64
	Mode           string
	State          string // active, disabled
	Token          string
	Bounces        int
	DisabledReason string
	Created        time.Time
}

const pendingTTL = 72 * time.Hour

func checkMode(mode string) (string, error) {
	switch mode {
	case "", ModeEach:
		return ModeEach, nil
	case ModeDigest, ModeNone:
		return mode, nil
	}
	return "", fail.Field("mode", "Choose a delivery mode: every message, a daily digest, or no mail.")
}

// Subscribe subscribes an address at once, with no confirmation: for
// the secretariat (`hum list subscribe`) and for logged-in people, whose
// addresses were confirmed when they were added to the account. An
// address already subscribed gets the new mode and is enabled again.
func (s *Service) Subscribe(ctx context.Context, by record.Actor, name, addr, mode string) (sub Subscription, err error) {
	defer fail.Wrap(&err, "lists.Subscribe(%q)", name)
	if addr, err = people.NormalizeEmail(addr); err != nil {
		return sub, err
	}
	if mode, err = checkMode(mode); err != nil {
		return sub, err
	}
	l, err := s.Get(ctx, name)
	if err != nil {
		return sub, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		sub, err = subscribe(ctx, tx, by, l, addr, mode, "")
		return err
	})
	return sub, err
}

func subscribe(ctx context.Context, tx *db.Tx, by record.Actor, l List, addr, mode, how string) (Subscription, error) {
	token, _ := secrets.NewForAddress()
	var pid sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT person_id FROM person_address WHERE address = $1`, addr).Scan(&pid)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Subscription{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO subscription (list_id, address, person_id, mode, state, token, created)
		VALUES ($1, $2, $3, $4, 'active', $5, $6)
		ON CONFLICT (list_id, address) DO UPDATE SET mode = $4, state = 'active', bounces = 0, disabled_reason = ''`,
		l.ID, addr, pid, mode, token, tx.Now)
	if err != nil {
		return Subscription{}, err
	}
	if err := record.Add(ctx, tx, by, "list", l.Name, "subscribed", "A subscriber joined"+how, ""); err != nil {
		return Subscription{}, err
	}
	return subscriptionBy(ctx, tx, `s.list_id = $1 AND s.address = $2`, l.ID, addr)
}

func subscriptionBy(ctx context.Context, q db.Querier, where string, args ...any) (Subscription, error) {
	var sub Subscription
	var pid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT s.id, l.name, s.address, s.person_id, s.mode, s.state, s.token, s.bounces, s.disabled_reason, s.created
		FROM subscription s JOIN list l ON l.id = s.list_id WHERE `+where, args...).
		Scan(&sub.ID, &sub.List, &sub.Address, &pid, &sub.Mode, &sub.State, &sub.Token, &sub.Bounces, &sub.DisabledReason, &sub.Created)
	sub.PersonID = pid.Int64
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fail.New(fail.NotFound, "That address is not subscribed.")
	}
	return sub, err
}

// Subscription returns an address's subscription to a list.
func (s *Service) Subscription(ctx context.Context, name, addr string) (Subscription, error) {
	addr, err := people.NormalizeEmail(addr)
	if err != nil {
		return Subscription{}, err
	}
	return subscriptionBy(ctx, s.DB, `l.name = $1 AND s.address = $2`, name, addr)
}

// SubscriptionAmong returns the subscription to a list of the first of
// addresses (a person's, primary first) that is subscribed: list mail
// may go to any address of an account.
func (s *Service) SubscriptionAmong(ctx context.Context, name string, addresses []string) (Subscription, error) {
	for _, a := range addresses {
		sub, err := s.Subscription(ctx, name, a)
		if err == nil && sub.State != "gone" {
			return sub, nil
		}
		if err != nil && fail.KindOf(err) != fail.NotFound && fail.KindOf(err) != fail.Invalid {
			return sub, err
		}
	}
	return Subscription{}, fail.New(fail.NotFound, "None of your addresses is subscribed.")
}

// ByToken returns the subscription an unsubscribe link stands for.
func (s *Service) ByToken(ctx context.Context, name, token string) (Subscription, error) {
	sub, err := subscriptionBy(ctx, s.DB, `l.name = $1 AND s.token = $2`, name, token)
	if fail.KindOf(err) == fail.NotFound {
		return sub, fail.New(fail.NotFound, "This unsubscribe link is not valid, or you have already unsubscribed.")
	}
	return sub, err
}

// Subscribers lists a list's subscriptions, for its moderators and the
// secretariat only.
func (s *Service) Subscribers(ctx context.Context, by groups.Actor, name string) (subs []Subscription, err error) {
	defer fail.Wrap(&err, "lists.Subscribers(%q)", name)
	l, err := s.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	if ok, err := s.MayModerate(ctx, by, l); err != nil || !ok {
		return nil, firstErr(err, fail.New(fail.Forbidden, "Only the list's moderators and the secretariat may see who is subscribed."))
	}
	return db.Query(ctx, s.DB, func(row db.Scanner) (Subscription, error) {
		var sub Subscription
		err := row.Scan(&sub.ID, &sub.List, &sub.Address, &sub.PersonID, &sub.Mode, &sub.State, &sub.Token, &sub.Bounces, &sub.DisabledReason, &sub.Created)
		return sub, err
	}, `SELECT s.id, l.name, s.address, COALESCE(s.person_id, 0), s.mode, s.state, s.token, s.bounces, s.disabled_reason, s.created
		FROM subscription s JOIN list l ON l.id = s.list_id WHERE s.list_id = $1 ORDER BY s.address`, l.ID)
}

// Unsubscribe removes a subscription by its token: the RFC 8058
// one-click link, the web page behind it, and confirmed mail commands.
func (s *Service) Unsubscribe(ctx context.Context, name, token string) (err error) {
	defer fail.Wrap(&err, "lists.Unsubscribe(%q)", name)
	sub, err := s.ByToken(ctx, name, token)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error { return unsubscribe(ctx, tx, record.System, sub) })
}

func unsubscribe(ctx context.Context, tx *db.Tx, by record.Actor, sub Subscription) error {
	// Copies not yet sent stop too: unsubscribing means no more mail.
	if _, err := tx.ExecContext(ctx, `UPDATE delivery SET state = 'cancelled' WHERE subscription_id = $1 AND state = 'queued'`, sub.ID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE subscription SET state = 'gone' WHERE id = $1 AND state <> 'gone'`, sub.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return record.Add(ctx, tx, by, "list", sub.List, "unsubscribed", "A subscriber left", "")
}

// UnsubscribeAddress is a logged-in person leaving a list.
func (s *Service) UnsubscribeAddress(ctx context.Context, by record.Actor, name, addr string) error {
	sub, err := s.Subscription(ctx, name, addr)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error { return unsubscribe(ctx, tx, by, sub) })
}

// SetMode changes how a subscriber gets the list's mail.
func (s *Service) SetMode(ctx context.Context, by record.Actor, name, addr, mode string) (err error) {
	defer fail.Wrap(&err, "lists.SetMode(%q)", name)
	if mode, err = checkMode(mode); err != nil {
		return err
	}
	sub, err := s.Subscription(ctx, name, addr)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE subscription SET mode = $1, state = 'active', bounces = 0, disabled_reason = '' WHERE id = $2`, mode, sub.ID)
		if err != nil {
			return err
		}
		return record.Add(ctx, tx, by, "list", sub.List, "subscription_changed", "A subscriber changed their delivery", "")
	})
}

// StartSubscribe mails a confirmation link (double opt-in). It answers
// the same whether or not the address is subscribed already.
func (s *Service) StartSubscribe(ctx context.Context, name, addr, mode string) error {
	return s.start(ctx, name, addr, "subscribe", mode)
}

// StartUnsubscribe mails a link that unsubscribes the address, if it is
// subscribed; it says nothing either way, so it reveals no subscriptions.
func (s *Service) StartUnsubscribe(ctx context.Context, name, addr string) error {
	return s.start(ctx, name, addr, "unsubscribe", "")
}

func (s *Service) start(ctx context.Context, name, addr, action, mode string) (err error) {
	defer fail.Wrap(&err, "lists.start(%q, %s)", name, action)
	if addr, err = people.NormalizeEmail(addr); err != nil {
		return err
	}
	if mode, err = checkMode(mode); err != nil {
		return err
	}
	l, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error { return s.startTx(ctx, tx, l, addr, action, mode, false) })
}

// startTx mails a confirmation request; reply tells whether it answers a
// message (a mailed command) or not (the web form), for Auto-Submitted.
func (s *Service) startTx(ctx context.Context, tx *db.Tx, l List, addr, action, mode string, reply bool) error {
	if action == "unsubscribe" {
		if _, err := subscriptionBy(ctx, tx, `s.list_id = $1 AND s.address = $2 AND s.state <> 'gone'`, l.ID, addr); err != nil {
			return nil // nothing to do, and nothing to tell
		}
	}
	secret, hash := secrets.NewForAddress()
	if _, err := tx.ExecContext(ctx, `INSERT INTO list_pending (hash, list_id, address, action, mode, created, expires) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		hash, l.ID, addr, action, mode, tx.Now, tx.Now.Add(pendingTTL)); err != nil {
		return err
	}
	verb := "join"
	if action == "unsubscribe" {
		verb = "leave"
	}
	confirm := fmt.Sprintf("%s-confirm+%s@%s", l.Name, secret, s.Domain)
	body := fmt.Sprintf(`Someone, probably you, asked for %s to %s the mailing list %s.

To confirm, open this link and press the button:

  %s/list/%s/confirm/%s/

or simply reply to this message.

If you did not ask for this, ignore this message: nothing will change.
The link works for 3 days.
`, addr, verb, l.Address(s.Domain), s.BaseURL, l.Name, secret)
	return s.Mail.Queue(ctx, tx, mail.Message{
		From: confirm, To: []string{addr},
		Subject: fmt.Sprintf("Confirm: %s %s", action, l.Address(s.Domain)),
		Body:    body,
		Headers: map[string]string{"Reply-To": confirm, "Auto-Submitted": autoSubmitted(reply)},
	})
}

// autoSubmitted is the RFC 3834 value for a message hum writes: a reply
// to a message, or one that something else (a web form) caused.
func autoSubmitted(reply bool) string {
	if reply {
		return "auto-replied"
	}
	return "auto-generated"
}

// Pending is a request waiting for its confirmation.
type Pending struct {
	List    string
	Address string
	Action  string
	Mode    string
}

// CheckConfirm tells what a confirmation secret stands for, without
// using it, so the page can show a button (mail scanners follow links).
func (s *Service) CheckConfirm(ctx context.Context, secret string) (Pending, error) {
	return checkPending(ctx, s.DB, s.DB.Now(), secret)
}

func checkPending(ctx context.Context, q db.Querier, now time.Time, secret string) (Pending, error) {
	var p Pending
	var expires time.Time
	var used sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT l.name, p.address, p.action, p.mode, p.expires, p.used FROM list_pending p JOIN list l ON l.id = p.list_id WHERE p.hash = $1`,
		secrets.Hash(secret)).Scan(&p.List, &p.Address, &p.Action, &p.Mode, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, fail.New(fail.NotFound, "This confirmation link is not valid. Check that you copied all of it.")
	case err != nil:
		return p, err
	case used.Valid:
		return p, fail.New(fail.Conflict, "This request has already been confirmed.")
	case !now.Before(expires):
		return p, fail.New(fail.Conflict, "This confirmation link has expired. Please ask again.")
	}
	return p, nil
}

// Confirm carries out a confirmed request.
func (s *Service) Confirm(ctx context.Context, secret string) (p Pending, err error) {
	defer fail.Wrap(&err, "lists.Confirm")
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		p, err = s.confirmTx(ctx, tx, secret, false)
		return err
	})
	return p, err
}

// confirmTx carries out a request; reply tells whether the confirmation
// came by mail, so the welcome answers it.
func (s *Service) confirmTx(ctx context.Context, tx *db.Tx, secret string, reply bool) (Pending, error) {
	p, err := checkPending(ctx, tx, tx.Now, secret)
	if err != nil {
		return p, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE list_pending SET used = $1 WHERE hash = $2 AND used IS NULL`, tx.Now, secrets.Hash(secret))
	if err != nil {
		return p, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return p, fail.New(fail.Conflict, "This request has already been confirmed.")
	}
	l, err := get(ctx, tx, p.List)
	if err != nil {
		return p, err
	}
	if p.Action == "unsubscribe" {
		sub, err := subscriptionBy(ctx, tx, `s.list_id = $1 AND s.address = $2`, l.ID, p.Address)
		if err != nil {
			return p, nil
		}
		return p, unsubscribe(ctx, tx, record.System, sub)
	}
	sub, err := subscribe(ctx, tx, record.System, l, p.Address, p.Mode, " (confirmed by mail)")
	if err != nil {
		return p, err
	}
	return p, s.welcome(ctx, tx, l, sub, reply)
}

func (s *Service) welcome(ctx context.Context, tx *db.Tx, l List, sub Subscription, reply bool) error {
	return s.Mail.Queue(ctx, tx, mail.Message{
		From: l.Name + "-request@" + s.Domain, To: []string{sub.Address},
		Subject: "Welcome to " + l.Address(s.Domain),
		Body: fmt.Sprintf(`You are now subscribed to %s.

Post by writing to %s. The archive is at %s/arch/browse/%s/.
Change how you get mail or leave the list at %s/list/%s/,
or leave at once with %s/list/%s/unsubscribe/%s/
`, l.Address(s.Domain), l.Address(s.Domain), s.BaseURL, l.Name, s.BaseURL, l.Name, s.BaseURL, l.Name, sub.Token),
		Headers: map[string]string{"Auto-Submitted": autoSubmitted(reply)},
	})
}
