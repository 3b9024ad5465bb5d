package meetings

import (
	"context"

	"hum/internal/db"
	"hum/internal/mail"
)

// Mailer queues mail in a transaction (mail.Outbox does), so a mail goes
// out if and only if the change that caused it commits.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}
