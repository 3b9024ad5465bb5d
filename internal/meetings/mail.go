package meetings

import (
	"context"

	"hum/internal/db"
	"hum/internal/mail"
)

// Mailer queues mail in a transaction (mail.Outbox does), so a notice
// goes out if and only if the change it tells of commits.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}
