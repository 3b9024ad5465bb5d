// Package mbox reads and writes mailbox files: the mbox family (mboxo,
// mboxrd, mboxcl, mboxcl2), MMDF, and two shapes that old list archives use:
// files with no From_ lines whose messages each start with the same header
// field, and files with a bare year line before each message. It deals only
// in raw message bytes; parsing a message is the job of
// internal/archive/message.
//
// Reading is streaming: one message is held in memory at a time. The variant
// is detected from the first non-blank line of the input:
//
//   - "\x01\x01\x01\x01": MMDF. Messages sit between such delimiter lines.
//   - a From_ line (see isFromLine): mbox. Later From_ lines split messages.
//     A Content-Length header is honoured (mboxcl/mboxcl2) when the body of
//     exactly that length is followed by a From_ line or the end of input;
//     otherwise it is ignored, and after the first wrong one it is distrusted
//     for the rest of the file.
//   - a line holding only a year (19xx or 20xx) and then a header field:
//     the year-separated shape of some old IETF list archives (the forces
//     list in 2005). A message starts at each such line that follows a blank
//     line; the year line itself is dropped like a From_ line. From_ lines
//     still split too. The header field after the year keeps a body line
//     that is just a year from being taken as a separator.
//   - anything else (FormatBare): the input starts with a message without
//     envelope, and later From_ lines still split. If that first line is a
//     header field, the file may also be one of the IETF archive's files
//     whose messages are separated by a blank line and a header, not a
//     From_ line, so a message also starts at a line that
//     (1) follows a blank line,
//     (2) opens a header block: every line up to the next blank line
//     (within 16 KiB) a field or a folded continuation, and either
//     (a) starts with the file's first field name (any case) and its colon,
//     the field all messages start with in most such files (Return-Path:,
//     Envelope-to:, X-Envelope-From:, To:, ...), and has two fields or
//     more, or (b) has only fields with plain names (letters, digits, '-')
//     and among them From:, Date: and one of Message-ID:, Subject:, To:,
//     for files whose messages start with different fields (mailbox_from:
//     From:, To: or Date:),
//     (3) comes after a body line of the message before: a header block
//     right after the header is the start of the body, a forwarded message
//     (the IETF's mailbox_date is one such message, not two), and
//     (4) is not inside a multipart body, before the closing delimiter of
//     the boundary in the message's own Content-Type, where it is a body
//     part or an attached message/rfc822. (The IETF importer,
//     ietf-tools/mailarchive, asks only for (2a), from a fixed list of
//     names, and (1).)
//     Rule (b) does not take the "From: / Sent: / To: / Subject:" blocks
//     that Outlook-style replies quote (mailbox_to has them after blank
//     lines): they have no Date:.
//     A single RFC 822 message (a .eml file) starts the same way, so it goes
//     through the same test. It stays whole unless, without MIME, it quotes
//     or forwards, after some text and a blank line, a header block that
//     starts with the field the message itself starts with, or that holds
//     From: and Date: (and Subject:, To: or Message-ID:): that block is
//     taken for the next message. A forward introduced by a line right above
//     its header ("---------- Forwarded message ----------") is kept, and so
//     is any forward when the message has a Message-ID: and the forwarded
//     block does not (what mail clients paste never has one): in a file
//     whose first message has a Message-ID:, only a block with one starts
//     the next message (Reader.idFirst). The
//     other limit is a message whose header follows the last line of the
//     one before with no blank line between: it stays in that message's
//     body (1 of the 14 in the IETF's mailbox_from, after a
//     "<ftp://...>" line). Splitting there too would cut every forward
//     that sits right under the line introducing it.
//
// Lines matching ^>+From are unescaped by one '>' (mboxrd). This is also
// right for mboxo files written by escaping writers (Python's mailbox, most
// MDAs); only an original body line that already began with ">From " loses
// its '>', which mboxo cannot represent anyway.
//
// A leading UTF-8 BOM is skipped, CRLF line endings are kept as they are, and
// gzip input is decompressed transparently.
package mbox

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Format is the mailbox variant detected at the start of the input.
type Format int

const (
	FormatUnknown Format = iota // nothing read yet, or empty input
	FormatMbox                  // From_ separated (mboxo, mboxrd, mboxcl, mboxcl2)
	FormatMMDF                  // ^A^A^A^A delimited
	FormatBare                  // no leading separator: starts with a message, maybe split at header blocks
	FormatYear                  // messages introduced by a bare year line
)

func (f Format) String() string {
	return [...]string{"unknown", "mbox", "mmdf", "bare", "year"}[f]
}

// DefaultMaxMessageSize bounds one message; larger messages are skipped and
// reported with ErrMessageTooLarge.
const DefaultMaxMessageSize = 64 << 20

// ErrMessageTooLarge is returned by Next for a message over the size limit.
// The reader stays usable: the next call returns the following message.
var ErrMessageTooLarge = errors.New("mbox: message too large")

// Reader yields the raw messages of a mailbox one at a time.
type Reader struct {
	src     *bufio.Reader
	MaxSize int // per-message limit; DefaultMaxMessageSize when 0

	format    Format
	started   bool
	pending   bool   // a separator was read; a message follows
	pendEnv   string // envelope of that message
	envelope  string // envelope of the message last returned
	clBroken  bool   // a Content-Length was wrong: ignore the rest
	sepName   []byte // bare files: the first field name, lower case, with ':'
	usedCL    int
	oversized bool
	firstRead bool // the first message has been read
	// idFirst: the first message of a bare file has a Message-ID:. The
	// messages of one file were written by one archiver and share its
	// header fields, while a forward pasted into a body shows only the
	// fields a reader looks at (From:, Date:, Subject:, To:). So in such
	// a file a header block without a Message-ID: is a forward, never
	// the next message: a single .eml that forwards a message which
	// forwards another stays one message.
	idFirst bool
}

// NewReader returns a Reader over r. Gzip-compressed input is detected by
// its magic number and decompressed.
func NewReader(r io.Reader) *Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		if zr, err := gzip.NewReader(br); err == nil {
			br = bufio.NewReaderSize(zr, 64<<10)
		}
	}
	return &Reader{src: br}
}

// Format reports the detected variant. It is known after the first Next.
func (r *Reader) Format() Format { return r.format }

// Envelope returns the From_ line of the message last returned by Next,
// without "From " and the line ending; "" when it had none (MMDF, bare,
// year-separated).
func (r *Reader) Envelope() string { return r.envelope }

// ContentLengthUsed counts messages whose end was found by Content-Length.
func (r *Reader) ContentLengthUsed() int { return r.usedCL }

// Next returns the next raw message, or io.EOF after the last one. The
// returned slice is owned by the caller. A message always ends with a line
// ending: mbox cannot represent one that does not, so one is added at EOF.
func (r *Reader) Next() ([]byte, error) {
	if !r.started {
		r.started = true
		if err := r.detect(); err != nil {
			return nil, err
		}
	}
	var msg []byte
	var err error
	if r.format == FormatMMDF {
		msg, err = r.nextMMDF()
	} else {
		msg, err = r.nextMbox()
	}
	if err != nil {
		return nil, err
	}
	if r.oversized {
		r.oversized = false
		return nil, fmt.Errorf("mbox.Next(envelope %q): %w", r.envelope, ErrMessageTooLarge)
	}
	if n := len(msg); n > 0 && msg[n-1] != '\n' {
		msg = append(msg, '\n')
	}
	return msg, nil
}

func (r *Reader) maxSize() int {
	if r.MaxSize > 0 {
		return r.MaxSize
	}
	return DefaultMaxMessageSize
}

// detect skips a BOM and leading blank lines and classifies the first line.
func (r *Reader) detect() error {
	if bom, err := r.src.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		r.src.Discard(3)
	}
	for {
		line, err := r.peekLine()
		if len(line) == 0 {
			if err == io.EOF || err == nil {
				return nil
			}
			return fmt.Errorf("mbox.detect: %w", err)
		}
		if !isBlank(line) {
			break
		}
		r.src.Discard(len(line))
	}
	line, _ := r.peekLine()
	switch {
	case isMMDFDelim(line):
		r.format = FormatMMDF
	case isFromLine(line):
		r.format = FormatMbox
		r.src.Discard(len(line))
		r.pending, r.pendEnv = true, envelopeOf(line)
	case isYearLine(line) && isHeaderField(r.lineAfter(len(line))):
		r.format = FormatYear
		r.src.Discard(len(line))
		r.pending = true
	default:
		r.format = FormatBare
		r.pending = true
		line, _ = r.peekLine() // lineAfter may have moved the buffer under line
		if isHeaderField(line) {
			r.sepName = bytes.ToLower(line[:bytes.IndexByte(line, ':')+1])
		}
	}
	return nil
}

// peekLine returns the next line without consuming it, as far as the
// buffer allows (a longer line is returned truncated, which is enough for
// classification).
func (r *Reader) peekLine() ([]byte, error) {
	for n := 512; ; n *= 2 {
		b, err := r.src.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return b[:i+1], nil
		}
		if err != nil {
			if err == bufio.ErrBufferFull {
				return b, nil
			}
			return b, err
		}
	}
}

// lineAfter returns the line that starts skip bytes ahead without consuming
// anything, or nil at the end of input. It may be cut short, which is enough
// for classification. Peeking can move the read buffer, so slices of it
// taken before the call are no longer valid after it.
func (r *Reader) lineAfter(skip int) []byte {
	b, _ := r.src.Peek(skip + 1024)
	if len(b) <= skip {
		return nil
	}
	rest := b[skip:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i+1]
	}
	return rest
}

// readLine returns the next line including its ending. Lines longer than
// the message limit are cut short and flag the message as oversized. The
// slice is only valid until the next read.
func (r *Reader) readLine(scratch *[]byte) ([]byte, error) {
	line, err := r.src.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	buf := append((*scratch)[:0], line...)
	for err == bufio.ErrBufferFull {
		line, err = r.src.ReadSlice('\n')
		if len(buf) < r.maxSize() {
			buf = append(buf, line...)
		} else {
			r.oversized = true
		}
	}
	*scratch = buf
	return buf, err
}

func envelopeOf(line []byte) string {
	return string(bytes.TrimRight(line[len("From "):], " \t\r\n"))
}

// contentLength parses a Content-Length header line, or returns -1.
func contentLength(line []byte) int {
	const name = "content-length:"
	if len(line) <= len(name) || !bytes.EqualFold(line[:len(name)], []byte(name)) {
		return -1
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(line[len(name):])))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
