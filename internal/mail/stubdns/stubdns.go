// Package stubdns is a DNS server that answers at once from a fixed map:
// what `hum serve --resolver` asks in hum's end-to-end tests and in
// cmd/procbench, where the machine's resolver is slow or drops queries
// and a check that waits on it would measure the resolver, not hum. It
// holds no test helpers (no import of testing), so a command may use it.
package stubdns

import (
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// Server is a DNS server over UDP on loopback that answers TXT queries
// from a map (name without the final dot, lower case, to its records)
// and every other question with NXDOMAIN.
type Server struct {
	Addr string
	conn net.PacketConn
	txt  map[string][]string
}

// Serve starts a server with the given TXT records.
func Serve(txt map[string][]string) (*Server, error) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &Server{Addr: c.LocalAddr().String(), conn: c, txt: txt}
	go d.serve()
	return d, nil
}

// Close stops the server.
func (d *Server) Close() error { return d.conn.Close() }

func (d *Server) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if out, ok := d.answer(buf[:n]); ok {
			d.conn.WriteTo(out, from)
		}
	}
}

func (d *Server) answer(in []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(in)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	name := strings.ToLower(strings.TrimSuffix(q.Name.String(), "."))
	recs := d.txt[name]
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	if q.Type != dnsmessage.TypeTXT || recs == nil {
		rh.RCode = dnsmessage.RCodeNameError
		recs = nil
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	for _, r := range recs {
		if b.TXTResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}, dnsmessage.TXTResource{TXT: []string{r}}) != nil {
			return nil, false
		}
	}
	out, err := b.Finish()
	return out, err == nil
}
