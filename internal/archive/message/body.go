package message

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrNoPart is returned by Extract for a path that names no part.
var ErrNoPart = errors.New("no such part")

// collect sorts the leaves of the tree into text to show and attachments.
// Of a multipart/alternative only one branch is used (the others repeat
// it); other inline text parts, such as a list footer Mailman adds as its
// own part, are shown after the main text.
func collect(p *part, shown, att *[]*part) {
	switch {
	case p.media == "multipart/alternative":
		if c := pickAlternative(p); c != nil {
			collect(c, shown, att)
		}
	case strings.HasPrefix(p.media, "multipart/"):
		for _, k := range p.kids {
			collect(k, shown, att)
		}
	case isInlineText(p):
		*shown = append(*shown, p)
	case isForward(p):
		// Shown inline with its own headers, as mail clients and the IETF
		// mail archive do, and still offered whole as an attachment.
		*shown = append(*shown, p)
		*att = append(*att, p)
	default:
		*att = append(*att, p)
	}
}

// isForward reports whether p is a forwarded message.
func isForward(p *part) bool { return p.media == "message/rfc822" || p.media == "message/global" }

// forwarded renders a forwarded message as text: a separator, its own
// From, Date, Subject, To and Cc, and its body, itself parsed as a
// message (so a forward inside it shows too, to the depth limit).
func forwarded(raw []byte, lim Limits) string {
	lim.MaxDepth--
	if lim.MaxDepth <= 0 {
		return "---------- Forwarded message (nested too deep to show) ----------"
	}
	inner := ParseLimits(raw, lim)
	var b strings.Builder
	b.WriteString("---------- Forwarded message ----------\n")
	for _, name := range []string{"From", "Date", "Subject", "To", "Cc"} {
		for _, f := range inner.Header {
			if strings.EqualFold(f.Name, name) {
				b.WriteString(name + ": " + f.Value + "\n")
				break
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(inner.Body.Text)
	return b.String()
}

// pickAlternative prefers text/plain, then a nested multipart (usually
// related HTML with images), then HTML, then the last (richest) branch.
func pickAlternative(p *part) *part {
	for _, want := range []func(*part) bool{
		func(k *part) bool { return k.media == "text/plain" },
		func(k *part) bool { return strings.HasPrefix(k.media, "multipart/") },
		func(k *part) bool { return k.media == "text/html" },
	} {
		for _, k := range p.kids {
			if want(k) {
				return k
			}
		}
	}
	if len(p.kids) == 0 {
		return nil
	}
	return p.kids[len(p.kids)-1]
}

func isInlineText(p *part) bool {
	switch p.media {
	case "text/plain", "text/html", "text/enriched", "text/richtext":
	default:
		return false
	}
	return p.disposition() != "attachment" && p.filename() == ""
}

// chooseBody fills m.Body and returns the parts left for attachments.
func (m *Message) chooseBody(root *part, lim Limits) (attachments []*part) {
	var shown, att []*part
	collect(root, &shown, &att)
	if len(shown) == 0 {
		return att
	}
	first := shown[0]
	m.Body.Path, m.Body.ContentType, m.Body.Charset = first.path, first.media, first.params["charset"]
	var texts []string
	for _, p := range shown {
		if isForward(p) {
			texts = append(texts, strings.TrimRight(forwarded(p.decoded(), lim), "\r\n \t"))
			continue
		}
		s := toUTF8(p.decoded(), p.params["charset"])
		if p.media == "text/html" {
			if p == first {
				m.Body.HTML = SanitizeHTML(s, false)
			}
			s = htmlToText(s)
		}
		texts = append(texts, strings.TrimRight(s, "\r\n \t"))
	}
	text := strings.ReplaceAll(strings.Join(texts, "\n\n"), "\r\n", "\n")
	if len(text) > lim.MaxBodyBytes {
		cut := lim.MaxBodyBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text, m.Body.Truncated = text[:cut], true
	}
	m.Body.Text = text
	return att
}

func (m *Message) listAttachments(parts []*part) {
	for _, p := range parts {
		m.Attachments = append(m.Attachments, Attachment{
			Path:        p.path,
			Filename:    p.filename(),
			ContentType: p.media,
			Size:        len(p.decoded()),
			Inline:      p.disposition() == "inline",
		})
	}
}

// Part is an extracted MIME part, decoded.
type Part struct {
	Path        string
	ContentType string
	Filename    string
	Data        []byte
}

// Extract returns the decoded part of raw at path, as listed in
// Message.Attachments (or Body.Path).
func Extract(raw []byte, path string) (*Part, error) {
	m := &Message{}
	w := &walker{lim: DefaultLimits, msg: m}
	if len(raw) > DefaultLimits.MaxRawBytes {
		raw = raw[:DefaultLimits.MaxRawBytes]
	}
	if p := find(w.parse(skipEnvelope(raw), "", 0, false), path); p != nil {
		return &Part{Path: p.path, ContentType: p.media, Filename: p.filename(), Data: p.decoded()}, nil
	}
	return nil, fmt.Errorf("message.Extract(%q): %w", path, ErrNoPart)
}

func find(p *part, path string) *part {
	if p.path == path {
		return p
	}
	for _, k := range p.kids {
		if k.path == path || strings.HasPrefix(path, k.path+".") {
			return find(k, path)
		}
	}
	return nil
}
