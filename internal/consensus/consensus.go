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

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/docs"
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

// Docs is what calls need of the documents: the draft a call is about,
// its revisions (an issue addressed by one), and moving its WG state in
// the call's own transaction. app gives *docs.Service.
type Docs interface {
	Get(ctx context.Context, name string) (docs.Document, error)
	Revisions(ctx context.Context, docID int64) ([]docs.Revision, error)
	SetWGStateIn(ctx context.Context, tx *db.Tx, name string, by groups.Actor, c docs.WGChange) error
}

// Archive reads a call's thread from the list archive, so replies sent by
// plain mail, by people with no account, show with the rest. app gives
// *archive.Service.
type Archive interface {
	ThreadOf(ctx context.Context, list, messageID string) ([]archive.Post, error)
}

// Service is the consensus capability.
type Service struct {
	DB      *db.DB
	Groups  *groups.Service
	Docs    Docs
	Archive Archive
	Mail    Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain the lists live under.
	Domain string
}
