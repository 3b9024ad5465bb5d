package consensus

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

// Kinds of call, and what each is on.
var Kinds = []struct{ Slug, Name string }{
	{"adoption", "Call for adoption"},
	{"wglc", "WG Last Call"},
	{"confirm", "Confirmation of a meeting decision"},
	{"question", "Consensus call"},
}

// KindName is a kind's display name.
func KindName(slug string) string {
	for _, k := range Kinds {
		if k.Slug == slug {
			return k.Name
		}
	}
	return slug
}

// Outcomes a chair may record, with their display names.
var Outcomes = []struct{ Slug, Name string }{
	{"consensus", "Consensus"},
	{"rough", "Rough consensus"},
	{"none", "No consensus"},
	{"withdrawn", "Withdrawn"},
}

// OutcomeName is an outcome's display name.
func OutcomeName(slug string) string {
	for _, o := range Outcomes {
		if o.Slug == slug {
			return o.Name
		}
	}
	return slug
}

// NoteKinds are the chair's readings of one message. They are readings,
// not votes: nothing adds them up (R32).
var NoteKinds = []struct{ Slug, Name string }{
	{"supports", "Supports"},
	{"objects", "Objects"},
	{"issue", "Raises an issue"},
	{"comment", "Comment"},
}

// Call is a consensus call.
type Call struct {
	ID               int64
	GroupID          int64
	Group            string // acronym
	GroupName        string
	Kind             string
	DocID            int64
	Doc              string // the draft, for adoption and wglc
	Rev              string
	DecisionID       int64 // confirm
	Decision         string
	Question         string
	List             string
	MessageID        string // without angle brackets: the thread's root
	OpenedByID       int64
	OpenedBy         string
	Opened           time.Time
	Deadline         time.Time
	State            string // open, closed
	Outcome          string
	Explanation      string
	ClosedBy         string
	Closed           *time.Time
	OutcomeMessageID string
}

// Open reports whether the call still takes replies and notes.
func (c Call) Open() bool { return c.State == "open" }

// KindName is the call's kind, for people.
func (c Call) KindName() string { return KindName(c.Kind) }

// OutcomeName is the call's outcome, for people.
func (c Call) OutcomeName() string { return OutcomeName(c.Outcome) }

// Note is the chair's reading of one message of the thread.
type Note struct {
	MessageID string
	Kind      string
	Note      string
	By        string
	At        time.Time
}

// Issue is an objection or issue raised in a call (R33). Its state is
// open, addressed (linking the message or revision that addressed it) or
// not-accommodated (with the chair's reason, given on closing, R34).
type Issue struct {
	ID                 int64
	CallID             int64
	MessageID          string
	Kind               string // objects, issue
	Summary            string
	State              string
	AddressedMessageID string
	AddressedRev       string
	AddressedNote      string // how it was addressed, or why not accommodated
	AddressedBy        string
	Addressed          *time.Time
}

const callCols = `c.id, c.group_id, g.acronym, g.name, c.kind, COALESCE(c.doc_id, 0), COALESCE(d.name, ''), c.rev,
	COALESCE(c.decision_id, 0), COALESCE(x.text, ''), c.question, c.list, c.message_id, COALESCE(c.opened_by, 0),
	COALESCE(po.name, ''), c.opened, c.deadline, c.state, c.outcome, c.explanation, COALESCE(pc.name, ''), c.closed,
	c.outcome_message_id`

const callFrom = ` FROM consensus_call c JOIN group_ref g ON g.id = c.group_id
	LEFT JOIN doc_ref d ON d.id = c.doc_id
	LEFT JOIN decision x ON x.id = c.decision_id
	LEFT JOIN person_name po ON po.id = c.opened_by
	LEFT JOIN person_name pc ON pc.id = c.closed_by `

func scanCall(row db.Scanner) (Call, error) {
	var c Call
	var closed sql.NullTime
	err := row.Scan(&c.ID, &c.GroupID, &c.Group, &c.GroupName, &c.Kind, &c.DocID, &c.Doc, &c.Rev,
		&c.DecisionID, &c.Decision, &c.Question, &c.List, &c.MessageID, &c.OpenedByID,
		&c.OpenedBy, &c.Opened, &c.Deadline, &c.State, &c.Outcome, &c.Explanation, &c.ClosedBy, &closed,
		&c.OutcomeMessageID)
	c.Opened, c.Deadline = c.Opened.UTC(), c.Deadline.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		c.Closed = &t
	}
	return c, err
}

// Get returns a call by id.
func (s *Service) Get(ctx context.Context, id int64) (Call, error) {
	return getCall(ctx, s.DB, id)
}

func getCall(ctx context.Context, q db.Querier, id int64) (c Call, err error) {
	defer fail.Wrap(&err, "consensus.Get(%d)", id)
	c, err = scanCall(q.QueryRowContext(ctx, `SELECT `+callCols+callFrom+`WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fail.New(fail.NotFound, "There is no consensus call #%d.", id)
	}
	return c, err
}

// Filter selects calls; zero fields match every call.
type Filter struct {
	Group string // acronym
	Doc   string // draft name
	State string // open, closed
	Kind  string
	// Limit and Offset page the list; a Limit of zero means every call.
	Limit, Offset int
}

// List returns the calls that f selects, newest first, and how many there
// are in all.
func (s *Service) List(ctx context.Context, f Filter) (_ []Call, total int, err error) {
	defer fail.Wrap(&err, "consensus.List")
	l := db.Listing{Cols: callCols, From: callFrom, Order: "c.opened DESC, c.id DESC", Limit: f.Limit, Offset: f.Offset}
	if f.Group != "" {
		l.Where.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	if f.Doc != "" {
		l.Where.Add("d.name = $?", f.Doc)
	}
	if f.State != "" {
		l.Where.Add("c.state = $?", f.State)
	}
	if f.Kind != "" {
		l.Where.Add("c.kind = $?", f.Kind)
	}
	return db.QueryPage(ctx, s.DB, l, scanCall)
}

// Notes returns the chair's notes on a call's messages.
func (s *Service) Notes(ctx context.Context, callID int64) ([]Note, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Note, error) {
		var n Note
		err := row.Scan(&n.MessageID, &n.Kind, &n.Note, &n.By, &n.At)
		n.At = n.At.UTC()
		return n, err
	}, `SELECT n.message_id, n.kind, n.note, COALESCE(p.name, ''), n.noted FROM consensus_note n
		LEFT JOIN person_name p ON p.id = n.noted_by WHERE n.call_id = $1 ORDER BY n.noted, n.message_id`, callID)
}

// Issues returns the objections and issues raised in calls: those of one
// call, or of several.
func (s *Service) Issues(ctx context.Context, callIDs ...int64) ([]Issue, error) {
	return issues(ctx, s.DB, callIDs...)
}

func issues(ctx context.Context, q db.Querier, callIDs ...int64) ([]Issue, error) {
	if len(callIDs) == 0 {
		return nil, nil
	}
	var w db.Where
	ids := make([]string, len(callIDs))
	for i, id := range callIDs {
		ids[i] = w.Arg(id)
	}
	return db.Query(ctx, q, scanIssue, `SELECT `+issueCols+` FROM consensus_issue i LEFT JOIN person_name p ON p.id = i.addressed_by
		WHERE i.call_id IN (`+strings.Join(ids, ", ")+`) ORDER BY i.call_id, i.id`, w.Args...)
}

const issueCols = `i.id, i.call_id, i.message_id, i.kind, i.summary, i.state, i.addressed_message_id, i.addressed_rev,
	i.addressed_note, COALESCE(p.name, ''), i.addressed`

func scanIssue(row db.Scanner) (Issue, error) {
	var i Issue
	var at sql.NullTime
	err := row.Scan(&i.ID, &i.CallID, &i.MessageID, &i.Kind, &i.Summary, &i.State, &i.AddressedMessageID, &i.AddressedRev,
		&i.AddressedNote, &i.AddressedBy, &at)
	if at.Valid {
		t := at.Time.UTC()
		i.Addressed = &t
	}
	return i, err
}

// History returns the call's own record (notes, issues, deadline
// changes), oldest first.
func (s *Service) History(ctx context.Context, callID int64) ([]record.Event, error) {
	es, err := record.List(ctx, s.DB, subjectType, record.SubjectID(callID), 500)
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es, err
}

// subjectType is the record's subject type for a call's own events.
const subjectType = "consensus_call"

// NoTally is the answer to any request for a count or a percentage of a
// call's replies: hum keeps none. The chair judges rough consensus by the
// arguments and whether every objection was addressed, not by numbers
// (R30, R32, RFC 7282).
func NoTally(what string) error {
	return fail.Rule("R32", fail.NotFound, "hum keeps no %s of a consensus call's replies, and never will: the IETF does not vote, and a chair's notes are a reading of the discussion, not ballots. Rough consensus is judged by the arguments and whether every objection was addressed, not by numbers (R30, R32).", what)
}
