package mail

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/textproto"
	"slices"
	"time"

	"github.com/emersion/go-smtp"
)

// RelayConn is one SMTP connection to the smarthost that carries many
// messages: list fan-out sends thousands of copies, and a new TCP and
// EHLO exchange for each would cost more than the copy itself.
//
// It speaks through go-smtp's client, in hum's fork of it
// (third_party/go-smtp, HUM.md), whose MailRcptData pipelines (RFC 2920)
// MAIL, RCPT and DATA where the smarthost offers PIPELINING: a copy takes
// two round trips (the start of the transaction, the end of the data)
// where it took four, and on a smarthost without PIPELINING it still
// takes four.
type RelayConn struct {
	c       *smtp.Client
	midData bool // a message's data was begun and not ended
}

// DialRelay opens a connection to the smarthost and says EHLO (HELO if
// the smarthost does not know EHLO: a 500 or 502 to it).
func DialRelay(smarthost, hello string) (*RelayConn, error) {
	conn, err := net.DialTimeout("tcp", smarthost, 30*time.Second)
	if err != nil {
		return nil, err
	}
	c := smtp.NewClient(conn)
	c.CommandTimeout = time.Minute
	c.SubmissionTimeout = 5 * time.Minute
	if err := c.Hello(hello); err != nil {
		c.Close()
		return nil, err
	}
	return &RelayConn{c: c}, nil
}

// Send hands one message for one recipient to the smarthost. A
// transaction that ended with the 250 to its data leaves the session
// clean for the next MAIL, so no RSET is sent: go-smtp's Reset makes the
// next command say EHLO again, which sendmail and others refuse with 503.
// After any error the connection must be closed instead (its state is
// unknown, or a transaction is half open), and a fresh one dialled.
//
// The message is head followed by rest: head goes through go-smtp's data
// writer, which puts it in CRLF lines and doubles a leading dot; rest is
// already in that form (ToWire), made once for every copy of a message
// that differ only in their head, and is written as it is. When rest is
// not empty, head must be one line or more, ended: the data writer ends
// the data after a line it saw ended, and any other way after a CRLF of
// its own, which would add a line to the message.
//
// ready, when not nil, is called once the data is written and before its
// end is: until then the smarthost cannot have taken the message, so a
// sender may use the time to finish recording the one before. If ready
// fails, the data is never ended, the connection is dropped (the
// smarthost discards what it had), and Send returns ready's error.
func (r *RelayConn) Send(from, to string, ready func() error, head []byte, rest Wire) error {
	if len(rest) > 0 && (len(head) == 0 || head[len(head)-1] != '\n') {
		return errors.New("mail: a message's head must be whole lines before the rest in wire form")
	}
	w, rcptErrs, err := r.c.MailRcptData(from, nil, []string{to}, nil)
	if errors.Is(err, smtp.ErrNoRecipient) {
		return recipientError(rcptErrs[0])
	}
	if err != nil {
		return err
	}
	if _, err := w.Write(head); err != nil {
		r.midData = true
		return err
	}
	if _, err := w.WriteWire(rest); err != nil {
		r.midData = true
		return err
	}
	if ready != nil {
		if err := ready(); err != nil {
			r.midData = true
			return err
		}
	}
	// One recipient: a refusal of the message is a refusal for it.
	return recipientError(w.Close())
}

// Wire is message data in the form SMTP's DATA carries it: lines ended
// by CRLF, a dot that begins a line doubled, the last line ended; and
// without the final "." line.
type Wire []byte

// ToWire puts data, the parts of a message one after another, in wire
// form, as go-smtp's data writer (textproto's DotWriter) would send them
// at the start of a message, or after a part that ended a line.
func ToWire(data ...[]byte) Wire {
	if !slices.ContainsFunc(data, func(d []byte) bool { return len(d) > 0 }) {
		return nil // the data writer would end empty data with a CRLF first
	}
	var b bytes.Buffer
	dw := textproto.NewWriter(bufio.NewWriter(&b)).DotWriter()
	for _, d := range data {
		dw.Write(d) // a bytes.Buffer does not fail
	}
	dw.Close()
	return bytes.TrimSuffix(b.Bytes(), []byte(".\r\n"))
}

// Close says QUIT and closes the connection; in the middle of a message's
// data it only closes it, as a QUIT there would be taken for data.
func (r *RelayConn) Close() error {
	if !r.midData {
		r.c.Quit()
	}
	return r.c.Close()
}

// rcptError is a reply about the recipient rather than the smarthost.
type rcptError struct{ *smtp.SMTPError }

func (e rcptError) Unwrap() error { return e.SMTPError }

func recipientError(err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return rcptError{se}
	}
	return err
}

// RecipientRefused reports whether the smarthost refused a message for
// good because of its recipient: a 5xx to RCPT TO, or to the data of a
// one-recipient transaction. Only that is a bounce. Any other failure,
// a 5xx to EHLO or MAIL FROM included, is the smarthost's, says nothing
// about the recipient, and is worth another try later.
func RecipientRefused(err error) bool {
	var re rcptError
	return errors.As(err, &re) && re.Code >= 500
}
