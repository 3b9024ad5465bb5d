package mbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// nextMbox reads one From_-separated message. The separator's preceding
// blank line belongs to the format, not the message, so it is dropped.
func (r *Reader) nextMbox() ([]byte, error) {
	if !r.pending {
		return nil, io.EOF
	}
	r.pending = false
	r.envelope, r.pendEnv = r.pendEnv, ""
	var msg, scratch []byte
	inHeader, cl, lastBlank := true, -1, 0
	for {
		line, err := r.readLine(&scratch)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("mbox.Next(envelope %q): %w", r.envelope, err)
		}
		if len(line) == 0 {
			r.eof = true
			return msg[:len(msg)-lastBlank], nil
		}
		if isFromLine(line) {
			r.pending, r.pendEnv = true, envelopeOf(line)
			return msg[:len(msg)-lastBlank], nil
		}
		if inHeader {
			if n := contentLength(line); n >= 0 {
				cl = n
			}
			if isBlank(line) {
				inHeader = false
				msg = r.appendLine(msg, line)
				lastBlank = len(line)
				if body, ok := r.readCLBody(cl); ok {
					msg = r.appendLine(msg, body)
					lastBlank = 0
				}
				continue
			}
		}
		if isEscapedFrom(line) {
			line = line[1:]
		}
		lastBlank = 0
		if isBlank(line) {
			lastBlank = len(line)
		}
		msg = r.appendLine(msg, line)
	}
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
	b, _ := r.src.Peek(len(line) + 1024)
	rest := b[len(line):]
	if len(rest) == 0 {
		return true
	}
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i+1]
	}
	return isFromLine(rest)
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
			r.eof = true
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
