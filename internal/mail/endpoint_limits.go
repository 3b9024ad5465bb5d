package mail

import (
	"io"
	"net"
	"sync"
	"time"
)

// Defaults for the endpoint's limits. A list's posts come from a handful
// of MTAs, a few connections each; the limits are there so that a flood or
// a stuck client cannot use up the process (file descriptors, goroutines,
// database connections behind them).
const (
	DefaultMaxConns = 100
	// DefaultMaxConnsPerClient keeps one address from taking every place
	// (Postfix's smtpd_client_connection_count_limit, 50 there); a real
	// MTA opens a few connections to one destination at a time.
	DefaultMaxConnsPerClient = 10
	DefaultMaxRecipients     = 100
	DefaultReadTimeout       = 5 * time.Minute // RFC 5321 4.5.3.2: at least 5 minutes per command
	// DefaultIdleTimeout is how long a client may be silent when a
	// command is due. It is shorter than RFC 5321's 5 minutes (a SHOULD):
	// a sending MTA sends its next command at once, and idle connections
	// would otherwise hold places a real sender needs.
	DefaultIdleTimeout  = time.Minute
	DefaultWriteTimeout = time.Minute
	// DefaultMaxLineLength is far above RFC 5322's 998: senders break
	// that limit (HTML on one line, long base64 without breaks), and
	// Postfix takes such lines too. It still bounds what one command line
	// may cost in memory.
	DefaultMaxLineLength = 1 << 20
)

// connLimit counts the endpoint's open connections over all its
// listeners, in all and per client address.
type connLimit struct {
	max, perClient int
	mu             sync.Mutex
	open           int
	byClient       map[string]int
}

// take counts a new connection from client ("" when the listener has no
// client addresses, as LMTP on a Unix socket: the MTA in front is the only
// client and keeps its own limits). It returns the reply to refuse it
// with, or "".
func (l *connLimit) take(client string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.max {
		return busyReply
	}
	if client != "" {
		if l.byClient[client] >= l.perClient {
			return clientBusyReply
		}
		if l.byClient == nil {
			l.byClient = map[string]int{}
		}
		l.byClient[client]++
	}
	l.open++
	return ""
}

func (l *connLimit) give(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if client != "" {
		if l.byClient[client]--; l.byClient[client] <= 0 {
			delete(l.byClient, client)
		}
	}
}

// limitListener answers a connection over a limit at once with 421 and
// closes it, rather than leaving it to wait in the accept queue: the
// sending MTA then tries again later, as RFC 5321 (3.8) expects.
type limitListener struct {
	net.Listener
	lim *connLimit
}

const (
	busyReply       = "421 4.7.0 Too many connections, try again later\r\n"
	clientBusyReply = "421 4.7.0 Too many connections from your address, try again later\r\n"
)

func (l limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := clientOf(c)
		if reply := l.lim.take(client); reply != "" {
			go refuse(c, reply)
			continue
		}
		return &countedConn{Conn: c, lim: l.lim, client: client}, nil
	}
}

// clientOf is the address a connection is counted under: its IP, or ""
// when it has none.
func clientOf(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return ""
}

func refuse(c net.Conn, reply string) {
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte(reply))
	c.Close()
}

// countedConn gives its place back once, however often it is closed.
type countedConn struct {
	net.Conn
	lim    *connLimit
	client string
	once   sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.lim.give(c.client) })
	return c.Conn.Close()
}

// slidingDeadline extends conn's read deadline by d as the message comes
// in: a slow sender has d for each read, not for the whole message, and
// the short wait for a command (IdleTimeout) does not cut it.
type slidingDeadline struct {
	r    io.Reader
	conn net.Conn
	d    time.Duration
	set  time.Time // when the deadline was last moved
}

func (s *slidingDeadline) Read(p []byte) (int, error) {
	// Moving it at most once a second is as good, and cheaper.
	if now := time.Now(); now.Sub(s.set) >= time.Second {
		s.conn.SetReadDeadline(now.Add(s.d))
		s.set = now
	}
	return s.r.Read(p)
}
