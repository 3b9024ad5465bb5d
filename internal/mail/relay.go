package mail

import (
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// RelayConn is one SMTP connection to the smarthost that carries many
// messages: list fan-out sends thousands of copies, and a new TCP and
// EHLO exchange for each would cost more than the copy itself.
type RelayConn struct {
	c    *smtp.Client
	used bool
}

// DialRelay opens a connection to the smarthost and says EHLO.
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

// Send hands one message for one recipient to the smarthost. After any
// error the connection should be closed: its state is unknown.
func (r *RelayConn) Send(from, to string, raw []byte) error {
	if r.used {
		// RSET between messages, so a half-finished transaction of the
		// previous message can never leak into this one.
		if err := r.c.Reset(); err != nil {
			return err
		}
	}
	r.used = true
	if err := r.c.Mail(from, nil); err != nil {
		return err
	}
	if err := r.c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := r.c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// Close says QUIT and closes the connection.
func (r *RelayConn) Close() error {
	r.c.Quit()
	return r.c.Close()
}

// Permanent reports whether an SMTP error is a refusal for good (5xx);
// anything else (4xx, a dropped connection) is worth another try.
func Permanent(err error) bool { return permanent(err) }
