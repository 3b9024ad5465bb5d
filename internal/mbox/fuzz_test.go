package mbox

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"hum/internal/corpustest"
)

// FuzzReader reads any bytes as an mbox file, as hum import mbox does:
// the reader must not panic, must make progress (every message it
// returns is cut from the input, so there are never more messages than
// bytes), and must end with io.EOF or an error. Seeds: the start of every
// mbox in corpus/lists and corpus/email (CI: go test -fuzz FuzzReader).
func FuzzReader(f *testing.F) {
	root, _ := corpustest.Seeds(f) // without it, the seeds below
	for _, glob := range []string{"lists/*", "email/*/*.mbox", "email/*/*/*.mbox"} {
		files, _ := filepath.Glob(filepath.Join(root, glob))
		for _, p := range files {
			if b := head(p, 64<<10); len(b) > 0 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\n>From here\nFrom b@c Mon Jan  1 00:00:00 2024\n\n"))
	f.Add([]byte("\x01\x01\x01\x01\nFrom: a\n\nbody\n\x01\x01\x01\x01\n"))
	f.Add([]byte("From a Mon Jan 1 2024\nContent-Length: 99999999\n\nx"))
	f.Add([]byte("2024\nFrom: a@example.org\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <a@b>\n\nx\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatalf("%d messages from %d bytes: the reader does not progress", n, len(data))
			}
			msg, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				return // a refusal is an answer
			}
			if len(msg) > len(data)+64 {
				t.Fatalf("a message of %d bytes from %d bytes of input", len(msg), len(data))
			}
		}
	})
}

// head returns up to n bytes of the file at p, gunzipped when it ends in .gz.
func head(p string, n int64) []byte {
	fh, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var r io.Reader = fh
	if filepath.Ext(p) == ".gz" {
		z, err := gzip.NewReader(fh)
		if err != nil {
			return nil
		}
		r = z
	}
	b, _ := io.ReadAll(io.LimitReader(r, n))
	return b
}
