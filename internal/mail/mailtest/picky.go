// Package mailtest holds SMTP servers for tests of hum's outbound mail.
package mailtest

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// Picky is a smarthost that behaves like sendmail: a second EHLO in a
// session gets "503 Duplicate HELO/EHLO" (go-smtp's server allows it, so
// this one speaks SMTP itself). Reply maps a command (EHLO, MAIL, RCPT,
// DATA, or "." for the end of the data) to the answer it gets instead of
// the usual one. Like sendmail, it keeps the transaction's state: a
// RCPT before a MAIL it took gets 503, and so does a DATA before a RCPT
// it took.
type Picky struct {
	Addr       string
	reply      map[string]string
	pipelining bool // offers PIPELINING (RFC 2920)

	mu        sync.Mutex
	conns     int
	to        []string // the recipient of each message accepted
	pipelined int      // MAIL commands read with the next command behind them
}

// StartPicky listens on a local port until t ends.
func StartPicky(t testing.TB, reply map[string]string) *Picky {
	t.Helper()
	return start(t, &Picky{reply: reply})
}

// StartPipelining is StartPicky with PIPELINING offered in the reply to
// EHLO. The server reads a command at a time either way, as sendmail
// does, so commands sent together are answered in turn.
func StartPipelining(t testing.TB, reply map[string]string) *Picky {
	t.Helper()
	return start(t, &Picky{reply: reply, pipelining: true})
}

func start(t testing.TB, p *Picky) *Picky {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	p.Addr = l.Addr().String()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns++
			p.mu.Unlock()
			go p.serve(conn)
		}
	}()
	return p
}

func (p *Picky) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	fmt.Fprintf(conn, "220 picky.test ESMTP\r\n")
	helloed, inData, mail, rcpt := false, false, false, ""
	answer := func(cmd, usual string) {
		if a, ok := p.reply[cmd]; ok {
			usual = a
		}
		fmt.Fprintf(conn, "%s\r\n", usual)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if inData {
			if line == "." {
				inData = false
				if _, refused := p.reply["."]; !refused {
					p.mu.Lock()
					p.to = append(p.to, rcpt)
					p.mu.Unlock()
				}
				mail = false
				answer(".", "250 2.0.0 queued")
			}
			continue
		}
		switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
		case "EHLO", "HELO":
			if helloed {
				fmt.Fprintf(conn, "503 5.5.0 picky.test Duplicate HELO/EHLO\r\n")
				continue
			}
			helloed = true
			if p.pipelining {
				answer("EHLO", "250-picky.test\r\n250 PIPELINING")
			} else {
				answer("EHLO", "250 picky.test")
			}
		case "RCPT":
			if !mail {
				fmt.Fprintf(conn, "503 5.0.0 Need MAIL before RCPT\r\n")
				continue
			}
			if a, ok := p.reply["RCPT"]; ok {
				fmt.Fprintf(conn, "%s\r\n", a)
				continue
			}
			if _, addr, ok := strings.Cut(line, ":"); ok {
				rcpt = strings.Trim(addr, "<> ")
			}
			fmt.Fprintf(conn, "250 2.1.5 ok\r\n")
		case "MAIL":
			if r.Buffered() > 0 {
				p.mu.Lock()
				p.pipelined++
				p.mu.Unlock()
			}
			if a, ok := p.reply["MAIL"]; ok {
				fmt.Fprintf(conn, "%s\r\n", a)
				continue
			}
			mail, rcpt = true, ""
			fmt.Fprintf(conn, "250 2.0.0 ok\r\n")
		case "RSET":
			mail, rcpt = false, ""
			answer(cmd, "250 2.0.0 ok")
		case "NOOP":
			answer(cmd, "250 2.0.0 ok")
		case "DATA":
			if rcpt == "" {
				fmt.Fprintf(conn, "503 5.0.0 Need RCPT (recipient)\r\n")
				continue
			}
			if a, ok := p.reply["DATA"]; ok {
				fmt.Fprintf(conn, "%s\r\n", a)
				continue
			}
			inData = true
			fmt.Fprintf(conn, "354 go ahead\r\n")
		case "QUIT":
			fmt.Fprintf(conn, "221 bye\r\n")
			return
		default:
			fmt.Fprintf(conn, "502 5.5.1 what?\r\n")
		}
	}
}

// Received returns how many connections were made, and the recipient of
// each message accepted.
func (p *Picky) Received() (conns int, to []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns, append([]string(nil), p.to...)
}

// Pipelined returns how many MAIL commands arrived with the commands
// after them, sent before MAIL's reply.
func (p *Picky) Pipelined() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pipelined
}
