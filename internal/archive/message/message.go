// Package message turns a stored raw message into what the archive shows:
// decoded and sanitised headers, addresses, date, identifiers, the text to
// display, and the list of attachments. It never fails: broken headers,
// MIME structure, encodings and charsets are repaired or skipped, with a
// note in Message.Warnings, because an archive must show what it stored.
//
// Everything returned is plain text except Body.HTML, which has been through
// a bluemonday policy; templates must escape the rest as usual. Header
// values never contain control characters (CR/LF in a decoded display name
// cannot inject headers or break a page).
//
// The package is pure: no storage, no network, no clock.
package message

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"time"
)

// Message is the display model of one raw message.
type Message struct {
	Header      []Field // every header field, decoded, in order
	Subject     string
	From        Address
	To, Cc      []Address
	Date        time.Time // zero when no date could be parsed
	MessageID   string    // without angle brackets
	IDGenerated bool      // MessageID was derived from the content (no usable header)
	InReplyTo   string
	References  []string
	Body        Body
	Attachments []Attachment
	Warnings    []string // repairs made while parsing, for logs and admins
}

// Field is a header field with its value decoded (RFC 2047, charset) and
// sanitised (no control characters, whitespace collapsed).
type Field struct {
	Name, Value string
}

// Address is a mailbox from From/To/Cc. Email may be empty or not an
// address at all when the header was unparseable (e.g. pipermail's
// "user at example.com").
type Address struct {
	Name, Email string
}

// Body is the text chosen for display: the first text/plain part, or an
// HTML part converted to text when there is no plain one.
type Body struct {
	Text        string        // the text to show, UTF-8
	HTML        template.HTML // sanitised HTML when the source was HTML, else ""
	ContentType string        // media type of the chosen part
	Charset     string        // charset the part declared ("" if none)
	Path        string        // part path of the chosen part
	Truncated   bool          // Text was cut at Limits.MaxBodyBytes
}

// Attachment describes a part that is not shown inline. Size is the
// decoded size in bytes. Path identifies the part for Extract.
type Attachment struct {
	Path        string
	Filename    string
	ContentType string
	Size        int
	Inline      bool // Content-Disposition: inline (e.g. an image in the body)
}

// Limits bound the work done on one message.
type Limits struct {
	MaxDepth     int // multipart/message nesting; deeper parts are opaque
	MaxParts     int // parts examined in total
	MaxBodyBytes int // display text kept
	MaxRawBytes  int // raw bytes examined; the rest is ignored
}

// DefaultLimits are generous for mail and small enough for a web request.
var DefaultLimits = Limits{MaxDepth: 20, MaxParts: 1000, MaxBodyBytes: 2 << 20, MaxRawBytes: 64 << 20}

// Parse builds the display model of raw with DefaultLimits.
func Parse(raw []byte) *Message {
	return ParseLimits(raw, DefaultLimits)
}

// ParseLimits is Parse with explicit limits.
func ParseLimits(raw []byte, lim Limits) *Message {
	m := &Message{}
	if len(raw) > lim.MaxRawBytes {
		m.warn("message is %d bytes; only the first %d were examined", len(raw), lim.MaxRawBytes)
		raw = raw[:lim.MaxRawBytes]
	}
	raw = skipEnvelope(raw)
	hdr, _ := splitHeader(raw)
	m.readHeader(hdr)
	if m.MessageID == "" {
		sum := sha256.Sum256(raw)
		m.MessageID = hex.EncodeToString(sum[:]) + "@hum.invalid"
		m.IDGenerated = true
	}
	w := &walker{lim: lim, msg: m}
	root := w.parse(raw, "", 0, false)
	m.listAttachments(m.chooseBody(root, lim))
	return m
}

// skipEnvelope drops what storage and old archives put before the header:
// a UTF-8 BOM, blank lines, and an mbox "From " envelope line.
func skipEnvelope(raw []byte) []byte {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	for {
		line, rest := cutLine(raw)
		switch {
		case len(line) > 0 && len(bytes.TrimSpace(line)) == 0 && len(rest) > 0:
		case bytes.HasPrefix(line, []byte("From ")):
		default:
			return raw
		}
		raw = rest
	}
}

func (m *Message) readHeader(h header) {
	for _, f := range h {
		m.Header = append(m.Header, Field{Name: f.name, Value: decodeText(f.value)})
	}
	m.Subject = decodeText(h.get("Subject"))
	if from := parseAddressList(h.get("From")); len(from) > 0 {
		m.From = from[0]
	}
	m.To = parseAddressList(h.get("To"))
	m.Cc = parseAddressList(h.get("Cc"))
	m.Date = h.date()
	m.MessageID = firstMsgID(h.get("Message-ID"))
	if m.MessageID == "" {
		m.MessageID = firstMsgID(h.get("Resent-Message-ID"))
	}
	m.InReplyTo = firstMsgID(h.get("In-Reply-To"))
	m.References = msgIDs(h.get("References"))
}
