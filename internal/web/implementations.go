package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/implementations"
)

// implPage is the model of doc_implementations.html: a draft's reports
// in full, the interoperability matrix, and the forms for those allowed.
type implPage struct {
	Page
	Doc     docs.Document
	Revs    []docs.Revision
	Reports []implRow
	Matrix  implementations.Matrix
	Add     implForm // the add form
	Err     *fail.Error
	ErrAt   int64 // the report whose form was refused; 0 the add form
}

// implRow is a report with what the viewer may do to it, and its edit
// form (with the values sent, if that form was refused).
type implRow struct {
	implementations.Report
	May  bool
	Form implForm
}

// MaturityName is the report's level of maturity, for display.
func (r implRow) MaturityName() string { return implementations.MaturityName(r.Maturity) }

// implForm is a report's fields as a form: P prefixes the fields' ids,
// so that several forms can be on one page.
type implForm struct {
	P    string
	F    implementations.Fields
	Revs []docs.Revision
}

// Maturities are the levels a report may give.
func (implForm) Maturities() []implementations.Maturity { return implementations.Maturities }

// Results are the outcomes a test may have.
func (implPage) Results() []string { return implementations.Results }

func (s *Server) implModel(r *http.Request, name string) (implPage, error) {
	ctx := r.Context()
	d, revs, err := s.docRevisions(ctx, name)
	if err != nil {
		return implPage{}, err
	}
	if d.Type != "draft" {
		return implPage{}, fail.New(fail.NotFound, "%s is an RFC; implementation reports are kept on the Internet-Draft it came from.", strings.ToUpper(d.Name))
	}
	rs, err := s.Implementations.ForDoc(ctx, d.Name)
	if err != nil {
		return implPage{}, err
	}
	by, err := s.actorOf(r)
	if err != nil {
		return implPage{}, err
	}
	p := implPage{Page: s.page(r, "Implementations of "+d.Name), Doc: d, Revs: revs, Matrix: implementations.MatrixOf(rs),
		Add: implForm{P: "a", F: implementations.Fields{Rev: d.Rev}, Revs: revs}}
	for _, rep := range rs {
		may, err := s.Implementations.MayChange(ctx, rep, by)
		if err != nil {
			return p, err
		}
		p.Reports = append(p.Reports, implRow{Report: rep, May: may, Form: implForm{P: "e" + strconv.FormatInt(rep.ID, 10), F: fieldsOf(rep), Revs: revs}})
	}
	p.Canonical = s.BaseURL + "/doc/" + d.Name + "/implementations/"
	return p, nil
}

func fieldsOf(r implementations.Report) implementations.Fields {
	return implementations.Fields{Rev: r.Rev, Name: r.Name, Organization: r.Organization, URL: r.URL, Description: r.Description,
		Coverage: r.Coverage, Maturity: r.Maturity, Licence: r.Licence, Contact: r.Contact, Date: r.Date}
}

func formFields(v url.Values) implementations.Fields {
	return implementations.Fields{Rev: v.Get("rev"), Name: v.Get("name"), Organization: v.Get("organization"), URL: v.Get("url"),
		Description: v.Get("description"), Coverage: v.Get("coverage"), Maturity: v.Get("maturity"), Licence: v.Get("licence"),
		Contact: v.Get("contact"), Date: v.Get("date")}
}

func (s *Server) implementationsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.implModel(r, r.PathValue("name"))
	if err != nil {
		return err
	}
	return s.show(w, "doc_implementations.html", p)
}

// againImpl shows the page again with the refusal beside the form that
// was sent (at, a report's id, or 0 for the add form) and the values sent.
// A refusal of who may act is an error page.
func (s *Server) againImpl(w http.ResponseWriter, r *http.Request, name string, at int64, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind != fail.Invalid && fe.Kind != fail.Conflict {
		return err
	}
	p, err := s.implModel(r, name)
	if err != nil {
		return err
	}
	p.Err, p.ErrAt = fe, at
	if at == 0 {
		p.Add.F = formFields(r.PostForm)
	}
	for i := range p.Reports {
		if p.Reports[i].ID == at && r.PostForm.Has("name") {
			p.Reports[i].Form.F = formFields(r.PostForm)
		}
	}
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "doc_implementations.html", p)
}

// implReport is the logged-in person and the report of the path, which
// must belong to the path's draft.
func (s *Server) implReport(r *http.Request) (groups.Actor, implementations.Report, error) {
	_, by, err := s.need(r)
	if err != nil {
		return by, implementations.Report{}, err
	}
	id, err := pathID(r)
	if err != nil {
		return by, implementations.Report{}, err
	}
	rep, err := s.Implementations.Get(r.Context(), id)
	if err == nil && rep.Doc != r.PathValue("name") {
		err = fail.New(fail.NotFound, "%s has no implementation report %d.", r.PathValue("name"), id)
	}
	return by, rep, err
}

func (s *Server) implementationAdd(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	r.ParseForm()
	rep, err := s.Implementations.Add(r.Context(), name, by, formFields(r.PostForm), r.PostFormValue("why"))
	if err != nil {
		return s.againImpl(w, r, name, 0, err)
	}
	s.flash(r, "The implementation report has been added.")
	return redirect(w, r, "/doc/"+rep.Doc+"/implementations/#impl-"+strconv.FormatInt(rep.ID, 10))
}

func (s *Server) implementationChange(w http.ResponseWriter, r *http.Request) error {
	by, rep, err := s.implReport(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	if err := s.Implementations.Change(r.Context(), rep.ID, by, formFields(r.PostForm), r.PostFormValue("why")); err != nil {
		return s.againImpl(w, r, rep.Doc, rep.ID, err)
	}
	s.flash(r, "The implementation report has been changed.")
	return redirect(w, r, "/doc/"+rep.Doc+"/implementations/#impl-"+strconv.FormatInt(rep.ID, 10))
}

func (s *Server) implementationRemove(w http.ResponseWriter, r *http.Request) error {
	by, rep, err := s.implReport(r)
	if err != nil {
		return err
	}
	if err := s.Implementations.Remove(r.Context(), rep.ID, by, r.PostFormValue("why")); err != nil {
		return s.againImpl(w, r, rep.Doc, rep.ID, err)
	}
	s.flash(r, "The implementation report has been removed.")
	return redirect(w, r, "/doc/"+rep.Doc+"/implementations/")
}

func (s *Server) interopAdd(w http.ResponseWriter, r *http.Request) error {
	by, rep, err := s.implReport(r)
	if err != nil {
		return err
	}
	other, err := strconv.ParseInt(r.PostFormValue("other"), 10, 64)
	if err != nil {
		return s.againImpl(w, r, rep.Doc, rep.ID, fail.Field("other", "Choose the implementation it was tested with."))
	}
	t := implementations.NewTest{Other: other, Date: r.PostFormValue("date"), Result: r.PostFormValue("result"), Notes: r.PostFormValue("notes")}
	if _, err := s.Implementations.AddTest(r.Context(), rep.ID, by, t, r.PostFormValue("why")); err != nil {
		return s.againImpl(w, r, rep.Doc, rep.ID, err)
	}
	s.flash(r, "The interoperability test has been recorded.")
	return redirect(w, r, "/doc/"+rep.Doc+"/implementations/#matrix")
}

func (s *Server) interopRemove(w http.ResponseWriter, r *http.Request) error {
	by, rep, err := s.implReport(r)
	if err != nil {
		return err
	}
	tid, err := strconv.ParseInt(r.PathValue("test"), 10, 64)
	if err != nil {
		return fail.New(fail.NotFound, "%q is not a test's id.", r.PathValue("test"))
	}
	if err := s.Implementations.RemoveTest(r.Context(), rep.ID, tid, by, r.PostFormValue("why")); err != nil {
		return s.againImpl(w, r, rep.Doc, rep.ID, err)
	}
	s.flash(r, "The interoperability test has been removed.")
	return redirect(w, r, "/doc/"+rep.Doc+"/implementations/#impl-"+strconv.FormatInt(rep.ID, 10))
}

// implementationStatusText and ...XML are the draft's generated
// "Implementation Status" section (RFC 7942, R10).
func (s *Server) implementationStatusText(w http.ResponseWriter, r *http.Request) error {
	return s.implementationStatus(w, r, "text/plain; charset=utf-8", implementations.Text)
}

func (s *Server) implementationStatusXML(w http.ResponseWriter, r *http.Request) error {
	return s.implementationStatus(w, r, "application/xml; charset=utf-8", implementations.XML)
}

func (s *Server) implementationStatus(w http.ResponseWriter, r *http.Request, ctype string, gen func(string, []implementations.Report) string) error {
	d, err := s.Docs.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	if d.Type != "draft" {
		return fail.New(fail.NotFound, "%s is an RFC: the Implementation Status section is removed before publication (R10).", strings.ToUpper(d.Name))
	}
	rs, err := s.Implementations.ForDoc(r.Context(), d.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	_, err = w.Write([]byte(gen(d.Name, rs)))
	return err
}
