package docs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// IPRLister lists the IPR disclosures that name a document. internal/ipr
// keeps them; app wires it into Service.IPR. Until it does, the write-up
// says that no disclosures are known.
type IPRLister interface {
	DisclosuresFor(ctx context.Context, doc string) ([]IPRDisclosure, error)
}

// IPRDisclosure is what the write-up shows of one disclosure.
type IPRDisclosure struct {
	ID     int64
	Title  string
	Holder string
	Posted time.Time
	URL    string // its page, absolute or a path
}

// WriteupAnswer is a question of the template with its answer.
type WriteupAnswer struct {
	WriteupQuestion
	Answer  string
	Problem string // why R17 does not count it answered yet; "" when it does
}

// Writeup is a document's shepherd write-up (R17): the answers to the
// IESG's template, and the free text of a write-up written before hum used
// the template, kept as it was.
type Writeup struct {
	Doc         Document
	Title       string // the template's
	Dated       string
	Questions   []WriteupAnswer
	Legacy      string          // free text from before the template
	Disclosures []IPRDisclosure // those that name the document
	IPRKnown    bool            // false: hum has no IPR disclosures to look in
	Answered    int             // questions with an answer
}

// Gaps are the required questions R17 does not count answered.
func (w Writeup) Gaps() []WriteupAnswer {
	var gaps []WriteupAnswer
	for _, q := range w.Questions {
		if q.Problem != "" {
			gaps = append(gaps, q)
		}
	}
	return gaps
}

// Complete reports whether every required question is answered (R17).
func (w Writeup) Complete() bool { return len(w.Gaps()) == 0 }

// Incomplete is the R17 refusal that names the questions still open, or
// nil when the write-up is complete.
func (w Writeup) Incomplete() error {
	gaps := w.Gaps()
	if len(gaps) == 0 {
		return nil
	}
	var say []string
	for _, g := range gaps {
		say = append(say, fmt.Sprintf("question %d (%s: %q) %s", g.N, g.Topic, firstSentence(g.Text), g.Problem))
	}
	return fail.Rule("R17", fail.Conflict, "Publication of %s cannot be requested until its shepherd write-up is complete: %s. Answer them at /doc/%s/writeup/.",
		w.Doc.Name, strings.Join(say, "; "), w.Doc.Name)
}

// problem says why an answer to q does not count: empty, or one word
// ("Yes.", "N/A", "x"), which answers none of the template's questions.
func problem(q WriteupQuestion, answer string) string {
	if !q.Required {
		return ""
	}
	switch f := strings.Fields(answer); len(f) {
	case 0:
		return "has no answer"
	case 1:
		return fmt.Sprintf("is answered in one word (%q); say what was done and found", f[0])
	}
	return ""
}

func firstSentence(s string) string {
	if i := strings.Index(s, "? "); i > 0 {
		return s[:i+1]
	}
	return s
}

// Writeup returns a document's shepherd write-up.
func (s *Service) Writeup(ctx context.Context, name string) (w Writeup, err error) {
	defer fail.Wrap(&err, "docs.Writeup(%q)", name)
	d, err := s.Get(ctx, name)
	if err != nil {
		return w, err
	}
	return s.writeupOf(ctx, s.DB, d)
}

func (s *Service) writeupOf(ctx context.Context, q db.Querier, d Document) (Writeup, error) {
	w := Writeup{Doc: d, Dated: writeupDated, Legacy: d.Writeup}
	var qs []WriteupQuestion
	w.Title, qs = WriteupQuestions(d)
	answers, err := s.answers(ctx, q, d.ID)
	if err != nil {
		return w, err
	}
	for _, q := range qs {
		a := answers[q.N]
		if a != "" {
			w.Answered++
		}
		w.Questions = append(w.Questions, WriteupAnswer{WriteupQuestion: q, Answer: a, Problem: problem(q, a)})
	}
	if s.IPR != nil {
		w.IPRKnown = true
		if w.Disclosures, err = s.IPR.DisclosuresFor(ctx, d.Name); err != nil {
			return w, err
		}
	}
	return w, nil
}

func (s *Service) answers(ctx context.Context, q db.Querier, docID int64) (map[int]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT question, answer FROM doc_writeup_answer WHERE doc_id = $1`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int]string{}
	for rows.Next() {
		var n int
		var a string
		if err := rows.Scan(&n, &a); err != nil {
			return nil, err
		}
		m[n] = a
	}
	return m, rows.Err()
}

// SetWriteup stores answers to the write-up's questions, by number; an
// empty answer removes one. The shepherd, the WG's chairs, the responsible
// AD and the secretariat may write it. A write-up may be saved unfinished;
// R17 holds at the publication request (Writeup.Incomplete).
func (s *Service) SetWriteup(ctx context.Context, name string, by groups.Actor, answers map[int]string) (err error) {
	defer fail.Wrap(&err, "docs.SetWriteup(%q)", name)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if !d.leads(by) && !d.responsible(by) && (d.ShepherdID == 0 || d.ShepherdID != by.ID) {
		return forbidden("R17", "Only the shepherd of %s, its WG's chairs, the responsible AD or the secretariat write its shepherd write-up.", d.Name)
	}
	_, qs := WriteupQuestions(d.Document)
	total, clean := 0, map[int]string{}
	for n, a := range answers {
		if !slices.ContainsFunc(qs, func(q WriteupQuestion) bool { return q.N == n }) {
			return fail.Field("q"+strconv.Itoa(n), "The write-up template has no question %d.", n)
		}
		a = strings.TrimSpace(strings.ReplaceAll(a, "\r\n", "\n"))
		if len(a) > 50_000 {
			return fail.Field("q"+strconv.Itoa(n), "The answer to question %d is longer than 50,000 characters.", n)
		}
		clean[n], total = a, total+len(a)
	}
	if total > 200_000 {
		return fail.Field("writeup", "The write-up is longer than 200,000 characters.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		old, err := s.answers(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		var changed []string
		for _, q := range qs {
			a, given := clean[q.N]
			if !given || a == old[q.N] {
				continue
			}
			changed = append(changed, strconv.Itoa(q.N))
			if a == "" {
				_, err = tx.ExecContext(ctx, `DELETE FROM doc_writeup_answer WHERE doc_id = $1 AND question = $2`, d.ID, q.N)
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO doc_writeup_answer (doc_id, question, answer) VALUES ($1, $2, $3)
					ON CONFLICT (doc_id, question) DO UPDATE SET answer = excluded.answer`, d.ID, q.N, a)
			}
			if err != nil {
				return err
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE doc SET updated = $1 WHERE id = $2`, tx.Now, d.ID); err != nil {
			return err
		}
		summary := "Shepherd write-up changed"
		if len(old) == 0 && d.Writeup == "" {
			summary = "Shepherd write-up added"
		}
		word := "question"
		if len(changed) > 1 {
			word = "questions"
		}
		id, err := record.AddID(ctx, tx, by.Actor, "doc", d.Name, "writeup", fmt.Sprintf("%s (%s %s)", summary, word, strings.Join(changed, ", ")), "")
		if err != nil {
			return err
		}
		// The text as this change left it, for doc/writeupdocevent.
		w, err := s.writeupOf(ctx, tx, d.Document)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO doc_writeup_text (event_id, text) VALUES ($1, $2)`, id, w.Text())
		return err
	})
}
