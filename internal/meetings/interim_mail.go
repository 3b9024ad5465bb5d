package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
)

// The mail an interim causes: the announcement and the cancellation go
// to ietf-announce and the group's list (R25: announced where anyone may
// read it), the approval request to the responsible ADs, a refusal to
// the requester.

func (s *Service) interimURL(number string) string {
	return s.BaseURL + "/meeting/interim/request/" + number + "/"
}

// announceTo is ietf-announce and the group's list, when hum has it.
func (s *Service) announceTo(ctx context.Context, tx *db.Tx, g groups.Group) ([]string, error) {
	to := []string{"ietf-announce@" + s.Domain}
	if s.Lists == nil {
		return to, nil
	}
	has, err := s.Lists.Has(ctx, tx, g.Acronym)
	if err != nil || !has {
		return to, err
	}
	return append(to, g.Acronym+"@"+s.Domain), nil
}

// kindOf is how the Datatracker's subjects name an interim: virtual,
// hybrid, or plain interim for one in a room.
func kindOf(mode string) string {
	switch mode {
	case Online:
		return "Virtual Interim Meeting"
	case Hybrid:
		return "Hybrid Interim Meeting"
	}
	return "Interim Meeting"
}

func groupLine(g groups.Group) string {
	return fmt.Sprintf("%s (%s) %s", g.Name, g.Acronym, strings.ToUpper(g.Type))
}

// sessionLines describes each session in the meeting's zone and in UTC.
func sessionLines(it InterimMeeting, withAgenda bool) string {
	var b strings.Builder
	loc := it.Meeting.Location
	for i, x := range it.Sessions {
		start, end := x.Slot.Start, x.Slot.End()
		fmt.Fprintf(&b, "Session %d: %s from %s to %s %s (%s to %s UTC)\n", i+1, start.In(loc).Format("Monday 2006-01-02"),
			start.In(loc).Format("15:04"), end.In(loc).Format("15:04"), loc, start.UTC().Format("15:04"), end.UTC().Format("15:04"))
		if withAgenda {
			if x.Agenda != "" {
				fmt.Fprintf(&b, "\nAgenda:\n%s\n", x.Agenda)
			} else {
				b.WriteString("\nAgenda: to follow, at least a week before the session.\n")
			}
			fmt.Fprintf(&b, "\nRemote participation:\n%s\n\n", x.Session.RemoteInstructions)
		}
	}
	return b.String()
}

func where(it InterimMeeting) string {
	switch it.Mode {
	case Online:
		return "online"
	case Hybrid:
		return fmt.Sprintf("in %s, %s, with remote participation", it.Meeting.City, it.Meeting.Country)
	}
	return fmt.Sprintf("in %s, %s", it.Meeting.City, it.Meeting.Country)
}

func (s *Service) send(ctx context.Context, tx *db.Tx, to []string, subject, body string) error {
	return s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain, To: to, Subject: subject, Body: body,
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
}

// announce queues the announcement of a scheduled interim.
func (s *Service) announce(ctx context.Context, tx *db.Tx, it InterimMeeting, g groups.Group) error {
	it, err := interim(ctx, tx, it.Meeting.Number) // with what this transaction changed
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The %s will hold an interim meeting %s, %s.\n\n", groupLine(g), where(it), it.Meeting.Number)
	b.WriteString(sessionLines(it, true))
	fmt.Fprintf(&b, "The interim's page, with its agendas as they are published:\n%s\n", s.interimURL(it.Meeting.Number))
	subject := fmt.Sprintf("%s %s: %s", groupLine(g), kindOf(it.Mode), it.Start().In(it.Meeting.Location).Format(time.DateOnly))
	to, err := s.announceTo(ctx, tx, g)
	if err != nil {
		return err
	}
	return s.send(ctx, tx, to, subject, b.String())
}

// announceCancel queues the cancellation of an announced interim.
func (s *Service) announceCancel(ctx context.Context, tx *db.Tx, it InterimMeeting, g groups.Group, why string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "The %s interim meeting %s (%s) has been cancelled.\n\n", groupLine(g), it.Meeting.Number, where(it))
	b.WriteString(sessionLines(it, false))
	if why != "" {
		fmt.Fprintf(&b, "\nReason: %s\n", why)
	}
	subject := fmt.Sprintf("%s %s Cancelled (was %s)", groupLine(g), kindOf(it.Mode), it.Start().In(it.Meeting.Location).Format(time.DateOnly))
	to, err := s.announceTo(ctx, tx, g)
	if err != nil {
		return err
	}
	return s.send(ctx, tx, to, subject, b.String())
}

// askApproval asks the group's ADs to approve a hybrid or in-person
// interim (R27).
func (s *Service) askApproval(ctx context.Context, tx *db.Tx, it InterimMeeting, g groups.Group) error {
	ads, err := s.Groups.ADsOf(ctx, g)
	if err != nil {
		return err
	}
	var to []string
	for _, r := range ads {
		if r.Email != "" {
			to = append(to, r.Email)
		}
	}
	if len(to) == 0 {
		return nil // no AD to ask: the secretariat sees it among the interims waiting for approval
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s asks for a %s interim of the %s, %s (%s).\n\n", it.RequestedBy, strings.ToLower(it.ModeName()), groupLine(g), it.Meeting.Number, where(it))
	b.WriteString(sessionLines(it, false))
	fmt.Fprintf(&b, "\nAs the responsible AD, approve or decline it at:\n%s\n\nIt must be announced at least eight weeks ahead, so approve it by %s.\n",
		s.interimURL(it.Meeting.Number), it.Start().Add(-InPersonNotice).In(it.Meeting.Location).Format(time.DateOnly))
	return s.send(ctx, tx, to, "Interim Meeting Approval Requested: "+it.Meeting.Number, b.String())
}

// tellDeclined tells the requester that their interim was declined.
func (s *Service) tellDeclined(ctx context.Context, tx *db.Tx, it InterimMeeting, g groups.Group, by groups.Actor, why string) error {
	if len(it.Sessions) == 0 || it.Sessions[0].Session.RequestedByID == 0 {
		return nil
	}
	to, err := addressOf(ctx, tx, it.Sessions[0].Session.RequestedByID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	body := fmt.Sprintf("%s declined the %s interim %s of the %s.\n", by.Actor, strings.ToLower(it.ModeName()), it.Meeting.Number, groupLine(g))
	if why != "" {
		body += "\nReason: " + why + "\n"
	}
	body += "\n" + s.interimURL(it.Meeting.Number) + "\n"
	return s.send(ctx, tx, []string{to}, "Interim Meeting Declined: "+it.Meeting.Number, body)
}

func addressOf(ctx context.Context, q db.Querier, personID int64) (string, error) {
	return db.Scalar[string](q.QueryRowContext(ctx, `SELECT address FROM person_address WHERE person_id = $1 ORDER BY is_primary DESC, address LIMIT 1`, personID))
}
