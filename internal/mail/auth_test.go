package mail

import (
	"context"
	"net"
	"strings"
	"testing"
)

type fakeDNS map[string][]string

func (d fakeDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	if v, ok := d[strings.TrimSuffix(name, ".")]; ok {
		return v, nil
	}
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (fakeDNS) LookupMX(context.Context, string) ([]*net.MX, error) {
	return nil, &net.DNSError{IsNotFound: true}
}
func (fakeDNS) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{IsNotFound: true}
}
func (fakeDNS) LookupAddr(context.Context, string) ([]string, error) {
	return nil, &net.DNSError{IsNotFound: true}
}

func TestChecker(t *testing.T) {
	c := &Checker{Hostname: "hum.test", Resolver: fakeDNS{
		"example.org":           {"v=spf1 ip4:192.0.2.10 -all"},
		"_dmarc.example.org":    {"v=DMARC1; p=reject"},
		"mail.example.org":      {"v=spf1 ip4:192.0.2.10 -all"},
		"other.example":         {"v=spf1 ip4:192.0.2.99 -all"},
		"_dmarc.nopolicy.test":  {"not a dmarc record"},
		"_dmarc.quarantine.net": {"v=DMARC1; p=quarantine"},
	}}
	for _, tc := range []struct {
		name, ip, mailFrom, from string
		spf, dmarc, policy       string
		verified                 bool
	}{
		{"aligned pass", "192.0.2.10", "a@example.org", "a@example.org", "pass", "pass", "reject", true},
		{"relaxed alignment", "192.0.2.10", "bounce@mail.example.org", "a@example.org", "pass", "pass", "reject", true},
		{"forged", "198.51.100.1", "a@example.org", "a@example.org", "fail", "fail", "reject", false},
		{"spf pass unaligned", "192.0.2.99", "x@other.example", "a@example.org", "pass", "fail", "reject", false},
		{"no dmarc", "192.0.2.99", "x@other.example", "x@other.example", "pass", "none", "", false},
		{"subdomain uses org policy", "198.51.100.1", "", "a@lists.quarantine.net", "none", "fail", "quarantine", false},
	} {
		raw := []byte("From: " + tc.from + "\r\nSubject: x\r\n\r\nbody\r\n")
		a := c.Check(context.Background(), net.ParseIP(tc.ip), "helo.example", tc.mailFrom, raw)
		if a.SPF != tc.spf || a.DMARC != tc.dmarc || a.Policy != tc.policy || a.Verified() != tc.verified {
			t.Errorf("%s: spf=%s dmarc=%s policy=%q verified=%v; want %s %s %q %v", tc.name, a.SPF, a.DMARC, a.Policy, a.Verified(), tc.spf, tc.dmarc, tc.policy, tc.verified)
		}
		if !strings.HasPrefix(a.Header, "hum.test;") || !strings.Contains(a.Header, "dmarc="+tc.dmarc) {
			t.Errorf("%s: Authentication-Results %q", tc.name, a.Header)
		}
	}
}
