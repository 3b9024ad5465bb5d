package consensus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// Requests for calls: a participant asks a WG's chairs to start a call
// for adoption of a draft or a WG last call on one. The chairs get it by
// mail in a fixed form that filters well (RequestHeader, the Subject) and
// it waits on their dashboard until they open the call (calls*.go marks
// it opened) or decline it with a reason, which is mailed back.

// The kinds of call a participant may ask for.
const (
	reqAdoption = "adoption"
	reqWGLC     = "wglc"
)

// The states of a request.
const (
	reqWaiting  = "waiting"
	reqOpened   = "opened"
	reqDeclined = "declined"
)

// RequestHeader is the header every mail about a request carries, its
// value the kind of call: "call-for-adoption" or "wg-last-call". With
// the Subject's fixed form, "[hum] Request: call for adoption of
// draft-foo in quic", chairs can file requests by rule.
const RequestHeader = "X-Hum-Request"

// maxReason bounds a request's reason and a chair's answer: a short
// paragraph.
const maxReason = 2000

// CallRequest is a participant's request that the chairs start a call.
type CallRequest struct {
	ID          int64
	GroupID     int64
	Group       string
	Doc         string
	DocRev      string
	DocTitle    string
	Kind        string // adoption, wglc
	Reason      string
	RequesterID int64
	Requester   string
	Requested   time.Time
	State       string // waiting, opened, declined
	CallID      int64
	Answer      string
	AnsweredBy  string
	Answered    time.Time
}

// KindName is the kind of call in words.
func (r CallRequest) KindName() string { return kindName(r.Kind) }

// Waiting reports whether the chairs have still to act on the request.
func (r CallRequest) Waiting() bool { return r.State == reqWaiting }

// URL is the request's page, relative to the site.
func (r CallRequest) URL() string { return fmt.Sprintf("/group/%s/requests/%d/", r.Group, r.ID) }

// OpenURL is the form that opens the call the request asks for.
func (r CallRequest) OpenURL() string {
	return fmt.Sprintf("/group/%s/calls/new/?%s", r.Group, url.Values{"kind": {r.Kind}, "doc": {r.Doc}, "request": {fmt.Sprint(r.ID)}}.Encode())
}

func kindName(kind string) string {
	if kind == reqWGLC {
		return "WG last call"
	}
	return "call for adoption"
}

// headerValue is RequestHeader's value for a kind.
func headerValue(kind string) string {
	if kind == reqWGLC {
		return "wg-last-call"
	}
	return "call-for-adoption"
}

// subject is the fixed Subject of the mail about a request.
func subject(prefix, kind, doc, group string) string {
	if kind == reqWGLC {
		return fmt.Sprintf("[hum] %s: WG last call on %s in %s", prefix, doc, group)
	}
	return fmt.Sprintf("[hum] %s: call for adoption of %s in %s", prefix, doc, group)
}

// draftRef is a document as requests need it.
type draftRef struct {
	ID          int64
	Name, Rev   string
	Title, Type string
	State       string
	GroupID     int64
	Group       string // "" for an individual draft
	GroupType   string
	WGState     string
	HasWriteup  bool
}

func draftOf(ctx context.Context, q db.Querier, name string) (d draftRef, err error) {
	err = q.QueryRowContext(ctx, `SELECT d.id, d.name, d.rev, d.title, d.type, d.state, COALESCE(d.group_id, 0), COALESCE(g.acronym, ''),
			COALESCE(g.type, ''), d.wg_state, d.has_writeup
		FROM doc_wg_ref d LEFT JOIN group_ref g ON g.id = d.group_id WHERE d.name = $1`, strings.ToLower(strings.TrimSpace(name))).
		Scan(&d.ID, &d.Name, &d.Rev, &d.Title, &d.Type, &d.State, &d.GroupID, &d.Group, &d.GroupType, &d.WGState, &d.HasWriteup)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fail.New(fail.NotFound, "There is no draft called %q.", name)
	}
	return d, err
}

// individual reports whether no WG or RG claims the draft (an
// individual submission may name an area or no group).
func (d draftRef) individual() bool {
	if d.GroupType != "wg" && d.GroupType != "rg" {
		return true
	}
	// A WG's Candidate for Adoption, or a draft it dropped, is claimed by
	// no WG (R16; docs' wgClaims).
	return d.WGState == "" || d.WGState == "wg-cand" || d.WGState == "dead"
}

// AskForCall records by's request that the chairs of acronym start a call
// of kind ("adoption" or "wglc") on the draft named, with a reason, and
// mails it to them. For a WG last call the group is the draft's own, and
// acronym may be empty.
func (s *Service) AskForCall(ctx context.Context, by groups.Actor, name, kind, acronym, reason string) (r CallRequest, err error) {
	defer fail.Wrap(&err, "consensus.AskForCall(%q, %q, %q)", name, kind, acronym)
	if by.ID == 0 {
		return r, fail.New(fail.Unauthorized, "Log in to ask the chairs for a call.")
	}
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	if reason == "" {
		return r, fail.Field("reason", "Say in a few words why the chairs should start this call.")
	}
	if utf8.RuneCountInString(reason) > maxReason {
		return r, fail.Field("reason", "The reason is %d characters; hum takes at most %d.", utf8.RuneCountInString(reason), maxReason)
	}
	if kind != reqAdoption && kind != reqWGLC {
		return r, fail.Field("kind", "Ask for a call for adoption (adoption) or a WG last call (wglc), not %q.", kind)
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		d, err := draftOf(ctx, tx, name)
		if err != nil {
			return err
		}
		if d.Type != "draft" {
			return fail.New(fail.Invalid, "%s is not an Internet-Draft; calls are on drafts.", d.Name)
		}
		if d.State != "active" {
			return fail.New(fail.Invalid, "%s is not active (%s); a call is on a draft that can be revised.", d.Name, d.State)
		}
		g, err := s.requestGroup(ctx, d, kind, acronym)
		if err != nil {
			return err
		}
		var waiting int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM call_request WHERE doc_id = $1 AND group_id = $2 AND kind = $3 AND state = $4`,
			d.ID, g.ID, kind, reqWaiting).Scan(&waiting)
		if err == nil {
			return fail.New(fail.Conflict, "A request for a %s of %s in %s is already waiting for the chairs: %s%s",
				kindName(kind), d.Name, g.Acronym, s.BaseURL, CallRequest{ID: waiting, Group: g.Acronym}.URL())
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		r = CallRequest{GroupID: g.ID, Group: g.Acronym, Doc: d.Name, DocRev: d.Rev, DocTitle: d.Title, Kind: kind, Reason: reason,
			RequesterID: by.ID, Requester: by.Name, Requested: tx.Now, State: reqWaiting}
		err = tx.QueryRowContext(ctx, `INSERT INTO call_request (group_id, doc_id, kind, reason, requested_by, requested, state)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, g.ID, d.ID, kind, reason, by.ID, tx.Now, reqWaiting).Scan(&r.ID)
		if db.IsUniqueViolation(err) {
			return fail.New(fail.Conflict, "A request for a %s of %s in %s is already waiting for the chairs.", kindName(kind), d.Name, g.Acronym)
		} else if err != nil {
			return err
		}
		if err := s.mailChairs(ctx, tx, by, g, r); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "group", g.Acronym, "call_requested",
			fmt.Sprintf("%s asked the chairs of %s for a %s of %s (request %d)", by.Name, g.Acronym, kindName(kind), d.Name, r.ID), reason)
	})
	return r, err
}

// requestGroup is the group a request goes to: for adoption, an active
// WG the participant names, of an individual draft; for a WG last call,
// the draft's own WG, which acronym, if given, must name.
func (s *Service) requestGroup(ctx context.Context, d draftRef, kind, acronym string) (groups.Group, error) {
	acronym = strings.ToLower(strings.TrimSpace(acronym))
	if kind == reqWGLC {
		if d.individual() {
			return groups.Group{}, fail.Field("group", "%s is an individual draft; a WG last call is on a WG's draft. Ask for a call for adoption first.", d.Name)
		}
		if acronym != "" && acronym != d.Group {
			return groups.Group{}, fail.Field("group", "%s is a draft of %s, not of %s; only %s's chairs call its WG last call.", d.Name, d.Group, acronym, d.Group)
		}
		return s.Groups.Get(ctx, d.Group)
	}
	if !d.individual() {
		return groups.Group{}, fail.Field("group", "%s is already a draft of %s; a call for adoption is on an individual draft.", d.Name, d.Group)
	}
	if acronym == "" {
		return groups.Group{}, fail.Field("group", "Choose the WG whose chairs should call for adoption of %s.", d.Name)
	}
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return g, err
	}
	if g.Type != "wg" || g.State != "active" {
		return g, fail.Field("group", "%s is not an active WG; a call for adoption is made by an active WG's chairs.", g.Acronym)
	}
	return g, nil
}

// mailChairs sends the request to the chairs and secretaries of g.
func (s *Service) mailChairs(ctx context.Context, tx *db.Tx, by groups.Actor, g groups.Group, r CallRequest) error {
	to, err := addressesOf(ctx, tx, g.ID, "chair", "secr")
	if err != nil || len(to) == 0 {
		return err // a group without chairs: the request waits on its page
	}
	headers := map[string]string{RequestHeader: headerValue(r.Kind), "X-Hum-Group": g.Acronym, "X-Hum-Document": r.Doc,
		"Auto-Submitted": "auto-generated"}
	if from, err := personAddress(ctx, tx, by.ID); err != nil {
		return err
	} else if from != "" {
		headers["Reply-To"] = from
	}
	body := fmt.Sprintf("%s asks the chairs of %s for a %s of %s-%s\n(%q).\n\nTheir reason:\n\n%s\n\n"+
		"Open the call:   %s%s\nDecline it:      %s%s\n\nThe request waits on your dashboard, %s/group/%s/chair/, until you do one or the other.\n",
		by.Name, g.Acronym, kindName(r.Kind), r.Doc, r.DocRev, r.DocTitle, indent(r.Reason),
		s.BaseURL, r.OpenURL(), s.BaseURL, r.URL(), s.BaseURL, g.Acronym)
	return s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: to, Subject: subject("Request", r.Kind, r.Doc, g.Acronym),
		Body: body, Headers: headers})
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// addressesOf returns the addresses of the holders of roles in a group:
// the role's address, else the person's primary one.
func addressesOf(ctx context.Context, q db.Querier, groupID int64, roles ...string) ([]string, error) {
	var w db.Where
	w.Add("rh.group_id = $?", groupID)
	w.Raw("rh.role IN " + w.In(roles))
	return db.Query(ctx, q, db.Scalar[string], `SELECT DISTINCT COALESCE(NULLIF(rh.email, ''), pa.address) FROM role_holder rh
		LEFT JOIN person_address pa ON pa.person_id = rh.person_id AND pa.is_primary = TRUE`+w.SQL()+
		` AND COALESCE(NULLIF(rh.email, ''), pa.address) IS NOT NULL ORDER BY 1`, w.Args...)
}

// personAddress is a person's primary address, "" if none.
func personAddress(ctx context.Context, q db.Querier, personID int64) (string, error) {
	as, err := db.Query(ctx, q, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1 AND is_primary = TRUE`, personID)
	if err != nil || len(as) == 0 {
		return "", err
	}
	return as[0], nil
}

// DeclineRequest answers a waiting request with no, and why; the
// requester gets the answer by mail. The group's chairs, secretaries and
// delegates may, and the secretariat.
func (s *Service) DeclineRequest(ctx context.Context, by groups.Actor, acronym string, id int64, answer string) (err error) {
	defer fail.Wrap(&err, "consensus.DeclineRequest(%q, %d)", acronym, id)
	r, err := s.CallRequest(ctx, acronym, id)
	if err != nil {
		return err
	}
	if !MayDecide(by, r.GroupID) {
		return fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, and the secretariat, answer requests for its calls.", r.Group)
	}
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\r\n", "\n"))
	if answer == "" {
		return fail.Field("answer", "Say why the %s is declined; the requester gets the answer by mail.", r.KindName())
	}
	if utf8.RuneCountInString(answer) > maxReason {
		return fail.Field("answer", "The answer is %d characters; hum takes at most %d.", utf8.RuneCountInString(answer), maxReason)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE call_request SET state = $1, answer = $2, answered_by = $3, answered = $4 WHERE id = $5 AND state = $6`,
			reqDeclined, answer, db.NullID(by.ID), tx.Now, r.ID, reqWaiting)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.New(fail.Conflict, "Request %d is %s already; only a waiting request can be declined.", r.ID, r.State)
		}
		if to, err := personAddress(ctx, tx, r.RequesterID); err != nil {
			return err
		} else if to != "" {
			body := fmt.Sprintf("%s, for the chairs of %s, declined your request for a %s of %s.\n\nYour reason was:\n\n%s\n\nTheir answer:\n\n%s\n\n-- \n%s%s\n",
				by.Name, r.Group, r.KindName(), r.Doc, indent(r.Reason), indent(answer), s.BaseURL, r.URL())
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: "hum@" + s.Domain, To: []string{to}, Subject: subject("Declined", r.Kind, r.Doc, r.Group), Body: body,
				Headers: map[string]string{RequestHeader: headerValue(r.Kind), "X-Hum-Group": r.Group, "X-Hum-Document": r.Doc,
					"Auto-Submitted": "auto-generated"}}); err != nil {
				return err
			}
		}
		return record.Add(ctx, tx, by.Actor, "group", r.Group, "call_request_declined",
			fmt.Sprintf("Declined %s's request for a %s of %s (request %d)", r.Requester, r.KindName(), r.Doc, r.ID), answer)
	})
}

const requestCols = `r.id, r.group_id, g.acronym, d.name, d.rev, d.title, r.kind, r.reason, r.requested_by, COALESCE(p.name, ''), r.requested,
	r.state, COALESCE(r.call_id, 0), r.answer, COALESCE(a.name, ''), r.answered`

const requestFrom = ` FROM call_request r JOIN group_ref g ON g.id = r.group_id JOIN doc_wg_ref d ON d.id = r.doc_id
	LEFT JOIN person_name p ON p.id = r.requested_by LEFT JOIN person_name a ON a.id = r.answered_by`

func scanRequest(row db.Scanner) (r CallRequest, err error) {
	var answered sql.NullTime
	err = row.Scan(&r.ID, &r.GroupID, &r.Group, &r.Doc, &r.DocRev, &r.DocTitle, &r.Kind, &r.Reason, &r.RequesterID, &r.Requester,
		&r.Requested, &r.State, &r.CallID, &r.Answer, &r.AnsweredBy, &answered)
	r.Requested = r.Requested.UTC()
	if answered.Valid {
		r.Answered = answered.Time.UTC()
	}
	return r, err
}

// CallRequest returns one request made to a group.
func (s *Service) CallRequest(ctx context.Context, acronym string, id int64) (r CallRequest, err error) {
	r, err = scanRequest(s.DB.QueryRowContext(ctx, `SELECT `+requestCols+requestFrom+` WHERE r.id = $1 AND g.acronym = $2`, id, strings.ToLower(acronym)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fail.New(fail.NotFound, "%s has no request for a call numbered %d.", acronym, id)
	}
	return r, err
}

// RequestFilter chooses requests; zero fields choose all.
type RequestFilter struct {
	Group       string
	Doc         string
	State       string
	RequesterID int64
}

// CallRequests lists requests, newest first.
func (s *Service) CallRequests(ctx context.Context, f RequestFilter) ([]CallRequest, error) {
	var w db.Where
	if f.Group != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	if f.Doc != "" {
		w.Add("d.name = $?", strings.ToLower(f.Doc))
	}
	if f.State != "" {
		w.Add("r.state = $?", f.State)
	}
	if f.RequesterID != 0 {
		w.Add("r.requested_by = $?", f.RequesterID)
	}
	return db.Query(ctx, s.DB, scanRequest, `SELECT `+requestCols+requestFrom+w.SQL()+` ORDER BY r.id DESC`, w.Args...)
}
