package smtp

// This file is hum's addition to go-smtp (see HUM.md): a client that
// pipelines the start of a mail transaction (RFC 2920).

import (
	"errors"
	"time"
)

// ErrNoRecipient is MailRcptData's error when the server refused every
// recipient; the refusals are in its recipient errors.
var ErrNoRecipient = errors.New("smtp: the server refused every recipient")

// MailRcptData starts a mail transaction as Mail, then Rcpt for each of
// to, then Data would, and returns the data writer. When the server
// offers PIPELINING (RFC 2920), it writes MAIL FROM, every RCPT TO and
// DATA at once and then reads their replies in order, so the transaction
// starts in one round trip instead of two and one for each recipient.
// Without PIPELINING it sends them one by one, as those calls do.
//
// rcptErrs holds one entry for each of to: nil where the server took the
// recipient, its refusal otherwise (an *SMTPError, unless the connection
// failed). The data writer is returned when at least one recipient was
// taken and the server said 354 to DATA; the message then goes to those
// taken. Otherwise err says why: the refusal of MAIL or of DATA, a
// failure of the connection, or ErrNoRecipient. RFC 2920 has a server
// that took no recipient refuse DATA; should one say 354 all the same,
// an empty message is ended at once and its reply read, so the session
// is left where a refused transaction leaves it.
func (c *Client) MailRcptData(from string, opts *MailOptions, to []string, rcptOpts *RcptOptions) (data *DataCommand, rcptErrs []error, err error) {
	if err := c.hello(); err != nil {
		return nil, nil, err
	}
	if _, ok := c.ext["PIPELINING"]; !ok || c.lmtp {
		return c.mailRcptDataInTurn(from, opts, to, rcptOpts)
	}
	lines := make([]string, 0, len(to)+2)
	line, err := c.mailLine(from, opts)
	if err != nil {
		return nil, nil, err
	}
	lines = append(lines, line)
	for _, rcpt := range to {
		line, err := c.rcptLine(rcpt, rcptOpts)
		if err != nil {
			return nil, nil, err
		}
		lines = append(lines, line)
	}
	lines = append(lines, "DATA")

	c.conn.SetDeadline(time.Now().Add(c.CommandTimeout))
	defer c.conn.SetDeadline(time.Time{})
	w := c.text.W
	for _, line := range lines {
		w.WriteString(line)
		w.WriteString("\r\n")
	}
	if err := w.Flush(); err != nil {
		return nil, nil, err
	}

	// Every reply is read, whatever the one before said: each command
	// written has one.
	_, _, mailErr := c.readResponse(250)
	rcptErrs = make([]error, len(to))
	c.rcpts = nil
	for i, rcpt := range to {
		if _, _, err := c.readResponse(25); err != nil {
			if !isReply(err) {
				return nil, rcptErrs, err
			}
			rcptErrs[i] = err
		} else {
			c.rcpts = append(c.rcpts, rcpt)
		}
	}
	code, _, dataErr := c.readResponse(354)
	if dataErr != nil && !isReply(dataErr) {
		return nil, rcptErrs, dataErr
	}
	err = mailErr
	if err == nil && len(c.rcpts) == 0 {
		err = ErrNoRecipient
	}
	if err == nil {
		err = dataErr
	}
	if err == nil {
		return &DataCommand{client: c, wc: c.text.DotWriter()}, rcptErrs, nil
	}
	if code == 354 {
		// DATA was taken though the transaction was not: end an empty
		// message, and read whatever the server says to it.
		c.conn.SetDeadline(time.Now().Add(c.SubmissionTimeout))
		if _, werr := c.text.W.WriteString(".\r\n"); werr != nil {
			return nil, rcptErrs, werr
		}
		if ferr := c.text.W.Flush(); ferr != nil {
			return nil, rcptErrs, ferr
		}
		if _, _, rerr := c.readResponse(250); rerr != nil && !isReply(rerr) {
			return nil, rcptErrs, rerr
		}
	}
	return nil, rcptErrs, err
}

// mailRcptDataInTurn is MailRcptData for a server without PIPELINING.
func (c *Client) mailRcptDataInTurn(from string, opts *MailOptions, to []string, rcptOpts *RcptOptions) (*DataCommand, []error, error) {
	if err := c.Mail(from, opts); err != nil {
		return nil, nil, err
	}
	rcptErrs := make([]error, len(to))
	taken := 0
	for i, rcpt := range to {
		if err := c.Rcpt(rcpt, rcptOpts); err != nil {
			if !isReply(err) {
				return nil, rcptErrs, err
			}
			rcptErrs[i] = err
			continue
		}
		taken++
	}
	if taken == 0 {
		return nil, rcptErrs, ErrNoRecipient
	}
	data, err := c.Data()
	return data, rcptErrs, err
}

// isReply reports whether err is the server's reply rather than a
// failure to talk to it.
func isReply(err error) bool {
	var se *SMTPError
	return errors.As(err, &se)
}

// WriteWire writes p to the message's data as it is, where Write would
// convert and escape it: p must already be in the form the data takes on
// the wire, as a textproto.DotWriter that begins at the start of a line
// writes it (each line ended by CRLF, a dot that begins a line doubled),
// and must end a line; and Write must have written one line or more
// before it, the last ended (until it writes, the data writer is at a
// message's start, which Close would end with a CRLF first). A sender of one content to many recipients, one
// transaction each, can so put the content in that form once rather than
// for every copy.
func (cmd *DataCommand) WriteWire(p []byte) (int, error) {
	return cmd.client.text.W.Write(p)
}
