package main

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/benchrun"
)

// discardSink is the smarthost: it takes every copy and keeps nothing.
func discardSink() (net.Listener, error) {
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

func sortDurations(d []time.Duration) { slices.Sort(d) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadAvg is the machine's load average, as uptime prints it.
func loadAvg() string {
	if l := benchrun.LoadAvg(); l != nil {
		return strings.Join(l, " ")
	}
	return "unknown"
}
