package archive

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"hum/internal/archive/thread"
	"hum/internal/db"
	"hum/internal/fail"
)

// List is one archived list with its counters.
type List struct {
	Name     string
	Messages int
	Threads  int
	Last     time.Time
}

// Summary is a message as list pages show it.
type Summary struct {
	Key       int64  // row id, for ordering ties
	ID        string // hashcode
	List      string
	MessageID string
	InReplyTo string
	Refs      []string
	FromName  string
	FromAddr  string
	Subject   string
	Date      time.Time
	ThreadID  int64
	Size      int
}

// Message is a stored message with its raw bytes.
type Message struct {
	Summary
	Raw []byte
}

// summaryCols are the columns scanSummary reads, of the table whose
// alias is alias (with its dot, or none). The date goes through TimeCol,
// so that SQLite's driver hands on its text for db.Time to read.
func summaryCols(d db.Dialect, alias string) string {
	a := alias
	return a + "id, " + a + "hashcode, " + a + "list, " + a + "message_id, " + a + "in_reply_to, " + a + "refs, " +
		a + "from_name, " + a + "from_addr, " + a + "subject, " + d.TimeCol(a+"date") + ", " + a + "thread_id, " + a + "size"
}

// cols is summaryCols for s's database.
func (s *Service) cols(alias string) string { return summaryCols(s.DB.Dialect, alias) }

func scanSummary(sc interface{ Scan(...any) error }, extra ...any) (Summary, error) {
	var m Summary
	var refs string
	var date db.Time
	err := sc.Scan(append([]any{&m.Key, &m.ID, &m.List, &m.MessageID, &m.InReplyTo, &refs, &m.FromName, &m.FromAddr, &m.Subject, &date, &m.ThreadID, &m.Size}, extra...)...)
	m.Refs = strings.Fields(refs)
	m.Date = date.UTC()
	return m, err
}

func (s *Service) summaries(ctx context.Context, q string, args ...any) ([]Summary, error) {
	return db.Query(ctx, s.DB, scanSummaryRow, q, args...)
}

// scanSummaryRow is scanSummary for db.Query.
func scanSummaryRow(row db.Scanner) (Summary, error) { return scanSummary(row) }

// Lists returns every list that has archived messages, by name.
func (s *Service) Lists(ctx context.Context) (_ []List, err error) {
	defer fail.Wrap(&err, "archive.Lists")
	return db.Query(ctx, s.DB, func(row db.Scanner) (List, error) {
		var l List
		var last sql.NullTime
		err := row.Scan(&l.Name, &l.Messages, &l.Threads, &last)
		l.Last = last.Time.UTC()
		return l, err
	}, `SELECT name, messages, threads, last_date FROM arch_list WHERE messages > 0 ORDER BY name`)
}

// GetList returns one list's counters, or a not-found failure.
func (s *Service) GetList(ctx context.Context, name string) (List, error) {
	var l List
	var last sql.NullTime
	err := s.DB.QueryRowContext(ctx, `SELECT name, messages, threads, last_date FROM arch_list WHERE name = $1`, name).
		Scan(&l.Name, &l.Messages, &l.Threads, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fail.New(fail.NotFound, "There is no archive for a list named %q.", name)
	}
	l.Last = last.Time.UTC()
	return l, err
}

// ByDate returns a page of a list's messages, newest first.
func (s *Service) ByDate(ctx context.Context, list string, limit, offset int) (_ []Summary, err error) {
	defer fail.Wrap(&err, "archive.ByDate(%q)", list)
	return s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE list = $1 ORDER BY date DESC, id DESC LIMIT $2 OFFSET $3`, list, limit, offset)
}

// Thread is a conversation with its messages in display order.
type Thread struct {
	ID       int64
	List     string
	Subject  string
	First    time.Time
	Last     time.Time
	Messages int
	// Entries are the thread's messages, threaded; in a thread of more
	// than maxThreadTree messages, its first maxThreadTree by date, with
	// More counting the rest and Next the first of them.
	Entries []Entry
	More    int
	Next    *Summary
}

// Entry is one message of a thread view, at its depth in the tree.
type Entry struct {
	Summary
	Depth int
}

// Threads returns a page of a list's threads, most recently active first,
// each with its messages threaded.
func (s *Service) Threads(ctx context.Context, list string, limit, offset int) (_ []Thread, err error) {
	defer fail.Wrap(&err, "archive.Threads(%q)", list)
	out, err := db.Query(ctx, s.DB, func(row db.Scanner) (Thread, error) {
		var t Thread
		err := row.Scan(&t.ID, &t.List, &t.Subject, &t.First, &t.Last, &t.Messages)
		return t, err
	}, `SELECT id, list, subject, first_date, last_date, messages FROM arch_thread
		WHERE list = $1 ORDER BY last_date DESC, id DESC LIMIT $2 OFFSET $3`, list, limit, offset)
	if err != nil || len(out) == 0 {
		return out, err
	}
	// Threads of up to maxThreadTree messages are read in one query,
	// longer ones in a query each that stops after maxThreadTree.
	var ids []string
	by := map[int64][]Summary{}
	for i, t := range out {
		if t.Messages <= maxThreadTree {
			ids = append(ids, itoa(int(t.ID)))
			continue
		}
		msgs, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE thread_id = $1 ORDER BY date, id LIMIT $2`, t.ID, maxThreadTree+1)
		if err != nil {
			return nil, err
		}
		if len(msgs) > maxThreadTree {
			out[i].Next, out[i].More = &msgs[maxThreadTree], t.Messages-maxThreadTree
			msgs = msgs[:maxThreadTree]
		}
		by[t.ID] = msgs
	}
	if len(ids) > 0 {
		// Thread ids are our own integers, so they are safe to inline.
		msgs, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE thread_id IN (`+strings.Join(ids, ",")+`) ORDER BY date, id`)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			by[m.ThreadID] = append(by[m.ThreadID], m)
		}
	}
	for i := range out {
		out[i].Entries = threaded(by[out[i].ID])
	}
	return out, nil
}

// threaded orders a thread's messages as JWZ does, with their depths.
// Placeholders (messages referred to but not archived) are left out and
// their children shown one level up.
func threaded(msgs []Summary) []Entry {
	in := make([]thread.Message, len(msgs))
	for i, m := range msgs {
		in[i] = thread.Message{ID: m.MessageID, InReplyTo: m.InReplyTo, References: m.Refs, Subject: m.Subject, Date: m.Date}
	}
	var out []Entry
	var walk func(cs []*thread.Container, depth int)
	walk = func(cs []*thread.Container, depth int) {
		for _, c := range cs {
			d := depth
			if !c.IsPlaceholder() {
				out = append(out, Entry{Summary: msgs[c.Index], Depth: depth})
				d++
			}
			walk(c.Children, d)
		}
	}
	walk(thread.Thread(in), 0)
	return out
}

// Get returns a stored message by list and hashcode.
func (s *Service) Get(ctx context.Context, list, id string) (_ *Message, err error) {
	defer fail.Wrap(&err, "archive.Get(%q, %q)", list, id)
	var m Message
	m.Summary, err = scanSummary(s.DB.QueryRowContext(ctx, `SELECT `+s.cols("")+`, raw FROM arch_message WHERE list = $1 AND hashcode = $2`, list, id), &m.Raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fail.New(fail.NotFound, "The %s archive has no message %q.", list, id)
	}
	return &m, err
}

// Around is a message's neighbours by date and its thread.
type Around struct {
	PrevByDate, NextByDate *Summary
	// Thread is the whole thread as a tree, or, in a thread of more than
	// maxThreadTree messages, the threadWindow messages before and after
	// this one by date, with Earlier and Later counting those left out.
	Thread         []Entry
	Earlier, Later int
	PrevInThread   *Summary
	NextInThread   *Summary
	ThreadSubject  string
}

// maxThreadTree is the largest thread a message page shows whole, as a
// tree; threadWindow is how many messages either side of the message it
// shows of a larger one. Threading thousands of messages for every view
// of one of them made those pages the slowest of the archive.
const (
	maxThreadTree = 500
	threadWindow  = 100
)

// Neighbours finds what the message page links to.
func (s *Service) Neighbours(ctx context.Context, m *Summary) (_ Around, err error) {
	defer fail.Wrap(&err, "archive.Neighbours(%q)", m.ID)
	var a Around
	prev, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE list = $1 AND (date, id) < ($2, $3) ORDER BY date DESC, id DESC LIMIT 1`, m.List, m.Date, m.Key)
	if err != nil {
		return a, err
	}
	next, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE list = $1 AND (date, id) > ($2, $3) ORDER BY date, id LIMIT 1`, m.List, m.Date, m.Key)
	if err != nil {
		return a, err
	}
	if len(prev) > 0 {
		a.PrevByDate = &prev[0]
	}
	if len(next) > 0 {
		a.NextByDate = &next[0]
	}
	var size int
	var subject string
	if err := s.DB.QueryRowContext(ctx, `SELECT messages, subject FROM arch_thread WHERE id = $1`, m.ThreadID).Scan(&size, &subject); err != nil {
		return a, err
	}
	if size > maxThreadTree {
		err = s.threadWindow(ctx, m, size, &a)
		a.ThreadSubject = subject
		return a, err
	}
	if a.Thread, err = s.thread(ctx, m.ThreadID); err != nil {
		return a, err
	}
	for i, e := range a.Thread {
		if e.Key != m.Key {
			continue
		}
		if i > 0 {
			a.PrevInThread = &a.Thread[i-1].Summary
		}
		if i+1 < len(a.Thread) {
			a.NextInThread = &a.Thread[i+1].Summary
		}
	}
	if len(a.Thread) > 0 {
		a.ThreadSubject = a.Thread[0].Subject
	}
	return a, nil
}

// threadWindow fills a.Thread with the messages around m in its thread of
// size messages, by date.
func (s *Service) threadWindow(ctx context.Context, m *Summary, size int, a *Around) error {
	before, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE thread_id = $1 AND (date, id) < ($2, $3)
		ORDER BY date DESC, id DESC LIMIT $4`, m.ThreadID, m.Date, m.Key, threadWindow)
	if err != nil {
		return err
	}
	after, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE thread_id = $1 AND (date, id) > ($2, $3)
		ORDER BY date, id LIMIT $4`, m.ThreadID, m.Date, m.Key, threadWindow)
	if err != nil {
		return err
	}
	var earlier int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM arch_message WHERE thread_id = $1 AND (date, id) < ($2, $3)`,
		m.ThreadID, m.Date, m.Key).Scan(&earlier); err != nil {
		return err
	}
	slices.Reverse(before)
	for _, x := range before {
		a.Thread = append(a.Thread, Entry{Summary: x})
	}
	a.Thread = append(a.Thread, Entry{Summary: *m})
	for _, x := range after {
		a.Thread = append(a.Thread, Entry{Summary: x})
	}
	a.Earlier = earlier - len(before)
	a.Later = max(0, size-earlier-1-len(after))
	if len(before) > 0 {
		a.PrevInThread = &a.Thread[len(before)-1].Summary
	}
	if len(after) > 0 {
		a.NextInThread = &a.Thread[len(before)+1].Summary
	}
	return nil
}

// thread returns a thread's first maxThreadTree messages, threaded.
func (s *Service) thread(ctx context.Context, id int64) ([]Entry, error) {
	msgs, err := s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message WHERE thread_id = $1 ORDER BY date, id LIMIT $2`, id, maxThreadTree)
	return threaded(msgs), err
}

// ByAuthor returns the newest messages sent from any of addresses, across
// lists, for the person page. Addresses are stored lower-cased, so they
// match whatever case the person registered them in. Messages in the
// hidden lists (private archives the reader may not see) are left out.
func (s *Service) ByAuthor(ctx context.Context, addresses []string, limit int, hidden ...string) (_ []Summary, err error) {
	defer fail.Wrap(&err, "archive.ByAuthor(%q)", addresses)
	if len(addresses) == 0 || limit <= 0 {
		return nil, nil
	}
	lower := make([]string, len(addresses))
	for i, a := range addresses {
		lower[i] = strings.ToLower(a)
	}
	w := &db.Where{}
	w.Raw("from_addr IN " + w.In(lower))
	if len(hidden) > 0 {
		w.Raw("list NOT IN " + w.In(hidden))
	}
	// One index range per address (arch_message_from), newest first.
	return s.summaries(ctx, `SELECT `+s.cols("")+` FROM arch_message`+w.SQL()+`
		ORDER BY date DESC, id DESC LIMIT `+w.Arg(limit), w.Args...)
}

// Post is a message of a thread with the start of its text.
type Post struct {
	Entry
	Text string // the start of the text search indexes (quotes left out)
}

// ThreadOf returns the thread of list that holds messageID (without angle
// brackets), threaded: its first maxThreadTree messages, each with the
// start of its text. A consensus call reads its replies this way, whoever
// sent them. A message the archive does not hold has no thread: nil.
func (s *Service) ThreadOf(ctx context.Context, list, messageID string) (_ []Post, err error) {
	defer fail.Wrap(&err, "archive.ThreadOf(%q, %q)", list, messageID)
	text := map[int64]string{}
	msgs, err := db.Query(ctx, s.DB, func(row db.Scanner) (Summary, error) {
		var t string
		m, err := scanSummary(row, &t)
		text[m.Key] = t
		return m, err
	}, `SELECT `+s.cols("")+`, SUBSTR(body, 1, 600) FROM arch_message WHERE thread_id IN
		(SELECT thread_id FROM arch_message WHERE list = $1 AND message_id = $2) ORDER BY date, id LIMIT $3`,
		list, strings.Trim(messageID, "<> "), maxThreadTree)
	if err != nil {
		return nil, err
	}
	var out []Post
	for _, e := range threaded(msgs) {
		out = append(out, Post{Entry: e, Text: text[e.Key]})
	}
	return out, nil
}
