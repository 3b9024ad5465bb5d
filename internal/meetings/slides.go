package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
)

// Proposal is a slide deck a participant proposed for a group's session
// (the Datatracker's SlideSubmission).
type Proposal struct {
	ID          int64
	MeetingID   int64
	Meeting     string
	GroupID     int64
	Group       string
	Title       string
	Format      string
	Filename    string
	Size        int
	SubmitterID int64
	Submitter   string
	Status      string // pending, approved, rejected
	Material    string // the material it became
	Created     time.Time
}

const proposalCols = `p.id, p.meeting_id, m.number, p.group_id, g.acronym, p.title, p.format, p.filename, LENGTH(p.content),
	p.submitter_id, COALESCE(n.name, ''), p.status, COALESCE(x.name, ''), p.created`

const proposalFrom = ` FROM slide_submission p JOIN meeting m ON m.id = p.meeting_id JOIN group_ref g ON g.id = p.group_id
	LEFT JOIN person_name n ON n.id = p.submitter_id LEFT JOIN material x ON x.id = p.material_id `

func scanProposal(row db.Scanner) (p Proposal, err error) {
	err = row.Scan(&p.ID, &p.MeetingID, &p.Meeting, &p.GroupID, &p.Group, &p.Title, &p.Format, &p.Filename, &p.Size,
		&p.SubmitterID, &p.Submitter, &p.Status, &p.Material, &p.Created)
	return p, err
}

// Proposals lists the slides proposed for a group at a meeting, pending
// ones first, then latest first.
func (s *Service) Proposals(ctx context.Context, meetingID, groupID int64) ([]Proposal, error) {
	return db.Query(ctx, s.DB, scanProposal, `SELECT `+proposalCols+proposalFrom+`WHERE p.meeting_id = $1 AND p.group_id = $2
		ORDER BY CASE p.status WHEN 'pending' THEN 0 ELSE 1 END, p.id DESC`, meetingID, groupID)
}

// Proposal returns a proposal with its file.
func (s *Service) Proposal(ctx context.Context, id int64) (Proposal, []byte, error) {
	p, err := scanProposal(s.DB.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+`WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, fail.New(fail.NotFound, "There is no slide proposal %d.", id)
	} else if err != nil {
		return p, nil, err
	}
	b, err := db.Scalar[[]byte](s.DB.QueryRowContext(ctx, `SELECT content FROM slide_submission WHERE id = $1`, id))
	return p, b, err
}

// ProposeSlides lets any logged-in participant propose slides for a
// group's session; the group's chairs are told and approve or decline
// them. The file is checked as an upload is, and the windows (R29)
// apply, since an approved proposal is a new material.
func (s *Service) ProposeSlides(ctx context.Context, by groups.Actor, number, acronym, title, filename string, content []byte) (id int64, err error) {
	defer fail.Wrap(&err, "meetings.ProposeSlides(%q, %q)", number, acronym)
	if by.ID == 0 {
		return 0, fail.New(fail.Unauthorized, "Log in to propose slides.")
	}
	title = strings.TrimSpace(title)
	if title == "" || len(title) > 200 {
		return 0, fail.Field("title", "Give the slides a title of at most 200 characters.")
	}
	format, err := Sniff(KindSlides, filename, content)
	if err != nil {
		return 0, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, g, err := s.sessionsOf(ctx, tx, number, acronym)
		if err != nil {
			return err
		}
		if err := checkWindow(m, by, tx.Now, true); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO slide_submission (meeting_id, group_id, title, format, filename, content, submitter_id, status, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) RETURNING id`, m.ID, g.ID, title, format, filename, content, by.ID, tx.Now).Scan(&id); err != nil {
			return err
		}
		to, err := leaders(ctx, tx, g.ID, "chair", "secr", "delegate")
		if err != nil {
			return err
		}
		if len(to) > 0 {
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: to,
				Subject: fmt.Sprintf("Slides proposed for %s at %s: %s", g.Acronym, m.Title(), title),
				Body: fmt.Sprintf("%s proposed slides for %s's session at %s:\n\n  %s (%s, %s)\n\nApprove or decline them at %s/meeting/%s/slidesubmission/%d/\n",
					by.Name, g.Acronym, m.Title(), title, FormatNames[format], size(len(content)), s.BaseURL, m.Number, id)}); err != nil {
				return err
			}
		}
		return s.changedMaterials(ctx, tx, by, m, g.Acronym, "slides_proposed", fmt.Sprintf("Proposed slides %q for %s", title, g.Acronym), "")
	})
	return id, err
}

// DecideSlides approves a pending proposal, which adds the slides to the
// group's materials, or declines it; either way the proposer is told by
// mail. The group's chairs, secretaries and delegates, its AD and the
// secretariat decide, on the page of the proposal's meeting.
func (s *Service) DecideSlides(ctx context.Context, by groups.Actor, number string, id int64, approve bool, why string) (err error) {
	defer fail.Wrap(&err, "meetings.DecideSlides(%q, %d, %t)", number, id, approve)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		p, err := scanProposal(tx.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+`WHERE p.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && p.Meeting != strings.ToLower(number) {
			return fail.New(fail.NotFound, "Meeting %s has no slide proposal %d.", number, id)
		} else if err != nil {
			return err
		}
		g, err := s.Groups.Get(ctx, p.Group)
		if err != nil {
			return err
		}
		if !MayManageMaterials(by, g) {
			return fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, its AD and the secretariat decide on slides proposed for it.", p.Group)
		}
		if p.Status != "pending" {
			return fail.New(fail.Conflict, "The proposal %q was already %s.", p.Title, p.Status)
		}
		m, err := get(ctx, tx, p.Meeting)
		if err != nil {
			return err
		}
		status, verb, materialID := "rejected", "declined", sql.NullInt64{}
		if approve {
			content, err := db.Scalar[[]byte](tx.QueryRowContext(ctx, `SELECT content FROM slide_submission WHERE id = $1`, id))
			if err != nil {
				return err
			}
			name, err := s.store(ctx, tx, by, m, g, Upload{Kind: KindSlides, Title: p.Title, Filename: p.Filename, Content: content}, p.Format,
				fmt.Sprintf("proposed by %s", p.Submitter))
			if err != nil {
				return err
			}
			x, err := material(ctx, tx, name)
			if err != nil {
				return err
			}
			status, verb, materialID = "approved", "approved", sql.NullInt64{Int64: x.ID, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE slide_submission SET status = $1, material_id = $2, decided_by = $3, decided = $4 WHERE id = $5`,
			status, materialID, sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}, tx.Now, id); err != nil {
			return err
		}
		if addr, err := primary(ctx, tx, p.SubmitterID, ""); err != nil {
			return err
		} else if addr != "" {
			body := fmt.Sprintf("%s %s the slides you proposed for %s's session at %s:\n\n  %s\n", by.Name, verb, p.Group, m.Title(), p.Title)
			if why != "" {
				body += "\nWhy: " + why + "\n"
			}
			body += fmt.Sprintf("\n%s/meeting/%s/session/%s/\n", s.BaseURL, m.Number, p.Group)
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: []string{addr},
				Subject: fmt.Sprintf("Your slides for %s at %s were %s", p.Group, m.Title(), verb), Body: body}); err != nil {
				return err
			}
		}
		return s.changedMaterials(ctx, tx, by, m, p.Group, "slides_"+status, fmt.Sprintf("%s the slides %q proposed by %s",
			strings.ToUpper(verb[:1])+verb[1:], p.Title, p.Submitter), why)
	})
}
