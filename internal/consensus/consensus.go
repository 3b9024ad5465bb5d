// Package consensus is how a working group decides on its list: consensus
// calls posted to the WG's list (adoption, WG last call, confirmation of a
// decision taken at a meeting, or a free question), the chair's reading of
// the replies, the objections and issues raised and whether each was
// addressed, and the outcome with its reasoned explanation (R30–R34);
// decisions taken at meetings, pending until the list confirms them (R31);
// and participants' requests that the chairs start a call.
//
// There is nothing to count. A note on a message is the chair's reading of
// it, never a vote, and no function here returns a tally or a percentage
// (R30, R32).
//
// It owns the tables of migration 0019 and has no HTTP inside.
package consensus

import (
	"context"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
)

// Mailer queues mail in the caller's transaction. app gives the lists'
// Router, so a message to a WG's list address is posted to that list
// (delivered, archived and threaded like any post) and any other goes to
// the outbox.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Service is the consensus capability.
type Service struct {
	DB     *db.DB
	Groups *groups.Service
	Mail   Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain the lists live under.
	Domain string
}
