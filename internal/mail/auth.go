package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
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
	ServID      string // the authserv-id Header speaks for
	Header      string // the Authentication-Results field value
}

// Verified tells whether the author is who they claim to be (DMARC pass).
func (a Auth) Verified() bool {
	return a.DMARC == "pass"
}

// Forged tells whether the checks show that the author did not send
// the message: DMARC fails, or SPF fails and no DKIM signature aligned
// with the author's domain verifies. A reply to such a message would be
// backscatter to whoever was impersonated. Mail that is merely not
// verified (no DMARC record, say) may get a reply that asks to be
// confirmed, as the web form's does.
func (a Auth) Forged() bool {
	if a.DMARC == "fail" {
		return true
	}
	if a.SPF != "fail" {
		return false
	}
	for _, d := range a.DKIMDomains {
		if aligned(a.FromDomain, d, dmarc.AlignmentRelaxed) {
			return false
		}
	}
	return true
}

// ParseAuth reads back the results from an Authentication-Results value
// that Check wrote, so a decision taken later (a moderator rejecting a
// held post) weighs what the checks found when the message came.
func ParseAuth(v string) (Auth, error) {
	a := Auth{Header: v}
	id, rs, err := authres.Parse(v)
	if err != nil {
		return a, err
	}
	a.ServID = id
	seen := map[string]bool{}
	for _, r := range rs {
		// Check writes each method once. Another one can only come from
		// the envelope (MAIL FROM, HELO) smuggled into a parameter.
		m := fmt.Sprintf("%T", r)
		if seen[m] {
			return Auth{Header: v}, errors.New("mail.ParseAuth: a method appears twice")
		}
		seen[m] = true
		switch r := r.(type) {
		case *authres.SPFResult:
			a.SPF = string(r.Value)
		case *authres.DKIMResult:
			a.DKIM = string(r.Value)
			if r.Value == authres.ResultPass && r.Domain != "" {
				a.DKIMDomains = strings.Split(r.Domain, ",")
			}
		case *authres.DMARCResult:
			a.DMARC, a.FromDomain = string(r.Value), r.From
		}
	}
	return a, nil
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
	a.ServID = c.Hostname
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

// DropAuthResults returns raw without the Authentication-Results fields
// that claim servID as their authserv-id. Only hum's own checks speak for
// servID, so such a field that arrives with a message is forged, and
// must go before hum adds its own (RFC 8601, section 5). Fields of other
// authserv-ids, and everything else, stay byte for byte.
func DropAuthResults(raw []byte, servID string) []byte {
	if servID == "" {
		return raw
	}
	var out []byte
	i := 0
	for i < len(raw) {
		end := fieldEnd(raw, i)
		f := raw[i:end]
		if len(bytes.TrimRight(f, "\r\n")) == 0 {
			break // the blank line: the header ends
		}
		if ownAuthResults(f, servID) {
			if out == nil {
				out = append(make([]byte, 0, len(raw)), raw[:i]...)
			}
		} else if out != nil {
			out = append(out, f...)
		}
		i = end
	}
	if out == nil {
		return raw
	}
	return append(out, raw[i:]...)
}

// fieldEnd is the end of the header field that starts at i: the end of
// its last line, folded lines (starting with a space or tab) included.
func fieldEnd(raw []byte, i int) int {
	for {
		n := bytes.IndexByte(raw[i:], '\n')
		if n < 0 {
			return len(raw)
		}
		i += n + 1
		if i == len(raw) || (raw[i] != ' ' && raw[i] != '\t') {
			return i
		}
	}
}

func ownAuthResults(f []byte, servID string) bool {
	name, value, ok := bytes.Cut(f, []byte(":"))
	if !ok || !strings.EqualFold(string(bytes.TrimSpace(name)), "Authentication-Results") {
		return false
	}
	// authserv-id [CFWS version] ";" ...; comments may stand anywhere.
	id, _, _ := strings.Cut(stripComments(string(value)), ";")
	fs := strings.Fields(id)
	return len(fs) > 0 && strings.EqualFold(strings.Trim(fs[0], `"`), servID)
}

// stripComments removes (possibly nested) parenthesised comments.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
