package message

import (
	"mime"
	"net/mail"
	"regexp"
	"strings"
)

// addressParser decodes encoded-words as the rest of the message is
// decoded (toUTF8), in any charset, never dropping a word.
var addressParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: readCharset}}

// parseAddressList parses a From/To/Cc value. Standard syntax goes through
// net/mail; anything it rejects (pipermail's "user at example.com (Name)",
// unbalanced quotes, bad encoded-words) is split on commas by hand so the
// reader still sees names and addresses.
func parseAddressList(v string) []Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var out []Address
	if list, err := addressParser.ParseList(v); err == nil {
		for _, a := range list {
			name := a.Name
			if strings.Contains(name, "=?") {
				// Encoded-words inside quotes are invalid but common.
				name = decodeText(name)
			}
			out = append(out, Address{Name: sanitize(toUTF8([]byte(name), "")), Email: sanitize(a.Address)})
		}
		return out
	}
	for _, part := range splitAddresses(decodeText(v)) {
		if a := looseAddress(part); a != (Address{}) {
			out = append(out, a)
		}
	}
	return out
}

// splitAddresses splits on commas outside quotes, angle brackets and
// comments.
func splitAddresses(s string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '<' || r == '(':
			depth++
		case (r == '>' || r == ')') && depth > 0:
			depth--
		case r == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

var (
	angleAddr   = regexp.MustCompile(`<([^<>]*)>`)
	commentName = regexp.MustCompile(`\(([^()]*)\)`)
	obfuscated  = regexp.MustCompile(`^(\S+) at (\S+)$`)
)

func looseAddress(s string) Address {
	s = strings.TrimSpace(s)
	var a Address
	if m := angleAddr.FindStringSubmatchIndex(s); m != nil {
		a.Email = s[m[2]:m[3]]
		a.Name = s[:m[0]] + " " + s[m[1]:]
	} else if m := commentName.FindStringSubmatchIndex(s); m != nil {
		a.Name = s[m[2]:m[3]]
		a.Email = s[:m[0]] + " " + s[m[1]:]
	} else if strings.Contains(s, "@") || obfuscated.MatchString(s) {
		a.Email = s
	} else {
		a.Name = s
	}
	a.Email = sanitize(a.Email)
	if m := obfuscated.FindStringSubmatch(a.Email); m != nil {
		a.Email = m[1] + "@" + m[2]
	}
	a.Name = sanitize(strings.Trim(strings.TrimSpace(a.Name), `"'`))
	return a
}
