package mbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// nextMbox reads one message of an mbox, a year-separated file or a bare
// file: up to the next From_ line, year line (FormatYear) or header block
// that starts a message (FormatBare, see headerSepAhead). The separator's
// preceding blank line belongs to the format, not the message, so it is
// dropped.
func (r *Reader) nextMbox() ([]byte, error) {
	if !r.pending {
		return nil, io.EOF
	}
	r.pending = false
	r.envelope, r.pendEnv = r.pendEnv, ""
	defer func() { r.firstRead = true }()
	var msg, scratch []byte
	inHeader, cl, lastBlank := true, -1, 0
	// Only bare files that start with a header field split at header
	// blocks; From_-separated files skip the look-ahead and its state.
	split := r.sepName != nil
	var mp multipartState
	bodyText := false // a non-blank body line has been read
	for {
		// A header block may start a new message; it is looked for
		// before the line is read because it belongs to that message.
		if split && lastBlank > 0 && bodyText && mp.closed() && r.headerSepAhead() {
			r.pending = true
			return msg[:len(msg)-lastBlank], nil
		}
		line, err := r.readLine(&scratch)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("mbox.Next(envelope %q): %w", r.envelope, err)
		}
		if len(line) == 0 {
			return msg[:len(msg)-lastBlank], nil
		}
		if isFromLine(line) {
			r.pending, r.pendEnv = true, envelopeOf(line)
			return msg[:len(msg)-lastBlank], nil
		}
		if r.format == FormatYear && lastBlank > 0 && isYearLine(line) {
			line = bytes.Clone(line) // lineAfter may move the buffer under line
			if isHeaderField(r.lineAfter(0)) {
				r.pending, r.pendEnv = true, ""
				return msg[:len(msg)-lastBlank], nil
			}
		}
		blank := isBlank(line)
		switch {
		case inHeader && blank:
			inHeader = false
			if split {
				mp.endHeader()
			}
			msg = r.appendLine(msg, line)
			lastBlank = len(line)
			if body, ok := r.readCLBody(cl); ok {
				msg = r.appendLine(msg, body)
				lastBlank = 0
				bodyText = bodyText || len(bytes.TrimSpace(body)) > 0
			}
			continue
		case inHeader:
			if n := contentLength(line); n >= 0 {
				cl = n
			}
			if split {
				mp.headerLine(line)
				if !r.firstRead && hasFieldName(line, "message-id:") {
					r.idFirst = true
				}
			}
		case !blank:
			bodyText = true
			if split {
				mp.bodyLine(line)
			}
		}
		if isEscapedFrom(line) {
			line = line[1:]
		}
		lastBlank = 0
		if blank {
			lastBlank = len(line)
		}
		msg = r.appendLine(msg, line)
	}
}

// headerWindow bounds how far headerSepAhead looks for the end of a header
// block. Longer blocks are judged on their first headerWindow bytes.
const headerWindow = 16 << 10

// headerSepAhead reports whether the input ahead starts a new message of a
// file without From_ lines that began with a header field. It does if the
// next line opens a header block: every line of it up to the next blank
// line (or the end of input, or of the window) is a field or the folded
// continuation of one. And either
//
//   - the block starts with the file's first field name (any case) and has
//     two fields or more, or
//   - every field of the block has a plain name (letters, digits, '-') and
//     the block holds From:, Date: and one of Message-ID:, Subject: or To:,
//     the fields a message of these files starts with whatever its first
//     one is. A quoted Outlook-style block has "Sent:" instead of "Date:".
//
// In a file whose first message has a Message-ID:, the block must have
// one too (see Reader.idFirst).
//
// Nothing is consumed.
func (r *Reader) headerSepAhead() bool {
	b, _ := r.src.Peek(headerWindow)
	sameName := len(b) >= len(r.sepName) && bytes.EqualFold(b[:len(r.sepName)], r.sepName)
	fields, plain := 0, true
	var from, date, other, id bool
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break // the input or the window ends mid-line
		}
		line := b[:i+1]
		b = b[i+1:]
		if isBlank(line) {
			break
		}
		if fields > 0 && (line[0] == ' ' || line[0] == '\t') {
			continue // folded: isHeaderField never takes such a line
		}
		if !isHeaderField(line) {
			return false
		}
		fields++
		switch {
		case !isPlainField(line):
			plain = false
		case hasFieldName(line, "from:"):
			from = true
		case hasFieldName(line, "date:"):
			date = true
		case hasFieldName(line, "message-id:"):
			other, id = true, true
		case hasFieldName(line, "subject:"), hasFieldName(line, "to:"):
			other = true
		}
	}
	if r.idFirst && !id {
		return false // see Reader.idFirst
	}
	return sameName && fields >= 2 || plain && from && date && other
}

// multipartState follows the top-level Content-Type of a message in a file
// split by header names: inside a multipart body, up to its closing
// delimiter, a blank line and a header block are a body part or an
// attached message (message/rfc822), never the next message. A closing
// delimiter that never comes keeps the rest of the file in the message,
// which loses a split rather than cutting a message apart.
type multipartState struct {
	ctype   []byte // the Content-Type field as read, while in the header
	inCT    bool   // the header line last read belongs to Content-Type
	closing []byte // "--boundary--" while a multipart body is open
}

func (m *multipartState) closed() bool { return m.closing == nil }

func (m *multipartState) headerLine(line []byte) {
	switch {
	case isHeaderField(line):
		m.inCT = hasFieldName(line, "content-type:")
	case line[0] != ' ' && line[0] != '\t':
		m.inCT = false
	}
	if m.inCT && len(m.ctype) < 8<<10 {
		m.ctype = append(m.ctype, line...)
	}
}

func (m *multipartState) endHeader() {
	if b := multipartBoundary(m.ctype); b != nil {
		m.closing = append(append([]byte("--"), b...), "--"...)
	}
	m.ctype, m.inCT = nil, false
}

func (m *multipartState) bodyLine(line []byte) {
	if m.closing != nil && bytes.Equal(bytes.TrimRight(line, " \t\r\n"), m.closing) {
		m.closing = nil
	}
}

// multipartBoundary returns the boundary parameter of a Content-Type field
// (name included, possibly folded) if its type is multipart, else nil.
func multipartBoundary(field []byte) []byte {
	i := bytes.IndexByte(field, ':')
	if i < 0 {
		return nil
	}
	v := bytes.TrimLeft(field[i+1:], " \t\r\n")
	if len(v) < 10 || !bytes.EqualFold(v[:10], []byte("multipart/")) {
		return nil
	}
	j := bytes.Index(bytes.ToLower(v), []byte("boundary"))
	if j < 0 {
		return nil
	}
	v = bytes.TrimLeft(v[j+len("boundary"):], " \t\r\n")
	if len(v) == 0 || v[0] != '=' {
		return nil
	}
	v = bytes.TrimLeft(v[1:], " \t\r\n")
	if len(v) > 0 && v[0] == '"' {
		if k := bytes.IndexByte(v[1:], '"'); k >= 0 {
			return v[1 : k+1]
		}
		return nil
	}
	if k := bytes.IndexAny(v, "; \t\r\n"); k >= 0 {
		v = v[:k]
	}
	if len(v) == 0 {
		return nil
	}
	return v
}

// appendLine grows msg unless that would pass the size limit, in which case
// the message is flagged and the rest of it is read but dropped.
func (r *Reader) appendLine(msg, line []byte) []byte {
	if len(msg)+len(line) > r.maxSize() {
		r.oversized = true
		return msg
	}
	return append(msg, line...)
}

// readCLBody reads a body of exactly n bytes when a Content-Length header
// gave one and the bytes after it are a plausible end of message. When they
// are not, the bytes are pushed back, normal From_ splitting takes over, and
// Content-Length is not trusted again in this file (which also keeps the
// push-back chain one level deep).
func (r *Reader) readCLBody(n int) ([]byte, bool) {
	if n < 0 || r.clBroken || n > r.maxSize() {
		return nil, false
	}
	body := make([]byte, n)
	k, err := io.ReadFull(r.src, body)
	body = body[:k]
	if err == nil && r.clEndsHere() {
		r.usedCL++
		return body, true
	}
	r.clBroken = true
	r.src = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(body), r.src), 64<<10)
	return nil, false
}

// clEndsHere reports whether the input continues with end of file or a
// From_ line, optionally after one blank line.
func (r *Reader) clEndsHere() bool {
	line, err := r.peekLine()
	if len(line) == 0 {
		return err == io.EOF
	}
	if !isBlank(line) {
		return isFromLine(line)
	}
	rest := r.lineAfter(len(line))
	return len(rest) == 0 || isFromLine(rest)
}

// nextMMDF reads the message between two ^A^A^A^A lines. Blank lines
// between a closing and the next opening delimiter are skipped.
func (r *Reader) nextMMDF() ([]byte, error) {
	r.envelope = ""
	var msg, scratch []byte
	started := false
	for {
		line, err := r.readLine(&scratch)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("mbox.Next(mmdf): %w", err)
		}
		if len(line) == 0 {
			if started {
				return msg, nil
			}
			return nil, io.EOF
		}
		if isMMDFDelim(line) {
			if started {
				return msg, nil
			}
			continue
		}
		if !started && isBlank(line) {
			continue
		}
		started = true
		msg = r.appendLine(msg, line)
	}
}
