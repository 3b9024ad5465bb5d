package mail

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the endpoint's limits. A list's posts come from a handful
// of MTAs, a few connections each; the limits are there so that a flood or
// a stuck client cannot use up the process (file descriptors, goroutines,
// database connections behind them).
const (
	DefaultMaxConns      = 100
	DefaultMaxRecipients = 100
	DefaultReadTimeout   = 5 * time.Minute // RFC 5321 4.5.3.2: at least 5 minutes per command
	DefaultWriteTimeout  = time.Minute
	// DefaultMaxLineLength is far above RFC 5322's 998: senders break
	// that limit (HTML on one line, long base64 without breaks), and
	// Postfix takes such lines too. It still bounds what one command line
	// may cost in memory.
	DefaultMaxLineLength = 1 << 20
)

// connLimit counts the endpoint's open connections over all its
// listeners.
type connLimit struct {
	max  int64
	open atomic.Int64
}

// limitListener answers a connection over the limit at once with 421 and
// closes it, rather than leaving it to wait in the accept queue: the
// sending MTA then tries again later, as RFC 5321 (3.8) expects.
type limitListener struct {
	net.Listener
	lim *connLimit
}

const busyReply = "421 4.7.0 Too many connections, try again later\r\n"

func (l limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.lim.open.Add(1) > l.lim.max {
			l.lim.open.Add(-1)
			go refuse(c)
			continue
		}
		return &countedConn{Conn: c, lim: l.lim}, nil
	}
}

func refuse(c net.Conn) {
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte(busyReply))
	c.Close()
}

// countedConn gives its place back once, however often it is closed.
type countedConn struct {
	net.Conn
	lim  *connLimit
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.lim.open.Add(-1) })
	return c.Conn.Close()
}
