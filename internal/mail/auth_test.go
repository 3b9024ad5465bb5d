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

func TestForged(t *testing.T) {
	for _, c := range []struct {
		name string
		a    Auth
		want bool
	}{
		{"dmarc pass", Auth{SPF: "pass", DMARC: "pass", FromDomain: "example.org"}, false},
		{"no dmarc record", Auth{SPF: "none", DKIM: "none", DMARC: "none", FromDomain: "example.org"}, false},
		{"dmarc fail", Auth{SPF: "pass", DMARC: "fail", FromDomain: "example.org"}, true},
		{"spf fail, no dkim", Auth{SPF: "fail", DMARC: "none", FromDomain: "example.org"}, true},
		{"spf fail, aligned dkim", Auth{SPF: "fail", DKIM: "pass", DKIMDomains: []string{"mail.example.org"}, DMARC: "none", FromDomain: "example.org"}, false},
		{"spf fail, other dkim", Auth{SPF: "fail", DKIM: "pass", DKIMDomains: []string{"relay.example"}, DMARC: "none", FromDomain: "example.org"}, true},
		{"spf softfail", Auth{SPF: "softfail", DMARC: "none", FromDomain: "example.org"}, false},
		{"no checks", Auth{}, false},
	} {
		if got := c.a.Forged(); got != c.want {
			t.Errorf("%s: Forged() = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestParseAuth: what Check wrote reads back the same, and a header with
// a method smuggled in through MAIL FROM does not parse.
func TestParseAuth(t *testing.T) {
	c := &Checker{Hostname: "hum.test", Resolver: fakeDNS{"example.org": {"v=spf1 ip4:192.0.2.10 -all"}}}
	raw := []byte("From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n")
	a := c.Check(context.Background(), net.ParseIP("198.51.100.1"), "helo.example", "a@example.org", raw)
	got, err := ParseAuth(a.Header)
	if err != nil || got.SPF != "fail" || got.DMARC != "none" || got.FromDomain != "example.org" || got.ServID != "hum.test" || !got.Forged() {
		t.Errorf("ParseAuth(%q) = %+v, %v", a.Header, got, err)
	}
	a = c.Check(context.Background(), net.ParseIP("198.51.100.1"), "helo.example", `"x;spf=pass"@example.org`, raw)
	if got, err := ParseAuth(a.Header); err == nil {
		t.Errorf("ParseAuth(%q) = %+v, want an error", a.Header, got)
	}
}

func TestDropAuthResults(t *testing.T) {
	in := "Authentication-Results: hum.test; dmarc=pass\r\n" +
		"Received: from x\r\n" +
		"authentication-results: (forged) HUM.TEST 1;\r\n spf=pass\r\n" +
		"Authentication-Results: mx.example.org; spf=pass\r\n" +
		"Authentication-Results: \"hum.test\"; dkim=pass\r\n" +
		"Subject: hi\r\n" +
		"\r\n" +
		"Authentication-Results: hum.test; in the body\r\n"
	want := "Received: from x\r\n" +
		"Authentication-Results: mx.example.org; spf=pass\r\n" +
		"Subject: hi\r\n" +
		"\r\n" +
		"Authentication-Results: hum.test; in the body\r\n"
	if got := string(DropAuthResults([]byte(in), "hum.test")); got != want {
		t.Errorf("DropAuthResults:\n%s\nwant\n%s", got, want)
	}
	lf := "Authentication-Results: hum.test; spf=pass\nSubject: hi\n\nbody\n"
	if got := string(DropAuthResults([]byte(lf), "hum.test")); got != "Subject: hi\n\nbody\n" {
		t.Errorf("with LF line ends: %q", got)
	}
	none := "Subject: hi\r\n\r\nbody\r\n"
	if got := string(DropAuthResults([]byte(none), "hum.test")); got != none {
		t.Errorf("nothing to drop: %q", got)
	}
}
