package docs

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/docs/draft"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/secrets"
)

// ExpiryDays is how long a posted revision stays active (R02).
const ExpiryDays = 185

// post turns a submission into the draft's next revision, in tx: the
// document row, its authors, the revision, relations, replaced drafts,
// the record and the announcement commit together or not at all.
func (s *Service) post(ctx context.Context, tx *db.Tx, sub Submission, by record.Actor, g groups.Group) error {
	var docID int64
	var prev, state string
	err := tx.QueryRowContext(ctx, `SELECT id, rev, state FROM doc WHERE name = $1 AND type = 'draft'`, sub.Name).Scan(&docID, &prev, &state)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	// Checked again: another revision may have been posted while this
	// one waited for confirmation.
	if err := draft.CheckRevision(prev, exists, state == "repl", sub.Rev); err != nil {
		return reject(err)
	}
	var gid sql.NullInt64
	if g.ID != 0 {
		gid = sql.NullInt64{Int64: g.ID, Valid: true}
	}
	expires := tx.Now.Add(ExpiryDays * 24 * time.Hour)
	if !exists {
		// A chair-approved draft-ietf-{wg}-...-00 is a WG Document by
		// itself (RFC 6174 §4.1, RULES.md note 1).
		wgState := ""
		if g.Type == "wg" {
			wgState = "wg-doc"
		}
		stream := sub.Meta.Stream
		if stream == "" && g.ID != 0 {
			stream = map[string]string{"wg": "ietf", "rg": "irtf"}[g.Type]
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO doc (name, type, rev, title, abstract, group_id, std_level, stream, state, wg_state,
			pages, doc_date, posted, expires, created, updated)
			VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11, $12, $11, $11) RETURNING id`,
			sub.Name, sub.Rev, sub.Title, sub.Meta.Abstract, gid, sub.Meta.StdLevel, stream, wgState, sub.Meta.Pages,
			sub.Meta.DocDate, tx.Now, expires).Scan(&docID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE doc SET rev = $1, title = $2, abstract = $3, std_level = CASE WHEN $4 = '' THEN std_level ELSE $4 END,
			state = 'active', pages = $5, doc_date = $6, posted = $7, expires = $8, expiry_warned = FALSE, updated = $7 WHERE id = $9`,
			sub.Rev, sub.Title, sub.Meta.Abstract, sub.Meta.StdLevel, sub.Meta.Pages, sub.Meta.DocDate, tx.Now, expires, docID)
	}
	if err != nil {
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "%s-%s was posted by someone else a moment ago.", sub.Name, sub.Rev)
		}
		return err
	}
	if err := setAuthors(ctx, tx, docID, sub.Meta.Authors); err != nil {
		return err
	}
	as, _ := json.Marshal(sub.Meta.Authors)
	if _, err := tx.ExecContext(ctx, `INSERT INTO doc_rev (doc_id, rev, title, doc_date, pages, authors, submission_id, posted)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, docID, sub.Rev, sub.Title, sub.Meta.DocDate, sub.Meta.Pages, string(as), sub.ID, tx.Now); err != nil {
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "%s-%s was posted by someone else a moment ago.", sub.Name, sub.Rev)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM doc_relation WHERE source = $1 AND type IN ('obs', 'updates')`, sub.Name); err != nil {
		return err
	}
	for _, r := range []struct {
		typ string
		ns  []int
	}{{"obs", sub.Meta.Obsoletes}, {"updates", sub.Meta.Updates}} {
		for _, n := range r.ns {
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_relation (source, type, target) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, sub.Name, r.typ, RFCName(n)); err != nil {
				return err
			}
		}
	}
	for _, r := range sub.Replaces {
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_relation (source, type, target) VALUES ($1, 'replaces', $2) ON CONFLICT DO NOTHING`, sub.Name, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE doc SET state = 'repl', updated = $1 WHERE name = $2 AND type = 'draft' AND state <> 'rfc'`, tx.Now, r); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by, "doc", r, "replaced", fmt.Sprintf("Replaced by %s", sub.Name), ""); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE submission SET state = 'posted', updated = $1 WHERE id = $2`, tx.Now, sub.ID); err != nil {
		return err
	}
	if err := record.Add(ctx, tx, by, "doc", sub.Name, "new_revision",
		fmt.Sprintf("New revision %s posted: %s", sub.Rev, sub.Title), ""); err != nil {
		return err
	}
	return s.announce(ctx, tx, sub, g)
}

func setAuthors(ctx context.Context, tx *db.Tx, docID int64, as []Author) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM doc_author WHERE doc_id = $1`, docID); err != nil {
		return err
	}
	for i, a := range as {
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_author (doc_id, ord, name, ascii_name, organization, email, person_id)
			VALUES ($1, $2, $3, $4, $5, $6, (SELECT person_id FROM person_address WHERE address = $6))`,
			docID, i, a.Name, a.ASCIIName, a.Organization, a.Email); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) docURL(name string) string { return s.BaseURL + "/doc/" + name + "/" }

// announce queues the I-D Action mail to i-d-announce and the WG's list.
func (s *Service) announce(ctx context.Context, tx *db.Tx, sub Submission, g groups.Group) error {
	to := []string{"i-d-announce@" + s.Domain}
	if l, err := s.groupList(ctx, tx, g); err != nil {
		return err
	} else if l != "" {
		to = append(to, l)
	}
	var names []string
	for _, a := range sub.Meta.Authors {
		names = append(names, a.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Internet-Draft %s-%s is now available.", sub.Name, sub.Rev)
	if g.ID != 0 {
		fmt.Fprintf(&b, " It is a work item of the %s (%s) %s of the IETF.", g.Name, g.Acronym, strings.ToUpper(g.Type))
	}
	fmt.Fprintf(&b, "\n\n   Title:   %s\n   Authors: %s\n   Name:    %s-%s\n   Pages:   %d\n   Dates:   %s\n\nAbstract:\n\n",
		sub.Title, strings.Join(names, ", "), sub.Name, sub.Rev, sub.Meta.Pages, sub.Meta.DocDate)
	for _, p := range strings.Split(sub.Meta.Abstract, "\n\n") {
		b.WriteString(wrap(p, 70, "   ") + "\n\n")
	}
	fmt.Fprintf(&b, "The status page for this Internet-Draft is:\n%s\n", s.docURL(sub.Name))
	if sub.Rev != "00" {
		fmt.Fprintf(&b, "\nA diff from the previous version is available at:\n%s/doc/%s/diff/?rev2=%s\n", s.BaseURL, sub.Name, sub.Rev)
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: "internet-drafts@" + s.Domain, To: to,
		Subject: fmt.Sprintf("I-D Action: %s-%s.txt", sub.Name, sub.Rev), Body: b.String(),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
}

// groupList is the address of hum's list of g, "" when hum has none
// (or g is no group).
func (s *Service) groupList(ctx context.Context, tx *db.Tx, g groups.Group) (string, error) {
	if g.ID == 0 || s.Lists == nil {
		return "", nil
	}
	has, err := s.Lists.Has(ctx, tx, g.Acronym)
	if err != nil || !has {
		return "", err
	}
	return g.Acronym + "@" + s.Domain, nil
}

func wrap(text string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line)+len(w)+1 > width && strings.TrimSpace(line) != "" {
			b.WriteString(line + "\n")
			line = indent
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}

func (s *Service) statusURL(id int64) string {
	return fmt.Sprintf("%s/submit/status/%d/", s.BaseURL, id)
}

// askAuthors mails the confirmation link to the approvers: for a first
// revision its authors and the submitter, for a later one only the
// authors of the revision before it, so a submitter who names
// themself an author of someone else's draft gets no link. With no
// address to ask, the submission waits for the secretariat.
func (s *Service) askAuthors(ctx context.Context, tx *db.Tx, sub Submission, ok approvers, secret string) error {
	to := slices.Clone(ok.emails)
	if !ok.previous && sub.Submitter != "" && !contains(to, sub.Submitter) {
		to = append(to, sub.Submitter)
	}
	if len(to) == 0 {
		return nil
	}
	link := fmt.Sprintf("%s/submit/status/%d/confirm/%s/", s.BaseURL, sub.ID, secret)
	why := "named you as an author"
	if ok.previous {
		why = "you are an author of its previous revision, so it waits for you"
	}
	body := fmt.Sprintf("Someone (%s) submitted %s-%s, \"%s\", and %s.\n\n"+
		"To post it, open this link and press Confirm:\n\n  %s\n\n"+
		"If you did not expect this, you can cancel the submission on the same page, or ignore this mail.\n",
		orUnknown(sub.Submitter), sub.Name, sub.Rev, sub.Title, why, link)
	return s.Mail.Queue(ctx, tx, mail.Message{From: "internet-drafts@" + s.Domain, To: to,
		Subject: fmt.Sprintf("Confirm submission of I-D %s-%s", sub.Name, sub.Rev), Body: body})
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed submitter"
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// askChairs mails the WG chairs that a new WG draft waits for them.
func (s *Service) askChairs(ctx context.Context, tx *db.Tx, sub Submission, g groups.Group) error {
	rs, _, err := s.Groups.Roles(ctx, groups.RoleFilter{GroupID: g.ID, Name: "chair"})
	if err != nil {
		return err
	}
	var to []string
	for _, r := range rs {
		if r.Email != "" {
			to = append(to, r.Email)
		}
	}
	if len(to) == 0 {
		return nil // the secretariat sees it in the pending list
	}
	body := fmt.Sprintf("%s-%s, \"%s\", names the %s working group. As a new WG document it needs a chair's approval before it is posted.\n\nApprove or cancel it here:\n\n  %s\n",
		sub.Name, sub.Rev, sub.Title, g.Acronym, s.statusURL(sub.ID))
	return s.Mail.Queue(ctx, tx, mail.Message{From: "internet-drafts@" + s.Domain, To: to,
		Subject: fmt.Sprintf("Approval needed: %s-%s", sub.Name, sub.Rev), Body: body})
}

// Confirm posts a submission whose author followed the mailed link.
func (s *Service) Confirm(ctx context.Context, id int64, secret string) (err error) {
	defer fail.Wrap(&err, "docs.Confirm(%d)", id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		sub, err := s.waiting(ctx, tx, id, "auth")
		if err != nil {
			return err
		}
		var hash string
		if err := tx.QueryRowContext(ctx, `SELECT token_hash FROM submission WHERE id = $1`, id).Scan(&hash); err != nil {
			return err
		}
		if secret == "" || hash == "" || secrets.Hash(secret) != hash {
			return fail.New(fail.Forbidden, "This confirmation link is not valid for submission %d. Use the link in the most recent mail.", id)
		}
		g, err := s.groupOf(ctx, sub.Name)
		if err != nil {
			return err
		}
		submitter, err := s.submitter(ctx, tx, sub, "author of "+sub.Name+" (confirmed by mail)")
		if err != nil {
			return err
		}
		return s.post(ctx, tx, sub, submitter, g)
	})
}

// CheckSecret reports whether secret is the confirmation secret of id.
func (s *Service) CheckSecret(ctx context.Context, id int64, secret string) (bool, error) {
	var hash string
	err := s.DB.QueryRowContext(ctx, `SELECT token_hash FROM submission WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return secret != "" && hash != "" && secrets.Hash(secret) == hash, nil
}

// MayApprove reports whether pw may approve or force-post sub: a new WG
// draft waiting for its group, its chairs or the ADs of its area (the
// Datatracker's can_group_approve); any waiting submission, the
// secretariat.
func (s *Service) MayApprove(ctx context.Context, sub Submission, pw groups.Actor) bool {
	if pw.Secretariat() {
		return true
	}
	if sub.State != "grp-appr" {
		return false
	}
	g, err := s.groupOf(ctx, sub.Name)
	return err == nil && g.ID != 0 && (pw.Leads(g) || pw.AD(g))
}

// Approve posts a submission as a WG chair or the area's AD (for a new
// WG draft) or, in any waiting state, as the secretariat (force post).
func (s *Service) Approve(ctx context.Context, id int64, by groups.Actor) (err error) {
	defer fail.Wrap(&err, "docs.Approve(%d)", id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		sub, err := s.waiting(ctx, tx, id, "auth", "grp-appr")
		if err != nil {
			return err
		}
		if !s.MayApprove(ctx, sub, by) {
			return fail.New(fail.Forbidden, "Only a chair of the draft's working group or an AD of its area (for a new WG draft), or the secretariat, may post submission %d.", id)
		}
		g, err := s.groupOf(ctx, sub.Name)
		if err != nil {
			return err
		}
		submitter, err := s.submitter(ctx, tx, sub, cmp.Or(sub.Submitter, "submitter of "+sub.Name))
		if err != nil {
			return err
		}
		if err := s.post(ctx, tx, sub, submitter, g); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", sub.Name, "submission_approved",
			fmt.Sprintf("Submission %d of %s-%s approved for posting", sub.ID, sub.Name, sub.Rev), "")
	})
}

// submitter is whom a posted revision is credited to, as the
// Datatracker's new_revision event is: the person who submitted it when
// they were logged in, else otherwise (the author who confirmed it by
// mail, the address the submitter gave); never the chair or secretariat
// who approved it.
func (s *Service) submitter(ctx context.Context, tx *db.Tx, sub Submission, otherwise string) (record.Actor, error) {
	var a record.Actor
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(s.submitter_id, 0), COALESCE(p.name, '') FROM submission s
		LEFT JOIN person_name p ON p.id = s.submitter_id WHERE s.id = $1`, sub.ID).Scan(&a.ID, &a.Name)
	if err != nil || a.ID != 0 {
		return a, err
	}
	return record.Actor{Name: otherwise}, nil
}

// Cancel drops a waiting submission. The submitter (holding the secret
// or logged in as the submitter), those who may approve it (MayApprove)
// or the secretariat may do it.
func (s *Service) Cancel(ctx context.Context, id int64, by groups.Actor, secret string) (err error) {
	defer fail.Wrap(&err, "docs.Cancel(%d)", id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		sub, err := s.waiting(ctx, tx, id, "auth", "grp-appr")
		if err != nil {
			return err
		}
		var submitter int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(submitter_id, 0) FROM submission WHERE id = $1`, id).Scan(&submitter); err != nil {
			return err
		}
		ok := s.MayApprove(ctx, sub, by) || (by.ID != 0 && by.ID == submitter)
		if !ok {
			if ok, err = s.CheckSecret(ctx, id, secret); err != nil {
				return err
			}
		}
		if !ok {
			return fail.New(fail.Forbidden, "Only the submitter (with the mailed link), a chair of the draft's group or an AD of its area, or the secretariat may cancel submission %d.", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submission SET state = 'cancel', token_hash = '', updated = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", sub.Name, "submission_cancelled", fmt.Sprintf("Submission %d of %s-%s cancelled", id, sub.Name, sub.Rev), "")
	})
}

func (s *Service) waiting(ctx context.Context, tx *db.Tx, id int64, states ...string) (Submission, error) {
	sub, err := s.getSubmission(ctx, tx, id)
	if err != nil {
		return sub, err
	}
	if !contains(states, sub.State) {
		return sub, fail.New(fail.Conflict, "Submission %d is %s, so it cannot be changed any more.", id, strings.ToLower(SubmissionStateName(sub.State)))
	}
	return sub, nil
}

func (s *Service) groupOf(ctx context.Context, name string) (groups.Group, error) {
	gr := draft.GroupOf(name)
	if gr.Acronym == "" {
		return groups.Group{}, nil
	}
	return s.Groups.Get(ctx, gr.Acronym)
}
