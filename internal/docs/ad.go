package docs

import (
	"context"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// ADKey is how the Datatracker names an AD in a URL (/doc/ad/{key}/, its
// full_name_as_key): the name in lower case, spaces as dots.
func ADKey(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", ".")
}

// ADDoc is one of an AD's documents with what it waits for.
type ADDoc struct {
	Doc    Document
	Tags   []string
	Ballot BallotView // the latest ballot, if any
	Waits  string     // in words; "" when nothing waits
}

// ADHeading is a group of an AD's documents under one state.
type ADHeading struct {
	Heading string // "IESG Evaluation Internet-Draft", "RFC", ...
	Docs    []ADDoc
}

// ADDocs is an AD's dashboard: the drafts they are responsible for, by
// state in the order the IESG works through them (the Datatracker's
// docs_for_ad).
type ADDocs struct {
	AD       Person
	Sitting  bool
	Headings []ADHeading
}

// ForAD returns the dashboard of the sitting AD, or past AD of a
// document, whose ADKey is key.
func (s *Service) ForAD(ctx context.Context, key string) (a ADDocs, err error) {
	defer fail.Wrap(&err, "docs.ForAD(%q)", key)
	sitting, err := s.SittingADs(ctx)
	if err != nil {
		return a, err
	}
	if i := slices.IndexFunc(sitting, func(p Person) bool { return ADKey(p.Name) == key }); i >= 0 {
		a.AD, a.Sitting = sitting[i], true
	} else {
		past, err := db.Query(ctx, s.DB, func(row db.Scanner) (Person, error) {
			var p Person
			err := row.Scan(&p.ID, &p.Name)
			return p, err
		}, `SELECT id, name FROM person_name WHERE id IN (SELECT ad_id FROM doc WHERE ad_id IS NOT NULL) ORDER BY id`)
		if err != nil {
			return a, err
		}
		i := slices.IndexFunc(past, func(p Person) bool { return ADKey(p.Name) == key })
		if i < 0 {
			return a, fail.New(fail.NotFound, "No Area Director is called %q.", key)
		}
		a.AD = past[i]
	}
	ds, err := db.Query(ctx, s.DB, scanDoc, `SELECT `+docCols+docFrom+`WHERE d.ad_id = $1 AND d.type = 'draft' ORDER BY d.name`, a.AD.ID)
	if err != nil {
		return a, err
	}
	now := s.DB.Now()
	byHeading := map[string][]ADDoc{}
	for _, d := range ds {
		x := ADDoc{Doc: d}
		if x.Tags, err = s.DocTags(ctx, d.ID); err != nil {
			return a, err
		}
		if balloting(d.IESGState) || d.IESGState == "approved" {
			if x.Ballot, err = s.Ballot(ctx, d.Name); err != nil {
				return a, err
			}
		}
		x.Waits = WaitingFor(d, x.Ballot, x.Tags, now)
		h := adHeading(d)
		byHeading[h] = append(byHeading[h], x)
	}
	for _, h := range adHeadingOrder() {
		if docs := byHeading[h]; len(docs) > 0 {
			a.Headings = append(a.Headings, ADHeading{Heading: h, Docs: docs})
			delete(byHeading, h)
		}
	}
	return a, nil
}

// adHeading is the Datatracker's ad_dashboard_group for a draft.
func adHeading(d Document) string {
	switch {
	case d.State == "rfc":
		return "RFC"
	case d.State == "active" && d.IESGState != "":
		return IESGStateName(d.IESGState) + " Internet-Draft"
	}
	return StateName(d.State) + " Internet-Draft"
}

func adHeadingOrder() []string {
	var hs []string
	for _, st := range IESGStates {
		hs = append(hs, st.Name+" Internet-Draft")
	}
	for _, st := range DraftStates {
		if st.Slug != "rfc" {
			hs = append(hs, st.Name+" Internet-Draft")
		}
	}
	return append(hs, "RFC")
}

// WaitingFor says in words what a draft in IESG processing waits for,
// and on whom: the AD's next step, a Last Call's end, the ballot's missing
// positions (R35), the authors' revision when a tag asks for one.
func WaitingFor(d Document, b BallotView, tags []string, now time.Time) string {
	if d.State != "active" {
		return ""
	}
	var w string
	switch d.IESGState {
	case "pub-req":
		w = "the AD to begin AD Evaluation"
	case "ad-eval":
		w = "the AD's evaluation"
	case "lc-req":
		w = "the AD to issue the IETF Last Call"
	case "lc":
		w = "the IETF Last Call to end"
		if d.LCEnds != nil {
			w += " on " + d.LCEnds.UTC().Format("2006-01-02")
			if d.LCEnds.Before(now) {
				w = "hum's timer to close the IETF Last Call that ended on " + d.LCEnds.UTC().Format("2006-01-02")
			}
		}
	case "writeupw":
		w = "the AD's ballot write-up, then IESG Evaluation"
	case "iesg-eva", "defer", "goaheadw":
		switch {
		case !b.Open:
			w = "the AD to open the IESG ballot"
		case b.Passes && d.IESGState == "goaheadw":
			w = "the AD's go-ahead: the ballot passes"
		case b.Passes:
			w = "the AD to approve: the ballot passes"
		default:
			w = "the IESG ballot: " + b.Missing
			if len(b.Waiting) > 0 {
				w += "; no position yet from " + strings.Join(b.Waiting, ", ")
			}
		}
	case "approved":
		w = "the approval announcement"
	case "ann":
		w = "the secretariat to send it to the RFC Editor"
	case "rfcqueue":
		w = "the RFC Editor"
	}
	for _, t := range tags {
		if strings.HasPrefix(t, "rev-") || t == "need-aut" || t == "w-refdoc" {
			if w == "" {
				return "the authors: " + TagName(t)
			}
			return "the authors: " + TagName(t) + "; then " + w
		}
	}
	return w
}
