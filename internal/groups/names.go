package groups

// The Datatracker's vocabulary (its name fixture), so slugs in URLs, JSON
// and imports mean what IETF participants expect.

// Types are group types, slug to name.
var Types = map[string]string{
	"ietf": "IETF", "area": "Area", "wg": "WG", "rg": "RG", "ag": "AG", "team": "Team",
	"dir": "Directorate", "iab": "IAB", "iesg": "IESG", "irtf": "IRTF", "isoc": "ISOC",
	"program": "Program", "sdo": "SDO", "individ": "Individual", "adm": "Admin",
	"nomcom": "Nomcom", "ise": "ISE", "rfcedtyp": "RFC Editor", "iana": "IANA",
}

// States are group states, slug to name.
var States = map[string]string{
	"bof": "BOF", "proposed": "Proposed", "active": "Active", "conclude": "Concluded",
	"bof-conc": "BOF Concluded", "dormant": "Dormant", "replaced": "Replaced",
	"abandon": "Abandoned", "unknown": "Unknown",
}

// stateAliases accepts the plain English words too.
var stateAliases = map[string]string{"concluded": "conclude", "abandoned": "abandon"}

// Roles are role names, slug to name.
var Roles = map[string]string{
	"chair": "Chair", "ad": "Area Director", "secr": "Secretary", "delegate": "Delegate",
	"member": "Member", "liaison": "Liaison Member", "exofficio": "Ex-officio Member",
	"editor": "Editor", "techadv": "Tech Advisor", "advisor": "Advisor", "lead": "Lead",
	"pre-ad": "Incoming Area Director", "auth": "Authorized Individual", "matman": "Materials Manager",
	"execdir": "Executive Director", "ceo": "CEO", "reviewer": "Reviewer", "atlarge": "At Large Member",
	"coord": "Co-ordinator", "liaiman": "Liaison Manager", "announce": "List Announcer",
}

// RoleNames returns the display name of a role slug.
func RoleName(slug string) string {
	if n, ok := Roles[slug]; ok {
		return n
	}
	return slug
}

// StateName returns the display name of a state slug.
func StateName(slug string) string {
	if n, ok := States[slug]; ok {
		return n
	}
	return slug
}

// TypeName returns the display name of a type slug.
func TypeName(slug string) string {
	if n, ok := Types[slug]; ok {
		return n
	}
	return slug
}
