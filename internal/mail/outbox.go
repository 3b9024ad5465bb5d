// Package mail is hum's outbound mail path. A message is queued in the
// outbox table inside the transaction of the change that caused it, so a
// confirmation link is mailed if and only if its token was committed.
// A Sender hands queued messages to the smarthost; with no smarthost they
// stay queued, where the secretariat can read them at /admin/outbox/.
package mail

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"

	"hum/internal/db"
	"hum/internal/fail"
)

// Message is a plain-text mail to be queued.
type Message struct {
	From string // address
	// FromName is From's display name: a person posting through hum (a
	// chair's consensus call) is shown by name. Empty, it is the name of
	// the sender (the site name).
	FromName string
	To       []string
	// Cc is shown in the Cc header and delivered to as To is: the
	// Datatracker puts those who are told of a change (a draft's
	// authors and chairs, of an AD's ballot position) there.
	Cc      []string
	Subject string
	Body    string
	Headers map[string]string // extra headers, e.g. Auto-Submitted
	// Attach, when set, is a whole message forwarded as a message/rfc822
	// attachment after Body (mail to a list's -owner address).
	Attach []byte
	// Rcpt, when set, is whom the message is delivered to, where that is
	// not To: an alias of hum's (iesg@, a draft's authors) stays in To
	// and is expanded here, from the roles at the moment of sending.
	Rcpt []string
}

// Queued is a message as the outbox holds it.
type Queued struct {
	ID          int64
	Created     time.Time
	From        string
	To          []string
	Subject     string
	Raw         []byte
	State       string // queued, sent, failed
	Attempts    int
	NextAttempt time.Time
	LastError   string
	Sent        *time.Time
}

// Outbox queues mail in the caller's transaction.
type Outbox struct {
	// Notify, if set, is poked after a message is queued, so a Sender
	// can wake up instead of waiting for its next poll.
	Notify func()
	// Name is the display name on mail hum sends itself.
	Name string
}

// Queue renders m and inserts it into the outbox in tx.
func (o *Outbox) Queue(ctx context.Context, tx *db.Tx, m Message) (err error) {
	defer fail.Wrap(&err, "mail.Queue(%q)", m.Subject)
	raw, err := Render(m, o.Name, tx.Now)
	if err != nil {
		return err
	}
	rcpt := append(slices.Clip(m.To), m.Cc...)
	if m.Rcpt != nil {
		rcpt = m.Rcpt
	}
	return o.QueueRaw(ctx, tx, m.From, rcpt, m.Subject, raw)
}

// QueueRaw inserts a message hum did not write (mail to an alias, passed
// on as it came) into the outbox in tx, for the envelope from and rcpt.
func (o *Outbox) QueueRaw(ctx context.Context, tx *db.Tx, from string, rcpt []string, subject string, raw []byte) (err error) {
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (created, mail_from, rcpt_to, subject, message, state, next_attempt)
		VALUES ($1, $2, $3, $4, $5, 'queued', $1)`, tx.Now, from, strings.Join(rcpt, ","), subject, raw)
	if err == nil && o.Notify != nil {
		tx.AfterCommit(o.Notify)
	}
	return err
}

// Render builds an RFC 5322 message. go-message encodes the headers, so a
// name or subject with CR or LF cannot inject a header.
func Render(m Message, fromName string, now time.Time) ([]byte, error) {
	var h mail.Header
	h.SetDate(now)
	if m.FromName != "" {
		fromName = m.FromName
	}
	h.SetAddressList("From", []*mail.Address{{Name: fromName, Address: m.From}})
	var to []*mail.Address
	for _, a := range m.To {
		to = append(to, &mail.Address{Address: a})
	}
	h.SetAddressList("To", to)
	if len(m.Cc) > 0 {
		var cc []*mail.Address
		for _, a := range m.Cc {
			cc = append(cc, &mail.Address{Address: a})
		}
		h.SetAddressList("Cc", cc)
	}
	h.SetSubject(m.Subject)
	if err := h.GenerateMessageIDWithHostname(domainOf(m.From)); err != nil {
		return nil, err
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	for k, v := range m.Headers {
		h.Set(k, v)
	}
	var buf bytes.Buffer
	if m.Attach != nil {
		if err := renderForward(&buf, h, m); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n"))); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderForward writes Body as the first part of a multipart/mixed and
// the forwarded message, byte for byte, as the second.
func renderForward(buf *bytes.Buffer, h mail.Header, m Message) error {
	h.Del("Content-Type")
	mw, err := mail.CreateWriter(buf, h)
	if err != nil {
		return err
	}
	var th mail.InlineHeader
	th.Set("Content-Type", "text/plain; charset=utf-8")
	tw, err := mw.CreateSingleInline(th)
	if err != nil {
		return err
	}
	if _, err := tw.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n"))); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	var ah mail.AttachmentHeader
	ah.Set("Content-Type", "message/rfc822")
	ah.Set("Content-Transfer-Encoding", "8bit")
	aw, err := mw.CreateAttachment(ah)
	if err != nil {
		return err
	}
	if _, err := aw.Write(m.Attach); err != nil {
		return err
	}
	if err := aw.Close(); err != nil {
		return err
	}
	return mw.Close()
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok {
		return d
	}
	return "localhost"
}

// List returns the newest outbox entries, newest first.
func List(ctx context.Context, q db.Querier, state string, limit int) ([]Queued, error) {
	where, args := "", []any{limit}
	if state != "" {
		where, args = "WHERE state = $2", append(args, state)
	}
	return db.Query(ctx, q, func(row db.Scanner) (Queued, error) {
		var m Queued
		var to string
		err := row.Scan(&m.ID, &m.Created, &m.From, &to, &m.Subject, &m.Raw, &m.State, &m.Attempts, &m.NextAttempt, &m.LastError, &m.Sent)
		m.To = strings.Split(to, ",")
		return m, err
	}, `SELECT id, created, mail_from, rcpt_to, subject, message, state, attempts, next_attempt, last_error, sent
		FROM outbox `+where+` ORDER BY id DESC LIMIT $1`, args...)
}

// Get returns one outbox entry.
func Get(ctx context.Context, q db.Querier, id int64) (Queued, error) {
	var m Queued
	var to string
	err := q.QueryRowContext(ctx, `SELECT id, created, mail_from, rcpt_to, subject, message, state, attempts, next_attempt, last_error, sent
		FROM outbox WHERE id = $1`, id).Scan(&m.ID, &m.Created, &m.From, &to, &m.Subject, &m.Raw, &m.State, &m.Attempts, &m.NextAttempt, &m.LastError, &m.Sent)
	if err != nil {
		return m, fail.New(fail.NotFound, "no outbox message %d", id)
	}
	m.To = strings.Split(to, ",")
	return m, nil
}

// String is for logs.
func (q Queued) String() string {
	return fmt.Sprintf("outbox #%d %q to %v (%s)", q.ID, q.Subject, q.To, q.State)
}
