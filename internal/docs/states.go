package docs

// The vocabularies below use the Datatracker's slugs with its names, so
// API users and IETF participants see what they know.

// Name is a slug with its display name.
type Name struct{ Slug, Name string }

func lookup(ns []Name, slug string) (string, bool) {
	for _, n := range ns {
		if n.Slug == slug {
			return n.Name, true
		}
	}
	return "", false
}

// StdLevels are intended (drafts) or current (RFCs) maturity levels. R08:
// the Standards Track has Proposed and Internet Standard; ds is kept only
// for legacy RFCs.
var StdLevels = []Name{
	{"ps", "Proposed Standard"}, {"std", "Internet Standard"}, {"ds", "Draft Standard"},
	{"bcp", "Best Current Practice"}, {"inf", "Informational"}, {"exp", "Experimental"},
	{"hist", "Historic"}, {"unkn", "Unknown"},
}

// DraftStates are the availability states of a draft.
var DraftStates = []Name{
	{"active", "Active"}, {"expired", "Expired"}, {"repl", "Replaced"}, {"rfc", "RFC"},
	{"published", "Published"}, // RFC documents
}

// WGStates are the ten RFC 6174 §4.2 states (R15, RULES.md note 1), plus
// the candidate state that precedes a call for adoption.
var WGStates = []Name{
	{"wg-cand", "Candidate for WG Adoption"},
	{"c-adopt", "Call For Adoption By WG Issued"},
	{"adopt-wg", "Adopted by a WG"},
	{"info", "Adopted for WG Info Only"},
	{"wg-doc", "WG Document"},
	{"parked", "Parked WG Document"},
	{"dead", "Dead WG Document"},
	{"wg-lc", "In WG Last Call"},
	{"chair-w", "Waiting for WG Chair Go-Ahead"},
	{"writeupw", "WG Consensus: Waiting for Write-Up"},
	{"sub-pub", "Submitted to IESG for Publication"},
}

// IESGStates are the IESG's processing states.
var IESGStates = []Name{
	{"pub-req", "Publication Requested"},
	{"ad-eval", "AD Evaluation"},
	{"lc-req", "Last Call Requested"},
	{"lc", "In Last Call"},
	{"writeupw", "Waiting for Writeup"},
	{"goaheadw", "Waiting for AD Go-Ahead"},
	{"iesg-eva", "IESG Evaluation"},
	{"defer", "IESG Evaluation - Defer"},
	{"approved", "Approved-announcement to be sent"},
	{"ann", "Approved-announcement sent"},
	{"rfcqueue", "RFC Ed Queue"},
	{"pub", "RFC Published"},
	{"dead", "Dead"},
}

// inIESGProcessing: a draft in one of these states is under formal IESG
// evaluation and never expires (R03). "I-D Exists" ("") and Dead do not
// count (RULES.md note 7).
func inIESGProcessing(iesgState string) bool {
	return iesgState != "" && iesgState != "dead" && iesgState != "pub"
}

// StdLevelName, StateName, WGStateName and IESGStateName give display names.
func StdLevelName(s string) string { return nameOr(StdLevels, s, "") }
func StateName(s string) string    { return nameOr(DraftStates, s, s) }
func WGStateName(s string) string  { return nameOr(WGStates, s, "") }
func IESGStateName(s string) string {
	if s == "" {
		return "I-D Exists"
	}
	return nameOr(IESGStates, s, s)
}

func nameOr(ns []Name, s, def string) string {
	if n, ok := lookup(ns, s); ok {
		return n
	}
	return def
}

// twoThirds reports whether a level needs the 2/3 ballot rule (R35).
func twoThirds(stdLevel string) bool {
	switch stdLevel {
	case "ps", "ds", "std", "bcp":
		return true
	}
	return false
}

// levelOfCategory maps an RFCXML category to a level slug.
func levelOfCategory(c string) string {
	switch c {
	case "std":
		return "ps"
	case "bcp":
		return "bcp"
	case "info":
		return "inf"
	case "exp":
		return "exp"
	case "historic":
		return "hist"
	}
	return ""
}

// levelOfStatus maps rfc-index.txt's status to a level slug.
func levelOfStatus(s string) string {
	switch s {
	case "PROPOSED STANDARD":
		return "ps"
	case "INTERNET STANDARD":
		return "std"
	case "DRAFT STANDARD":
		return "ds"
	case "BEST CURRENT PRACTICE":
		return "bcp"
	case "INFORMATIONAL":
		return "inf"
	case "EXPERIMENTAL":
		return "exp"
	case "HISTORIC":
		return "hist"
	}
	return "unkn"
}

// Tags are the eleven RFC 6174 §4.3 annotation tags (RULES.md note 1),
// with the Datatracker's slugs. They qualify a state and never change it.
var Tags = []Name{
	{"w-expert", "Awaiting Expert Review/Resolution of Issues Raised"},
	{"w-extern", "Awaiting External Review/Resolution of Issues Raised"},
	{"w-merge", "Awaiting Merge with Other Document"},
	{"need-aut", "Author or Editor Needed"},
	{"w-refdoc", "Waiting for Referenced Document"},
	{"w-refing", "Waiting for Referencing Document"},
	{"rev-wglc", "Revised I-D Needed - Issue raised by WGLC"},
	{"rev-ad", "Revised I-D Needed - Issue raised by AD"},
	{"rev-iesg", "Revised I-D Needed - Issue raised by IESG"},
	{"sheph-u", "Doc Shepherd Followup Underway"},
	{"other", "Other - see Comment Log"},
}

// TagName gives a tag's display name.
func TagName(s string) string { return nameOr(Tags, s, s) }

// wgClaims are the WG states that tie a draft to one WG (R16): under
// adoption, adopted, or a WG document in any later state short of Dead.
func wgClaims(s string) bool { return s != "" && s != "dead" && s != "wg-cand" }

// iesgNext is the IESG state machine: from each state, where the
// responsible AD or the secretariat may move a draft. Last Call ("lc")
// is entered only by issuing it and left by its timer; publication
// ("pub") only by Publish.
var iesgNext = map[string][]string{
	"":         {"pub-req"},
	"pub-req":  {"ad-eval", "lc-req", "dead"},
	"ad-eval":  {"lc-req", "pub-req", "dead"},
	"lc-req":   {"lc", "ad-eval", "dead"},
	"lc":       {"writeupw", "dead"},
	"writeupw": {"iesg-eva", "ad-eval", "dead"},
	"iesg-eva": {"defer", "goaheadw", "approved", "ad-eval", "dead"},
	"defer":    {"iesg-eva", "goaheadw", "approved", "dead"},
	"goaheadw": {"approved", "iesg-eva", "dead"},
	"approved": {"ann", "dead"},
	"ann":      {"rfcqueue"},
	"rfcqueue": {"pub"},
	"pub":      {},
	"dead":     {""},
}

// NextIESGStates lists where a draft in IESG state from may go next.
func NextIESGStates(from string) []string { return iesgNext[from] }

// balloting reports whether positions may be taken in an IESG state.
func balloting(s string) bool { return s == "iesg-eva" || s == "defer" || s == "goaheadw" }
