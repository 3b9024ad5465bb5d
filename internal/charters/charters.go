// Package charters is how a working group is chartered, rechartered and
// closed, as the IETF does it and the Datatracker records it. A group's
// charter is a document, charter-ietf-{acronym} (charter-irtf-{acronym}
// for an RG), in the Datatracker's charter states, with its revisions:
// NN-MM for the texts proposed after approved revision NN (00-00 is a new
// group's first proposal), and NN for the approved ones.
//
// The path, for a BOF or new group and for an active WG's recharter
// alike: a proposed text (Draft Charter); a week or more of internal
// review by the IESG and the IAB, announced to them, with an IESG ballot
// on whether it is ready for external review; the announcement on
// ietf-announce and new-work (a BOF becomes a proposed WG here); at least
// another week of external review; the IESG's approval on a ballot (no
// BLOCK and at least one YES), which installs the text as the group's
// charter and makes the group active (R13). Each move is refused, naming
// R13, when it skips a step or comes before its week is over; time is the
// transaction's clock.
//
// Concluding a WG is its responsible AD's decision (R14), announced with
// the reason on ietf-announce and the WG's list, whose archive stays
// public.
//
// The approved texts stay where the group keeps them (groups.CharterRev,
// revision NN being charter_rev NN); this package owns the proposals, the
// document's state and clocks and its ballots (migration 0026). Every
// change is an event on the document's record; the group's state changes
// are events on the group's. It has no HTTP inside.
package charters

import (
	"context"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
)

// Mailer queues mail in the caller's transaction. app gives the lists'
// Router, so an announcement to ietf-announce, new-work or a WG's list is
// posted to that list (delivered and archived) and other mail goes to the
// outbox.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Lists finds a WG's list, so that hum mails only a list it has;
// *lists.Service gives it. Get makes a WG's list on first use, so it is
// called before a change's transaction; Has reads in one and never
// makes a list.
type Lists interface {
	Get(ctx context.Context, name string) (lists.List, error)
	Has(ctx context.Context, q db.Querier, name string) (bool, error)
}

// Service is the chartering capability.
type Service struct {
	DB     *db.DB
	Groups *groups.Service
	Lists  Lists
	Mail   Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain the lists live under.
	Domain string
}

// Charter states, the Datatracker's slugs (doc.state of type charter).
const (
	NotReview  = "notrev"
	Draft      = "infrev"
	Internal   = "intrev"
	External   = "extrev"
	IESGReview = "iesgrev"
	Approved   = "approved"
	Replaced   = "replaced"
)

// Name is a slug with its display name.
type Name struct{ Slug, Name string }

// States are the charter states with the Datatracker's names.
var States = []Name{
	{NotReview, "Not currently under review"},
	{Draft, "Draft Charter"},
	{Internal, "Start Chartering/Rechartering (Internal Steering Group/IAB Review)"},
	{External, "External Review (Message to Community, Selected by Secretariat)"},
	{IESGReview, "IESG Review (Charter for Approval, Selected by Secretariat)"},
	{Approved, "Approved"},
	{Replaced, "Replaced"},
}

// StateName gives a state's display name.
func StateName(slug string) string { return nameOf(States, slug) }

func nameOf(ns []Name, slug string) string {
	for _, n := range ns {
		if n.Slug == slug {
			return n.Name
		}
	}
	return slug
}

// ReviewWeek is the least time a proposed charter spends in internal
// review, and then in external review, before the next step (R13).
const ReviewWeek = 7 * 24 * time.Hour

// underReview reports whether a charter in state st is being chartered.
func underReview(st string) bool {
	return st == Draft || st == Internal || st == External || st == IESGReview
}

// IsName reports whether name is a charter document's name.
func IsName(name string) bool { return strings.HasPrefix(strings.ToLower(name), "charter-") }

// Charter is a charter document as its page shows it.
type Charter struct {
	ID      int64 // 0 until a text is first proposed through chartering
	Name    string
	Group   groups.Group
	State   string
	Rev     string // the current revision; "" when there is no text at all
	IntRev  *time.Time
	ExtRev  *time.Time
	ExtText string // the revision announced for external review
	// Revisions are every text, proposed and approved, oldest first.
	Revisions []Revision
}

// Revision is one text of a charter.
type Revision struct {
	Rev      string
	Text     string
	By       string
	Created  time.Time
	Approved bool
}

// Text is the current revision's text, "" when there is none.
func (c Charter) Text() string {
	if r, ok := c.Revision(c.Rev); ok {
		return r.Text
	}
	return ""
}

// Revision returns the revision rev.
func (c Charter) Revision(rev string) (Revision, bool) {
	for _, r := range c.Revisions {
		if r.Rev == rev {
			return r, true
		}
	}
	return Revision{}, false
}

// UnderReview reports whether the charter is being (re)chartered.
func (c Charter) UnderReview() bool { return underReview(c.State) }

// UnderIESGReview reports whether the IESG reviews the charter now
// (internal review, external review, IESG review): the states in which
// it goes on a telechat's agenda.
func (c Charter) UnderIESGReview() bool {
	return c.State == Internal || c.State == External || c.State == IESGReview
}

// Recharter reports whether chartering would change an active group's
// charter rather than form a new group (the Datatracker's chartering
// type).
func (c Charter) Recharter() bool { return c.Group.State == "active" }

// ExternalFrom is the earliest time the charter may go to external
// review: a week after internal review began (R13); zero outside it.
func (c Charter) ExternalFrom() time.Time {
	if c.State != Internal || c.IntRev == nil {
		return time.Time{}
	}
	return c.IntRev.Add(ReviewWeek)
}

// ApproveFrom is the earliest time the IESG may approve the charter: a
// week after it was announced for external review (R13); zero before.
func (c Charter) ApproveFrom() time.Time {
	if (c.State != External && c.State != IESGReview) || c.ExtRev == nil {
		return time.Time{}
	}
	return c.ExtRev.Add(ReviewWeek)
}

// Approved is the latest approved revision's number, "" before any.
func (c Charter) ApprovedRev() string {
	rev := ""
	for _, r := range c.Revisions {
		if r.Approved {
			rev = r.Rev
		}
	}
	return rev
}

// chartered: only WGs go through the IESG's chartering (R13).
func chartered(g groups.Group) error {
	if !groups.Chartered(g.Type) {
		return fail.New(fail.Conflict, "%s is not a working group: the IESG's chartering applies to WGs. An RG's charter is the IRTF's to approve; its charter page keeps its text.", g.Acronym)
	}
	return nil
}

// mayManage: the group's responsible AD or the secretariat (R44, R13).
func mayManage(by groups.Actor, g groups.Group) error {
	if !by.MayManage(g) {
		return fail.New(fail.Forbidden, "Only the responsible Area Director of %s, or the secretariat, takes its charter through chartering.", g.Acronym)
	}
	return nil
}

func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
