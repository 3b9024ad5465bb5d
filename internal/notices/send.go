package notices

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
)

// what says, for each kind of document event that is noticed, what
// changed: the Datatracker mails the notify list for state changes
// (email_state_changed), the responsible AD, the shepherd and the
// intended status (email_*_changed), ballots, Last Call, replacement,
// publication and new revisions; not for tags, telechat placement,
// write-up edits, IPR or implementation reports, which its tracking
// lists show but its notify list is not mailed for.
var what = map[string]string{
	"iesg_state":         "IESG state changed",
	"wg_state":           "WG state changed",
	"charter_state":      "Charter state changed",
	"ad":                 "Responsible AD changed",
	"shepherd":           "Document shepherd changed",
	"intended_std_level": "Intended status changed",
	"ballot_opened":      "IESG ballot opened",
	"ballot_closed":      "IESG ballot closed",
	"ballot_position":    "Ballot position",
	"last_call":          "Last Call issued",
	"replaced":           "Replaced",
	"published":          "Published",
	"iesg_approved":      "Approved by the IESG",
	"new_revision":       "New revision",
	"expired":            "Expired",
}

// Kinds are the kinds of document event that are noticed, sorted.
func Kinds() []string {
	var ks []string
	for k := range what {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// event is a row of the record as the notices read it.
type event struct {
	id                    int64
	at                    time.Time
	actor, typ, doc, kind string
	summary, why          string
}

func scanEvent(row db.Scanner) (event, error) {
	var e event
	err := row.Scan(&e.id, &e.at, &e.actor, &e.typ, &e.doc, &e.kind, &e.summary, &e.why)
	return e, err
}

// change is what one transaction did to one document: its events.
type change struct {
	doc    string
	at     time.Time
	actor  string
	events []event
}

func (c change) subject() string {
	var ws []string
	for _, e := range c.events {
		if w := what[e.kind]; !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	return c.doc + ": " + strings.Join(ws, "; ")
}

// body is the notice's text, in the Datatracker's way: what changed, by
// whom and when, why when given, and where the document is.
func (s *Service) body(c change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Document: %s\n%s/doc/%s/\n\nChange by %s on %s:\n\n", c.doc, s.BaseURL, c.doc, c.actor, c.at.UTC().Format("2006-01-02 15:04 MST"))
	for _, e := range c.events {
		b.WriteString(e.summary + "\n")
		if e.why != "" {
			b.WriteString("\n" + e.why + "\n")
		}
	}
	return b.String()
}

// SendNotices queues the notices of every change recorded since the last
// run and returns how many changes it told of.
func (s *Service) SendNotices(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "notices.SendNotices")
	for {
		k, more, err := s.sendBatch(ctx)
		n += k
		if err != nil || !more {
			return n, err
		}
	}
}

// sendBatch reads the next events past the cursor, queues their notices
// and moves the cursor past them, all in one transaction.
func (s *Service) sendBatch(ctx context.Context) (n int, more bool, err error) {
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		last, day, err := cursor(ctx, tx, Each)
		if err != nil {
			return err
		}
		evs, err := db.Query(ctx, tx, scanEvent, `SELECT id, at, actor, subject_type, subject, kind, summary, why
			FROM event WHERE id > $1 ORDER BY id LIMIT $2`, last, batch)
		if err != nil {
			return err
		}
		more = len(evs) == batch
		if tx.Dialect == db.Postgres {
			if ok := settled(evs, last, tx.Now); len(ok) < len(evs) {
				evs, more = ok, false
			}
		}
		if len(evs) == 0 {
			return nil
		}
		cs := changes(evs)
		for _, c := range cs {
			if err := s.notice(ctx, tx, c); err != nil {
				return err
			}
		}
		n = len(cs)
		return moveCursor(ctx, tx, Each, last, evs[len(evs)-1].id, day)
	})
	if err == errMoved {
		return 0, false, nil
	}
	return n, more, err
}

// settled is the part of evs (read past last) that may be passed: up to
// the first gap in the ids whose next event is younger than settle.
func settled(evs []event, last int64, now time.Time) []event {
	prev := last
	for i, e := range evs {
		if e.id != prev+1 && now.Sub(e.at) < settle {
			return evs[:i]
		}
		prev = e.id
	}
	return evs
}

// changes picks the noticed document events of evs and groups them by
// transaction: one document, one time, one actor.
func changes(evs []event) []change {
	var cs []change
	for _, e := range evs {
		if e.typ != "doc" || what[e.kind] == "" {
			continue
		}
		i := slices.IndexFunc(cs, func(c change) bool { return c.doc == e.doc && c.at.Equal(e.at) && c.actor == e.actor })
		if i < 0 {
			cs = append(cs, change{doc: e.doc, at: e.at, actor: e.actor})
			i = len(cs) - 1
		}
		cs[i].events = append(cs[i].events, e)
	}
	return cs
}

// notice queues one change's notices: one to the document's notify list,
// when it reaches anyone, and one to each follower in "each" mode whom
// that list does not reach already.
func (s *Service) notice(ctx context.Context, tx *db.Tx, c change) error {
	subject, body := c.subject(), s.body(c)
	reach, err := s.Notify.MailNotify(ctx, tx, c.doc, mail.Message{From: s.from(), Subject: subject, Body: body,
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	if err != nil {
		return err
	}
	fs, err := followers(ctx, tx, Each, []string{c.doc})
	if err != nil {
		return err
	}
	for _, f := range fs {
		// The follow that brings them this change: one begun before it.
		i := slices.IndexFunc(f.follows, func(x Follow) bool { return c.events[0].id > x.After })
		if i < 0 || slices.Contains(reach, f.address) {
			continue
		}
		if err := s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), To: []string{f.address}, Subject: subject,
			Body:    body + "\n" + s.why(f.follows[i]),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"}}); err != nil {
			return err
		}
	}
	return nil
}

// why is the footer of a follower's mail: why they get it, and where
// they can stop.
func (s *Service) why(f Follow) string {
	what := "the document " + f.Subject
	if f.Type == "group" {
		what = "the documents of the group " + f.Subject + " and its charter"
	}
	return fmt.Sprintf("You get this because you track %s.\nTo stop, or to get a daily summary instead: %s/accounts/track/\n", what, s.BaseURL)
}
