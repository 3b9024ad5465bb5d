package lists

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

const digestEvery = 24 * time.Hour

// SendDigests queues, for every list whose last digest is a day old, one
// MIME digest (multipart/digest, RFC 2046) of the posts accepted since,
// to the subscribers in digest mode. The digest is a post of its own in
// state "digest", so it goes out through the same delivery rows: once per
// subscriber, retried, with bounces counted.
func (s *Service) SendDigests(ctx context.Context) (err error) {
	defer fail.Wrap(&err, "lists.SendDigests")
	ls, err := s.All(ctx)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if err := s.DB.Write(ctx, func(tx *db.Tx) error { return s.digest(ctx, tx, l) }); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) digest(ctx context.Context, tx *db.Tx, l List) error {
	// Claim today's digest first: of two processes, one changes the row.
	res, err := tx.ExecContext(ctx, `UPDATE list SET digest_last = $1 WHERE id = $2 AND (digest_last IS NULL OR digest_last <= $3)`,
		tx.Now, l.ID, tx.Now.Add(-digestEvery))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	var upto int64
	if err := tx.QueryRowContext(ctx, `SELECT digest_upto FROM list WHERE id = $1`, l.ID).Scan(&upto); err != nil {
		return err
	}
	var readers int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscription WHERE list_id = $1 AND state = 'active' AND mode = 'digest'`, l.ID).Scan(&readers); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, raw FROM list_post WHERE list_id = $1 AND state = 'accepted' AND id > $2 ORDER BY id LIMIT 500`, l.ID, upto)
	if err != nil {
		return err
	}
	var raws [][]byte
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&upto, &raw); err != nil {
			rows.Close()
			return err
		}
		raws = append(raws, raw)
	}
	rows.Close()
	if len(raws) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list SET digest_upto = $1 WHERE id = $2`, upto, l.ID); err != nil {
		return err
	}
	if readers == 0 {
		return nil
	}
	raw, msgID := s.buildDigest(l, raws, tx.Now)
	var postID int64
	err = tx.QueryRowContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, state, raw, received)
		VALUES ($1, $2, '', $3, $4, 'digest', $5, $6) RETURNING id`,
		l.ID, msgID, l.Address(s.Domain), l.Name+" digest", raw, tx.Now).Scan(&postID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO delivery (post_id, subscription_id, address, state, next_attempt)
		SELECT $1, id, address, 'queued', $2 FROM subscription WHERE list_id = $3 AND state = 'active' AND mode = 'digest'
		ON CONFLICT (post_id, address) DO NOTHING`, postID, tx.Now, l.ID); err != nil {
		return err
	}
	if s.Wake != nil {
		tx.AfterCommit(s.Wake)
	}
	return record.Add(ctx, tx, record.System, "list", l.Name, "digest_sent", fmt.Sprintf("Digest of %d posts queued", len(raws)), "")
}

func (s *Service) buildDigest(l List, raws [][]byte, now time.Time) (raw []byte, msgID string) {
	b := make([]byte, 12)
	rand.Read(b)
	boundary := "digest-" + hex.EncodeToString(b)
	msgID = "<digest-" + hex.EncodeToString(b) + "@" + s.Domain + ">"
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "From: %s <%s>\r\n", l.Name, l.Address(s.Domain))
	fmt.Fprintf(&buf, "To: %s\r\n", l.Address(s.Domain))
	fmt.Fprintf(&buf, "Subject: %s digest, %s (%d messages)\r\n", l.Name, now.UTC().Format("2006-01-02"), len(raws))
	fmt.Fprintf(&buf, "Date: %s\r\n", now.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&buf, "Message-ID: %s\r\n", msgID)
	fmt.Fprintf(&buf, "MIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&buf, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%d messages to %s. Change how you get the list's mail at %s/list/%s/\r\n",
		boundary, len(raws), l.Address(s.Domain), s.BaseURL, l.Name)
	for _, r := range raws {
		// In a multipart/digest each part is message/rfc822 by default.
		fmt.Fprintf(&buf, "\r\n--%s\r\n\r\n", boundary)
		buf.Write(bytes.ReplaceAll(r, []byte("\n--"+boundary), []byte("\n -"+boundary)))
	}
	fmt.Fprintf(&buf, "\r\n--%s--\r\n", boundary)
	return buf.Bytes(), msgID
}
