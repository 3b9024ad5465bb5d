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

// SendDigests queues, for every list whose last digest is a day old, a
// MIME digest (multipart/digest, RFC 2046) of every post accepted since,
// in as many parts as it takes, to the subscribers in digest mode. Each
// part is a post of its own in state "digest", so it goes out through the
// same fan-out and delivery rows: once per subscriber, retried, with
// bounces counted.
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
	// The digests' copies, queued now rather than at the Deliverer's
	// next wake.
	_, err = s.ExpandFanouts(ctx)
	return err
}

// A digest takes every post since the last one, in parts of at most
// digestPosts posts and, past the first post of a part, digestBytes.
const (
	digestPosts = 500
	digestBytes = 8 << 20
)

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
	if readers == 0 {
		// Nobody to send it to: skip the posts without reading them.
		_, err := tx.ExecContext(ctx, `UPDATE list SET digest_upto = COALESCE((SELECT MAX(id) FROM list_post
			WHERE list_id = $1 AND state = 'accepted' AND id > $2), digest_upto) WHERE id = $1`, l.ID, upto)
		return err
	}
	posts, parts := 0, 0
	for {
		raws, last, err := digestPage(ctx, tx, l.ID, upto)
		if err != nil {
			return err
		}
		if len(raws) == 0 {
			break
		}
		upto, posts = last, posts+len(raws)
		for len(raws) > 0 {
			n := digestPart(raws)
			parts++
			if err := s.queueDigest(ctx, tx, l, raws[:n], parts); err != nil {
				return err
			}
			raws = raws[n:]
		}
	}
	if posts == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE list SET digest_upto = $1 WHERE id = $2`, upto, l.ID); err != nil {
		return err
	}
	tx.AfterCommit(s.queued)
	summary := fmt.Sprintf("Digest of %d posts queued", posts)
	if parts > 1 {
		summary += fmt.Sprintf(" in %d parts", parts)
	}
	return record.Add(ctx, tx, record.System, "list", l.Name, "digest_sent", summary, "")
}

// digestPage reads the next accepted posts after id upto, and the id of
// the last one.
func digestPage(ctx context.Context, tx *db.Tx, listID, upto int64) (raws [][]byte, last int64, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, raw FROM list_post WHERE list_id = $1 AND state = 'accepted' AND id > $2 ORDER BY id LIMIT $3`,
		listID, upto, digestPosts)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&last, &raw); err != nil {
			return nil, 0, err
		}
		raws = append(raws, raw)
	}
	return raws, last, rows.Err()
}

// digestPart is how many of raws go in the next part: at least one.
func digestPart(raws [][]byte) int {
	n, size := 1, len(raws[0])
	for n < len(raws) && n < digestPosts && size+len(raws[n]) <= digestBytes {
		size += len(raws[n])
		n++
	}
	return n
}

// queueDigest stores one digest part as a post whose fan-out is pending,
// as an accepted post's is: ExpandFanouts queues a copy of it for each
// subscriber in digest mode now, in the same safe steps (fanout.go).
func (s *Service) queueDigest(ctx context.Context, tx *db.Tx, l List, raws [][]byte, part int) error {
	raw, msgID := s.buildDigest(l, raws, part, tx.Now)
	_, err := tx.ExecContext(ctx, `INSERT INTO list_post (list_id, message_id, mail_from, author, subject, state, raw, received, fanout_after, fanout_until)
		VALUES ($1, $2, '', $3, $4, 'digest', $5, $6, 0, (SELECT COALESCE(MAX(id), 0) FROM subscription WHERE list_id = $1))`,
		l.ID, msgID, l.Address(s.Domain), l.Name+" digest", raw, tx.Now)
	return err
}

func (s *Service) buildDigest(l List, raws [][]byte, part int, now time.Time) (raw []byte, msgID string) {
	b := make([]byte, 12)
	rand.Read(b)
	boundary := "digest-" + hex.EncodeToString(b)
	msgID = "<digest-" + hex.EncodeToString(b) + "@" + s.Domain + ">"
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "From: %s <%s>\r\n", l.Name, l.Address(s.Domain))
	fmt.Fprintf(&buf, "To: %s\r\n", l.Address(s.Domain))
	partOf := ""
	if part > 1 {
		partOf = fmt.Sprintf(", part %d", part)
	}
	fmt.Fprintf(&buf, "Subject: %s digest, %s%s (%d messages)\r\n", l.Name, now.UTC().Format("2006-01-02"), partOf, len(raws))
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
