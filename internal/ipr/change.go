package ipr

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// Submit files a disclosure. Anyone logged in may; it waits, pending,
// for the secretariat, who is told by mail. f.Updates names the posted
// disclosures it updates.
func (s *Service) Submit(ctx context.Context, by groups.Actor, f Fields, why string) (d Disclosure, err error) {
	defer fail.Wrap(&err, "ipr.Submit(%q)", f.Kind)
	if by.ID == 0 && !by.Secretariat() {
		return d, fail.New(fail.Unauthorized, "Log in to file an IPR disclosure.")
	}
	f, ds, err := s.clean(ctx, f)
	if err != nil {
		return d, err
	}
	var updates []Disclosure
	for _, id := range f.Updates {
		u, err := s.Get(ctx, id)
		if fail.KindOf(err) == fail.NotFound {
			return d, fail.Field("updates", "There is no IPR disclosure %d to update.", id)
		} else if err != nil {
			return d, err
		}
		if u.State != Posted {
			return d, fail.Field("updates", "Disclosure %d is %s, not posted; only a posted disclosure is updated.", id, StateName(u.State))
		}
		updates = append(updates, u)
	}
	secretariat, err := s.addresses(ctx, groups.RoleFilter{Acronym: "secretariat", Name: "secr", Active: true})
	if err != nil {
		return d, err
	}
	t := title(f, ds)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO ipr_disclosure (kind, state, title, holder_legal_name, holder_contact_name,
			holder_contact_email, holder_contact_info, ietfer_name, ietfer_contact_email, ietfer_contact_info, patent_number,
			patent_inventor, patent_title, patent_date, patent_notes, has_patent_pending, licensing, licensing_comments,
			submitter_claims_all_terms_disclosed, is_blanket_disclosure, statement, notes, other_designations, compliant,
			submitter_name, submitter_email, by_id, filed)
			VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
			RETURNING id`,
			f.Kind, t, f.HolderLegalName, f.HolderContactName, f.HolderContactEmail, f.HolderContactInfo, f.IETFerName,
			f.IETFerContactEmail, f.IETFerContactInfo, f.Patent.Number, f.Patent.Inventor, f.Patent.Title, f.Patent.Date,
			f.Patent.Notes, f.HasPatentPending, f.Licensing, f.LicensingComments, f.SubmitterClaimsAllTermsDisclosed,
			f.IsBlanketDisclosure, f.Statement, f.Notes, f.OtherDesignations, f.Compliant, f.SubmitterName, f.SubmitterEmail,
			db.NullID(by.ID), tx.Now).Scan(&d.ID); err != nil {
			return err
		}
		for _, x := range ds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ipr_doc (disclosure_id, doc_id, revisions, sections) VALUES ($1, $2, $3, $4)`,
				d.ID, x.ID, x.Revisions, x.Sections); err != nil {
				return err
			}
		}
		summary := "Disclosure submitted: " + t
		for _, u := range updates {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ipr_related (source_id, target_id, relationship) VALUES ($1, $2, 'updates')`, d.ID, u.ID); err != nil {
				return err
			}
			summary += fmt.Sprintf("; it updates disclosure %d", u.ID)
		}
		if err := record.Add(ctx, tx, by.Actor, "ipr", record.SubjectID(d.ID), "submitted", summary, why); err != nil {
			return err
		}
		if len(secretariat) == 0 {
			return nil // the queue at /ipr/admin/pending/ shows it
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: s.from(), To: secretariat, Subject: "New IPR Submission Notification",
			Body: fmt.Sprintf("A new IPR disclosure has been submitted and waits to be posted:\n\n  %s\n  %s\n\nThe disclosures waiting: %s/ipr/admin/pending/\n",
				t, s.url(d.ID), s.BaseURL)})
	})
	if err != nil {
		return Disclosure{}, err
	}
	return s.Get(ctx, d.ID)
}

// Post makes a pending or parked disclosure public and announces it: to
// the authors, the WG's chairs and list of each document it names, or
// for a generic one the General Area's ADs. Only the secretariat posts.
func (s *Service) Post(ctx context.Context, id int64, by groups.Actor, why string) error {
	return s.SetState(ctx, id, by, Posted, why)
}

// SetState moves a disclosure, as the secretariat does: a pending one is
// posted, parked or rejected, a parked one posted, rejected or back to
// pending, a posted one removed. Each move is an event on the
// disclosure; posting and removal are events on its documents too.
func (s *Service) SetState(ctx context.Context, id int64, by groups.Actor, state, why string) (err error) {
	defer fail.Wrap(&err, "ipr.SetState(%d, %q)", id, state)
	if by.ID == 0 && !by.Secretariat() {
		return fail.New(fail.Unauthorized, "Log in as the secretariat to post or change an IPR disclosure.")
	}
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat posts, parks, rejects or removes IPR disclosures.")
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if !slices.Contains(NextStates(d.State), state) {
		var names []string
		for _, n := range NextStates(d.State) {
			names = append(names, StateName(n))
		}
		if len(names) == 0 {
			return fail.New(fail.Conflict, "Disclosure %d is %s; it stays so.", id, d.StateName())
		}
		return fail.New(fail.Conflict, "Disclosure %d is %s; it may become %s, not %s.", id, d.StateName(), strings.Join(names, " or "), StateName(state))
	}
	why = strings.TrimSpace(why)
	if (state == Rejected || state == Removed) && why == "" {
		return fail.Field("why", "Say why the disclosure is %s; the reason is on its record.", strings.ToLower(StateName(state)))
	}
	var notices []mail.Message
	if state == Posted {
		if notices, err = s.notices(ctx, d); err != nil {
			return err
		}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ipr_disclosure SET state = $1,
			posted = CASE WHEN $1 = 'posted' AND posted IS NULL THEN $2 ELSE posted END WHERE id = $3 AND state = $4`,
			state, tx.Now, id, d.State)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fail.New(fail.Conflict, "Disclosure %d was changed by someone else a moment ago; reload the page and try again.", id)
		}
		summary := "State changed to " + StateName(state)
		if state == Posted {
			summary = "Disclosure posted"
		}
		if err := record.Add(ctx, tx, by.Actor, "ipr", record.SubjectID(id), state, summary, why); err != nil {
			return err
		}
		if state == Posted || state == Removed {
			for _, r := range d.Docs {
				kind, what := "posted_related_ipr", "Posted related IPR disclosure "
				if state == Removed {
					kind, what = "removed_related_ipr", "Removed related IPR disclosure "
				}
				if err := record.Add(ctx, tx, by.Actor, "doc", r.Doc, kind, what+d.Title+fmt.Sprintf(" (%s/ipr/%d/)", s.BaseURL, id), why); err != nil {
					return err
				}
			}
		}
		if state == Posted {
			for _, u := range d.Updates {
				if err := record.Add(ctx, tx, by.Actor, "ipr", record.SubjectID(u.ID), "update_notify",
					fmt.Sprintf("Updated by disclosure %d: %s", id, d.Title), ""); err != nil {
					return err
				}
			}
		}
		for _, m := range notices {
			if err := s.Mail.Queue(ctx, tx, m); err != nil {
				return err
			}
		}
		if len(notices) > 0 {
			var to []string
			for _, m := range notices {
				to = append(to, m.To...)
			}
			return record.Add(ctx, tx, by.Actor, "ipr", record.SubjectID(id), "msgout", "Announced to "+strings.Join(to, ", "), "")
		}
		return nil
	})
}

// from is the address announcements come from, the secretariat's.
func (s *Service) from() string { return "iesg-secretary@" + s.Domain }

func (s *Service) url(id int64) string { return fmt.Sprintf("%s/ipr/%d/", s.BaseURL, id) }

// addresses are the role holders' addresses f chooses, each once.
func (s *Service) addresses(ctx context.Context, f groups.RoleFilter) ([]string, error) {
	rs, _, err := s.Groups.Roles(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		out = addAddr(out, r.Email)
	}
	return out, nil
}

// addAddr appends a to to unless it is empty or there already.
func addAddr(to []string, a string) []string {
	a = strings.TrimSpace(a)
	if a == "" || slices.ContainsFunc(to, func(b string) bool { return strings.EqualFold(a, b) }) {
		return to
	}
	return append(to, a)
}

// primary is a person's primary address.
func (s *Service) primary(ctx context.Context, personID int64) (string, error) {
	var a string
	err := s.DB.QueryRowContext(ctx, `SELECT address FROM person_address WHERE person_id = $1 AND is_primary`, personID).Scan(&a)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return a, err
}
