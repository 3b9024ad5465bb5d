package demo

import (
	"regexp"
	"strings"
)

// reservedSuffixes are the domains set aside for examples and tests,
// under which no mail can reach anyone: RFC 2606's second-level example
// domains and its test, example, invalid and localhost TLDs (RFC 6761).
var reservedSuffixes = []string{"example.com", "example.net", "example.org", "test", "example", "invalid", "localhost"}

// Reserved reports whether domain is, or is under, a domain reserved for
// examples (RFC 2606, RFC 6761). Every address the demo invents is.
func Reserved(domain string) bool {
	d := strings.TrimSuffix(strings.ToLower(domain), ".")
	for _, r := range reservedSuffixes {
		if d == r || strings.HasSuffix(d, "."+r) {
			return true
		}
	}
	return false
}

// addrPattern finds addresses in the demo's copied text: group list
// addresses, subscription addresses in comments, drafts' authors.
var addrPattern = regexp.MustCompile(`([A-Za-z0-9._%+=-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`)

// reserveAddrs moves every address in s to a reserved domain, keeping
// its shape so it still reads as the original: trill@ietf.org becomes
// trill@ietf.example, ietf-http-wg@w3.org ietf-http-wg@w3.example. The
// demo copies real groups and drafts, and their real lists and authors
// must never get its mail.
func reserveAddrs(s string) string {
	return addrPattern.ReplaceAllStringFunc(s, func(a string) string {
		m := addrPattern.FindStringSubmatch(a)
		if Reserved(m[2]) {
			return a
		}
		d := m[2][:strings.LastIndexByte(m[2], '.')]
		return m[1] + "@" + d + ".example"
	})
}
