package consensus

import (
	"context"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// The chairs' dashboard: what waits on a WG's chairs, read in one go.
// Appeals addressed to the chairs are internal/appeals' to give.

// MissingMinutes is how the dashboard learns which of a group's meetings
// lack minutes (R23, R28): meetings.Service.MissingMinutes, whose rules
// the dashboard reuses rather than repeats.
type MissingMinutes func(ctx context.Context, acronym string) ([]meetings.MinutesDue, error)

// OpenCall is a consensus call still open.
type OpenCall struct {
	ID       int64
	Kind     string // adoption, wglc, confirm, question
	Question string
	Doc      string
	DocRev   string
	DocTitle string
	Opened   time.Time
	Deadline time.Time
	// Ended is a call past its deadline with no outcome recorded.
	Ended bool
}

// Flag says what is wrong with a call past its deadline.
func (c OpenCall) Flag() string {
	if !c.Ended {
		return ""
	}
	if c.Kind == "wglc" {
		return "WGLC ended with no outcome"
	}
	return "deadline passed with no outcome"
}

// OpenIssue is an objection or issue raised in a call and not yet
// addressed (R33).
type OpenIssue struct {
	ID        int64
	CallID    int64
	Question  string // the call's
	CallOpen  bool
	Kind      string // objects, issue
	Summary   string
	MessageID string
}

// WaitingDraft is a draft of the group that waits on its chairs.
type WaitingDraft struct {
	Name, Rev, Title string
	WGState          string
	Why              string // "write-up missing", "WGLC ended with no outcome", ...
	CallID           int64  // the call concerned, if any
}

// Dashboard is everything that waits on a group's chairs.
type Dashboard struct {
	Group     groups.Group
	Calls     []OpenCall
	Requests  []CallRequest // waiting
	Issues    []OpenIssue
	Drafts    []WaitingDraft
	Decisions []Decision // pending list confirmation
	Minutes   []meetings.MinutesDue
}

// Stale is how many pending decisions have waited more than a month.
func (d Dashboard) Stale() int {
	n := 0
	for _, x := range d.Decisions {
		if x.Stale {
			n++
		}
	}
	return n
}

// Empty reports whether nothing waits on the chairs.
func (d Dashboard) Empty() bool {
	return len(d.Calls)+len(d.Requests)+len(d.Issues)+len(d.Drafts)+len(d.Decisions)+len(d.Minutes) == 0
}

// Dashboard reads what waits on the chairs of acronym: open calls and
// their deadlines, waiting requests for calls, open objections and
// issues, drafts waiting on the chairs, decisions awaiting list
// confirmation, and meetings with missing minutes (from minutes).
// Anyone may read it; everything in hum is public.
func (s *Service) Dashboard(ctx context.Context, acronym string, minutes MissingMinutes) (d Dashboard, err error) {
	defer fail.Wrap(&err, "consensus.Dashboard(%q)", acronym)
	if d.Group, err = s.Groups.Get(ctx, acronym); err != nil {
		return d, err
	}
	now, gid := s.DB.Now(), d.Group.ID
	if d.Calls, err = db.Query(ctx, s.DB, func(row db.Scanner) (c OpenCall, err error) {
		err = row.Scan(&c.ID, &c.Kind, &c.Question, &c.Doc, &c.DocRev, &c.DocTitle, &c.Opened, &c.Deadline)
		c.Opened, c.Deadline = c.Opened.UTC(), c.Deadline.UTC()
		c.Ended = now.After(c.Deadline)
		return c, err
	}, `SELECT c.id, c.kind, c.question, COALESCE(d.name, ''), COALESCE(d.rev, ''), COALESCE(d.title, ''), c.opened, c.deadline FROM consensus_call c
		LEFT JOIN doc_wg_ref d ON d.id = c.doc_id WHERE c.group_id = $1 AND c.state = 'open' ORDER BY c.deadline, c.id`, gid); err != nil {
		return d, err
	}
	if d.Requests, err = s.CallRequests(ctx, RequestFilter{Group: d.Group.Acronym, State: reqWaiting}); err != nil {
		return d, err
	}
	if d.Issues, err = db.Query(ctx, s.DB, func(row db.Scanner) (i OpenIssue, err error) {
		err = row.Scan(&i.ID, &i.CallID, &i.Question, &i.CallOpen, &i.Kind, &i.Summary, &i.MessageID)
		return i, err
	}, `SELECT i.id, c.id, c.question, c.state = 'open', i.kind, i.summary, i.message_id FROM consensus_issue i
		JOIN consensus_call c ON c.id = i.call_id WHERE c.group_id = $1 AND i.state = 'open' ORDER BY c.id, i.id`, gid); err != nil {
		return d, err
	}
	if d.Drafts, err = waitingDrafts(ctx, s.DB, gid, d.Calls); err != nil {
		return d, err
	}
	if d.Decisions, _, err = s.Decisions(ctx, DecisionFilter{Group: d.Group.Acronym, State: decPending}); err != nil {
		return d, err
	}
	if minutes != nil {
		d.Minutes, err = minutes(ctx, d.Group.Acronym)
	}
	return d, err
}

// waitingDrafts are the group's drafts that wait on its chairs: those
// waiting for their go-ahead (chair-w), those whose shepherd write-up is
// to be written (writeupw; R17), and those whose WG last call ended with
// no outcome.
func waitingDrafts(ctx context.Context, q db.Querier, groupID int64, calls []OpenCall) ([]WaitingDraft, error) {
	var out []WaitingDraft
	for _, c := range calls {
		if c.Ended && c.Kind == "wglc" && c.Doc != "" {
			out = append(out, WaitingDraft{Name: c.Doc, Rev: c.DocRev, Title: c.DocTitle, WGState: "wg-lc", Why: c.Flag(), CallID: c.ID})
		}
	}
	ds, err := db.Query(ctx, q, func(row db.Scanner) (w WaitingDraft, err error) {
		var hasWriteup bool
		err = row.Scan(&w.Name, &w.Rev, &w.Title, &w.WGState, &hasWriteup)
		switch {
		case w.WGState == "chair-w":
			w.Why = "waiting for the chairs' go-ahead"
		case !hasWriteup:
			w.Why = "write-up missing"
		default:
			w.Why = "write-up written; the chairs may submit it to the IESG"
		}
		return w, err
	}, `SELECT name, rev, title, wg_state, has_writeup FROM doc_wg_ref
		WHERE group_id = $1 AND type = 'draft' AND state = 'active' AND wg_state IN ('chair-w', 'writeupw') ORDER BY name`, groupID)
	if err != nil {
		return nil, err
	}
	return append(out, ds...), nil
}

// LedGroups are the groups by chairs, is secretary of or delegates for,
// that are not concluded: those /me/ shows a dashboard for.
func LedGroups(by groups.Actor) []string {
	var out []string
	seen := map[int64]bool{}
	for _, r := range by.Roles {
		if (r.Name == "chair" || r.Name == "secr" || r.Name == "delegate") && !seen[r.GroupID] && by.LeadsGroup(r.GroupID) {
			seen[r.GroupID] = true
			out = append(out, r.Acronym)
		}
	}
	return out
}

// String is the dashboard's one-line summary, for logs and tests.
func (d Dashboard) String() string {
	return fmt.Sprintf("%s: %d calls, %d requests, %d issues, %d drafts, %d decisions, %d minutes", d.Group.Acronym,
		len(d.Calls), len(d.Requests), len(d.Issues), len(d.Drafts), len(d.Decisions), len(d.Minutes))
}
