package mailtest

import (
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// DNS is a DNS server over UDP on loopback that answers TXT queries
// from a map (name without the final dot, lower case, to its records)
// and every other question with NXDOMAIN, at once: for `hum serve
// --resolver` in tests and benches, where the machine's resolver is
// slow or drops queries.
type DNS struct {
	Addr string
	conn net.PacketConn
	txt  map[string][]string
}

// ServeDNS starts a DNS server with the given TXT records.
func ServeDNS(txt map[string][]string) (*DNS, error) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &DNS{Addr: c.LocalAddr().String(), conn: c, txt: txt}
	go d.serve()
	return d, nil
}

// Close stops the server.
func (d *DNS) Close() error { return d.conn.Close() }

func (d *DNS) serve() {
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

func (d *DNS) answer(in []byte) ([]byte, bool) {
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
