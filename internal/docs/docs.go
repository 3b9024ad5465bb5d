// Package docs holds Internet-Drafts and RFCs: submission, revisions,
// states, IESG ballots, publication and expiry. Parsing and validation of
// a submitted file live in docs/draft; the RFC Editor's index in
// docs/rfcindex; turning a stored file into HTML in docs/render.
//
// Every change is one transaction that also writes an event in the open
// record (subject_type "doc", subject the document's name). Uploaded files
// are kept in the database (table submission), not in a blob directory:
// they are small (the limit is 8 MiB, real drafts are under 300 KB), a
// revision and its files then commit or fail together, and several hum
// processes on one PostgreSQL need no shared disk.
package docs

import (
	"context"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
)

// Mailer queues mail in a transaction (mail.Outbox does).
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Lists tells whether hum has a list of a name, read in the caller's
// transaction; it never makes one. *lists.Service gives it.
type Lists interface {
	Has(ctx context.Context, q db.Querier, name string) (bool, error)
}

// Service is the documents store.
type Service struct {
	DB     *db.DB
	Groups *groups.Service // who chairs and directs which group
	// Mail queues announcements and confirmation links.
	Mail Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is where the announcement lists live (i-d-announce@,
	// ietf-announce@).
	Domain string
	// Cutoff closes submission before IETF meetings; nil closes nothing.
	Cutoff Cutoff
	// IPR lists the IPR disclosures that name a document, for the
	// write-up's IPR question; nil: hum holds none, and the write-up says
	// that no disclosures are known.
	IPR IPRLister
	// Lists says which lists hum has: an announcement names a group's
	// list only when hum has it, never the list address the group's
	// record gives (a real group's x@ietf.org is not hum's to mail); nil:
	// hum has no lists of groups, and announcements name none.
	Lists Lists

	search   textIndexCache // which name/title index the database has
	rendered renderCache    // rendered revisions, which never change
}

// With returns a service like s that works on d, which may be the same
// database with another clock, and mails through m. The demo tells its
// story this way, weeks back in time, without mailing the drafts' real
// authors.
func (s *Service) With(d *db.DB, m Mailer) *Service {
	return &Service{DB: d, Groups: s.Groups, Mail: m, BaseURL: s.BaseURL, Domain: s.Domain, Cutoff: s.Cutoff, IPR: s.IPR, Lists: s.Lists}
}

// Document is an Internet-Draft or an RFC.
type Document struct {
	ID         int64
	Name       string // "draft-ietf-quic-tls" or "rfc9001"
	Type       string // draft, rfc
	Rev        string // latest posted revision of a draft
	Title      string
	Abstract   string
	GroupID    int64
	Group      string // acronym; "" for individual submissions
	GroupName  string
	GroupType  string
	Area       string // acronym of the group's area
	StdLevel   string // see StdLevels
	Stream     string
	State      string // see DraftStates
	WGState    string // see WGStates; "" is Null
	IESGState  string // see IESGStates; "" is "I-D Exists"
	ADID       int64
	AD         string
	ShepherdID int64
	Shepherd   string
	Writeup    string // a free-text write-up from before the template (see Writeup)
	HasWriteup bool   // the write-up has answers, or that free text
	LCEnds     *time.Time
	RFCNumber  int
	Pages      int
	DocDate    string // as printed, ISO, maybe only year-month
	Posted     *time.Time
	Expires    *time.Time
	Created    time.Time
	Updated    time.Time
	Authors    []Author
}

// IsRFC reports whether the document is an RFC.
func (d Document) IsRFC() bool { return d.Type == "rfc" }

// Individual reports whether a draft belongs to no group.
func (d Document) Individual() bool { return d.GroupID == 0 }

// Author is one front-page author.
type Author struct {
	Name         string `json:"name"`
	ASCIIName    string `json:"ascii_name,omitempty"`
	Organization string `json:"organization,omitempty"`
	Email        string `json:"email,omitempty"`
	PersonID     int64  `json:"person_id,omitempty"`
}

// Revision is one posted revision of a draft.
type Revision struct {
	ID           int64
	Rev          string
	Title        string
	DocDate      string
	Pages        int
	Authors      []Author
	SubmissionID int64
	Posted       time.Time
}

// Relation links two documents: Source obs/updates/replaces Target.
type Relation struct {
	Source string
	Type   string // obs, updates, replaces
	Target string
	Title  string // the title of the other document, when hum holds it
}

// RFCName is the document name of RFC n.
func RFCName(n int) string { return "rfc" + itoa(n) }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// BaseName strips a trailing two-digit revision: "draft-foo-03" is
// draft-foo, and "rfc9001.txt" is not touched beyond its extension.
func BaseName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, ext := range []string{".txt", ".xml", ".html", ".pdf"} {
		s = strings.TrimSuffix(s, ext)
	}
	if i := strings.LastIndexByte(s, '-'); i > 0 && len(s)-i == 3 && isDigit(s[i+1]) && isDigit(s[i+2]) && strings.HasPrefix(s, "draft-") {
		return s[:i]
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
