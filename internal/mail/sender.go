package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db"
)

// Sender delivers queued outbox mail to a smarthost. Several hum processes
// may run Senders on one database: each claims a message for a lease
// before sending, so a message is handed over once unless a process dies
// mid-send, in which case the lease runs out and another one retries.
type Sender struct {
	DB        *db.DB
	Smarthost string // host:port
	Hello     string // our name in EHLO
	Log       *slog.Logger
	Poll      time.Duration // how often to look when not woken; default 2s
	MaxTries  int           // after this many temporary failures, give up; default 12
	// Refuse, when set, names the recipients of a message that hum must
	// never send to, whatever the smarthost would do (app sets
	// demo.ExternalLists: real lists' addresses in a demo database). They
	// are left out, and a message with no one left fails for good.
	Refuse func(ctx context.Context, to []string) ([]string, error)

	wake chan struct{}
}

// Wake tells a running Sender that mail is waiting. It never blocks.
func (s *Sender) Wake() {
	if s.wake == nil {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// NewSender makes a Sender ready to Run.
func NewSender(d *db.DB, smarthost, hello string, log *slog.Logger) *Sender {
	return &Sender{DB: d, Smarthost: smarthost, Hello: hello, Log: log, wake: make(chan struct{}, 1)}
}

// Run delivers until ctx is done.
func (s *Sender) Run(ctx context.Context) {
	poll := s.Poll
	if poll == 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for s.sendOne(ctx) {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// claim takes the oldest due message for a lease of five minutes.
func (s *Sender) claim(ctx context.Context) (id int64, from string, to []string, raw []byte, attempts int, ok bool) {
	now := s.DB.Now().UTC() // as db.Tx stores times: SQLite compares them as text
	var rcpt string
	err := s.DB.QueryRowContext(ctx, `UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
		WHERE id = (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt <= $2
		            AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT 1)
		  AND state = 'queued' AND next_attempt <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
		RETURNING id, mail_from, rcpt_to, message, attempts`, now.Add(5*time.Minute), now).Scan(&id, &from, &rcpt, &raw, &attempts)
	if err != nil {
		return 0, "", nil, nil, 0, false
	}
	return id, from, splitAddrs(rcpt), raw, attempts, true
}

// sendOne sends one due message and reports whether there was one.
func (s *Sender) sendOne(ctx context.Context) bool {
	id, from, to, raw, attempts, ok := s.claim(ctx)
	if !ok {
		return false
	}
	to, err := s.screen(ctx, id, to)
	if err == nil {
		err = s.send(from, to, raw)
	}
	now := s.DB.Now().UTC() // as db.Tx stores times: SQLite compares them as text
	maxTries := s.MaxTries
	if maxTries == 0 {
		maxTries = 12
	}
	switch {
	case err == nil:
		_, err = s.DB.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent = $1, claimed_until = NULL, last_error = '' WHERE id = $2`, now, id)
	case permanent(err) || attempts >= maxTries:
		s.Log.Warn("mail failed for good", "id", id, "err", err)
		_, err = s.DB.ExecContext(ctx, `UPDATE outbox SET state = 'failed', claimed_until = NULL, last_error = $1 WHERE id = $2`, err.Error(), id)
	default:
		backoff := time.Duration(1<<min(attempts, 10)) * 10 * time.Second
		s.Log.Info("mail deferred", "id", id, "retry_in", backoff, "err", err)
		_, err = s.DB.ExecContext(ctx, `UPDATE outbox SET claimed_until = NULL, next_attempt = $1, last_error = $2 WHERE id = $3`, now.Add(backoff), err.Error(), id)
	}
	if err != nil {
		s.Log.Error("outbox update", "id", id, "err", err)
		return false
	}
	return true
}

func (s *Sender) send(from string, to []string, raw []byte) error {
	conn, err := net.DialTimeout("tcp", s.Smarthost, 30*time.Second)
	if err != nil {
		return err
	}
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello(s.Hello); err != nil {
		return err
	}
	if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
		return err
	}
	// The smarthost took the message when it answered the final dot; a
	// failed QUIT must not make us send it a second time.
	c.Quit()
	return nil
}

// screen leaves out the recipients Refuse names. An error of Refuse is
// temporary; a message with no recipient left is a refusedError.
func (s *Sender) screen(ctx context.Context, id int64, to []string) ([]string, error) {
	if s.Refuse == nil {
		return to, nil
	}
	refused, err := s.Refuse(ctx, to)
	if err != nil || len(refused) == 0 {
		return to, err
	}
	s.Log.Warn("mail not sent to refused recipients", "id", id, "refused", refused)
	var keep []string
	for _, a := range to {
		if !slices.Contains(refused, a) {
			keep = append(keep, a)
		}
	}
	if len(keep) == 0 {
		return nil, refusedError(refused)
	}
	return keep, nil
}

// refusedError is a message whose every recipient hum refuses to send to.
type refusedError []string

func (e refusedError) Error() string {
	return "hum never sends to " + strings.Join(e, ", ") + " (a real address copied into demo data)"
}

// permanent reports whether the smarthost refused for good (5xx), or hum
// refused every recipient.
func permanent(err error) bool {
	var se *smtp.SMTPError
	var re refusedError
	return errors.As(err, &se) && se.Code >= 500 || errors.As(err, &re)
}

func splitAddrs(s string) []string {
	var out []string
	for _, a := range bytes.Split([]byte(s), []byte(",")) {
		if len(a) > 0 {
			out = append(out, string(a))
		}
	}
	return out
}
