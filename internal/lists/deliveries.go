package lists

import (
	"context"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Delivery is one copy of a post to one subscriber, as the queue holds it.
type Delivery struct {
	ID          int64
	PostID      int64
	List        string
	Subject     string
	Address     string
	State       string // queued, sent, failed
	Attempts    int
	NextAttempt time.Time
	Leased      bool // a Deliverer holds it right now
	LastError   string
	Sent        *time.Time
}

// DeliveryQueue is what the deliveries page shows: counts by state and
// the newest rows in the state asked for.
type DeliveryQueue struct {
	List                 string // "" for every list
	State                string // "" for queued and failed together
	Queued, Failed, Sent int
	Rows                 []Delivery
}

// Deliveries shows the delivery queue of one list to its moderators and
// the secretariat, or, with list "", of every list to the secretariat.
// With no --smarthost copies stay queued, and this is where they are seen.
func (s *Service) Deliveries(ctx context.Context, by groups.Actor, list, state string, limit int) (q DeliveryQueue, err error) {
	defer fail.Wrap(&err, "lists.Deliveries(%q, %q)", list, state)
	q.List, q.State = list, state
	switch state {
	case "", "queued", "failed", "sent":
	default:
		return q, fail.Field("state", "Choose queued, failed or sent.")
	}
	var listID int64
	if list == "" {
		if !by.Secretariat() {
			return q, fail.New(fail.Forbidden, "Only the secretariat may see every list's deliveries.")
		}
	} else {
		l, err := s.Get(ctx, list)
		if err != nil {
			return q, err
		}
		if ok, err := s.MayModerate(ctx, by, l); err != nil || !ok {
			return q, firstErr(err, fail.New(fail.Forbidden, "Only the list's moderators and the secretariat may see its deliveries."))
		}
		listID = l.ID
	}
	// $1 = 0 means every list; the same text serves both engines.
	rows, err := s.DB.QueryContext(ctx, `SELECT d.state, COUNT(*) FROM delivery d JOIN list_post p ON p.id = d.post_id
		WHERE ($1 = 0 OR p.list_id = $1) GROUP BY d.state`, listID)
	if err != nil {
		return q, err
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return q, err
		}
		switch st {
		case "queued":
			q.Queued = n
		case "failed":
			q.Failed = n
		case "sent":
			q.Sent = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return q, err
	}
	now := s.DB.Now().UTC()
	q.Rows, err = db.Query(ctx, s.DB, func(row db.Scanner) (Delivery, error) {
		var d Delivery
		err := row.Scan(&d.ID, &d.PostID, &d.List, &d.Subject, &d.Address, &d.State, &d.Attempts, &d.NextAttempt, &d.Leased, &d.LastError, &d.Sent)
		return d, err
	}, `SELECT d.id, d.post_id, l.name, p.subject, d.address, d.state, d.attempts, d.next_attempt,
		d.claimed_until IS NOT NULL AND d.claimed_until > $3, d.last_error, d.sent
		FROM delivery d JOIN list_post p ON p.id = d.post_id JOIN list l ON l.id = p.list_id
		WHERE ($1 = 0 OR p.list_id = $1) AND (d.state = $4 OR ($4 = '' AND d.state IN ('queued', 'failed'))) ORDER BY d.id DESC LIMIT $2`, listID, limit, now, state)
	return q, err
}
