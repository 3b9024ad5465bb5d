package benchrun

import (
	"io"
	"net"

	"github.com/emersion/go-smtp"
)

// DiscardSink is an SMTP server on a free loopback port that takes every
// message and keeps nothing: a smarthost for a bench's hum. Closing the
// listener stops it.
func DiscardSink() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := smtp.NewServer(discard{})
	srv.Domain = "sink.test"
	go srv.Serve(ln)
	return ln, nil
}

type discard struct{}

func (discard) NewSession(*smtp.Conn) (smtp.Session, error) { return discard{}, nil }
func (discard) Reset()                                      {}
func (discard) Logout() error                               { return nil }
func (discard) Mail(string, *smtp.MailOptions) error        { return nil }
func (discard) Rcpt(string, *smtp.RcptOptions) error        { return nil }
func (discard) Data(r io.Reader) error                      { _, err := io.Copy(io.Discard, r); return err }
