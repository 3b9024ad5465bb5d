package draft

import "strings"

// GroupKind says what sort of body a draft belongs to.
type GroupKind string

const (
	GroupWG         GroupKind = "wg"         // draft-ietf-{wg}-...
	GroupRG         GroupKind = "rg"         // draft-irtf-{rg}-...
	GroupIndividual GroupKind = "individual" // everything else
)

// Group is the group a draft name points at.
type Group struct {
	Kind    GroupKind
	Acronym string // "" for individual drafts
}

// GroupOf deduces the group from a draft name the way the Datatracker does
// for WG and RG documents. Other drafts (draft-iab-..., draft-smith-...)
// are individual submissions.
func GroupOf(name string) Group {
	parts := strings.Split(name, "-")
	if len(parts) >= 4 && parts[0] == "draft" && parts[2] != "" {
		switch parts[1] {
		case "ietf":
			return Group{Kind: GroupWG, Acronym: parts[2]}
		case "irtf":
			return Group{Kind: GroupRG, Acronym: parts[2]}
		}
	}
	return Group{Kind: GroupIndividual}
}
