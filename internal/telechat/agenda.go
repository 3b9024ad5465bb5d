package telechat

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"hum/internal/docs"
	"hum/internal/fail"
)

// Agenda is one telechat's agenda in the IESG's sections.
type Agenda struct {
	Date     time.Time
	Sections []Section
	Docs     int // documents on it, charters included
}

// Section is a numbered heading of the agenda. A section that lists
// documents has List set, even when it has none.
type Section struct {
	Num     string // "2.1.1"
	Title   string
	Depth   int // 1 for "2", 3 for "2.1.1"
	List    bool
	Entries []Entry
	// Charters are the charters in a section of 4 (Working Group
	// actions).
	Charters []CharterEntry
	Text     string // a management item's text
}

// Entry is a document on the agenda with its ballot.
type Entry struct {
	Doc       docs.Document
	Ballot    docs.BallotView
	Returning bool
}

// sections are the agenda's headings, the Datatracker's
// (ietf/iesg/agenda.py, agenda_sections); true marks those that list
// documents; section 4's list charters (CharterSection), and 6 gets the
// management items.
var sections = []struct {
	num, title string
	list       bool
}{
	{"1", "Administrivia", false},
	{"1.1", "Roll call", false},
	{"1.2", "Bash the agenda", false},
	{"1.3", "Approval of the minutes of past telechats", false},
	{"1.4", "List of remaining action items from last telechat", false},
	{"2", "Protocol actions", false},
	{"2.1", "WG submissions", false},
	{"2.1.1", "New items", true}, {"2.1.2", "Returning items", true}, {"2.1.3", "For action", true},
	{"2.2", "Individual submissions", false},
	{"2.2.1", "New items", true}, {"2.2.2", "Returning items", true}, {"2.2.3", "For action", true},
	{"2.3", "Status changes", false},
	{"2.3.1", "New items", true}, {"2.3.2", "Returning items", true}, {"2.3.3", "For action", true},
	{"3", "Document actions", false},
	{"3.1", "WG submissions", false},
	{"3.1.1", "New items", true}, {"3.1.2", "Returning items", true}, {"3.1.3", "For action", true},
	{"3.2", "Individual submissions via AD", false},
	{"3.2.1", "New items", true}, {"3.2.2", "Returning items", true}, {"3.2.3", "For action", true},
	{"3.3", "Status changes", false},
	{"3.3.1", "New items", true}, {"3.3.2", "Returning items", true}, {"3.3.3", "For action", true},
	{"3.4", "IRTF and Independent Submission stream documents", false},
	{"3.4.1", "New items", true}, {"3.4.2", "Returning items", true}, {"3.4.3", "For action", true},
	{"4", "Working Group actions", false},
	{"4.1", "WG creation", false},
	{"4.1.1", "Proposed for IETF review", true}, {"4.1.2", "Proposed for approval", true},
	{"4.2", "WG rechartering", false},
	{"4.2.1", "Under evaluation for IETF review", true}, {"4.2.2", "Proposed for approval", true},
	{"5", "IAB news we can use", false},
	{"6", "Management issues", false},
	{"7", "Any Other Business (WG News, New Proposals, etc.)", false},
}

// SectionOf is where a draft goes on the agenda, as the Datatracker's
// get_doc_section decides: protocol actions (2) for the Standards Track
// and BCPs, document actions (3) for the rest; WG (or RG) submissions
// (.1), individual ones (.2), and IRTF and Independent Submission stream
// documents in 3.4; then new (.1) or returning (.2) items for documents
// under ballot or past it, and "for action" (.3) for those before.
func SectionOf(d docs.Document, returning bool) string {
	s := "3"
	switch d.StdLevel {
	case "ps", "ds", "std", "bcp":
		s = "2"
	}
	switch {
	case s == "3" && (d.Stream == "irtf" || d.Stream == "ise"):
		s += ".4"
	case d.GroupType == "wg" || d.GroupType == "rg":
		s += ".1"
	default:
		s += ".2"
	}
	switch d.IESGState {
	case "lc", "writeupw", "goaheadw", "iesg-eva", "defer", "approved", "ann", "rfcqueue", "pub":
		if returning {
			return s + ".2"
		}
		return s + ".1"
	}
	return s + ".3"
}

// Agenda is the agenda of the telechat on t.
func (s *Service) Agenda(ctx context.Context, t time.Time) (a Agenda, err error) {
	defer fail.Wrap(&err, "telechat.Agenda(%s)", t.Format(day))
	if ok, err := s.IsDate(ctx, t); err != nil {
		return a, err
	} else if !ok {
		return a, fail.New(fail.NotFound, "There is no IESG telechat on %s.", t.Format(day))
	}
	a.Date = t
	entries, err := s.Scheduled(ctx, t)
	if err != nil {
		return a, err
	}
	by := map[string][]Entry{}
	for _, e := range entries {
		n := SectionOf(e.Doc, e.Returning)
		by[n] = append(by[n], e.Entry)
	}
	items, err := s.Items(ctx, t)
	if err != nil {
		return a, err
	}
	cs, err := s.chartersOn(ctx, t)
	if err != nil {
		return a, err
	}
	byCharter := map[string][]CharterEntry{}
	for _, c := range cs {
		n := CharterSection(c.Charter)
		byCharter[n] = append(byCharter[n], c)
	}
	for _, sec := range sections {
		es := by[sec.num]
		if sec.title == "For action" && len(es) == 0 {
			continue // the Datatracker leaves out empty "For action" sections
		}
		slices.SortStableFunc(es, func(x, y Entry) int {
			return cmp.Or(x.Ballot.Opened.Compare(y.Ballot.Opened), cmp.Compare(x.Doc.Name, y.Doc.Name))
		})
		a.Sections = append(a.Sections, Section{Num: sec.num, Title: sec.title, Depth: depth(sec.num), List: sec.list, Entries: es, Charters: byCharter[sec.num]})
		a.Docs += len(es) + len(byCharter[sec.num])
		if sec.num == "6" {
			for i, it := range items {
				a.Sections = append(a.Sections, Section{Num: "6." + strconv.Itoa(i+1), Title: it.Title, Depth: 2, Text: it.Text})
			}
		}
	}
	return a, nil
}

func depth(num string) int {
	n := 1
	for _, c := range num {
		if c == '.' {
			n++
		}
	}
	return n
}

// Scheduled is a document on one of the telechats asked about.
type Scheduled struct {
	Date time.Time
	Entry
}

// Scheduled lists the documents on the telechats of ts with their
// ballots, by date and name.
func (s *Service) Scheduled(ctx context.Context, ts ...time.Time) ([]Scheduled, error) {
	ps, err := s.placedOn(ctx, s.DB, ts...)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	// All the ballots at once: the agenda, its calendar and
	// documents.txt list every document of a telechat.
	bs, err := s.Docs.Ballots(ctx, names)
	if err != nil {
		return nil, err
	}
	out := make([]Scheduled, 0, len(ps))
	for i, p := range ps {
		out = append(out, Scheduled{Date: dateOf(p.date), Entry: Entry{Doc: bs[i].Doc, Ballot: bs[i], Returning: p.returning}})
	}
	return out, nil
}
