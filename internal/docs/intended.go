package docs

import (
	"context"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// IntendedLevels are the levels a draft may be intended for: the
// Datatracker's intended std levels in use. Draft Standard is not one any
// more (R08); it stays in StdLevels for the RFCs that hold it.
var IntendedLevels = []Name{
	{"ps", "Proposed Standard"}, {"std", "Internet Standard"}, {"bcp", "Best Current Practice"},
	{"inf", "Informational"}, {"exp", "Experimental"}, {"hist", "Historic"},
}

// SetIntendedStatus changes the RFC status a draft is intended for. Before
// publication is requested the draft is its WG's, and its chairs change it
// (an individual draft's AD, once one has taken it on); once the IESG has
// it, its responsible AD does. The secretariat always may.
func (s *Service) SetIntendedStatus(ctx context.Context, name string, by groups.Actor, level, why string) (err error) {
	defer fail.Wrap(&err, "docs.SetIntendedStatus(%q, %q)", name, level)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if err := mayIntend(d, by); err != nil {
		return err
	}
	level = strings.ToLower(strings.TrimSpace(level))
	if level == "ds" {
		e := fail.Rule("R08", fail.Invalid, "Draft Standard is no longer a maturity level: the Standards Track has Proposed Standard and Internet Standard (RFC 6410).")
		e.Field = "level"
		return e
	}
	to, ok := lookup(IntendedLevels, level)
	if !ok {
		return fail.Field("level", "%q is not an intended status; choose one of ps, std, bcp, inf, exp, hist.", level)
	}
	if level == d.StdLevel {
		return nil
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET std_level = $1, updated = $2 WHERE id = $3 AND std_level = $4`,
			level, tx.Now, d.ID, d.StdLevel); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "intended_std_level",
			"Intended Status changed to "+to+" from "+orNull(StdLevelName(d.StdLevel)), why)
	})
}

// mayIntend: the chairs before the IESG, the responsible AD after.
func mayIntend(d subject, by groups.Actor) error {
	if by.Secretariat() {
		return nil
	}
	if d.IESGState == "" || d.IESGState == "dead" {
		if d.leads(by) || (d.g.ID == 0 && d.ADID != 0 && d.ADID == by.ID) {
			return nil
		}
		if d.g.ID == 0 {
			return forbidden("", "%s belongs to no WG and no AD has taken it on: only the secretariat changes its intended status.", d.Name)
		}
		return forbidden("", "Until publication is requested, the chairs of %s (or the secretariat) change the intended status of %s.", d.g.Acronym, d.Name)
	}
	if d.responsible(by) {
		return nil
	}
	who := "the ADs of its area"
	if d.AD != "" {
		who = d.AD
	}
	return forbidden("R42", "%s is with the IESG (%s): only its responsible AD (%s) or the secretariat change its intended status.", d.Name, IESGStateName(d.IESGState), who)
}
