package archive

import (
	"context"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Dumped is a message as the public dump (package export) writes it.
type Dumped struct {
	ID                 int64
	List, Hashcode     string
	MessageID          string
	FromName, FromAddr string
	Subject            string
	Date               time.Time
	InReplyTo, Refs    string
	ThreadID           int64
	Body               string // the text search indexes
	Raw                []byte
}

// dumpBatch is how many messages Public reads per query: reads stay
// short, and the caller's writes happen between them.
const dumpBatch = 500

// Public calls fn with every archived message of a list not in hidden
// (the private archives), in the order they were stored, reading by id in
// batches.
func (s *Service) Public(ctx context.Context, hidden []string, fn func(Dumped) error) (err error) {
	defer fail.Wrap(&err, "archive.Public")
	var after int64
	for {
		w := &db.Where{}
		w.Add("id > $?", after)
		if len(hidden) > 0 {
			w.Raw("list NOT IN " + w.In(hidden))
		}
		batch, err := db.Query(ctx, s.DB, func(row db.Scanner) (Dumped, error) {
			var m Dumped
			err := row.Scan(&m.ID, &m.List, &m.Hashcode, &m.MessageID, &m.FromName, &m.FromAddr, &m.Subject, &m.Date,
				&m.InReplyTo, &m.Refs, &m.ThreadID, &m.Body, &m.Raw)
			return m, err
		}, `SELECT id, list, hashcode, message_id, from_name, from_addr, subject, date, in_reply_to, refs, thread_id, body, raw
			FROM arch_message`+w.SQL()+` ORDER BY id LIMIT `+itoa(dumpBatch), w.Args...)
		if err != nil {
			return err
		}
		for _, m := range batch {
			if err := fn(m); err != nil {
				return err
			}
		}
		if len(batch) < dumpBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}
