package aliases

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
)

// The expansions, as the Datatracker's DraftAliasGenerator and
// GroupAliasGenerator define them, read from the roles as they are now.

// roleAddr is the address a role is held with, else its holder's
// primary address (role_holder alias r).
const roleAddr = `COALESCE(NULLIF(r.email, ''), (SELECT e.address FROM person_address e WHERE e.person_id = r.person_id AND e.is_primary), '')`

// draftAliasYears is how long after its last change a draft that is no
// longer active keeps its aliases (the Datatracker's two years).
const draftAliasYears = 2

func (s *Service) systemAddrs(ctx context.Context, q db.Querier, local string) ([]string, error) {
	if local == "iab" {
		return db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r
			WHERE r.group_type = 'iab' AND r.group_state = 'active' AND r.role IN ('chair', 'member', 'exofficio')`)
	}
	if local == "iesg" {
		return db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r
			WHERE (r.role = 'ad' AND r.group_type = 'area' AND r.group_state = 'active') OR r.acronym = 'iesg'`)
	}
	return db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r WHERE r.acronym = 'secretariat'`)
}

// grp is a group as the expansions need it.
type grp struct {
	id, parentID int64
	acronym, typ string
}

func groupByID(ctx context.Context, q db.Querier, id int64) (grp, error) {
	var g grp
	err := q.QueryRowContext(ctx, `SELECT id, acronym, type, COALESCE(parent_id, 0) FROM group_ref WHERE id = $1`, id).Scan(&g.id, &g.acronym, &g.typ, &g.parentID)
	return g, err
}

// roles returns the addresses of the holders of names in group id.
func roles(ctx context.Context, q db.Querier, id int64, names ...string) ([]string, error) {
	w := &db.Where{}
	w.Add("r.group_id = $?", id)
	w.Raw("r.role IN " + w.In(names))
	return db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r`+w.SQL(), w.Args...)
}

// groupADs are the ADs of g: of the area it is in (or is), and an AD the
// group holds itself, as the Datatracker's get_group_ad_emails.
func groupADs(ctx context.Context, q db.Querier, g grp) ([]string, error) {
	area := g.parentID
	if g.typ == "area" {
		area = g.id
	}
	as, err := db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r
		WHERE (r.group_id = $1 AND r.group_type = 'area' AND r.role IN ('ad', 'pre-ad')) OR (r.group_id = $2 AND r.role = 'ad')`, area, g.id)
	return as, err
}

func primary(ctx context.Context, q db.Querier, personID int64) ([]string, error) {
	if personID == 0 {
		return nil, nil
	}
	return db.Query(ctx, q, db.Scalar[string], `SELECT address FROM person_address WHERE person_id = $1 AND is_primary`, personID)
}

// draft expands {name}[.suffix]; found is false when name is no draft
// that has aliases.
func (s *Service) draft(ctx context.Context, q db.Querier, a *Alias) (found bool, addrs []string, err error) {
	name, suffix := a.Local, ""
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name, suffix = name[:i], name[i:]
	}
	if !slices.Contains(draftSuffixes, suffix) {
		return false, nil, nil
	}
	var docID, groupID, adID, shepherdID int64
	var state string
	var updated time.Time
	err = q.QueryRowContext(ctx, `SELECT id, COALESCE(group_id, 0), COALESCE(ad_id, 0), COALESCE(shepherd_id, 0), state, updated
		FROM doc_alias_ref WHERE name = $1 AND type = 'draft'`, name).Scan(&docID, &groupID, &adID, &shepherdID, &state, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	now := s.DB.Now()
	if tx, ok := q.(*db.Tx); ok {
		now = tx.Now // in a transaction, its time, as every change in it
	}
	if state != "active" && updated.Before(now.AddDate(-draftAliasYears, 0, 0)) {
		return false, nil, nil
	}
	var g grp
	if groupID != 0 {
		if g, err = groupByID(ctx, q, groupID); err != nil {
			return false, nil, err
		}
	}
	part := func(suffix string) ([]string, error) {
		switch suffix {
		case "", ".authors":
			return db.Query(ctx, q, db.Scalar[string], `SELECT COALESCE(NULLIF(a.email, ''),
				(SELECT e.address FROM person_address e WHERE e.person_id = a.person_id AND e.is_primary), '')
				FROM doc_author_ref a WHERE a.doc_id = $1 ORDER BY a.ord`, docID)
		case ".chairs":
			if g.id == 0 {
				return nil, nil
			}
			return roles(ctx, q, g.id, "chair", "secr")
		case ".ad":
			as, err := primary(ctx, q, adID)
			if err != nil || g.id == 0 {
				return as, err
			}
			more, err := groupADs(ctx, q, g)
			return append(as, more...), err
		case ".shepherd":
			return primary(ctx, q, shepherdID)
		case ".added":
			// The addresses the chairs, the AD or the secretariat added
			// (docs.SetNotify, the Datatracker's notify field).
			return db.Query(ctx, q, db.Scalar[string], `SELECT address FROM doc_notify WHERE doc_id = $1 ORDER BY ord`, docID)
		}
		return nil, nil
	}
	about := map[string]string{
		"":          "the authors of " + name,
		".authors":  "the authors of " + name,
		".chairs":   "the chairs and secretaries of " + name + "'s group",
		".ad":       "the responsible AD of " + name + " and the ADs of its group's area",
		".shepherd": "the document shepherd of " + name,
		".notify":   "those told of changes to " + name + ": its authors, chairs, shepherd and responsible AD, and the addresses added to its notify list",
		".all":      "everyone the other aliases of " + name + " reach",
	}
	nobody := map[string]string{
		"":          name + " names no author with an address",
		".authors":  name + " names no author with an address",
		".chairs":   name + " is no group's document, or nobody chairs its group",
		".ad":       name + " has no responsible AD",
		".shepherd": name + " has no document shepherd",
		".notify":   name + " has no authors, chairs, shepherd or AD with an address",
		".all":      name + " has no authors, chairs, shepherd or AD with an address",
	}
	a.About, a.Nobody = about[suffix], nobody[suffix]
	if suffix == ".notify" || suffix == ".all" {
		for _, p := range []string{".authors", ".chairs", ".ad", ".shepherd", ".added"} {
			as, err := part(p)
			if err != nil {
				return false, nil, err
			}
			addrs = append(addrs, as...)
		}
		return true, addrs, nil
	}
	addrs, err = part(suffix)
	return true, addrs, err
}

// group expands {acronym}-chairs and {acronym}-ads.
func (s *Service) group(ctx context.Context, q db.Querier, a *Alias) (found bool, addrs []string, err error) {
	acronym, kind := strings.TrimSuffix(a.Local, "-chairs"), "chairs"
	if acronym == a.Local {
		acronym, kind = strings.TrimSuffix(a.Local, "-ads"), "ads"
	}
	var g grp
	err = q.QueryRowContext(ctx, `SELECT id, acronym, type, COALESCE(parent_id, 0) FROM group_ref WHERE acronym = $1`, acronym).Scan(&g.id, &g.acronym, &g.typ, &g.parentID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	if kind == "ads" {
		// Research groups, teams, programs and the bodies have no ADs.
		if !slices.Contains([]string{"wg", "ag", "dir", "area"}, g.typ) {
			return false, nil, nil
		}
		a.About, a.Nobody = "the ADs responsible for "+g.acronym, "no AD is responsible for "+g.acronym+" now"
		addrs, err = groupADs(ctx, q, g)
		return true, addrs, err
	}
	if g.typ == "area" {
		// An area's chairs are those of its active WGs, and its ADs.
		a.About, a.Nobody = "the chairs and secretaries of the active WGs of "+g.acronym+", and its ADs", "no active WG of "+g.acronym+" has a chair, and it has no AD"
		addrs, err = db.Query(ctx, q, db.Scalar[string], `SELECT `+roleAddr+` FROM role_holder r JOIN group_ref c ON c.id = r.group_id
			WHERE c.parent_id = $1 AND c.type = 'wg' AND c.state = 'active' AND r.role IN ('chair', 'secr')`, g.id)
		if err != nil {
			return true, nil, err
		}
		more, err := groupADs(ctx, q, g)
		return true, append(addrs, more...), err
	}
	a.About, a.Nobody = "the chairs and secretaries of "+g.acronym, "nobody chairs "+g.acronym+" now"
	addrs, err = roles(ctx, q, g.id, "chair", "secr")
	return true, addrs, err
}

// nomcomChair expands nomcom-chair-YYYY, the Datatracker's address of
// a year's NomCom chair (its NOMCOM_FROM_EMAIL): the chair of the group
// nomcomYYYY. found is false when there is no NomCom of that year.
func (s *Service) nomcomChair(ctx context.Context, q db.Querier, a *Alias) (found bool, addrs []string, err error) {
	year := strings.TrimPrefix(a.Local, "nomcom-chair-")
	if len(year) != 4 || strings.Trim(year, "0123456789") != "" {
		return false, nil, nil
	}
	var id int64
	err = q.QueryRowContext(ctx, `SELECT id FROM group_ref WHERE acronym = $1 AND type = 'nomcom'`, "nomcom"+year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	a.About, a.Nobody = "the chair of NomCom "+year, "NomCom "+year+" has no chair"
	addrs, err = roles(ctx, q, id, "chair")
	return true, addrs, err
}

// DocAliases returns a draft's aliases in the Datatracker's order, each
// expanded now, for the document's email page.
func (s *Service) DocAliases(ctx context.Context, name string) ([]Alias, error) {
	var out []Alias
	for _, suffix := range draftSuffixes {
		a, found, err := s.Lookup(ctx, s.DB, name+suffix+"@"+s.Domain)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, a)
		}
	}
	return out, nil
}

// GroupAliases returns a group's -chairs and -ads aliases, each expanded
// now.
func (s *Service) GroupAliases(ctx context.Context, acronym string) ([]Alias, error) {
	var out []Alias
	for _, suffix := range []string{"-chairs", "-ads"} {
		a, found, err := s.Lookup(ctx, s.DB, acronym+suffix+"@"+s.Domain)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, a)
		}
	}
	return out, nil
}
