package lists

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// After this many hard bounces, each within staleBounce of the last,
// delivery to a subscriber stops. A copy the smarthost takes does not
// reset the count: a relaying smarthost takes copies it bounces later by
// DSN, so such a reset would undo nearly every DSN bounce. A week with no
// bounce does.
const (
	bounceLimit = 3
	staleBounce = 7 * 24 * time.Hour
)

var hardStatusRE = regexp.MustCompile(`(?im)^Status:\s*5\.\d{1,3}\.\d{1,3}`)

// bounce handles mail to {list}-bounces+{token}: a delivery status
// notification for one subscriber's copy (VERP). Only hard failures
// (a 5.x.x Status in a DSN) count; anything else is taken and dropped.
func (s *Service) bounce(ctx context.Context, l List, token string, raw []byte) error {
	if token == "" || !hardStatusRE.Match(raw) {
		return nil
	}
	sub, err := subscriptionBy(ctx, s.DB, `s.list_id = $1 AND s.token = $2`, l.ID, token)
	if fail.KindOf(err) == fail.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		return s.hardBounce(ctx, tx, sub, "a delivery status notification reported a permanent failure")
	})
}

// hardBounce counts one permanent failure for sub, and disables delivery
// (and tells the subscriber, and records why) when there are too many.
func (s *Service) hardBounce(ctx context.Context, tx *db.Tx, sub Subscription, what string) error {
	var last sql.NullTime
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT bounces, last_bounce FROM subscription WHERE id = $1`, sub.ID).Scan(&n, &last); err != nil {
		return err
	}
	if last.Valid && tx.Now.Sub(last.Time) > staleBounce {
		n = 0
	}
	n++
	if _, err := tx.ExecContext(ctx, `UPDATE subscription SET bounces = $1, last_bounce = $2 WHERE id = $3`, n, tx.Now, sub.ID); err != nil {
		return err
	}
	if n < bounceLimit || sub.State != "active" {
		return nil
	}
	why := fmt.Sprintf("%d copies could not be delivered, each within %d days of the one before (the last time: %s)",
		n, staleBounce/(24*time.Hour), what)
	if _, err := tx.ExecContext(ctx, `UPDATE subscription SET state = 'disabled', disabled_reason = $1 WHERE id = $2`, why, sub.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE delivery SET state = 'cancelled' WHERE subscription_id = $1 AND state = 'queued'`, sub.ID); err != nil {
		return err
	}
	if err := record.Add(ctx, tx, record.System, "list", sub.List, "delivery_disabled", "Delivery to a subscriber disabled after repeated bounces", ""); err != nil {
		return err
	}
	return s.Mail.Queue(ctx, tx, mail.Message{
		From: sub.List + "-request@" + s.Domain, To: []string{sub.Address},
		Subject: "Delivery of " + sub.List + " to you is disabled",
		Body: fmt.Sprintf(`hum stopped sending you the mail of %s@%s because %s.

You are still subscribed. To get mail again, log in and choose a delivery
mode at %s/list/%s/, or subscribe again there.
`, sub.List, s.Domain, why, s.BaseURL, sub.List),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	})
}
