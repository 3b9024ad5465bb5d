package thread

import (
	"strings"
	"unicode"
)

// replyPrefixes are the reply and forward markers that mail clients put in
// front of a subject, in English and in the localised forms seen on lists:
// German (AW, WG), Scandinavian (SV, VS, VB), Dutch (Antw, Doorst), Italian
// (Rif), French (TR), Spanish/Portuguese (RV, Res, Enc), Polish (Odp, PD),
// Turkish (YNT), Russian (Отв), Chinese (回复, 答复, 转发, 回覆, 轉寄) and
// Arabic (رد). Single letters such as Italian "R:" are left out: they are
// too likely to be part of a real subject.
var replyPrefixes = map[string]bool{
	"re": true, "fw": true, "fwd": true, "aw": true, "wg": true, "sv": true,
	"vs": true, "vb": true, "antw": true, "doorst": true, "rif": true,
	"tr": true, "rv": true, "res": true, "enc": true, "odp": true, "pd": true,
	"ynt": true, "отв": true, "回复": true, "答复": true, "转发": true,
	"回覆": true, "轉寄": true, "رد": true,
}

// BaseSubject returns the subject reduced for comparison (RFC 5256 "base
// subject", loosely): list tags like "[tls]", reply and forward prefixes
// (with counters such as "Re[2]:"), "(fwd)" suffixes and "[Fwd: ...]"
// wrappers removed, whitespace collapsed and case folded. reply reports
// whether any reply or forward marker was removed.
func BaseSubject(s string) (base string, reply bool) {
	s = strings.Join(strings.Fields(s), " ")
	for {
		before := s
		for strings.HasSuffix(strings.ToLower(s), "(fwd)") {
			s, reply = strings.TrimSpace(s[:len(s)-5]), true
		}
		s = stripBlob(s)
		if rest, ok := stripPrefix(s); ok {
			s, reply = rest, true
		}
		if strings.HasPrefix(s, "[Fwd:") && strings.HasSuffix(s, "]") {
			s, reply = strings.TrimSpace(s[5:len(s)-1]), true
		}
		if s == before {
			return strings.ToLower(s), reply
		}
	}
}

// stripBlob removes a leading "[...]" unless nothing would be left.
func stripBlob(s string) string {
	if !strings.HasPrefix(s, "[") || strings.HasPrefix(s, "[Fwd:") {
		return s
	}
	i := strings.IndexByte(s, ']')
	if i < 0 {
		return s
	}
	if rest := strings.TrimSpace(s[i+1:]); rest != "" {
		return rest
	}
	return s
}

// stripPrefix removes one "Re:"-like prefix, with an optional counter
// ("Re[2]:", "Re(2):", "Re^2:") and ASCII or full-width colon.
func stripPrefix(s string) (string, bool) {
	word := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if word <= 0 || !replyPrefixes[strings.ToLower(s[:word])] {
		return s, false
	}
	rest := skipCounter(s[word:])
	rest = strings.TrimLeft(rest, " ")
	for _, colon := range []string{":", "："} {
		if strings.HasPrefix(rest, colon) {
			return strings.TrimSpace(rest[len(colon):]), true
		}
	}
	return s, false
}

func skipCounter(s string) string {
	if s == "" {
		return s
	}
	var end string
	switch s[0] {
	case '[':
		end = "]"
	case '(':
		end = ")"
	case '^':
		return strings.TrimLeft(s[1:], "0123456789")
	default:
		return s
	}
	digits := strings.TrimLeft(s[1:], "0123456789")
	if len(digits) < len(s)-1 && strings.HasPrefix(digits, end) {
		return digits[1:]
	}
	return s
}
