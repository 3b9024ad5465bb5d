package docs

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// subject is a document with its group, loaded before a change to
// decide who may make it. The change itself is made by a conditional
// UPDATE, so two people acting at once cannot both succeed from the
// same starting state.
type subject struct {
	Document
	g groups.Group // zero for an individual draft
}

func (s *Service) subject(ctx context.Context, name string) (subject, error) {
	d, err := s.Get(ctx, name)
	if err != nil {
		return subject{}, err
	}
	sub := subject{Document: d}
	if d.IsRFC() {
		return sub, fail.New(fail.Conflict, "%s is an RFC: its states no longer change.", strings.ToUpper(d.Name))
	}
	if d.Group != "" {
		if sub.g, err = s.Groups.Get(ctx, d.Group); err != nil {
			return sub, err
		}
	}
	return sub, nil
}

// leads: the chairs, secretaries and delegates of the draft's WG, and
// the secretariat.
func (d subject) leads(p groups.Actor) bool {
	return p.Secretariat() || (d.g.ID != 0 && p.Leads(d.g))
}

// responsible: the draft's AD, an AD of its WG's area while it has none,
// and the secretariat.
func (d subject) responsible(p groups.Actor) bool {
	switch {
	case p.Secretariat():
		return true
	case d.ADID != 0:
		return p.ID == d.ADID
	}
	return d.g.ID != 0 && p.AD(d.g)
}

func forbidden(rule, format string, args ...any) error {
	if rule == "" {
		return fail.New(fail.Forbidden, format, args...)
	}
	return fail.Rule(rule, fail.Forbidden, format, args...)
}

// changed runs an UPDATE that must touch one row; none means someone else
// changed the document first.
func changed(ctx context.Context, tx *db.Tx, name, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fail.New(fail.Conflict, "%s was changed by someone else a moment ago; reload the page and try again.", name)
	}
	return nil
}

// WGChange is a chair's change of a draft's WG state (R15).
type WGChange struct {
	State string // a WGStates slug; "" takes the draft out of the WG
	Group string // the adopting WG, for an individual draft; "" keeps the draft's
	Why   string
}

// SetWGState moves a draft to another RFC 6174 WG state. Chairs may
// move it from any WG state to any other (R15). Adopting an individual
// draft (Call for Adoption, Adopted, WG Document) puts it in the WG, and a
// draft is under adoption or a WG document in only one WG at a time
// (R16).
func (s *Service) SetWGState(ctx context.Context, name string, by groups.Actor, c WGChange) (err error) {
	defer fail.Wrap(&err, "docs.SetWGState(%q, %q)", name, c.State)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	m, err := s.wgMove(ctx, d, by, c)
	if err != nil || m == nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error { return m(ctx, tx) })
}

// SetWGStateIn is SetWGState inside the caller's transaction, reading the
// draft through it: for a change that moves the draft as part of its own
// (a consensus call opened or closed), so that either both are written or
// neither.
func (s *Service) SetWGStateIn(ctx context.Context, tx *db.Tx, name string, by groups.Actor, c WGChange) (err error) {
	defer fail.Wrap(&err, "docs.SetWGStateIn(%q, %q)", name, c.State)
	d, err := s.get(ctx, tx, name)
	if err != nil {
		return err
	}
	sub := subject{Document: d}
	if d.IsRFC() {
		return fail.New(fail.Conflict, "%s is an RFC: its states no longer change.", strings.ToUpper(d.Name))
	}
	if d.Group != "" {
		if sub.g, err = s.Groups.Get(ctx, d.Group); err != nil {
			return err
		}
	}
	m, err := s.wgMove(ctx, sub, by, c)
	if err != nil || m == nil {
		return err
	}
	return m(ctx, tx)
}

// wgMove checks a WG state change and returns the write that makes it,
// nil when there is nothing to change.
func (s *Service) wgMove(ctx context.Context, d subject, by groups.Actor, c WGChange) (func(context.Context, *db.Tx) error, error) {
	var err error
	if _, ok := lookup(WGStates, c.State); !ok && c.State != "" {
		return nil, fail.Field("state", "%q is not a WG state; choose one of the RFC 6174 states.", c.State)
	}
	target := d.g
	if c.Group != "" && !strings.EqualFold(c.Group, d.Group) {
		if target, err = s.Groups.Get(ctx, c.Group); err != nil {
			return nil, err
		}
		if target.Type != "wg" && target.Type != "rg" {
			return nil, fail.Field("group", "%s is a %s, not a working group: only a WG adopts drafts.", target.Acronym, target.Type)
		}
		if d.g.ID != 0 && wgClaims(d.WGState) && !by.Secretariat() {
			return nil, fail.Rule("R16", fail.Conflict, "%s is %q in the %s WG. A draft is under adoption or a WG document in only one WG at a time; moving it needs the consent of both WGs' chairs and ADs, and the secretariat records the transfer.",
				d.Name, WGStateName(d.WGState), d.Group)
		}
	}
	if target.ID == 0 {
		return nil, fail.Field("group", "%s belongs to no WG: name the WG that adopts it.", d.Name)
	}
	if !by.Secretariat() && !by.Leads(target) {
		return nil, forbidden("R15", "Only the chairs of %s (or the secretariat) set its drafts' WG states.", target.Acronym)
	}
	if c.State == "sub-pub" && d.IESGState == "" {
		return nil, fail.Rule("R17", fail.Conflict, "A draft is Submitted to IESG for Publication when publication is requested, after the shepherd write-up; request publication instead.")
	}
	if c.State == d.WGState && target.ID == d.g.ID {
		return nil, nil
	}
	summary := fmt.Sprintf("WG state changed to %s from %s", orNull(WGStateName(c.State)), orNull(WGStateName(d.WGState)))
	if target.ID != d.g.ID {
		summary += fmt.Sprintf("; the draft is now in the %s WG", target.Acronym)
	}
	return func(ctx context.Context, tx *db.Tx) error {
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET wg_state = $1, group_id = $2, stream = CASE WHEN stream = '' THEN $3 ELSE stream END, updated = $4
			WHERE id = $5 AND wg_state = $6 AND COALESCE(group_id, 0) = $7`,
			c.State, target.ID, map[string]string{"wg": "ietf", "rg": "irtf"}[target.Type], tx.Now, d.ID, d.WGState, d.GroupID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "wg_state", summary, c.Why)
	}, nil
}

func orNull(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// DocTags returns a draft's annotation tags.
func (s *Service) DocTags(ctx context.Context, docID int64) ([]string, error) {
	return db.Query(ctx, s.DB, db.Scalar[string], `SELECT tag FROM doc_tag WHERE doc_id = $1 ORDER BY tag`, docID)
}

// SetTags replaces a draft's annotation tags (RFC 6174 §4.3). The WG's
// chairs, the responsible AD and the secretariat may set them.
func (s *Service) SetTags(ctx context.Context, name string, by groups.Actor, tags []string, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetTags(%q)", name)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if !d.leads(by) && !d.responsible(by) {
		return forbidden("R15", "Only the WG's chairs, the responsible AD or the secretariat tag %s.", d.Name)
	}
	var names []string
	for _, t := range tags {
		n, ok := lookup(Tags, t)
		if !ok {
			return fail.Field("tags", "%q is not an RFC 6174 annotation tag.", t)
		}
		names = append(names, n)
	}
	slices.Sort(tags)
	tags = slices.Compact(tags)
	old, err := s.DocTags(ctx, d.ID)
	if err != nil || slices.Equal(old, tags) {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_tag WHERE doc_id = $1`, d.ID); err != nil {
			return err
		}
		for _, t := range tags {
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_tag (doc_id, tag) VALUES ($1, $2)`, d.ID, t); err != nil {
				return err
			}
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "tags", "Tags set: "+orNull(strings.Join(names, "; ")), why)
	})
}

// SetAD makes a sitting AD responsible for a draft. Any sitting AD or the
// secretariat may; personID 0 clears it.
func (s *Service) SetAD(ctx context.Context, name string, by groups.Actor, personID int64, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetAD(%q, %d)", name, personID)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if !by.Secretariat() && !by.IESG() {
		return forbidden("R42", "Only an Area Director or the secretariat chooses a draft's responsible AD.")
	}
	ads, err := s.SittingADs(ctx)
	if err != nil {
		return err
	}
	who := ""
	if personID != 0 {
		i := slices.IndexFunc(ads, func(a Person) bool { return a.ID == personID })
		if i < 0 {
			return fail.Field("ad", "The responsible AD must be a sitting Area Director (R42).")
		}
		who = ads[i].Name
	}
	if err := s.mayChooseAD(ctx, d, by, personID); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET ad_id = $1, updated = $2 WHERE id = $3`, db.NullID(personID), tx.Now, d.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "ad", "Responsible AD changed to "+orNull(who)+" from "+orNull(d.AD), why)
	})
}

// mayChooseAD checks a change of responsible AD against the power it
// hands over: the responsible AD moves the draft's IESG state. The
// secretariat and the IETF Chair may name any sitting AD. A WG draft's
// AD is chosen by the ADs of the WG's area, among themselves (R44); an
// individual draft with no AD may be taken on by any AD, and after that
// only its AD hands it over (R42).
func (s *Service) mayChooseAD(ctx context.Context, d subject, by groups.Actor, personID int64) error {
	if by.Secretariat() || by.IETFChair() {
		return nil
	}
	if d.g.ID == 0 {
		if d.ADID != 0 && d.ADID != by.ID {
			return forbidden("R42", "%s's responsible AD is %s: only they, the IETF Chair or the secretariat hand it to another AD.", d.Name, d.AD)
		}
		return nil
	}
	if !by.AD(d.g) {
		return forbidden("R44", "%s belongs to the %s WG: only the ADs of its area, the IETF Chair or the secretariat choose its responsible AD.", d.Name, d.g.Acronym)
	}
	if personID == 0 {
		return nil
	}
	area, err := s.Groups.ADsOf(ctx, d.g)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(area, func(r groups.Role) bool { return r.PersonID == personID }) {
		return forbidden("R44", "The responsible AD of a %s WG draft is one of the area's ADs; a transfer to another area is recorded by the secretariat.", d.g.Acronym)
	}
	return nil
}

// SetShepherd names the document shepherd: the WG's chairs, the
// responsible AD or the secretariat may.
func (s *Service) SetShepherd(ctx context.Context, name string, by groups.Actor, personID int64, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetShepherd(%q, %d)", name, personID)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if !d.leads(by) && !d.responsible(by) {
		return forbidden("", "Only the WG's chairs, the responsible AD or the secretariat choose the shepherd of %s.", d.Name)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var who string
		if personID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT name FROM person_name WHERE id = $1`, personID).Scan(&who); err == sql.ErrNoRows {
				return fail.Field("shepherd", "There is no such person.")
			} else if err != nil {
				return err
			}
		}
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET shepherd_id = $1, updated = $2 WHERE id = $3`, db.NullID(personID), tx.Now, d.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "shepherd", "Document shepherd changed to "+orNull(who)+" from "+orNull(d.Shepherd), why)
	})
}

// Person is a person named on a document page.
type Person struct {
	ID    int64
	Name  string
	Email string
	Area  string
}

// SittingADs are the IESG's voting members: "ad" roles in active areas
// (RULES.md note 5), one entry per person.
func (s *Service) SittingADs(ctx context.Context) ([]Person, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Person, error) {
		var p Person
		err := row.Scan(&p.ID, &p.Name, &p.Email, &p.Area)
		return p, err
	}, `SELECT p.id, p.name, MIN(r.email), MIN(r.acronym) FROM role_holder r
		JOIN person_name p ON p.id = r.person_id
		WHERE r.role = 'ad' AND r.group_type = 'area' AND r.group_state = 'active'
		GROUP BY p.id, p.name ORDER BY MIN(r.acronym), p.name`)
}

// Responsible reports whether by acts for the IESG on a document: its
// responsible AD (an AD of its WG's area while it has none), or the
// secretariat.
func (s *Service) Responsible(ctx context.Context, name string, by groups.Actor) (bool, error) {
	d, err := s.subject(ctx, name)
	if err != nil {
		return false, err
	}
	return d.responsible(by), nil
}

// Powers says which lifecycle actions a person may take on a document,
// so pages offer only those. The actions check again when they run.
type Powers struct {
	WGState   bool     // change the WG state (the WG's chairs)
	AdoptInto []string // WGs whose chairs the person is, for adopting a draft
	AdoptAny  bool     // the secretariat: adopt into (or transfer to) any WG
	Tags      bool
	IESG      bool // change the IESG state (the responsible AD)
	PubReq    bool // request publication (chairs too)
	AD        bool // name the responsible AD
	Shepherd  bool
	Writeup   bool
	Intended  bool // change the intended status (chairs before the IESG, the AD after)
	Ballot    bool // a sitting AD
	Publish   bool // the secretariat
}

// Any reports whether the person may do anything at all.
func (p Powers) Any() bool {
	return p.WGState || len(p.AdoptInto) > 0 || p.AdoptAny || p.Tags || p.IESG || p.PubReq || p.AD || p.Shepherd || p.Writeup || p.Intended || p.Ballot || p.Publish
}

// PowersOn works out what pw allows on the document called name.
func (s *Service) PowersOn(ctx context.Context, name string, pw groups.Actor) (Powers, error) {
	var p Powers
	if pw.ID == 0 {
		return p, nil
	}
	d, err := s.subject(ctx, name)
	if fail.KindOf(err) == fail.Conflict { // an RFC
		return p, nil
	}
	if err != nil {
		return p, err
	}
	leads, resp := d.leads(pw), d.responsible(pw)
	p.WGState = d.g.ID != 0 && leads
	for _, r := range pw.Roles {
		if (r.GroupType == "wg" || r.GroupType == "rg") && (r.Name == "chair" || r.Name == "delegate" || r.Name == "secr") &&
			r.GroupID != d.g.ID && !slices.Contains(p.AdoptInto, r.Acronym) && (d.g.ID == 0 || !wgClaims(d.WGState)) {
			p.AdoptInto = append(p.AdoptInto, r.Acronym)
		}
	}
	p.AdoptAny = pw.Secretariat()
	p.Tags, p.IESG, p.Shepherd = leads || resp, resp, leads || resp
	p.PubReq = d.IESGState == "" && (leads || resp)
	p.AD = (pw.Secretariat() || pw.IESG()) && s.mayChooseAD(ctx, d, pw, 0) == nil
	p.Writeup = leads || resp || (d.ShepherdID != 0 && d.ShepherdID == pw.ID)
	p.Intended = mayIntend(d, pw) == nil
	p.Ballot = pw.IESG() && balloting(d.IESGState)
	p.Publish = pw.Secretariat() && d.IESGState == "rfcqueue"
	return p, nil
}
