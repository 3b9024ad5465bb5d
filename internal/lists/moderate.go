package lists

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// Post is a message that reached a list.
type Post struct {
	ID        int64
	List      string
	MessageID string
	ArchiveID string
	MailFrom  string
	Author    string
	Subject   string
	Auth      string // Authentication-Results
	Verified  bool
	State     string // accepted, held, rejected, discarded
	Reason    string
	Raw       []byte
	Received  time.Time
}

const postCols = `p.id, l.name, p.message_id, p.archive_id, p.mail_from, p.author, p.subject, p.auth_results, p.verified, p.state, p.reason, p.raw, p.received`

// Forged tells whether the checks found the post forged (mail.Auth.Forged),
// or left a record that cannot be read: its author is then never written to.
func (p Post) Forged() bool {
	a, err := mail.ParseAuth(p.Auth)
	return err != nil || a.Forged()
}

func scanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	err := row.Scan(&p.ID, &p.List, &p.MessageID, &p.ArchiveID, &p.MailFrom, &p.Author, &p.Subject, &p.Auth, &p.Verified, &p.State, &p.Reason, &p.Raw, &p.Received)
	return p, err
}

func (s *Service) mayModerate(ctx context.Context, by groups.Actor, name string) (List, error) {
	l, err := s.Get(ctx, name)
	if err != nil {
		return l, err
	}
	if ok, err := s.MayModerate(ctx, by, l); err != nil || !ok {
		return l, firstErr(err, fail.New(fail.Forbidden, "Only the list's moderators and the secretariat may moderate it."))
	}
	return l, nil
}

// Held lists the posts waiting for a moderator, oldest first.
func (s *Service) Held(ctx context.Context, by groups.Actor, name string) ([]Post, error) {
	l, err := s.mayModerate(ctx, by, name)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, scanPost, `SELECT `+postCols+` FROM list_post p JOIN list l ON l.id = p.list_id
		WHERE p.list_id = $1 AND p.state = 'held' ORDER BY p.id`, l.ID)
}

// HeldPost returns one held (or decided) post, for its moderators.
func (s *Service) HeldPost(ctx context.Context, by groups.Actor, name string, id int64) (Post, error) {
	l, err := s.mayModerate(ctx, by, name)
	if err != nil {
		return Post{}, err
	}
	return getPost(ctx, s.DB, l.ID, id)
}

func getPost(ctx context.Context, q db.Querier, listID, id int64) (Post, error) {
	p, err := scanPost(q.QueryRowContext(ctx, `SELECT `+postCols+` FROM list_post p JOIN list l ON l.id = p.list_id WHERE p.list_id = $1 AND p.id = $2`, listID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.New(fail.NotFound, "There is no such message on this list.")
	}
	return p, err
}

// Moderation actions.
const (
	Approve = "approve"
	Reject  = "reject"
	Discard = "discard"
)

// Moderate decides a held post. Approve sends it to the list; reject
// mails the reason back to the author (unless the checks found the post
// forged, so an impersonated sender gets no backscatter); discard drops
// it silently. allow lets the author post without moderation from now on.
func (s *Service) Moderate(ctx context.Context, by groups.Actor, name string, id int64, action, reason string, allow bool) (err error) {
	defer fail.Wrap(&err, "lists.Moderate(%q, %d, %s)", name, id, action)
	l, err := s.mayModerate(ctx, by, name)
	if err != nil {
		return err
	}
	if action != Approve && action != Reject && action != Discard {
		return fail.Field("action", "Choose approve, reject or discard.")
	}
	if action == Reject && len(reason) > 5000 {
		return fail.Field("reason", "The reason is too long.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		p, err := getPost(ctx, tx, l.ID, id)
		if err != nil {
			return err
		}
		state := map[string]string{Approve: "accepted", Reject: "rejected", Discard: "discarded"}[action]
		res, err := tx.ExecContext(ctx, `UPDATE list_post SET state = $1, reason = $2, decided = $3 WHERE id = $4 AND state = 'held'`, state, reason, tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.New(fail.Conflict, "Another moderator has already decided this message.")
		}
		if allow && action == Approve {
			if _, err := tx.ExecContext(ctx, `INSERT INTO list_allowed (list_id, address, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, l.ID, p.Author, tx.Now); err != nil {
				return err
			}
		}
		switch action {
		case Approve:
			return s.accept(ctx, tx, l, p.ID, p.Raw, by.Actor)
		case Reject:
			if err := record.Add(ctx, tx, by.Actor, "list", l.Name, "post_rejected", fmt.Sprintf("Post #%d rejected", p.ID), ""); err != nil {
				return err
			}
			if p.Forged() {
				return nil
			}
			return s.Mail.Queue(ctx, tx, mail.Message{
				From: l.Name + "-request@" + s.Domain, To: []string{p.Author},
				Subject: "Your message to " + l.Name + " was rejected",
				Body:    fmt.Sprintf("A moderator of %s rejected your message %q.\n\nTheir reason:\n\n%s\n", l.Address(s.Domain), p.Subject, reason),
				Headers: map[string]string{"Auto-Submitted": "auto-replied"},
			})
		}
		return record.Add(ctx, tx, by.Actor, "list", l.Name, "post_discarded", fmt.Sprintf("Post #%d discarded", p.ID), "")
	})
}
