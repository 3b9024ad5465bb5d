package notices

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
)

// SendSummaries queues, once a day (the first run after midnight UTC),
// one summary to each person who follows something in "daily" mode and
// whose documents changed since the last summary; nothing to the others.
// A summary covers the changes the notices have passed (SendNotices'
// cursor), so a change is summarised once, the day after it. It returns
// how many summaries it queued.
func (s *Service) SendSummaries(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "notices.SendSummaries")
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		last, day, err := cursor(ctx, tx, Daily)
		if err != nil {
			return err
		}
		today := tx.Now.UTC().Format("2006-01-02")
		if day == today {
			return nil
		}
		var upto int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(last_event), 0) FROM notice_cursor WHERE name = $1`, Each).Scan(&upto); err != nil {
			return err
		}
		upto = max(upto, last)
		if n, err = s.summaries(ctx, tx, last, upto, day); err != nil {
			return err
		}
		return moveCursor(ctx, tx, Daily, last, upto, today)
	})
	if err == errMoved {
		return 0, nil
	}
	return n, err
}

// summaries queues the summaries of the changes in events (from, to].
func (s *Service) summaries(ctx context.Context, tx *db.Tx, from, to int64, since string) (int, error) {
	if from == to {
		return 0, nil
	}
	w := &db.Where{}
	w.Add("e.id > $?", from)
	w.Add("e.id <= $?", to)
	w.Raw("e.subject_type = 'doc'")
	w.Raw("e.kind IN " + w.In(Kinds()))
	evs, err := db.Query(ctx, tx, scanEvent, `SELECT e.id, e.at, e.actor, e.subject_type, e.subject, e.kind, e.summary, e.why
		FROM event e`+w.SQL()+` ORDER BY e.id`, w.Args...)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	type pair struct{ doc, group string }
	ps, err := db.Query(ctx, tx, func(r db.Scanner) (pair, error) {
		var p pair
		err := r.Scan(&p.doc, &p.group)
		return p, err
	}, `SELECT DISTINCT d.name, g.acronym FROM event e JOIN doc_alias_ref d ON d.name = e.subject JOIN group_ref g ON g.id = d.group_id`+w.SQL(), w.Args...)
	if err != nil {
		return 0, err
	}
	group := map[string]string{}
	for _, p := range ps {
		group[p.doc] = p.group
	}
	for _, e := range evs {
		if g := charterGroup(e.doc); g != "" {
			group[e.doc] = g
		}
	}
	fs, err := dailyFollowers(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fs {
		var mine []event
		for _, e := range evs {
			if slices.ContainsFunc(f.follows, func(x Follow) bool {
				return e.id > x.After && (x.Type == "doc" && x.Subject == e.doc || x.Type == "group" && x.Subject == group[e.doc])
			}) {
				mine = append(mine, e)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if err := s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), To: []string{f.address},
			Subject: fmt.Sprintf("Changes to the documents you track, %s", tx.Now.UTC().Format("2006-01-02")),
			Body:    s.summary(mine, since),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"}}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// summary is a daily summary's text: the changes by document, in order.
func (s *Service) summary(evs []event, since string) string {
	var b strings.Builder
	if since != "" {
		fmt.Fprintf(&b, "Changes since %s to the documents and groups you track:\n", since)
	} else {
		b.WriteString("Changes to the documents and groups you track:\n")
	}
	var docs []string
	for _, e := range evs {
		if !slices.Contains(docs, e.doc) {
			docs = append(docs, e.doc)
		}
	}
	for _, d := range docs {
		fmt.Fprintf(&b, "\n%s\n%s/doc/%s/\n", d, s.BaseURL, d)
		for _, e := range evs {
			if e.doc == d {
				fmt.Fprintf(&b, "  %s  %s: %s\n", e.at.UTC().Format("2006-01-02 15:04"), e.actor, e.summary)
			}
		}
	}
	fmt.Fprintf(&b, "\nYou get this summary once a day because you track these in daily mode.\nTo stop, or to get a mail for each change instead: %s/accounts/track/\n", s.BaseURL)
	return b.String()
}

// dailyFollowers are everyone who follows anything in daily mode.
func dailyFollowers(ctx context.Context, q db.Querier) ([]follower, error) {
	w := &db.Where{}
	w.Add("f.mode = $?", Daily)
	return queryFollowers(ctx, q, w)
}
