package lists

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"

	gomail "github.com/emersion/go-message/mail"
	gotextproto "github.com/emersion/go-message/textproto"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// rcpt is an inbound address taken apart.
type rcpt struct {
	list  string
	role  string // post, request, owner, bounces, confirm
	token string
}

// parseRcpt splits {list}[-request|-owner|-bounces+T|-confirm+T]@{domain}.
func (s *Service) parseRcpt(addr string) (rcpt, error) {
	local, domain, ok := strings.Cut(strings.ToLower(strings.Trim(addr, "<> ")), "@")
	if !ok || domain != strings.ToLower(s.Domain) {
		return rcpt{}, fail.New(fail.NotFound, "No such list here: hum takes mail only for lists at %s.", s.Domain)
	}
	r := rcpt{role: "post", list: local}
	if base, tok, ok := strings.Cut(local, "+"); ok {
		r.token = tok
		local = base
	}
	for _, suf := range []string{"-request", "-owner", "-bounces", "-confirm"} {
		if name, ok := strings.CutSuffix(local, suf); ok {
			r.list, r.role = name, suf[1:]
			break
		}
	}
	if r.role == "post" {
		r.list = local
		if r.token != "" {
			return rcpt{}, fail.New(fail.NotFound, "No such list address.")
		}
	}
	return r, nil
}

// CheckRcpt answers RCPT TO: 550 for an unknown list, 552 when the
// declared size is over the list's limit.
func (s *Service) CheckRcpt(ctx context.Context, to string, size int64) error {
	r, err := s.parseRcpt(to)
	if err != nil {
		return err
	}
	l, err := s.Get(ctx, r.list)
	if err != nil {
		return err
	}
	if (r.role == "post" || r.role == "owner") && size > l.MaxBytes {
		return fail.Field("size", "Message too big for list %s (limit %d bytes)", l.Name, l.MaxBytes)
	}
	return nil
}

// Receive takes one inbound message for one recipient address. When it
// returns nil, everything it decided is committed.
func (s *Service) Receive(ctx context.Context, env mail.Envelope, raw []byte) error {
	if len(env.To) != 1 {
		return fail.New(fail.Invalid, "one recipient at a time")
	}
	r, err := s.parseRcpt(env.To[0])
	if err != nil {
		return err
	}
	l, err := s.Get(ctx, r.list)
	if err != nil {
		return err
	}
	h, err := readHeader(raw)
	if err != nil {
		return fail.New(fail.Invalid, "The message header cannot be parsed.")
	}
	switch r.role {
	case "bounces":
		return s.bounce(ctx, l, r.token, raw)
	case "confirm":
		return s.mailConfirm(ctx, l, r.token, env)
	case "request":
		return s.request(ctx, l, env, h, raw)
	case "owner":
		return s.owner(ctx, l, env, h, raw)
	}
	return s.post(ctx, l, env, h, raw)
}

// readHeader parses the header with the parser that builds the copies
// (prepare), so that the checks see every field a copy will carry: a
// stricter parser stopped at the first odd byte and hid the fields after
// it (a Message-ID, which post then made up, and copies had two). What
// that parser cannot read could not be copied, so it is refused.
func readHeader(raw []byte) (textproto.MIMEHeader, error) {
	h, err := gotextproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil, err
	}
	return textproto.MIMEHeader(h.Map()), nil
}

// listID is the List-Id value of a list (RFC 2919).
func (s *Service) listID(l List) string { return l.Name + "." + s.Domain }

// post runs a message to a list's address through the checks and either
// takes it (archive and queue a copy per subscriber) or holds it.
func (s *Service) post(ctx context.Context, l List, env mail.Envelope, h textproto.MIMEHeader, raw []byte) (err error) {
	defer fail.Wrap(&err, "lists.post(%q)", l.Name)
	if int64(len(raw)) > l.MaxBytes {
		return fail.Field("size", "Message too big for list %s (limit %d bytes)", l.Name, l.MaxBytes)
	}
	for _, id := range h.Values("List-Id") {
		if strings.Contains(strings.ToLower(id), "<"+s.listID(l)+">") {
			return fail.Field("loop", "Mail loop: this message has already been through %s", l.Address(s.Domain))
		}
	}
	_, author := parseAuthor(h.Values("From"))
	if author == "" {
		return fail.New(fail.Invalid, "The message needs one valid From address.")
	}
	msgID := strings.TrimSpace(h.Get("Message-Id"))
	if msgID == "" {
		// Derived from the content, so a client that sends the same
		// message again (no 250 seen) gets the same id: no duplicate.
		sum := sha256.Sum256(raw)
		msgID = "<" + hex.EncodeToString(sum[:12]) + ".generated@" + s.Domain + ">"
		raw = append([]byte("Message-ID: "+msgID+"\r\n"), raw...)
	}
	raw = withAuthResults(raw, env.Auth)
	subject := oneLine(h.Get("Subject"))

	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var dup int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM list_post WHERE list_id = $1 AND message_id = $2`, l.ID, msgID).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return nil // sent again after a lost 250: we have it
		}
		state, why, err := s.judge(ctx, tx, l, env, author)
		if err != nil {
			return err
		}
		var postID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, auth_results, verified, dmarc_rewrite, state, reason, raw, received)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			l.ID, msgID, env.From, author, subject, env.Auth.Header, env.Auth.Verified(), rewriteFor(env.Auth.Policy), state, why, raw, tx.Now).Scan(&postID)
		if err != nil {
			return err
		}
		if state == "held" {
			return s.hold(ctx, tx, l, postID, author, subject, why, env.Auth.Verified())
		}
		return s.accept(ctx, tx, l, postID, raw, record.System)
	})
}

// withAuthResults puts hum's Authentication-Results on top of a message,
// after removing any that arrived claiming to be hum's.
func withAuthResults(raw []byte, a mail.Auth) []byte {
	if a.Header == "" {
		return raw // no checks ran here (LMTP behind an MTA that did them)
	}
	raw = mail.DropAuthResults(raw, a.ServID)
	return append([]byte("Authentication-Results: "+a.Header+"\r\n"), raw...)
}

func rewriteFor(policy string) bool { return policy == "reject" || policy == "quarantine" }

// judge decides whether a post goes out at once or waits for a moderator.
// A failed lookup is an error (a temporary failure for the sender), never
// a reason to hold the post.
func (s *Service) judge(ctx context.Context, tx *db.Tx, l List, env mail.Envelope, author string) (state, why string, err error) {
	if err := s.suspended(ctx, tx, l, author); err != nil {
		return "", "", err
	}
	if l.PostPolicy == PostModerated {
		return "held", "every post to this list is moderated", nil
	}
	if env.Auth.DMARC == "fail" && env.Auth.Policy == "reject" {
		return "held", "the author's domain says this message is forged (DMARC)", nil
	}
	if l.PostPolicy == PostAnyone {
		return "accepted", "", nil
	}
	var n int
	err = tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM subscription WHERE list_id = $1 AND address = $2 AND state IN ('active', 'disabled'))
		+ (SELECT COUNT(*) FROM list_allowed WHERE list_id = $1 AND address = $2)`, l.ID, author).Scan(&n)
	if err != nil {
		return "", "", err
	}
	if n > 0 {
		return "accepted", "", nil
	}
	return "held", "the sender is not subscribed", nil
}

// accept archives a post and marks its fan-out pending, in tx: one row
// is written however many subscribers the list has, so the 250 does not
// wait for ten thousand delivery rows. The copies are queued after the
// commit by expandFanouts, durably and once per address (fanout.go);
// who gets the post is decided here, as the subscriptions that exist now.
func (s *Service) accept(ctx context.Context, tx *db.Tx, l List, postID int64, raw []byte, by record.Actor) error {
	archiveID := ""
	if s.Archive != nil {
		id, _, err := s.Archive.Archive(ctx, tx, l.Name, raw)
		if err != nil {
			return err
		}
		archiveID = id
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list_post SET archive_id = CASE WHEN $1 = '' THEN archive_id ELSE $1 END,
		fanout_after = 0, fanout_until = (SELECT COALESCE(MAX(id), 0) FROM subscription WHERE list_id = $2)
		WHERE id = $3`, archiveID, l.ID, postID); err != nil {
		return err
	}
	tx.AfterCommit(s.queued)
	return record.Add(ctx, tx, by, "list", l.Name, "post_accepted", fmt.Sprintf("Post #%d distributed", postID), "")
}

// hold keeps a post for the moderators and tells them; the author hears
// about it only when the checks say the From address is really theirs.
func (s *Service) hold(ctx context.Context, tx *db.Tx, l List, postID int64, author, subject, why string, verified bool) error {
	if err := record.Add(ctx, tx, record.System, "list", l.Name, "post_held", fmt.Sprintf("Post #%d held for moderation", postID), why); err != nil {
		return err
	}
	mods, err := s.moderatorAddresses(ctx, tx, l)
	if err != nil {
		return err
	}
	if len(mods) > 0 {
		if err := s.Mail.Queue(ctx, tx, mail.Message{
			From: l.Name + "-request@" + s.Domain, To: mods,
			Subject: "Held for moderation on " + l.Name + ": " + subject,
			Body: fmt.Sprintf("A message from %s to %s is held because %s.\n\nApprove, reject or discard it at %s/list/%s/moderation/%d/\n",
				author, l.Address(s.Domain), why, s.BaseURL, l.Name, postID),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"},
		}); err != nil {
			return err
		}
	}
	if !verified {
		return nil
	}
	return s.Mail.Queue(ctx, tx, mail.Message{
		From: l.Name + "-request@" + s.Domain, To: []string{author},
		Subject: "Your message to " + l.Name + " awaits moderator approval",
		Body:    fmt.Sprintf("Your message %q to %s is held because %s.\nA moderator will look at it soon; you need not do anything.\n", subject, l.Address(s.Domain), why),
		Headers: map[string]string{"Auto-Submitted": "auto-replied"},
	})
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// mailConfirm is a reply to a confirmation request.
func (s *Service) mailConfirm(ctx context.Context, l List, secret string, env mail.Envelope) error {
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := s.confirmTx(ctx, tx, secret, true)
		return err
	})
	// A stale or unknown token is answered with 250 and dropped: telling
	// the sender would mean mail to an address nobody verified.
	if fe, ok := fail.As(err); ok && (fe.Kind == fail.NotFound || fe.Kind == fail.Conflict) {
		return nil
	}
	return err
}

var angleAddrRE = regexp.MustCompile(`<([^<>@\s]+@[^<>@\s]+)>\s*$`)

// parseAuthor returns the name and address of the one From address. A
// name that does not decode (an encoded CR LF, a bad charset) is dropped
// and the address kept, so such a post is neither lost nor able to
// smuggle a header into the copies.
func parseAuthor(from []string) (name, addr string) {
	if len(from) != 1 {
		return "", ""
	}
	if as, err := gomail.ParseAddressList(from[0]); err == nil {
		if len(as) != 1 {
			return "", ""
		}
		return as[0].Name, strings.ToLower(as[0].Address)
	}
	if m := angleAddrRE.FindStringSubmatch(from[0]); m != nil {
		return "", strings.ToLower(m[1])
	}
	return "", ""
}
