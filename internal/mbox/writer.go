package mbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// Writer writes messages as mboxrd: every line matching ^>*From gains one
// '>', so a Reader gives back exactly the bytes that were written.
type Writer struct {
	w *bufio.Writer
}

// NewWriter returns a Writer to w. Call Flush when done.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w)}
}

// asctime is the date layout of a From_ line.
const asctime = "Mon Jan _2 15:04:05 2006"

// WriteMessage appends raw with a From_ line built from the envelope sender
// and the date it was received. A message that does not end with a line
// ending gets one, and a blank line separates it from the next.
func (w *Writer) WriteMessage(sender string, date time.Time, raw []byte) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("mbox.WriteMessage(%q): %w", sender, err)
		}
	}()
	fmt.Fprintf(w.w, "From %s %s\n", envelopeSender(sender), date.UTC().Format(asctime))
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line = raw[:i+1]
		}
		raw = raw[len(line):]
		if needsEscape(line) {
			w.w.WriteByte('>')
		}
		w.w.Write(line)
		if len(raw) == 0 && line[len(line)-1] != '\n' {
			w.w.WriteByte('\n')
		}
	}
	_, err = w.w.WriteString("\n")
	return err
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("mbox.Flush: %w", err)
	}
	return nil
}

// envelopeSender makes sender safe for a From_ line: one token, no spaces
// or control characters, so the line always parses back as a separator.
func envelopeSender(sender string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, sender)
	if s == "" {
		return "MAILER-DAEMON"
	}
	return s
}
