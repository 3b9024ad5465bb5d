package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/ipr"
)

// The forms that file, update, post and move IPR disclosures, and a
// draft's authors' confirmations (R11).

// iprFormPage is the model of ipr_form.html: one of the three forms, or
// the update form of a posted disclosure, with the values sent.
type iprFormPage struct {
	Page
	Kind     string
	KindName string
	Action   string
	Updates  *ipr.Disclosure // the disclosure an update updates
	V        url.Values
	Rows     []int // the indexes of the document rows
	Licenses []ipr.License
	Err      *fail.Error
}

// Doc is the value of field (name, revisions or sections) of document
// row i.
func (p iprFormPage) Doc(i int, field string) string {
	return p.V.Get("doc-" + strconv.Itoa(i) + "-" + field)
}

// maxDocRows bounds the document rows a form is read for.
const maxDocRows = 20

// kindOf is the kind a /ipr/new-{kind}/ path files.
func kindOf(r *http.Request) string {
	return strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/ipr/new-"), "/")
}

func (s *Server) iprForm(r *http.Request, kind, action string, v url.Values) iprFormPage {
	p := iprFormPage{Page: s.page(r, "File an IPR disclosure"), Kind: kind, KindName: ipr.KindNames[kind], Action: action, V: v, Licenses: ipr.Licenses}
	n := 3
	for i := range maxDocRows {
		if p.Doc(i, "name") != "" {
			n = max(n, i+2)
		}
	}
	for i := range min(n, maxDocRows) {
		p.Rows = append(p.Rows, i)
	}
	return p
}

// iprNewForm shows a form to file a disclosure; ?draft= names a document
// in its first row (the draft's page links so).
func (s *Server) iprNewForm(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{"compliant": {"on"}}
	if d := r.URL.Query().Get("draft"); d != "" {
		v.Set("doc-0-name", d)
	}
	return s.show(w, "ipr_form.html", s.iprForm(r, kindOf(r), r.URL.Path, v))
}

func (s *Server) iprNew(w http.ResponseWriter, r *http.Request) error {
	return s.iprFile(w, r, kindOf(r), r.URL.Path, nil)
}

// iprUpdateForm shows the form for an update of a posted disclosure,
// filled with what it says.
func (s *Server) iprUpdateForm(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	d, err := s.iprDisclosure(r, by)
	if err != nil {
		return err
	}
	if d.State != ipr.Posted {
		return fail.New(fail.Conflict, "Disclosure %d is %s; only a posted disclosure is updated.", d.ID, d.StateName())
	}
	p := s.iprForm(r, d.Kind, r.URL.Path, valuesOf(d))
	p.Updates, p.Page.Title = &d, "Update IPR disclosure "+strconv.FormatInt(d.ID, 10)
	return s.show(w, "ipr_form.html", p)
}

func (s *Server) iprUpdate(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	d, err := s.iprDisclosure(r, by)
	if err != nil {
		return err
	}
	return s.iprFile(w, r, d.Kind, r.URL.Path, &d)
}

// iprFile files the form sent; an update names the one it updates.
func (s *Server) iprFile(w http.ResponseWriter, r *http.Request, kind, action string, updates *ipr.Disclosure) error {
	u, by, err := s.need(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fail.New(fail.Invalid, "The form could not be read.")
	}
	v := r.PostForm
	f := ipr.Fields{Kind: kind, HolderLegalName: v.Get("holder_legal_name"), HolderContactName: v.Get("holder_contact_name"),
		HolderContactEmail: v.Get("holder_contact_email"), HolderContactInfo: v.Get("holder_contact_info"),
		IETFerName: v.Get("ietfer_name"), IETFerContactEmail: v.Get("ietfer_contact_email"), IETFerContactInfo: v.Get("ietfer_contact_info"),
		Patent: ipr.Patent{Number: v.Get("patent_number"), Inventor: v.Get("patent_inventor"), Title: v.Get("patent_title"),
			Date: v.Get("patent_date"), Notes: v.Get("patent_notes")},
		HasPatentPending: v.Get("has_patent_pending") != "", Licensing: v.Get("licensing"), LicensingComments: v.Get("licensing_comments"),
		SubmitterClaimsAllTermsDisclosed: v.Get("submitter_claims_all_terms_disclosed") != "", IsBlanketDisclosure: v.Get("is_blanket_disclosure") != "",
		Statement: v.Get("statement"), Notes: v.Get("notes"), OtherDesignations: v.Get("other_designations"),
		Compliant: v.Get("compliant") != "", SubmitterName: v.Get("submitter_name"), SubmitterEmail: v.Get("submitter_email")}
	// The submitter is the person filing unless the form says otherwise.
	if strings.TrimSpace(f.SubmitterName) == "" && strings.TrimSpace(f.SubmitterEmail) == "" {
		f.SubmitterName, f.SubmitterEmail = u.Name, u.Email
	}
	for i := range maxDocRows {
		if name := v.Get("doc-" + strconv.Itoa(i) + "-name"); name != "" || v.Get("doc-"+strconv.Itoa(i)+"-revisions") != "" {
			f.Docs = append(f.Docs, ipr.DocInput{Name: name, Revisions: v.Get("doc-" + strconv.Itoa(i) + "-revisions"),
				Sections: v.Get("doc-" + strconv.Itoa(i) + "-sections")})
		}
	}
	if updates != nil {
		f.Updates = []int64{updates.ID}
	} else if err = readIDs(v.Get("updates"), &f.Updates); err != nil {
		return s.iprAgain(w, r, kind, action, updates, err)
	}
	d, err := s.IPR.Submit(r.Context(), by, f, v.Get("why"))
	if err != nil {
		return s.iprAgain(w, r, kind, action, updates, err)
	}
	s.flash(r, "Your disclosure is filed. The secretariat has been told; it is public once they post it.")
	return redirect(w, r, "/ipr/"+strconv.FormatInt(d.ID, 10)+"/")
}

// readIDs reads the disclosures an update names: ids separated by commas
// or spaces.
func readIDs(s string, ids *[]int64) error {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(strings.TrimPrefix(f, "#"), 10, 64)
		if err != nil || id <= 0 {
			return fail.Field("updates", "%q is not the number of an IPR disclosure.", f)
		}
		*ids = append(*ids, id)
	}
	return nil
}

// iprAgain shows the form again with the failure and the values sent.
func (s *Server) iprAgain(w http.ResponseWriter, r *http.Request, kind, action string, updates *ipr.Disclosure, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind != fail.Invalid && fe.Kind != fail.Conflict {
		return err
	}
	p := s.iprForm(r, kind, action, r.PostForm)
	p.Updates, p.Err = updates, fe
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "ipr_form.html", p)
}

// valuesOf is a disclosure as the form's values, for its update.
func valuesOf(d ipr.Disclosure) url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	flag := func(k string, b bool) {
		if b {
			v.Set(k, "on")
		}
	}
	set("holder_legal_name", d.HolderLegalName)
	set("holder_contact_name", d.HolderContactName)
	set("holder_contact_email", d.HolderContactEmail)
	set("holder_contact_info", d.HolderContactInfo)
	set("ietfer_name", d.IETFerName)
	set("ietfer_contact_email", d.IETFerContactEmail)
	set("ietfer_contact_info", d.IETFerContactInfo)
	set("patent_number", d.Patent.Number)
	set("patent_inventor", d.Patent.Inventor)
	set("patent_title", d.Patent.Title)
	set("patent_date", d.Patent.Date)
	set("patent_notes", d.Patent.Notes)
	set("licensing", d.Licensing)
	set("licensing_comments", d.LicensingComments)
	set("statement", d.Statement)
	set("notes", d.Notes)
	set("other_designations", d.OtherDesignations)
	flag("has_patent_pending", d.HasPatentPending)
	flag("submitter_claims_all_terms_disclosed", d.SubmitterClaimsAllTermsDisclosed)
	flag("is_blanket_disclosure", d.IsBlanketDisclosure)
	flag("compliant", d.Compliant)
	for i, x := range d.Docs {
		p := "doc-" + strconv.Itoa(i) + "-"
		v.Set(p+"name", x.Doc)
		set(p+"revisions", x.Revisions)
		set(p+"sections", x.Sections)
	}
	return v
}

// iprPost posts a disclosure and announces it (the secretariat).
func (s *Server) iprPost(w http.ResponseWriter, r *http.Request) error {
	return s.iprMove(w, r, ipr.Posted, "The disclosure is posted and announced.")
}

// iprState moves a disclosure to the state the form names (the
// secretariat).
func (s *Server) iprState(w http.ResponseWriter, r *http.Request) error {
	state := r.PostFormValue("state")
	return s.iprMove(w, r, state, "The disclosure is now "+strings.ToLower(ipr.StateName(state))+".")
}

func (s *Server) iprMove(w http.ResponseWriter, r *http.Request, state, done string) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.IPR.SetState(r.Context(), id, by, state, r.PostFormValue("why")); err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind != fail.Invalid && fe.Kind != fail.Conflict {
			return err
		}
		p, perr := s.iprShowModel(r)
		if perr != nil {
			return perr
		}
		p.Err = fe
		w.WriteHeader(status(fe.Kind))
		return s.show(w, "ipr_show.html", p)
	}
	s.flash(r, done)
	return redirect(w, r, "/ipr/"+strconv.FormatInt(id, 10)+"/")
}

// iprConfirm records a draft's author's answer about the IPR they know of
// covering its current revision (R11).
func (s *Server) iprConfirm(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := s.IPR.Confirm(r.Context(), name, by, r.PostFormValue("answer"), r.PostFormValue("why")); err != nil {
		return err
	}
	s.flash(r, "Your answer is recorded on "+name+"'s history.")
	return redirect(w, r, "/doc/"+name+"/#ipr")
}
