package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/fail"
)

// Envelope is what the SMTP conversation said about a message, plus what
// the checks found out.
type Envelope struct {
	From     string // MAIL FROM, "" for bounces
	To       []string
	RemoteIP net.IP
	Helo     string
	Auth     Auth
}

// Target decides what happens to inbound mail. Errors are fail.Errors:
// the endpoint turns their kind into an SMTP reply (see smtpError), and
// anything else into a temporary 451, so the sender tries again.
type Target interface {
	// CheckRcpt runs at RCPT: an unknown address is NotFound (550); size
	// is the SIZE the client declared, 0 if none; too big is a
	// fail.Field("size", ...) error (552).
	CheckRcpt(ctx context.Context, rcpt string, size int64) error
	// Receive must have committed the message durably when it returns nil:
	// the endpoint answers 250 only then.
	Receive(ctx context.Context, env Envelope, raw []byte) error
}

// Endpoint receives mail over SMTP or LMTP, runs the authentication
// checks, and hands each message to a Target. It is the receive and check
// half of the pipeline; lists is the rest.
type Endpoint struct {
	Hostname string // our name in the greeting and in Authentication-Results
	Target   Target
	Checker  *Checker
	MaxBytes int64 // the largest message taken at all; default 50 MiB
	LMTP     bool
	Log      *slog.Logger
	// MaxConns is how many connections are served at once; one more is
	// answered 421 and closed. Default DefaultMaxConns.
	MaxConns int
	// MaxRecipients per message; RCPT beyond it gets 452, and the client
	// sends the rest in another transaction. Default DefaultMaxRecipients.
	MaxRecipients int
	// ReadTimeout and WriteTimeout bound each read from and write to a
	// client; a client silent for longer is told 421 and dropped.
	// Defaults DefaultReadTimeout and DefaultWriteTimeout.
	ReadTimeout, WriteTimeout time.Duration
	// MaxLineLength is the longest line taken, in commands and in the
	// message, without its CRLF. Longer lines than RFC 5322's 998 are
	// common in real mail (HTML on one line), so the default,
	// DefaultMaxLineLength, is generous; a line over it refuses the
	// message for good (554 5.6.0), never with a 4xx the sender would
	// retry.
	MaxLineLength int
	// MaxConnsPerClient is how many connections one client IP address may
	// hold at once; one more is answered 421. Default
	// DefaultMaxConnsPerClient, well below MaxConns, so that one client
	// cannot shut out the others.
	MaxConnsPerClient int
	// IdleTimeout is how long a client may be silent while a command is
	// due (before DATA and between messages); ReadTimeout still bounds it
	// when shorter, and bounds each read of a message's data. Default
	// DefaultIdleTimeout.
	IdleTimeout time.Duration

	mu     sync.Mutex
	conns  connLimit
	srv    *smtp.Server
	closed bool
	lns    []net.Listener
}

// Serve answers connections on ln until Close.
func (e *Endpoint) Serve(ln net.Listener) error {
	s := e.server()
	e.mu.Lock()
	closed := e.closed
	e.lns = append(e.lns, ln)
	e.mu.Unlock()
	if closed {
		ln.Close()
		return nil
	}
	err := s.Serve(limitListener{ln, &e.conns})
	if e.isClosed() {
		return nil
	}
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

func (e *Endpoint) server() *smtp.Server {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.srv != nil {
		return e.srv
	}
	if e.MaxBytes == 0 {
		e.MaxBytes = 50 << 20
	}
	e.conns.max = orDefault(e.MaxConns, DefaultMaxConns)
	e.conns.perClient = orDefault(e.MaxConnsPerClient, DefaultMaxConnsPerClient)
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &inSession{e: e, conn: c}, nil
	}))
	s.Domain = e.Hostname
	s.LMTP = e.LMTP
	s.MaxMessageBytes = e.MaxBytes
	s.MaxRecipients = orDefault(e.MaxRecipients, DefaultMaxRecipients)
	e.ReadTimeout = orDefault(e.ReadTimeout, DefaultReadTimeout)
	// go-smtp's ReadTimeout bounds the wait for each command line; the
	// message's data is read under ReadTimeout (see Data).
	s.ReadTimeout = min(orDefault(e.IdleTimeout, DefaultIdleTimeout), e.ReadTimeout)
	s.WriteTimeout = orDefault(e.WriteTimeout, DefaultWriteTimeout)
	e.MaxLineLength = orDefault(e.MaxLineLength, DefaultMaxLineLength)
	// go-smtp counts the line ending and one byte of the previous one.
	s.MaxLineLength = e.MaxLineLength + 2
	s.EnableSMTPUTF8 = true
	if e.Log != nil {
		s.ErrorLog = slogLogger{e.Log}
	}
	e.srv = s
	return s
}

// Close stops the endpoint; a message being received gets no 250.
func (e *Endpoint) Close() error {
	s := e.server()
	e.mu.Lock()
	e.closed = true
	// Closed here too, in case Close comes between Serve's check and
	// go-smtp registering the listener.
	for _, ln := range e.lns {
		ln.Close()
	}
	e.mu.Unlock()
	return s.Close()
}

func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (e *Endpoint) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

type slogLogger struct{ l *slog.Logger }

func (l slogLogger) Printf(format string, v ...any) {
	l.l.Warn("smtp", "msg", strings.TrimSpace(fmt.Sprintf(format, v...)))
}
func (l slogLogger) Println(v ...any) { l.l.Warn("smtp", "msg", strings.TrimSpace(fmt.Sprintln(v...))) }

type inSession struct {
	e    *Endpoint
	conn *smtp.Conn
	from string
	to   []string
	size int64
}

func (s *inSession) Reset()        { s.from, s.to, s.size = "", nil, 0 }
func (s *inSession) Logout() error { return nil }

func (s *inSession) Mail(from string, opts *smtp.MailOptions) error {
	s.Reset()
	s.from = from
	if opts != nil {
		s.size = opts.Size
	}
	return nil
}

func (s *inSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.e.Target.CheckRcpt(context.Background(), to, s.size); err != nil {
		return s.e.smtpError(err)
	}
	s.to = append(s.to, to)
	return nil
}

func (s *inSession) Data(r io.Reader) error {
	raw, err := s.read(r)
	if err != nil {
		return err
	}
	env := s.envelope(raw)
	for _, rcpt := range s.to {
		// One SMTP transaction gets one reply: the first failure wins
		// and the sender retries the whole message, which is safe because
		// a Target takes a message it already has as a success.
		if err := s.deliver(env, rcpt, raw); err != nil {
			return err
		}
	}
	return nil
}

// LMTPData answers per recipient, as LMTP wants.
func (s *inSession) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	raw, err := s.read(r)
	if err != nil {
		return err
	}
	env := s.envelope(raw)
	for _, rcpt := range s.to {
		status.SetStatus(rcpt, s.deliver(env, rcpt, raw))
	}
	return nil
}

func (s *inSession) read(r io.Reader) ([]byte, error) {
	r = &slidingDeadline{r: r, conn: s.conn.Conn(), d: s.e.ReadTimeout}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return nil, se
		}
		if errors.Is(err, smtp.ErrTooLongLine) {
			// Sending it again will not make the line shorter.
			return nil, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
				Message: fmt.Sprintf("Message has a line longer than %d characters; not taken", s.e.MaxLineLength)}
		}
		return nil, &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Could not read the message"}
	}
	return withoutNUL(buf.Bytes()), nil
}

// withoutNUL removes NUL bytes, which mail over SMTP may not carry
// (RFC 5321 2.4 and 4.5.2 allow only 7bit or, with 8BITMIME, 8bit text,
// and RFC 2045 2.7-2.8 exclude NUL from both), as Postfix does with
// message_strip_characters = \0. They come from broken gateways and mean
// nothing in text; refusing would lose the post, and keeping them makes
// parsers disagree about where the header ends.
func withoutNUL(raw []byte) []byte {
	if bytes.IndexByte(raw, 0) < 0 {
		return raw
	}
	return bytes.ReplaceAll(raw, []byte{0}, nil)
}

// envelope runs the authentication checks once per message: their
// result depends on the client and the message, not on the recipient.
func (s *inSession) envelope(raw []byte) Envelope {
	env := Envelope{From: s.from, Helo: s.conn.Hostname()}
	if a, ok := s.conn.Conn().RemoteAddr().(*net.TCPAddr); ok {
		env.RemoteIP = a.IP
	}
	if s.e.Checker != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		env.Auth = s.e.Checker.Check(ctx, env.RemoteIP, env.Helo, env.From, raw)
	}
	return env
}

func (s *inSession) deliver(env Envelope, rcpt string, raw []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env.To = []string{rcpt}
	if err := s.e.Target.Receive(ctx, env, raw); err != nil {
		return s.e.smtpError(err)
	}
	return nil
}

// smtpError is the one place where a failure becomes an SMTP reply.
func (e *Endpoint) smtpError(err error) error {
	fe, ok := fail.As(err)
	code, enh, msg := 451, smtp.EnhancedCode{4, 3, 0}, "Temporary failure, please try again later"
	if ok {
		msg = oneLine(fe.Message)
		switch {
		case fe.Kind == fail.Invalid && fe.Field == "size":
			code, enh = 552, smtp.EnhancedCode{5, 3, 4}
		case fe.Kind == fail.Invalid && fe.Field == "loop":
			code, enh = 554, smtp.EnhancedCode{5, 4, 6}
		case fe.Kind == fail.Invalid:
			code, enh = 554, smtp.EnhancedCode{5, 6, 0}
		case fe.Kind == fail.NotFound:
			code, enh = 550, smtp.EnhancedCode{5, 1, 1}
		case fe.Kind == fail.Forbidden, fe.Kind == fail.Unauthorized, fe.Kind == fail.Conflict:
			code, enh = 550, smtp.EnhancedCode{5, 7, 1}
		case fe.Kind == fail.RateLimited:
			code, enh = 450, smtp.EnhancedCode{4, 7, 0}
		default:
			code, enh, msg = 451, smtp.EnhancedCode{4, 3, 0}, "Temporary failure, please try again later"
		}
	}
	if !ok && e.Log != nil {
		e.Log.Error("inbound mail", "err", err)
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
