package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	"hum/internal/archive"
	"hum/internal/benchrun"
	"hum/internal/db"
	"hum/internal/mbox"
)

// runGenerated fills list "bench" up to n messages, then times searches
// and thread pages over it.
func runGenerated(ctx context.Context, dsn, source string, n, searches, pages, conc int) error {
	if dsn == "" {
		return fmt.Errorf("--generate needs --db: the archive is kept for the next run")
	}
	a, done, err := open(ctx, dsn)
	if err != nil {
		return err
	}
	defer done()
	s := a.Archive
	have := 0
	if l, err := s.GetList(ctx, "bench"); err == nil {
		have = l.Messages
	}
	if have < n {
		if err := fill(ctx, s, source, have, n); err != nil {
			return err
		}
	}
	fmt.Printf("archive: %d messages (%s)\n", max(have, n), a.DB.Dialect)
	if err := timeSearches(ctx, s, searches, conc); err != nil {
		return err
	}
	return timePages(ctx, s, pages, conc)
}

// fill imports messages from..n-1 of the generated corpus: message i is
// corpus message i mod len, and copy k = i / len has "-gk" appended to
// every Message-ID it carries (references too, so threads stay threads).
func fill(ctx context.Context, s *archive.Service, source string, from, n int) error {
	raws, err := sourceMessages(source)
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(generated(pw, raws, from, n)) }()
	start := time.Now()
	last := start
	res, err := s.Import(ctx, "bench", pr, func(done int) {
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			fmt.Printf("  %d/%d messages, %.0f msgs/s\n", from+done, n, float64(done)/time.Since(start).Seconds())
		}
	})
	pr.Close()
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Printf("import: %d messages (%d imported, %d duplicates, %d rejected) in %.1f s = %.0f msgs/s\n",
		res.Read, res.Imported, res.Duplicates, len(res.Rejected), took.Seconds(), float64(res.Read)/took.Seconds())
	return nil
}

// timePages times what the message page reads (the message, its
// neighbours by date and its thread) for random messages, with conc
// readers at once.
func timePages(ctx context.Context, s *archive.Service, pages, conc int) error {
	if pages <= 0 {
		return nil
	}
	var last int64
	if err := s.DB.QueryRowContext(ctx, `SELECT MAX(id) FROM arch_message`).Scan(&last); err != nil {
		return err
	}
	ids := make([]string, 2000)
	for i := range ids {
		ids[i] = strconv.FormatInt(1+rand.Int64N(last), 10)
	}
	type key struct{ list, id string }
	keys, err := db.Query(ctx, s.DB, func(row db.Scanner) (key, error) {
		var k key
		err := row.Scan(&k.list, &k.id)
		return k, err
	}, `SELECT list, hashcode FROM arch_message WHERE id IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return fmt.Errorf("no messages to show")
	}
	cpu0 := benchrun.CPUTime()
	lat, took, err := timeConcurrent(pages, conc, func(i int) error {
		k := keys[i%len(keys)]
		m, err := s.Get(ctx, k.list, k.id)
		if err == nil {
			_, err = s.Neighbours(ctx, &m.Summary)
		}
		return err
	})
	if err != nil {
		return err
	}
	cpu := benchrun.CPUTime() - cpu0
	p50, p99 := percentiles(lat)
	fmt.Printf("hum thread page: p50 %v, p99 %v over %d pages, %d concurrent (%.0f pages/s, %.2f ms of CPU a page)\n",
		p50, p99, pages, conc, float64(pages)/took.Seconds(), float64(cpu.Microseconds())/1000/float64(pages))
	return nil
}

// sourceMessages reads the corpus mbox that generated archives scale.
func sourceMessages(source string) ([][]byte, error) {
	src, err := os.ReadFile(source)
	if err != nil {
		return nil, err
	}
	r := mbox.NewReader(bytes.NewReader(src))
	var raws [][]byte
	for {
		raw, err := r.Next()
		if err == io.EOF {
			return raws, nil
		}
		if err != nil {
			return nil, err
		}
		raws = append(raws, raw)
	}
}

// sameDates keeps every copy of the corpus on the corpus's own dates
// (--same-dates), as the generator did before copies followed one
// another in time.
var sameDates bool

// generated writes messages from to n of the generated corpus as mbox:
// the corpus over and over, each copy's Message-IDs (and references to
// them) made its own. Each copy follows the one before in time, its
// dates moved on by the corpus's span in whole years, as a list's
// archive grows: copies on the same dates would make a list whose every
// conversation runs as many times at once as there are copies, which
// no list is (the base-subject look-ups and the date indexes of such an
// archive grow with the copies; see DESIGN.md).
func generated(out io.Writer, raws [][]byte, from, n int) error {
	w := mbox.NewWriter(out)
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	years := spanYears(raws)
	for i := from; i < n; i++ {
		raw := raws[i%len(raws)]
		if k := i / len(raws); k > 0 {
			raw = renameIDs(raw, "-g"+strconv.Itoa(k))
			if !sameDates {
				raw = shiftDate(raw, k*years)
			}
		}
		if err := w.WriteMessage("bench@example.org", date, raw); err != nil {
			return err
		}
	}
	return w.Flush()
}

// writeGenerated writes n generated messages to the mbox file path.
func writeGenerated(source string, n int, path string) error {
	if err := writeGeneratedQuiet(source, n, path); err != nil {
		return err
	}
	fmt.Printf("wrote %d generated messages to %s\n", n, path)
	return nil
}

func writeGeneratedQuiet(source string, n int, path string) error {
	raws, err := sourceMessages(source)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := generated(bw, raws, 0, n); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// spanYears is how many calendar years the messages' dates touch, from
// the first year to the last.
func spanYears(raws [][]byte) int {
	first, last := 0, 0
	for _, raw := range raws {
		_, _, t, ok := dateHeader(raw)
		if !ok {
			continue
		}
		if y := t.Year(); first == 0 || y < first {
			first = y
		}
		if y := t.Year(); y > last {
			last = y
		}
	}
	return max(1, last-first+1)
}

// shiftDate returns raw with its Date: header moved years later, or raw
// as it is when it has no date that parses.
func shiftDate(raw []byte, years int) []byte {
	start, end, t, ok := dateHeader(raw)
	if !ok {
		return raw
	}
	eol := "\n"
	if bytes.HasSuffix(raw[:end], []byte("\r\n")) {
		eol = "\r\n"
	}
	out := make([]byte, 0, len(raw)+8)
	out = append(out, raw[:start]...)
	out = append(out, "Date: "+t.AddDate(years, 0, 0).Format(time.RFC1123Z)+eol...)
	return append(out, raw[end:]...)
}

// idFields are the header fields whose Message-IDs renameIDs renames.
var idFields = []string{"message-id:", "in-reply-to:", "references:"}

// renameIDs returns raw with suffix put before the ">" of each
// Message-ID in its Message-ID, In-Reply-To and References fields, folded
// lines included, and every other byte as it was. The copies it makes
// are other messages, in threads of their own, with the same text: the
// same words to index and the same quotes left out. (Each ">" of the
// whole message was renamed before, the quotes' marks too, so that the
// copies' quoted text was indexed: 2,690 bytes of text a message against
// the originals' 926, which made the import's cost a message seem to
// grow with the archive, issue 17 §3.)
func renameIDs(raw []byte, suffix string) []byte {
	out := make([]byte, 0, len(raw)+64)
	inID := false
	for i := 0; i < len(raw); {
		nl := bytes.IndexByte(raw[i:], '\n')
		if nl < 0 {
			nl = len(raw) - i - 1
		}
		line := raw[i : i+nl+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return append(out, raw[i:]...) // the header's end: the body as it is
		}
		if line[0] != ' ' && line[0] != '\t' {
			inID = false
			for _, f := range idFields {
				if len(line) >= len(f) && strings.EqualFold(string(line[:len(f)]), f) {
					inID = true
				}
			}
		}
		if inID {
			line = bytes.ReplaceAll(line, []byte(">"), []byte(suffix+">"))
		}
		out = append(out, line...)
		i += nl + 1
	}
	return out
}

// dateHeader finds the Date: field in raw's header: where it starts and
// ends (after its last line's end, folded lines included) and its time.
func dateHeader(raw []byte) (start, end int, t time.Time, ok bool) {
	for i := 0; i < len(raw); {
		nl := bytes.IndexByte(raw[i:], '\n')
		if nl < 0 {
			return 0, 0, t, false
		}
		line := raw[i : i+nl+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return 0, 0, t, false // the header's end
		}
		if len(line) < 5 || !strings.EqualFold(string(line[:5]), "date:") {
			i += nl + 1
			continue
		}
		end = i + nl + 1
		for end < len(raw) && (raw[end] == ' ' || raw[end] == '\t') {
			next := bytes.IndexByte(raw[end:], '\n')
			if next < 0 {
				return 0, 0, t, false
			}
			end += next + 1
		}
		value := strings.Join(strings.Fields(string(raw[i+5:end])), " ")
		t, err := mail.ParseDate(value)
		return i, end, t, err == nil
	}
	return 0, 0, t, false
}
