package lists

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
)

// R20 (RFC 3934 §2, updating RFC 2418 §3.2): a WG's chair may suspend
// the posting privileges of a disruptive individual on the WG's list for
// at most 30 days, as a last resort: after warning them (directly, then
// publicly on the list) and consulting the responsible AD. hum makes
// those steps records of their own, refuses a suspension that no warning
// and no consultation came before, keeps the suspended person's
// subscription (they must still receive the list), refuses their posts
// naming R20, tells them how to appeal, and ends the suspension by
// itself (Jobs). Each step is an event on the group's record, so an
// appeal names the suspension as it names any chair's decision.

// MaxSuspensionDays is RFC 3934's limit.
const MaxSuspensionDays = 30

// Kinds of conduct steps.
const (
	StepWarning       = "warning"        // told directly, by mail
	StepPublicWarning = "public-warning" // posted on the WG's list
	StepConsultation  = "consultation"   // the responsible AD consulted
)

// wgOf is a WG's list with what R20 needs: the group (for its chairs
// and responsible ADs).
type wgOf struct {
	l List
	g groups.Group
}

// wgListOf loads list name and its group, refusing a list that is not a
// WG's: R20 is the WG chair's power over the WG's list.
func (s *Service) wgListOf(ctx context.Context, q db.Querier, name string) (wgOf, error) {
	l, err := get(ctx, q, name)
	if err != nil {
		return wgOf{}, err
	}
	w := wgOf{l: l}
	if l.GroupID != 0 {
		err = q.QueryRowContext(ctx, `SELECT id, acronym, name, type, COALESCE(parent_id, 0) FROM group_ref WHERE id = $1`, l.GroupID).
			Scan(&w.g.ID, &w.g.Acronym, &w.g.Name, &w.g.Type, &w.g.ParentID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return w, err
		}
	}
	if w.g.Type != "wg" {
		return w, fail.Rule("R20", fail.Invalid, "%s is not a working group's list: R20 lets a WG's chair suspend posting on the WG's own list.", l.Name)
	}
	return w, nil
}

// mayAct refuses anyone but the group's chairs and the secretariat.
func mayAct(by groups.Actor, w wgOf, what string) error {
	if by.ChairOf(w.g.ID) || by.Secretariat() {
		return nil
	}
	return fail.Rule("R20", fail.Forbidden, "Only a chair of %s (or the secretariat) may %s on its list (R20).", w.g.Acronym, what)
}

// MaySeeConduct tells whether who may read the conduct records of a WG's
// list: its chairs, secretaries and delegates, its responsible ADs and
// the secretariat. The suspensions themselves are public on the group's
// record; the warnings given in private and the AD's advice are not.
func MaySeeConduct(who groups.Actor, g groups.Group) bool {
	return who.ID != 0 && (who.Leads(g) || who.AD(g) || who.Secretariat())
}

// poster is the person a step is about: the address they posted from,
// and their account when they have one (then any of their addresses is
// them).
type poster struct {
	addr     string
	personID int64 // 0 without an account
	name     string
}

func (p poster) String() string {
	if p.name != "" {
		return p.name + " <" + p.addr + ">"
	}
	return p.addr
}

// public is how the open record names the poster: by the name of their
// account, else by the address they posted from.
func (p poster) public() string {
	if p.name != "" {
		return p.name
	}
	return p.addr
}

func posterOf(ctx context.Context, q db.Querier, address string) (poster, error) {
	addr, err := people.NormalizeEmail(address)
	if fe, ok := fail.As(err); ok {
		return poster{}, fail.Field("address", "%s", fe.Message)
	}
	p := poster{addr: addr}
	err = q.QueryRowContext(ctx, `SELECT p.id, p.name FROM person_address e JOIN person_name p ON p.id = e.person_id WHERE e.address = $1`, addr).Scan(&p.personID, &p.name)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return p, err
}

// matches is the SQL condition that a row of list_conduct or
// list_suspension (alias x) is about p, with p's arguments from $n.
func (p poster) matches(n int) (string, []any) {
	pid := p.personID
	if pid == 0 {
		pid = -1 // no account: match by address only
	}
	return fmt.Sprintf(`(x.address = $%d OR x.person_id = $%d)`, n, n+1), []any{p.addr, pid}
}

// Warn records a warning to a poster about their posts on a WG's list:
// in private (mailed to them) or, when public, posted on the list from
// the chair. note is what they are told.
func (s *Service) Warn(ctx context.Context, by groups.Actor, list, address, note string, public bool) (err error) {
	defer fail.Wrap(&err, "lists.Warn(%q, %q)", list, address)
	note = strings.TrimSpace(note)
	if note == "" {
		return fail.Field("note", "Write the warning: what in their posts disrupts the WG, and what you ask of them.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		w, err := s.wgListOf(ctx, tx, list)
		if err != nil {
			return err
		}
		if err := mayAct(by, w, "warn a poster"); err != nil {
			return err
		}
		p, err := posterOf(ctx, tx, address)
		if err != nil {
			return err
		}
		kind, summary := StepWarning, "A poster on the "+w.l.Name+" list was warned in private about their posts (R20)"
		if public {
			kind, summary = StepPublicWarning, "Public warning on the "+w.l.Name+" list to "+p.public()+" about their posts (R20)"
		}
		if err := s.addStep(ctx, tx, w, p, kind, 0, note, by); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "group", w.g.Acronym, "posting_warning", summary, ""); err != nil {
			return err
		}
		if public {
			from, name, err := s.chairFrom(ctx, tx, by, w)
			if err != nil {
				return err
			}
			return s.Announce(ctx, tx, w.l.Name, mail.Message{From: from, FromName: name,
				Subject: "Warning about posting on " + w.l.Name + " to " + p.String(),
				Body: fmt.Sprintf("%s\n\n-- \nA public warning from the chairs of %s (RFC 3934 section 2). Continued disruption may lead to a suspension of posting privileges on this list for up to %d days.\n",
					note, w.g.Acronym, MaxSuspensionDays)})
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: w.l.Name + "-owner@" + s.Domain, To: []string{p.addr},
			Subject: "About your posts to " + w.l.Address(s.Domain),
			Body: fmt.Sprintf("%s, speaking for the chairs of %s, writes to you about your posts to %s:\n\n%s\n\n-- \nThis is a warning from the WG's chairs (RFC 3934 section 2); it is sent to you alone. Replies reach the list's moderators.\n",
				by.Name, w.g.Acronym, w.l.Address(s.Domain), note),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	})
}

// RecordConsultation records that the responsible AD adID was consulted
// about a poster on a WG's list, and what they advised. A chair or the
// secretariat records it (and the AD is told it was recorded), or the AD
// themselves.
func (s *Service) RecordConsultation(ctx context.Context, by groups.Actor, list, address string, adID int64, note string) (err error) {
	defer fail.Wrap(&err, "lists.RecordConsultation(%q, %q)", list, address)
	note = strings.TrimSpace(note)
	if note == "" {
		return fail.Field("note", "Say what the AD advised.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		w, err := s.wgListOf(ctx, tx, list)
		if err != nil {
			return err
		}
		self := adID == by.ID && by.AD(w.g)
		if !self {
			if err := mayAct(by, w, "record a consultation with the AD"); err != nil {
				return err
			}
		}
		ad, addr, err := s.responsibleAD(ctx, tx, w, adID)
		if err != nil {
			return err
		}
		p, err := posterOf(ctx, tx, address)
		if err != nil {
			return err
		}
		if err := s.addStep(ctx, tx, w, p, StepConsultation, adID, note, by); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "group", w.g.Acronym, "posting_consultation",
			"The chairs consulted "+ad+", the responsible AD, about a poster on the "+w.l.Name+" list (R20)", ""); err != nil {
			return err
		}
		if self || addr == "" {
			return nil
		}
		return s.Mail.Queue(ctx, tx, mail.Message{From: w.l.Name + "-owner@" + s.Domain, To: []string{addr},
			Subject: "Recorded: your advice on a poster to " + w.l.Address(s.Domain),
			Body: fmt.Sprintf("%s recorded that they consulted you, as the responsible AD, about the posts of %s to %s (R20, RFC 3934 section 2). What you advised, as recorded:\n\n%s\n\nIf this is not what you said, tell the chairs at %s-owner@%s.\n",
				by.Name, p, w.l.Address(s.Domain), note, w.l.Name, s.Domain),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	})
}

// responsibleAD checks that adID is an AD of the group's area and
// returns their name and primary address.
func (s *Service) responsibleAD(ctx context.Context, q db.Querier, w wgOf, adID int64) (name, addr string, err error) {
	err = q.QueryRowContext(ctx, `SELECT r.person_id, p.name, COALESCE((SELECT e.address FROM person_address e WHERE e.person_id = r.person_id AND e.is_primary), '')
		FROM role_holder r JOIN person_name p ON p.id = r.person_id
		WHERE r.group_id = $1 AND r.role = 'ad' AND r.person_id = $2`, w.g.ParentID, adID).Scan(&adID, &name, &addr)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fail.Rule("R20", fail.Invalid, "Choose the responsible AD: an AD of %s's area.", w.g.Acronym)
	}
	return name, addr, err
}

func (s *Service) addStep(ctx context.Context, tx *db.Tx, w wgOf, p poster, kind string, adID int64, note string, by groups.Actor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO list_conduct (list_id, address, person_id, kind, ad_id, note, by_id, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, w.l.ID, p.addr, nullID(p.personID), kind, nullID(adID), note, nullID(by.ID), tx.Now)
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// chairFrom is the address and name a public warning is posted from: the
// chair's own, or the list's owner address for the secretariat.
func (s *Service) chairFrom(ctx context.Context, tx *db.Tx, by groups.Actor, w wgOf) (string, string, error) {
	addrs, err := db.Query(ctx, tx, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1 AND is_primary`, by.ID)
	if err != nil || len(addrs) == 0 {
		return w.l.Name + "-owner@" + s.Domain, w.g.Acronym + " chairs", err
	}
	return addrs[0], by.Name, nil
}

// Suspend suspends a poster's posting privileges on a WG's list for days
// (1 to 30), after the steps R20 asks for: at least one warning and a
// consultation of the responsible AD, both recorded since the poster's
// last suspension began. They keep their subscription, and are mailed
// the decision, its end and how to appeal it.
func (s *Service) Suspend(ctx context.Context, by groups.Actor, list, address string, days int, reason string) (id int64, err error) {
	defer fail.Wrap(&err, "lists.Suspend(%q, %q, %d)", list, address, days)
	if days < 1 || days > MaxSuspensionDays {
		return 0, &fail.Error{Kind: fail.Invalid, Rule: "R20", Field: "days",
			Message: fmt.Sprintf("A WG's chair may suspend posting for %d days at most (R20, RFC 3934 section 2); longer suspensions need the IESG's approval.", MaxSuspensionDays)}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return 0, fail.Field("reason", "Give the reason: it is the decision's record, and what an appeal answers.")
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		w, err := s.wgListOf(ctx, tx, list)
		if err != nil {
			return err
		}
		if err := mayAct(by, w, "suspend a poster"); err != nil {
			return err
		}
		p, err := posterOf(ctx, tx, address)
		if err != nil {
			return err
		}
		if err := s.stepsTaken(ctx, tx, w, p); err != nil {
			return err
		}
		ends := tx.Now.Add(time.Duration(days) * 24 * time.Hour)
		if err := tx.QueryRowContext(ctx, `INSERT INTO list_suspension (list_id, address, person_id, reason, starts, ends, by_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, w.l.ID, p.addr, nullID(p.personID), reason, tx.Now, ends, nullID(by.ID)).Scan(&id); err != nil {
			return err
		}
		eventID, err := s.groupEvent(ctx, tx, by.Actor, w, "posting_suspended",
			fmt.Sprintf("Posting privileges of %s on the %s list suspended until %s (R20)", p.public(), w.l.Name, ends.UTC().Format("2006-01-02 15:04 UTC")), reason)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE list_suspension SET event_id = $1 WHERE id = $2`, eventID, id); err != nil {
			return err
		}
		appeal := s.BaseURL + "/appeals/new/?decision=" + url.QueryEscape("/event/"+record.SubjectID(eventID)+"/")
		return s.Mail.Queue(ctx, tx, mail.Message{From: w.l.Name + "-owner@" + s.Domain, To: []string{p.addr},
			Subject: "Your posting privileges on " + w.l.Address(s.Domain) + " are suspended",
			Body: fmt.Sprintf(`%s, a chair of %s, has suspended your posting privileges on %s until %s (%d days), after warning you and consulting the responsible AD (R20, RFC 3934 section 2).

The reason given:

%s

You still receive the list's messages: your subscription is unchanged. Posts you send to the list before the suspension ends are refused. It ends by itself; you will be told.

Like every decision of a WG's chairs, this one may be appealed (RFC 2026 section 6.5.1): first to the WG's chairs, then to the responsible AD, the IESG and the IAB. File an appeal here, with the decision filled in:

%s

The decision on the group's record: %s/event/%d/
`, by.Name, w.g.Acronym, w.l.Address(s.Domain), ends.UTC().Format("2006-01-02 15:04 UTC"), days, reason, appeal, s.BaseURL, eventID),
			Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	})
	return id, err
}

// stepsTaken refuses a suspension that no warning and no consultation of
// the AD came before, counting those recorded since the poster's last
// suspension began.
func (s *Service) stepsTaken(ctx context.Context, tx *db.Tx, w wgOf, p poster) error {
	cond, args := p.matches(2)
	var active int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM list_suspension x WHERE x.list_id = $1 AND `+cond+` AND x.state = 'active' AND x.ends > $4`,
		append([]any{w.l.ID}, append(args, tx.Now)...)...).Scan(&active); err != nil {
		return err
	}
	if active > 0 {
		return fail.New(fail.Conflict, "%s is suspended on %s already; lift that suspension before deciding another.", p, w.l.Name)
	}
	var warnings, consultations int
	err := tx.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN x.kind IN ('warning', 'public-warning') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.kind = 'consultation' THEN 1 ELSE 0 END), 0)
		FROM list_conduct x WHERE x.list_id = $1 AND `+cond+`
		  AND x.created > COALESCE((SELECT MAX(y.starts) FROM list_suspension y WHERE y.list_id = $1 AND (y.address = $2 OR y.person_id = $3)), $4)`,
		w.l.ID, args[0], args[1], time.Time{}).Scan(&warnings, &consultations)
	if err != nil {
		return err
	}
	var missing []string
	if warnings == 0 {
		missing = append(missing, "no warning to them is recorded")
	}
	if consultations == 0 {
		missing = append(missing, "no consultation with the responsible AD is recorded")
	}
	if len(missing) > 0 {
		return fail.Rule("R20", fail.Conflict, "A suspension of posting privileges comes only after warnings and consultation with the responsible AD (R20, RFC 3934 section 2), and for %s %s since their last suspension. Record them first.",
			p, strings.Join(missing, " and "))
	}
	return nil
}

// groupEvent records an event on the group's record and returns its id,
// which an appeal names.
func (s *Service) groupEvent(ctx context.Context, tx *db.Tx, by record.Actor, w wgOf, kind, summary, why string) (int64, error) {
	return record.AddID(ctx, tx, by, "group", w.g.Acronym, kind, summary, why)
}

// Lift ends a suspension before its time, with a reason.
func (s *Service) Lift(ctx context.Context, by groups.Actor, list string, id int64, reason string) (err error) {
	defer fail.Wrap(&err, "lists.Lift(%q, %d)", list, id)
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fail.Field("reason", "Say why the suspension is lifted early.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		w, err := s.wgListOf(ctx, tx, list)
		if err != nil {
			return err
		}
		if err := mayAct(by, w, "lift a suspension"); err != nil {
			return err
		}
		var addr string
		err = tx.QueryRowContext(ctx, `UPDATE list_suspension SET state = 'lifted', lifted = $1, lifted_by = $2, lift_reason = $3
			WHERE id = $4 AND list_id = $5 AND state = 'active' RETURNING address`, tx.Now, nullID(by.ID), reason, id, w.l.ID).Scan(&addr)
		if errors.Is(err, sql.ErrNoRows) {
			return fail.New(fail.NotFound, "%s has no suspension %d in force.", w.l.Name, id)
		}
		if err != nil {
			return err
		}
		return s.restored(ctx, tx, by.Actor, w, addr, "lifted by "+by.Name, reason)
	})
}

// restored records and mails the end of a suspension.
func (s *Service) restored(ctx context.Context, tx *db.Tx, by record.Actor, w wgOf, addr, how, why string) error {
	p, err := posterOf(ctx, tx, addr)
	if err != nil {
		return err
	}
	if err := record.Add(ctx, tx, by, "group", w.g.Acronym, "posting_restored",
		fmt.Sprintf("Posting privileges of %s on the %s list restored: the suspension was %s (R20)", p.public(), w.l.Name, how), why); err != nil {
		return err
	}
	return s.Mail.Queue(ctx, tx, mail.Message{From: w.l.Name + "-owner@" + s.Domain, To: []string{addr},
		Subject: "Your posting privileges on " + w.l.Address(s.Domain) + " are restored",
		Body:    fmt.Sprintf("The suspension of your posting privileges on %s was %s. You may post to the list again.\n", w.l.Address(s.Domain), how),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
}
