// Package ipr keeps IPR disclosures as the Datatracker's IPR tool does
// (RFC 8179, BCP 79): a patent holder's disclosure of a patent or
// application that named documents may need, with its licensing
// declaration ("specific"); a holder's general licensing statement, with
// or without a patent ("generic"); and a participant's disclosure of IPR
// they believe someone else holds ("third-party").
//
// Anyone logged in files a disclosure; it waits, pending, until the
// secretariat posts it (or parks or rejects it), and only then is it
// public. Posting announces it by mail to each named document's authors,
// its WG's chairs and its WG's list (a generic one to the General Area's
// ADs), as the Datatracker's "IPR Disclosure" notice does. An update is a
// new disclosure that names the ones it updates, so the history stays.
// Every step is an event on the disclosure's record (subject_type "ipr"),
// and posting and removal are events on the documents it names.
//
// R11 (a contributor who personally knows of IPR covering a contribution
// must disclose it, as soon as reasonably possible) is the participant's
// duty, which software cannot see through. What hum can hold them to is
// in confirm.go: each author of a draft's current revision confirms that
// the IPR they know of covering it is disclosed, and a confirmation that
// there is IPR is refused, naming R11, until a disclosure of it is filed.
//
// It owns the tables of migration 0025 and has no HTTP inside.
package ipr

import (
	"context"
	"slices"
	"time"

	"hum/internal/aliases"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
)

// Mailer queues mail in the caller's transaction. app gives the lists'
// Router, so an announcement to one of hum's lists is posted to it.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Lists finds hum's lists, so that an announcement goes to a WG's list
// only when hum has it (Get makes a WG's list on first use, so it is
// called before the change's transaction).
type Lists interface {
	Get(ctx context.Context, name string) (lists.List, error)
}

// Aliases finds hum's aliases ({draft}.authors@, .chairs@), so that an
// announcement names the ones that reach someone now.
type Aliases interface {
	Lookup(ctx context.Context, q db.Querier, addr string) (aliases.Alias, bool, error)
}

// Service is the IPR disclosures capability.
type Service struct {
	DB     *db.DB
	Docs   *docs.Service   // the documents disclosures name, their authors and relations
	Groups *groups.Service // the chairs, the General Area's ADs and the secretariat
	Lists  Lists
	// Aliases, when set, are named instead of the addresses they reach.
	Aliases Aliases
	Mail    Mailer
	// BaseURL is the public address used in mailed links, without a
	// trailing slash.
	BaseURL string
	// Domain is the mail domain: the secretariat's address and the lists
	// live under it.
	Domain string
}

// Kinds of disclosure, as the Datatracker's URLs name them
// (/ipr/new-specific/, /ipr/new-generic/, /ipr/new-third-party/).
const (
	Specific   = "specific"    // HolderIprDisclosure
	Generic    = "generic"     // GenericIprDisclosure, or NonDocSpecificIprDisclosure with a patent
	ThirdParty = "third-party" // ThirdPartyIprDisclosure
)

// KindNames are the kinds as the IPR pages head them.
var KindNames = map[string]string{
	Specific:   "Specific IPR disclosure",
	Generic:    "General IPR disclosure",
	ThirdParty: "Third-party IPR disclosure",
}

// States of a disclosure: the Datatracker's iprdisclosurestatename.
const (
	Pending  = "pending"
	Parked   = "parked"
	Posted   = "posted"
	Rejected = "rejected"
	Removed  = "removed"
)

// State is a state's slug and name.
type State struct{ Slug, Name string }

// States are the states in the vocabulary's order.
var States = []State{{Pending, "Pending"}, {Parked, "Parked"}, {Posted, "Posted"}, {Rejected, "Rejected"}, {Removed, "Removed"}}

// StateName is the name of a state slug.
func StateName(slug string) string {
	for _, s := range States {
		if s.Slug == slug {
			return s.Name
		}
	}
	return slug
}

// Public are the states anyone may see a disclosure in (the Datatracker's
// PUBLISH_IPR_STATES): a removed one stays listed, marked removed.
var Public = []string{Posted, Removed}

// IsPublic reports whether a disclosure in state is public.
func IsPublic(state string) bool { return slices.Contains(Public, state) }

// moves are the state changes the secretariat makes; posting is Post.
var moves = map[string][]string{
	Pending: {Posted, Parked, Rejected},
	Parked:  {Posted, Pending, Rejected},
	Posted:  {Removed},
}

// NextStates are the states a disclosure in state may be moved to.
func NextStates(state string) []string { return moves[state] }

// License is a licensing declaration: the Datatracker's
// iprlicensetypename, its slug, name and the text the form shows.
type License struct{ Slug, Name, Desc string }

// Licenses are the declarations a specific disclosure chooses from, in
// the form's order ("none-selected" is only for legacy disclosures).
var Licenses = []License{
	{"no-license", "No License", "a) No License Required for Implementers"},
	{"royalty-free", "Royalty Free", "b) Royalty-Free, Reasonable and Non-Discriminatory License to All Implementers"},
	{"reasonable", "Reasonable", "c) Reasonable and Non-Discriminatory License to All Implementers with Possible Royalty/Fee"},
	{"provided-later", "Provided Later", "d) Licensing Declaration to be Provided Later (implies a willingness to commit to the provisions of a), b), or c) above to all implementers; otherwise, the next option 'Unwilling to Commit to the Provisions of a), b), or c) Above'. - must be selected)"},
	{"unwilling-to-commit", "Unwilling to Commit", "e) Unwilling to Commit to the Provisions of a), b), or c) Above"},
	{"see-below", "See Below", "f) See Text Below for Licensing Declaration"},
}

// LicenseDesc is the declaration's text for a slug.
func LicenseDesc(slug string) string {
	for _, l := range Licenses {
		if l.Slug == slug {
			return l.Desc
		}
	}
	if slug == "none-selected" {
		return "[None selected]"
	}
	return slug
}

// Disclosure is one IPR disclosure.
type Disclosure struct {
	ID                 int64
	Kind               string // Specific, Generic, ThirdParty
	State              string
	Title              string
	HolderLegalName    string
	HolderContactName  string
	HolderContactEmail string
	HolderContactInfo  string
	// The IETF participant whose personal belief triggered a third-party
	// disclosure (the Datatracker's "ietfer").
	IETFerName         string
	IETFerContactEmail string
	IETFerContactInfo  string
	Patent             Patent
	HasPatentPending   bool
	Licensing          string // a Licenses slug (specific)
	LicensingComments  string
	// SubmitterClaimsAllTermsDisclosed: the submitter warrants that all
	// terms of a licence are in the disclosure.
	SubmitterClaimsAllTermsDisclosed bool
	IsBlanketDisclosure              bool   // RFC 8179 §5.4.3: royalty-free for all IPR
	Statement                        string // generic: the licensing statement
	Notes                            string
	OtherDesignations                string // contributions hum does not hold
	Compliant                        bool   // complies with RFC 8179
	SubmitterName                    string
	SubmitterEmail                   string
	ByID                             int64 // the account that filed it; 0 for hum
	Filed                            time.Time
	Posted                           *time.Time
	Docs                             []DocRel
	Updates                          []Ref // the disclosures this one updates
	UpdatedBy                        []Ref // the disclosures that update this one
}

// Patent is what a disclosure says of the patent or application.
type Patent struct {
	Number, Inventor, Title, Date, Notes string
}

// Empty reports whether no patent is given.
func (p Patent) Empty() bool { return p == Patent{} }

// Info is the patent in the Datatracker's patent_info form, one
// "Key: value" line per field given.
func (p Patent) Info() string {
	var s string
	for _, kv := range [][2]string{{"Number", p.Number}, {"Inventor", p.Inventor}, {"Title", p.Title}, {"Date", p.Date}, {"Notes", p.Notes}} {
		if kv[1] != "" {
			if s != "" {
				s += "\n"
			}
			s += kv[0] + ": " + kv[1]
		}
	}
	return s
}

// DocRel is a document a disclosure names (the Datatracker's IprDocRel).
type DocRel struct {
	DisclosureID int64
	DocID        int64
	Doc          string // the document's name: draft-... or rfc...
	DocType      string // draft, rfc
	DocTitle     string
	Revisions    string // the draft's revisions covered, e.g. "00-02"; "" for an RFC
	Sections     string
}

// Ref is another disclosure, for the lists of updates.
type Ref struct {
	ID    int64
	Title string
	State string
}

// KindName is the disclosure's kind as a heading.
func (d Disclosure) KindName() string { return KindNames[d.Kind] }

// StateName is the name of the disclosure's state.
func (d Disclosure) StateName() string { return StateName(d.State) }

// LicenseDesc is the text of the disclosure's licensing declaration.
func (d Disclosure) LicenseDesc() string { return LicenseDesc(d.Licensing) }

// Public reports whether anyone may see the disclosure.
func (d Disclosure) Public() bool { return IsPublic(d.State) }

// MayView reports whether by may see d: anyone once it is posted (or
// removed), and before that the secretariat and the person who filed it.
func MayView(d Disclosure, by groups.Actor) bool {
	return d.Public() || by.Secretariat() || (by.ID != 0 && by.ID == d.ByID)
}
