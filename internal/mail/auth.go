package mail

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/publicsuffix"
)

// Resolver is the DNS that SPF, DKIM and DMARC look things up in.
// *net.Resolver is one; tests pass a map of answers.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// Auth is what the checks found about one message.
type Auth struct {
	SPF         string // pass, fail, softfail, neutral, none, temperror, permerror
	DKIM        string // pass when at least one signature verified, else fail or none
	DKIMDomains []string
	DMARC       string // pass, fail, none, temperror
	FromDomain  string
	Policy      string // the author domain's published DMARC policy: none, quarantine, reject, or ""
	Header      string // the Authentication-Results field value
}

// Verified tells whether the author is who they claim to be: only then
// may hum reply to them, so forged senders get no backscatter.
func (a Auth) Verified() bool {
	return a.DMARC == "pass"
}

// Checker evaluates SPF, DKIM and DMARC.
type Checker struct {
	Hostname string // the authserv-id in Authentication-Results
	Resolver Resolver
}

// Check runs the three checks on a message received from ip.
func (c *Checker) Check(ctx context.Context, ip net.IP, helo, mailFrom string, raw []byte) Auth {
	var a Auth
	// A slow DNS must not hold the SMTP client past its patience.
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	r := c.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	a.SPF = "none"
	if ip != nil {
		res, _ := spf.CheckHostWithSender(ip, helo, mailFrom, spf.WithContext(ctx), spf.WithResolver(r))
		a.SPF = string(res)
	}
	a.DKIM = "none"
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT:        func(d string) ([]string, error) { return r.LookupTXT(ctx, d) },
		MaxVerifications: 5,
	})
	if err == nil && len(vs) > 0 {
		a.DKIM = "fail"
		for _, v := range vs {
			if v.Err == nil {
				a.DKIM = "pass"
				a.DKIMDomains = append(a.DKIMDomains, strings.ToLower(v.Domain))
			}
		}
	}
	a.FromDomain = authorDomain(raw)
	a.DMARC, a.Policy = c.dmarc(ctx, r, a, mailFrom)

	results := []authres.Result{
		&authres.SPFResult{Value: authres.ResultValue(a.SPF), From: mailFrom, Helo: helo},
		&authres.DKIMResult{Value: authres.ResultValue(a.DKIM), Domain: strings.Join(a.DKIMDomains, ",")},
		&authres.DMARCResult{Value: authres.ResultValue(a.DMARC), From: a.FromDomain},
	}
	a.Header = authres.Format(c.Hostname, results)
	return a
}

func (c *Checker) dmarc(ctx context.Context, r Resolver, a Auth, mailFrom string) (result, policy string) {
	if a.FromDomain == "" {
		return "permerror", ""
	}
	rec, err := lookupDMARC(ctx, r, a.FromDomain)
	switch {
	case dmarc.IsTempFail(err):
		return "temperror", ""
	case err != nil || rec == nil:
		return "none", ""
	}
	policy = string(rec.Policy)
	if org(a.FromDomain) != strings.ToLower(a.FromDomain) && rec.SubdomainPolicy != "" {
		policy = string(rec.SubdomainPolicy)
	}
	_, mfDomain, _ := strings.Cut(mailFrom, "@")
	if a.SPF == "pass" && aligned(a.FromDomain, mfDomain, rec.SPFAlignment) {
		return "pass", policy
	}
	for _, d := range a.DKIMDomains {
		if aligned(a.FromDomain, d, rec.DKIMAlignment) {
			return "pass", policy
		}
	}
	return "fail", policy
}

// DMARCPolicy is the policy the domain publishes (or its organisational
// domain does), "" when none.
func (c *Checker) DMARCPolicy(ctx context.Context, domain string) string {
	r := c.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	rec, err := lookupDMARC(ctx, r, domain)
	if err != nil || rec == nil {
		return ""
	}
	return string(rec.Policy)
}

func lookupDMARC(ctx context.Context, r Resolver, domain string) (*dmarc.Record, error) {
	look := &dmarc.LookupOptions{LookupTXT: func(d string) ([]string, error) { return r.LookupTXT(ctx, d) }}
	rec, err := dmarc.LookupWithOptions(domain, look)
	if err == dmarc.ErrNoPolicy || (err != nil && !dmarc.IsTempFail(err)) {
		if o := org(domain); o != strings.ToLower(domain) {
			return dmarc.LookupWithOptions(o, look)
		}
	}
	return rec, err
}

func org(domain string) string {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	if o, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return o
	}
	return d
}

func aligned(author, other string, mode dmarc.AlignmentMode) bool {
	if other == "" {
		return false
	}
	if mode == dmarc.AlignmentStrict {
		return strings.EqualFold(author, other)
	}
	return org(author) == org(other)
}

// authorDomain is the domain of the single From address, "" when there is
// not exactly one (DMARC then cannot pass).
func authorDomain(raw []byte) string {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return ""
	}
	if len(h.Values("From")) != 1 {
		return ""
	}
	as, err := mail.ParseAddressList(h.Get("From"))
	if err != nil || len(as) != 1 {
		return ""
	}
	_, d, _ := strings.Cut(as[0].Address, "@")
	return strings.ToLower(d)
}
