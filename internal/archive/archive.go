// Package archive stores every list message, threads it, indexes it for
// search, and imports and exports mbox files. The public archive pages in
// package web read from it.
//
// A message is stored once per list under its hashcode, the IETF mail
// archive's stable id derived from the Message-ID. The raw bytes are kept
// as received; the columns beside them (author, subject, date, thread,
// search text) are derived at insert time so that listing, threading and
// search never parse a message again. Adding one message costs a handful of
// indexed statements: its thread is found through arch_ref, which maps
// every Message-ID seen on the list (as a message or as a reference) to a
// thread, so replies that arrive before their parent still join it.
package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"hum/internal/archive/message"
	"hum/internal/archive/thread"
	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

// Service is the archive store.
type Service struct {
	DB *db.DB
	// HideAddresses asks the pages to show anonymous readers names only.
	HideAddresses bool
	// Log receives what goes wrong after a commit, such as a post the
	// search index could not take yet; nil means slog.Default().
	Log *slog.Logger

	// importLimit, when set (by tests), bounds Import's batches instead of
	// importBatch and importBatchBytes.
	importLimit batchLimit
	// settleStep and mergeStepped, when set (by tests), are the leaf pages
	// a step of settleIndex's merge writes instead of settlePages, and a
	// function called between its steps, when the search index's write
	// lock is free.
	settleStep   int
	mergeStepped func()

	slotsOnce sync.Once
	slots     chan struct{} // a place for each search running (Search)

	newest newestRead // PostgreSQL: where a search's first window begins
}

// Stored is what Add did with a message.
type Stored struct {
	ID        string // the hashcode: /arch/msg/{list}/{ID}/
	List      string
	MessageID string // without angle brackets; generated when the message had none
	Duplicate bool   // the list already had this message; nothing was stored
	ThreadID  int64
}

// MaxMessageBytes is the largest message the archive stores. The SMTP
// endpoint refuses bigger ones earlier; an import rejects them.
const MaxMessageBytes = 64 << 20

// searchBodyBytes bounds the text indexed per message.
const searchBodyBytes = 64 << 10

// Add stores raw in the archive of list inside tx, the transaction that
// commits an inbound message (so an accepted message is archived if and
// only if it is committed). A message whose Message-ID and body the list
// already has is a duplicate: Add reports it and stores nothing.
func (s *Service) Add(ctx context.Context, tx *db.Tx, list string, raw []byte) (st Stored, err error) {
	defer fail.Wrap(&err, "archive.Add(%q)", list)
	if err := checkList(list); err != nil {
		return Stored{}, err
	}
	if len(raw) > MaxMessageBytes {
		return Stored{}, fail.New(fail.Invalid, "The message is %d bytes; the archive takes at most %d.", len(raw), MaxMessageBytes)
	}
	p := prepare(raw)
	w := newWriter(tx, list)
	if err := w.load(ctx, []*parsed{p}); err != nil {
		return Stored{}, err
	}
	st, err = w.add(ctx, p)
	if err != nil || st.Duplicate {
		return st, err
	}
	if err := w.flush(ctx); err != nil {
		return st, err
	}
	s.indexAfter(tx)
	err = record.Add(ctx, tx, record.System, "list", list, "message_archived", "Message "+st.ID+" archived", "")
	return st, err
}

// checkList accepts the list names hum makes: lower-case acronyms with
// digits, dots, dashes and underscores.
func checkList(list string) error {
	if list == "" || len(list) > 64 {
		return fail.Field("list", "A list name is 1 to 64 characters.")
	}
	for _, r := range list {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fail.Field("list", "The list name %q may hold only lower-case letters, digits, dots, dashes and underscores.", list)
		}
	}
	return nil
}

// parsed is a message with everything storage needs, computed without a
// transaction so that an import can do it on several cores.
type parsed struct {
	raw         []byte
	msg         *message.Message
	contentHash string
	base        string // thread.BaseSubject
	reply       bool   // the subject had a reply marker
	refs        []string
	body        string
}

// prepare parses raw. It never fails: message.Parse repairs what it can.
func prepare(raw []byte) *parsed {
	m := message.Parse(raw)
	m.MessageID = clip(m.MessageID, 900)
	p := &parsed{raw: raw, msg: m, contentHash: contentHash(raw)}
	p.base, p.reply = thread.BaseSubject(m.Subject)
	p.refs = references(m)
	p.body = searchText(m.Body.Text)
	return p
}

// contentHash is the SHA-256 of the body with line endings and trailing
// blank space normalised. Headers are left out on purpose: the same post
// seen through two routes differs in Received, DKIM and List-* fields but
// is still one message.
func contentHash(raw []byte) string {
	body := raw
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		body = raw[i+2:]
	} else if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		body = raw[i+4:]
	}
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	body = bytes.TrimRight(body, " \t\r\n")
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// references lists the message's ancestors, oldest first, with In-Reply-To
// last when References does not already end with it. Long chains keep
// their newest 20 entries: older ones add nothing to finding the thread.
func references(m *message.Message) []string {
	var refs []string
	seen := map[string]bool{m.MessageID: true, m.InReplyTo: true}
	for _, r := range m.References {
		if r = noNUL(strings.TrimSpace(r)); r != "" && !seen[r] && len(r) <= 250 {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	if r := noNUL(strings.TrimSpace(m.InReplyTo)); r != "" && r != m.MessageID && len(r) <= 250 {
		refs = append(refs, r)
	}
	if len(refs) > 20 {
		refs = refs[len(refs)-20:]
	}
	return refs
}

// searchText is the body as search indexes it: quoted lines and
// signatures' noise left out, so a reply is found for what it says.
func searchText(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		t := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(t, ">") || strings.HasPrefix(t, "|") {
			continue
		}
		if b.Len()+len(line) > searchBodyBytes {
			break
		}
		b.WriteString(line)
	}
	return noNUL(strings.ToValidUTF8(b.String(), ""))
}

// clip shortens s to n bytes on a rune boundary, for columns that list
// pages show.
func clip(s string, n int) string {
	s = noNUL(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// noNUL drops NUL characters, which PostgreSQL text cannot hold (and
// which mean nothing in a header or body anyway).
func noNUL(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// dateOf is the date a message is filed under: its Date header, or the
// time it was archived when it has none.
func dateOf(m *message.Message, now time.Time) time.Time {
	if m.Date.IsZero() {
		return now.UTC()
	}
	return m.Date.UTC().Truncate(time.Second)
}
