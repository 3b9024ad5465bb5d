package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// RelayConn is one SMTP connection to the smarthost that carries many
// messages: list fan-out sends thousands of copies, and a new TCP and
// EHLO exchange for each would cost more than the copy itself. It speaks
// SMTP itself rather than through go-smtp's client, for two things that
// client does not do and that a copy's cost is mostly made of: it sends
// MAIL, RCPT and DATA in one write when the smarthost offers PIPELINING
// (RFC 2920), so a copy takes two round trips instead of four, and it
// dot-stuffs the data a line at a time instead of a byte at a time.
type RelayConn struct {
	conn       net.Conn
	r          *textproto.Reader
	w          *bufio.Writer
	pipelining bool // the smarthost said PIPELINING to EHLO
	eightBit   bool // and 8BITMIME: say BODY=8BITMIME, as go-smtp's client does
	midData    bool // a message's data was begun and not ended
	cmd        []byte
}

// Timeouts, as go-smtp's client had them: a command's reply, and the end
// of a message's data (which a smarthost may take long to accept).
const (
	relayCommandTimeout = time.Minute
	relayDataTimeout    = 5 * time.Minute
)

// DialRelay opens a connection to the smarthost and says EHLO (HELO if
// EHLO is refused).
func DialRelay(smarthost, hello string) (*RelayConn, error) {
	if err := validLine(hello); err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", smarthost, 30*time.Second)
	if err != nil {
		return nil, err
	}
	r := &RelayConn{conn: conn, r: textproto.NewReader(bufio.NewReader(conn)), w: bufio.NewWriterSize(conn, 8192)}
	if err := r.hello(hello); err != nil {
		conn.Close()
		return nil, err
	}
	return r, nil
}

func (r *RelayConn) hello(hello string) error {
	r.deadline(relayCommandTimeout)
	if _, err := r.reply(220); err != nil {
		return err
	}
	msg, err := r.command(250, "EHLO "+hello)
	if err != nil {
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code < 500 {
			return err
		}
		// An old server: HELO, and no extensions.
		_, err := r.command(250, "HELO "+hello)
		return err
	}
	for _, ext := range strings.Split(msg, "\n")[1:] {
		switch kw, _, _ := strings.Cut(ext, " "); strings.ToUpper(kw) {
		case "PIPELINING":
			r.pipelining = true
		case "8BITMIME":
			r.eightBit = true
		}
	}
	return nil
}

// Send hands one message for one recipient to the smarthost. A
// transaction that ended with the 250 to its data leaves the session
// clean for the next MAIL, so no RSET is sent: sendmail and others
// refuse a second EHLO with 503, and RSET costs a round trip.
// After any error the connection must be closed instead (its state is
// unknown, or a transaction is half open), and a fresh one dialled.
//
// The message is the concatenation of parts, so a copy's common part can
// be sent as it is, without building each copy whole. Lines may end in
// CRLF or LF; they go out in CRLF, dot-stuffed.
//
// ready, when not nil, is called once the data is written and before its
// end is: until then the smarthost cannot have taken the message, so a
// sender may use the time to finish recording the one before. If ready
// fails, the data is never ended, the connection is dropped (the
// smarthost discards what it had), and Send returns ready's error.
func (r *RelayConn) Send(from, to string, ready func() error, parts ...[]byte) error {
	if err := validLine(from); err != nil {
		return err
	}
	if err := validLine(to); err != nil {
		return recipientError(err)
	}
	if err := r.envelope(from, to); err != nil {
		return err
	}
	r.deadline(relayDataTimeout)
	d := dotWriter{w: r.w, atStart: true}
	for _, p := range parts {
		d.write(p)
	}
	if !d.atStart {
		r.w.WriteString("\r\n")
	}
	if ready != nil {
		// The data waits in the buffer (what does not fit went out
		// already) and leaves with its end in one write: a write less
		// for each copy, and a wake-up less for the smarthost.
		if err := ready(); err != nil {
			r.midData = true
			return err
		}
	}
	r.w.WriteString(".\r\n")
	if err := r.w.Flush(); err != nil {
		r.midData = true // whether the smarthost took it is unknown
		return err
	}
	// One recipient: a refusal of the message is a refusal for it.
	_, err := r.reply(250)
	return recipientError(err)
}

// envelope says MAIL, RCPT and DATA, in one write when the smarthost
// allows pipelining, and returns once DATA got its 354.
func (r *RelayConn) envelope(from, to string) error {
	r.deadline(relayCommandTimeout)
	r.cmd = append(append(append(r.cmd[:0], "MAIL FROM:<"...), from...), '>')
	if r.eightBit {
		r.cmd = append(r.cmd, " BODY=8BITMIME"...)
	}
	r.cmd = append(append(append(r.cmd, "\r\nRCPT TO:<"...), to...), ">\r\n"...)
	if !r.pipelining {
		return r.envelopeInTurn()
	}
	r.cmd = append(r.cmd, "DATA\r\n"...)
	if _, err := r.w.Write(r.cmd); err != nil {
		return err
	}
	if err := r.w.Flush(); err != nil {
		return err
	}
	// All three replies are read whatever they say: the next command must
	// meet its own. The first failure is the one that counts (RFC 2920).
	_, mailErr := r.reply(2)
	_, rcptErr := r.reply(2)
	_, dataErr := r.reply(354)
	switch {
	case mailErr != nil || rcptErr != nil:
		if dataErr == nil {
			// A smarthost that took DATA with no recipient: never end
			// that data; the caller closes the connection.
			r.midData = true
		}
		if mailErr != nil {
			return mailErr
		}
		return recipientError(rcptErr)
	}
	return dataErr
}

// envelopeInTurn is envelope for a smarthost without PIPELINING: each
// command waits for its reply. r.cmd holds MAIL and RCPT.
func (r *RelayConn) envelopeInTurn() error {
	mail, rcpt, _ := bytes.Cut(r.cmd, []byte("\r\n"))
	if _, err := r.command(2, string(mail)); err != nil {
		return err
	}
	if _, err := r.command(2, string(bytes.TrimSuffix(rcpt, []byte("\r\n")))); err != nil {
		return recipientError(err)
	}
	_, err := r.command(354, "DATA")
	return err
}

// command sends one command line and reads its reply.
func (r *RelayConn) command(expect int, line string) (string, error) {
	r.w.WriteString(line)
	r.w.WriteString("\r\n")
	if err := r.w.Flush(); err != nil {
		return "", err
	}
	return r.reply(expect)
}

// reply reads one reply; one whose code does not begin with the digits
// of expect is an *smtp.SMTPError, as go-smtp's client returns.
func (r *RelayConn) reply(expect int) (string, error) {
	_, msg, err := r.r.ReadResponse(expect)
	var pe *textproto.Error
	if errors.As(err, &pe) {
		return msg, smtpError(pe)
	}
	return msg, err
}

func (r *RelayConn) deadline(d time.Duration) { r.conn.SetDeadline(time.Now().Add(d)) }

// Close says QUIT and closes the connection; in the middle of a message's
// data it only closes it, as a QUIT there would be taken for data.
func (r *RelayConn) Close() error {
	if !r.midData {
		r.deadline(relayCommandTimeout)
		r.command(221, "QUIT")
	}
	return r.conn.Close()
}

// dotWriter writes message data as SMTP wants it: every line ending in
// CRLF, and a line that begins with a dot given another (RFC 5321
// 4.5.2). It keeps its place across writes, so a line may span parts.
type dotWriter struct {
	w       *bufio.Writer
	atStart bool // at the start of a line
	cr      bool // the last byte written was a CR
}

func (d *dotWriter) write(p []byte) {
	for len(p) > 0 {
		if d.atStart && p[0] == '.' {
			d.w.WriteByte('.')
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			d.w.Write(p)
			d.atStart, d.cr = false, p[len(p)-1] == '\r'
			return
		}
		d.w.Write(p[:i])
		if !(i > 0 && p[i-1] == '\r' || i == 0 && d.cr) {
			d.w.WriteByte('\r')
		}
		d.w.WriteByte('\n')
		d.atStart, d.cr = true, false
		p = p[i+1:]
	}
}

// smtpError is a reply as go-smtp's client reports it, with its
// enhanced status code (RFC 2034) when it has one.
func smtpError(pe *textproto.Error) *smtp.SMTPError {
	se := &smtp.SMTPError{Code: pe.Code, Message: pe.Msg}
	code, msg, ok := strings.Cut(pe.Msg, " ")
	if !ok {
		return se
	}
	parts := strings.Split(code, ".")
	if len(parts) != 3 {
		return se
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return se
		}
		se.EnhancedCode[i] = n
	}
	se.Message = strings.ReplaceAll(msg, "\n"+code+" ", "\n")
	return se
}

// validLine refuses what would end a command line early, as go-smtp's
// client does.
func validLine(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return fmt.Errorf("smtp: a line break in %q", s)
	}
	return nil
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
