package message

import (
	"crypto/sha1"
	"encoding/base64"
	"regexp"
	"strings"
)

var bracketed = regexp.MustCompile(`<([^<>]+)>`)

// firstMsgID returns the first <...> identifier in v, without brackets. A
// value without brackets (seen in old mail) is used whole if it is one
// token. Whitespace and control characters inside are removed.
func firstMsgID(v string) string {
	v = decodeText(v)
	if m := bracketed.FindStringSubmatch(v); m != nil {
		return strings.Join(strings.Fields(m[1]), "")
	}
	if f := strings.Fields(v); len(f) == 1 {
		return strings.Trim(f[0], "<>")
	}
	return ""
}

// msgIDs returns every <...> identifier in a References value, or its
// whitespace-separated tokens when there are no brackets.
func msgIDs(v string) []string {
	v = decodeText(v)
	var out []string
	for _, m := range bracketed.FindAllStringSubmatch(v, -1) {
		out = append(out, strings.Join(strings.Fields(m[1]), ""))
	}
	if out == nil {
		for _, f := range strings.Fields(v) {
			out = append(out, strings.Trim(f, "<>"))
		}
	}
	return out
}

// Hashcode returns the stable message id that the IETF mail archive
// (mailarchive.ietf.org) uses in /arch/msg/{list}/{hashcode}: the URL-safe
// base64 of SHA-1 over the Message-ID (without angle brackets) followed by
// the list name, with the padding removed, as in the archive's URLs.
func Hashcode(messageID, list string) string {
	h := sha1.New()
	h.Write([]byte(messageID))
	h.Write([]byte(list))
	return strings.TrimRight(base64.URLEncoding.EncodeToString(h.Sum(nil)), "=")
}
