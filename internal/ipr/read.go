package ipr

import (
	"context"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
)

const cols = `i.id, i.kind, i.state, i.title, i.holder_legal_name, i.holder_contact_name, i.holder_contact_email, i.holder_contact_info,
	i.ietfer_name, i.ietfer_contact_email, i.ietfer_contact_info, i.patent_number, i.patent_inventor, i.patent_title, i.patent_date,
	i.patent_notes, i.has_patent_pending, i.licensing, i.licensing_comments, i.submitter_claims_all_terms_disclosed,
	i.is_blanket_disclosure, i.statement, i.notes, i.other_designations, i.compliant, i.submitter_name, i.submitter_email,
	COALESCE(i.by_id, 0), i.filed, i.posted`

func scan(row db.Scanner) (Disclosure, error) {
	var d Disclosure
	err := row.Scan(&d.ID, &d.Kind, &d.State, &d.Title, &d.HolderLegalName, &d.HolderContactName, &d.HolderContactEmail, &d.HolderContactInfo,
		&d.IETFerName, &d.IETFerContactEmail, &d.IETFerContactInfo, &d.Patent.Number, &d.Patent.Inventor, &d.Patent.Title, &d.Patent.Date,
		&d.Patent.Notes, &d.HasPatentPending, &d.Licensing, &d.LicensingComments, &d.SubmitterClaimsAllTermsDisclosed,
		&d.IsBlanketDisclosure, &d.Statement, &d.Notes, &d.OtherDesignations, &d.Compliant, &d.SubmitterName, &d.SubmitterEmail,
		&d.ByID, &d.Filed, &d.Posted)
	return d, err
}

// Filter chooses disclosures; zero values choose all. It has what the
// pages' search and the API's filters need.
type Filter struct {
	ID   int64
	Doc  string   // names this document (the API's docs__name)
	Docs []string // names any of these documents
	// DocLike: names a document whose name holds this, in any case.
	DocLike string
	Group   string // names a document of this group (its acronym)
	Holder  string // the holder's legal name holds this, in any case
	Patent  string // the patent information holds this (a number with or without spaces)
	Title   string // the title holds this
	Kind    string
	States  []string // in one of these states; nil is any
	// NewestFirst orders by filing time, newest first; otherwise by id,
	// as the API pages.
	NewestFirst   bool
	Limit, Offset int // a Limit of 0 is every row
}

// List returns the disclosures f chooses, each with its documents and
// updates, and how many match in all.
func (s *Service) List(ctx context.Context, f Filter) (ds []Disclosure, total int, err error) {
	defer fail.Wrap(&err, "ipr.List")
	l := db.Listing{Cols: cols, From: ` FROM ipr_disclosure i`, Order: `i.id`, Limit: f.Limit, Offset: f.Offset}
	if f.NewestFirst {
		l.Order = `i.filed DESC, i.id DESC`
	}
	w := &l.Where
	if f.ID != 0 {
		w.Add(`i.id = $?`, f.ID)
	}
	names := f.Docs
	if f.Doc != "" {
		names = append([]string{f.Doc}, names...)
	}
	if f.Doc != "" || f.Docs != nil {
		if len(names) == 0 {
			return nil, 0, nil
		}
		w.Raw(`EXISTS (SELECT 1 FROM ipr_doc r JOIN doc_ref d ON d.id = r.doc_id WHERE r.disclosure_id = i.id AND d.name IN ` + w.In(names) + `)`)
	}
	if f.DocLike != "" {
		w.Add(`EXISTS (SELECT 1 FROM ipr_doc r JOIN doc_ref d ON d.id = r.doc_id WHERE r.disclosure_id = i.id AND d.name LIKE $? ESCAPE '\')`, contains(f.DocLike))
	}
	if f.Group != "" {
		w.Add(`EXISTS (SELECT 1 FROM ipr_doc r JOIN doc_wg_ref d ON d.id = r.doc_id JOIN group_ref g ON g.id = d.group_id
			WHERE r.disclosure_id = i.id AND g.acronym = $?)`, strings.ToLower(f.Group))
	}
	if f.Holder != "" {
		w.Add(`LOWER(i.holder_legal_name) LIKE $? ESCAPE '\'`, contains(f.Holder))
	}
	if f.Title != "" {
		w.Add(`LOWER(i.title) LIKE $? ESCAPE '\'`, contains(f.Title))
	}
	if f.Patent != "" {
		p := w.Arg(contains(f.Patent))
		w.Raw(`(LOWER(REPLACE(i.patent_number, ' ', '')) LIKE ` + w.Arg(contains(strings.ReplaceAll(f.Patent, " ", ""))) + ` ESCAPE '\'
			OR LOWER(i.patent_number || ' ' || i.patent_inventor || ' ' || i.patent_title || ' ' || i.patent_notes) LIKE ` + p + ` ESCAPE '\')`)
	}
	if f.Kind != "" {
		w.Add(`i.kind = $?`, f.Kind)
	}
	if f.States != nil {
		if len(f.States) == 0 {
			return nil, 0, nil
		}
		w.Raw(`i.state IN ` + w.In(f.States))
	}
	if ds, total, err = db.QueryPage(ctx, s.DB, l, scan); err != nil {
		return nil, 0, err
	}
	return ds, total, s.fill(ctx, ds)
}

// contains is a LIKE pattern for a substring in any case.
func contains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(s))) + "%"
}

// Get returns disclosure id in any state; the pages ask MayView.
func (s *Service) Get(ctx context.Context, id int64) (Disclosure, error) {
	ds, _, err := s.List(ctx, Filter{ID: id})
	if err != nil {
		return Disclosure{}, err
	}
	if len(ds) == 0 {
		return Disclosure{}, fail.New(fail.NotFound, "There is no IPR disclosure %d.", id)
	}
	return ds[0], nil
}

// ForDocument returns the posted disclosures about a document, newest
// first: those naming it, the RFC it became or the draft it came from,
// and the drafts it replaced (as the Datatracker's document search
// does). The shepherd write-up's IPR question reads them.
func (s *Service) ForDocument(ctx context.Context, name string) ([]Disclosure, error) {
	names, err := s.Related(ctx, name)
	if err != nil {
		return nil, err
	}
	ds, _, err := s.List(ctx, Filter{Docs: names, States: []string{Posted}, NewestFirst: true})
	return ds, err
}

// Related is a document's name with those of its counterpart (the RFC a
// draft became, the draft an RFC came from) and the drafts it replaced:
// IPR disclosed against any of them is about it too.
func (s *Service) Related(ctx context.Context, name string) ([]string, error) {
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	names := []string{d.Name}
	if other, ok := s.Docs.Counterpart(ctx, d); ok {
		names = append(names, other)
	}
	for _, n := range append([]string(nil), names...) {
		out, _, err := s.Docs.Relations(ctx, n)
		if err != nil {
			return nil, err
		}
		for _, r := range out {
			if r.Type == "replaces" {
				names = append(names, r.Target)
			}
		}
	}
	return names, nil
}

// fill reads the documents and related disclosures of ds.
func (s *Service) fill(ctx context.Context, ds []Disclosure) error {
	if len(ds) == 0 {
		return nil
	}
	at := map[int64]int{}
	var w db.Where
	ids := make([]string, len(ds))
	for i, d := range ds {
		at[d.ID] = i
		ids[i] = w.Arg(d.ID)
	}
	in := "(" + strings.Join(ids, ", ") + ")"
	rels, err := db.Query(ctx, s.DB, func(row db.Scanner) (DocRel, error) {
		var r DocRel
		err := row.Scan(&r.DisclosureID, &r.DocID, &r.Doc, &r.DocType, &r.DocTitle, &r.Revisions, &r.Sections)
		return r, err
	}, `SELECT r.disclosure_id, r.doc_id, d.name, d.type, d.title, r.revisions, r.sections
		FROM ipr_doc r JOIN doc_ref d ON d.id = r.doc_id WHERE r.disclosure_id IN `+in+` ORDER BY d.name`, w.Args...)
	if err != nil {
		return err
	}
	for _, r := range rels {
		ds[at[r.DisclosureID]].Docs = append(ds[at[r.DisclosureID]].Docs, r)
	}
	type link struct {
		source, target int64
		Ref
		forward bool
	}
	links, err := db.Query(ctx, s.DB, func(row db.Scanner) (link, error) {
		var l link
		err := row.Scan(&l.source, &l.target, &l.ID, &l.Title, &l.State, &l.forward)
		return l, err
	}, `SELECT r.source_id, r.target_id, t.id, t.title, t.state, TRUE FROM ipr_related r JOIN ipr_disclosure t ON t.id = r.target_id
			WHERE r.source_id IN `+in+`
		UNION ALL
		SELECT r.source_id, r.target_id, u.id, u.title, u.state, FALSE FROM ipr_related r JOIN ipr_disclosure u ON u.id = r.source_id
			WHERE r.target_id IN `+in+`
		ORDER BY 3`, w.Args...)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.forward {
			ds[at[l.source]].Updates = append(ds[at[l.source]].Updates, l.Ref)
		} else if l.State == Posted || l.State == Removed {
			// Only a public update is shown on what it updates.
			ds[at[l.target]].UpdatedBy = append(ds[at[l.target]].UpdatedBy, l.Ref)
		}
	}
	return nil
}

// DocIndex is the posted disclosures' ids by document name, names in
// order and ids ascending: the Datatracker's /ipr/by-draft/.
type DocIndex struct {
	Doc string
	IDs []int64
}

// ByDocument returns DocIndex for every document a posted disclosure
// names.
func (s *Service) ByDocument(ctx context.Context) (out []DocIndex, err error) {
	defer fail.Wrap(&err, "ipr.ByDocument")
	type row struct {
		doc string
		id  int64
	}
	rows, err := db.Query(ctx, s.DB, func(r db.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.doc, &x.id)
		return x, err
	}, `SELECT d.name, r.disclosure_id FROM ipr_doc r JOIN doc_ref d ON d.id = r.doc_id JOIN ipr_disclosure i ON i.id = r.disclosure_id
		WHERE i.state = 'posted' ORDER BY d.name, r.disclosure_id`)
	if err != nil {
		return nil, err
	}
	for _, x := range rows {
		if len(out) == 0 || out[len(out)-1].Doc != x.doc {
			out = append(out, DocIndex{Doc: x.doc})
		}
		out[len(out)-1].IDs = append(out[len(out)-1].IDs, x.id)
	}
	return out, nil
}
