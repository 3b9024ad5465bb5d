package appeals

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Decision is the event an appeal challenges, with what hum derives from
// it: the group concerned and the kinds of appeal it admits.
type Decision struct {
	Event record.Event
	Group groups.Group // the zero Group when none
	Kinds []string     // admitted kinds, the likeliest first
}

var (
	anchorRE = regexp.MustCompile(`#event-([0-9]+)$`)
	eventRE  = regexp.MustCompile(`^/event/([0-9]+)/?$`)
	callRE   = regexp.MustCompile(`^/group/([a-z0-9-]+)/calls/([0-9]+)/?$`)
)

// Resolve finds the decision a link names. It takes:
//   - an event id ("42");
//   - any page's link to an event's anchor ("/doc/{name}/history/#event-42",
//     "/group/{acronym}/history/#event-42"), with or without hum's address;
//   - hum's generic event link, "/event/42/";
//   - a consensus call's page, "/group/{acronym}/calls/{id}/": the event
//     its closing wrote on the group's record (the event at the call's
//     closing time); an open call has no outcome to appeal yet.
func (s *Service) Resolve(ctx context.Context, link string) (Decision, error) {
	id, err := s.eventOf(ctx, strings.TrimSpace(link))
	if err != nil {
		return Decision{}, err
	}
	return s.decision(ctx, s.DB, id)
}

func (s *Service) eventOf(ctx context.Context, link string) (int64, error) {
	bad := fail.Field("decision", "Name the decision by its link: an event on a document's or group's history page (…/history/#event-42), /event/42/, a consensus call's page (/group/{acronym}/calls/{id}/), or the event's number.")
	if link == "" {
		return 0, bad
	}
	if n, err := strconv.ParseInt(link, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	if m := anchorRE.FindStringSubmatch(link); m != nil {
		return strconv.ParseInt(m[1], 10, 64)
	}
	u, err := url.Parse(link)
	if err != nil {
		return 0, bad
	}
	if m := eventRE.FindStringSubmatch(u.Path); m != nil {
		return strconv.ParseInt(m[1], 10, 64)
	}
	if m := callRE.FindStringSubmatch(u.Path); m != nil {
		callID, _ := strconv.ParseInt(m[2], 10, 64)
		return s.CallEvent(ctx, m[1], callID)
	}
	return 0, bad
}

// callEvent is the event that recorded a consensus call's outcome. It
// reads consensus's table, by agreement, for the two columns that say
// when and by whom the call closed: the close and its event share a
// transaction, and so a time.
func (s *Service) CallEvent(ctx context.Context, acronym string, callID int64) (int64, error) {
	var state string
	var closed sql.NullTime
	var by sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT c.state, c.closed, c.closed_by FROM consensus_call c JOIN group_ref g ON g.id = c.group_id
		WHERE c.id = $1 AND g.acronym = $2`, callID, acronym).Scan(&state, &closed, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fail.New(fail.NotFound, "%s has no consensus call %d.", acronym, callID)
	} else if err != nil {
		return 0, err
	}
	if !closed.Valid {
		return 0, fail.Field("decision", "Consensus call %d of %s is still open: its outcome can be appealed once the chairs record it.", callID, acronym)
	}
	ids, err := db.Query(ctx, s.DB, db.Scalar[int64], `SELECT id FROM event WHERE at = $1 AND (actor_id = $2 OR $2 IS NULL)
		ORDER BY CASE WHEN subject_type = 'group' AND subject = $3 THEN 0 ELSE 1 END, id DESC LIMIT 1`, closed.Time, by, acronym)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, fail.New(fail.NotFound, "The record holds no event for the close of consensus call %d of %s; name the event itself.", callID, acronym)
	}
	return ids[0], nil
}

func (s *Service) event(ctx context.Context, q db.Querier, id int64) (record.Event, error) {
	var e record.Event
	err := q.QueryRowContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, subject_type, subject, kind, summary, why FROM event WHERE id = $1`, id).
		Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.SubjectType, &e.Subject, &e.Kind, &e.Summary, &e.Why)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fail.New(fail.NotFound, "The record has no event %d.", id)
	}
	return e, err
}

// iesgKinds are the events on a document that are the IESG's: its state
// in IESG processing, its ballots, its Last Call and its publication.
var iesgKinds = []string{"iesg_state", "ballot_opened", "ballot_alt", "last_call", "published"}

// decision loads event id and derives the group and the kinds of appeal
// it admits, from what the event is and who made it (their roles now):
// a WG dispute when a leader of a WG acted on it or it is a WG state or a
// consensus call's outcome; an AD's action when an AD acted; an IESG
// action when it is an IESG state, ballot, Last Call or publication, or
// the IETF Chair acted. Appeals, and hum's own bookkeeping, admit none.
func (s *Service) decision(ctx context.Context, q db.Querier, id int64) (Decision, error) {
	e, err := s.event(ctx, q, id)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Event: e}
	switch e.SubjectType {
	case "doc":
		doc, err := s.Docs.Get(ctx, e.Subject)
		if err != nil && fail.KindOf(err) != fail.NotFound {
			return d, err
		}
		if doc.Group != "" {
			if d.Group, err = s.Groups.Get(ctx, doc.Group); err != nil {
				return d, err
			}
		}
	case "group":
		if d.Group, err = s.Groups.Get(ctx, e.Subject); err != nil {
			return d, err
		}
	case "appeal":
		return d, fail.Field("decision", "Event %d is part of an appeal; an appeal's answer is taken further by escalating it, not by a new appeal.", id)
	}
	who, err := s.Groups.ActorOf(ctx, record.Actor{ID: e.ActorID, Name: e.Actor})
	if err != nil {
		return d, err
	}
	wg := d.Group.Type == "wg"
	byLeader := wg && who.LeadsGroup(d.Group.ID)
	isIESG := slices.Contains(iesgKinds, e.Kind) || who.IETFChair()
	if isIESG {
		d.Kinds = append(d.Kinds, IESG)
	}
	if wg && (byLeader || slices.Contains(chairKinds, e.Kind)) {
		d.Kinds = append(d.Kinds, WG)
	}
	if who.IESG() {
		d.Kinds = append(d.Kinds, AD)
	}
	if len(d.Kinds) == 0 {
		return d, fail.Field("decision", "Event %d (%s by %s) is not a decision of a WG's chairs, an AD or the IESG, so there is no one to appeal it to (R37, R39).", id, e.Summary, e.Actor)
	}
	return d, nil
}

// chairKinds are the events that are a WG's chairs' decisions whoever
// recorded them: a draft's WG state, and a consensus call's opening,
// deadline and outcome, and a request for one declined. A participant's
// own request (call_requested) or a chair's note on a message is not.
var chairKinds = []string{"wg_state", "call_opened", "call_extended", "call_closed", "call_request_declined"}
