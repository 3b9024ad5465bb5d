// Package appeals is how anyone challenges a decision of the open record
// (RFC 2026 §6.5): an appeal names one event (a chair's call outcome, a
// WG-state change, an AD's action, an IESG ballot outcome or approval),
// states the facts in detail and the remedy sought, and climbs a chain
// one level at a time, each level's response recorded and announced:
//   - a WG dispute: the WG chairs, the responsible AD(s), the IESG, the
//     IAB, whose decision is final (R37, R38);
//   - an AD's action: the AD, the IESG, the IAB (R37 from the AD's level,
//     R38);
//   - an IESG action: the IESG Chair, the whole IESG, the IAB, which may
//     annul the decision (R39); a claim that the procedures themselves are
//     inadequate may go on to the ISOC Board of Trustees, who acknowledge
//     it within two weeks and whose decision is final (R40).
//
// The IETF Chair never records the IAB's response (R43). Every filing,
// response and escalation is an event, announced on the WG's list or
// ietf-announce, in the transaction of the change.
//
// It owns the tables of migration 0020 and has no HTTP inside.
package appeals

import (
	"context"
	"slices"
	"time"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/mail"
)

// Mailer queues mail in the caller's transaction. app gives the lists'
// Router, so mail to one of hum's lists is posted to it.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Documents finds the document an event is about, for its group.
type Documents interface {
	Get(ctx context.Context, name string) (docs.Document, error)
}

// Service is the appeals capability.
type Service struct {
	DB     *db.DB
	Groups *groups.Service
	Docs   Documents
	Mail   Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain the lists live under.
	Domain string
}

// Kinds of appeal: what was decided, and so which chain it climbs.
const (
	WG   = "wg"   // a WG dispute: a chair's decision (R37)
	AD   = "ad"   // an Area Director's action (R37, from the AD)
	IESG = "iesg" // an IESG action (R39)
)

// KindNames are the kinds as a person reads them.
var KindNames = map[string]string{
	WG:   "WG dispute (a chair's decision)",
	AD:   "an Area Director's action",
	IESG: "an IESG action",
}

// Levels an appeal is addressed to.
const (
	Chairs    = "chairs"
	ADs       = "ad"
	IESGChair = "iesg-chair"
	WholeIESG = "iesg"
	IAB       = "iab"
	ISOC      = "isoc"
)

// LevelNames are the levels as a person reads them.
var LevelNames = map[string]string{
	Chairs:    "the WG chairs",
	ADs:       "the Area Director(s)",
	IESGChair: "the IESG Chair",
	WholeIESG: "the IESG",
	IAB:       "the IAB",
	ISOC:      "the ISOC Board of Trustees",
}

// States of an appeal.
const (
	Open      = "open"      // at a level, awaiting its response
	Answered  = "answered"  // the level responded; the appellant may escalate
	Final     = "final"     // the last level of its chain responded
	Withdrawn = "withdrawn" // the appellant withdrew it
)

// Chain is the levels an appeal of kind climbs, in order. An IESG-action
// appeal reaches the ISOC Board only on a procedural claim (R40).
func Chain(kind string, procedural bool) []string {
	switch kind {
	case WG:
		return []string{Chairs, ADs, WholeIESG, IAB}
	case AD:
		return []string{ADs, WholeIESG, IAB}
	case IESG:
		if procedural {
			return []string{IESGChair, WholeIESG, IAB, ISOC}
		}
		return []string{IESGChair, WholeIESG, IAB}
	}
	return nil
}

// chainRule is the rule that orders kind's chain.
func chainRule(kind string) string {
	if kind == IESG {
		return "R39"
	}
	return "R37"
}

// finalRule is the rule that makes the last level of an appeal's chain
// final: the IAB on a WG dispute or an AD's action (R38), the ISOC Board,
// or the IAB on an IESG action with no procedural claim (R40).
func finalRule(kind string) string {
	if kind == IESG {
		return "R40"
	}
	return "R38"
}

// Filing limits.
const (
	// MinFacts is the fewest characters of facts an appeal may state: a
	// sentence or two at least (R41 asks for them "in detail").
	MinFacts = 80
	// MinRemedy is the fewest characters of the remedy sought.
	MinRemedy = 10
	// AckWithin is how soon the ISOC Board acknowledges an appeal (R40).
	AckWithin = 14 * 24 * time.Hour
)

// Deadline is the last moment an appeal of a decision made public at t
// may be filed: two months later (R41).
func Deadline(t time.Time) time.Time { return t.AddDate(0, 2, 0) }

// Appeal is one appeal and its levels.
type Appeal struct {
	ID        int64
	Name      string
	Kind      string
	GroupID   int64
	Group     string // acronym; "" for none
	GroupType string
	// GroupParentID is the group's area, whose ADs answer at the AD level.
	GroupParentID int64
	EventID       int64
	Decided       time.Time
	DecidedByID   int64
	SubjectType   string
	Subject       string
	Decision      string
	AppellantID   int64
	Appellant     string
	Facts         string
	Remedy        string
	Procedural    bool
	Level         string
	State         string
	Annulled      bool
	Filed         time.Time
	Updated       time.Time
	Levels        []Level // in order, filled by Get
}

// Level is one level an appeal was addressed to and its response.
type Level struct {
	Seq          int
	Level        string
	Reason       string
	Addressed    time.Time
	Due          *time.Time // the ISOC Board's acknowledgement
	Acknowledged *time.Time
	Response     string
	Responded    *time.Time
	ResponderID  int64
	Responder    string
	Annuls       bool
}

// Late reports whether the ISOC Board's acknowledgement is overdue at now.
func (l Level) Late(now time.Time) bool {
	return l.Due != nil && l.Acknowledged == nil && l.Responded == nil && now.After(*l.Due)
}

// LevelName is the level as a person reads it.
func (l Level) LevelName() string { return LevelNames[l.Level] }

// Chain is the appeal's chain of levels.
func (a Appeal) Chain() []string { return Chain(a.Kind, a.Procedural) }

// ChainNames is the chain as a person reads it.
func (a Appeal) ChainNames() []string {
	var out []string
	for _, l := range a.Chain() {
		out = append(out, LevelNames[l])
	}
	return out
}

// Next is the level after the current one, "" at the last.
func (a Appeal) Next() string {
	c := a.Chain()
	i := slices.Index(c, a.Level)
	if i < 0 || i+1 >= len(c) {
		return ""
	}
	return c[i+1]
}

// KindName and LevelName are for pages.
func (a Appeal) KindName() string  { return KindNames[a.Kind] }
func (a Appeal) LevelName() string { return LevelNames[a.Level] }

// Current is the level the appeal is at now.
func (a Appeal) Current() Level {
	if len(a.Levels) == 0 {
		return Level{Level: a.Level}
	}
	return a.Levels[len(a.Levels)-1]
}
