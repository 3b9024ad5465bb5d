package web

import (
	"html/template"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/meetings"
	"hum/internal/record"
)

// proposalPage is the model of slides_proposal.html.
type proposalPage struct {
	Page
	P   meetings.Proposal
	May bool
}

func (s *Server) proposal(r *http.Request) (proposalPage, error) {
	_, by, err := s.need(r)
	if err != nil {
		return proposalPage{}, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, _, err := s.Meetings.Proposal(r.Context(), id)
	if err != nil {
		return proposalPage{}, err
	}
	if p.Meeting != strings.ToLower(r.PathValue("number")) {
		return proposalPage{}, fail.New(fail.NotFound, "There is no slide proposal %d at this meeting.", id)
	}
	g, err := s.Groups.Get(r.Context(), p.Group)
	if err != nil {
		return proposalPage{}, err
	}
	if !mayActOn(by, g, p) {
		return proposalPage{}, fail.New(fail.Forbidden, "Proposed slides are seen by their proposer and by %s's chairs until they are approved.", p.Group)
	}
	return proposalPage{Page: s.page(r, "Proposed slides: "+p.Title), P: p, May: meetings.MayManageMaterials(by, g)}, nil
}

func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.proposal(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "slides_proposal.html", p)
}

func (s *Server) proposalDecide(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var approve bool
	switch r.PostFormValue("decision") {
	case "approve":
		approve = true
	case "decline":
	default:
		return fail.Field("decision", "Choose to approve or decline the slides.")
	}
	if err := s.Meetings.DecideSlides(r.Context(), by, r.PathValue("number"), id, approve, r.PostFormValue("why")); err != nil {
		return err
	}
	p, _, err := s.Meetings.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	s.flash(r, "The slides are "+map[bool]string{true: "approved", false: "declined"}[approve]+"; "+p.Submitter+" is told by mail.")
	return redirect(w, r, "/meeting/"+p.Meeting+"/session/"+p.Group+"/")
}

func (s *Server) proposalFile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.proposal(r)
	if err != nil {
		return err
	}
	_, b, err := s.Meetings.Proposal(r.Context(), p.P.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.serveFile(w, r, meetings.Material{Name: "proposed-slides-" + strconv.FormatInt(p.P.ID, 10), Format: p.P.Format, Title: p.P.Title}, b)
}

// materialRef matches a material's file name as the Datatracker's
// /meeting/{number}/materials/{document} takes it: a name, an optional
// revision and an optional extension.
var materialRef = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*?)(?:-([0-9]{2}))?(?:\.(md|txt|html|htm|pdf|pptx))?$`)

// materialFile serves a revision of a material: text formats rendered
// in a page, PDF and PPTX as files, a recording by redirecting to it.
func (s *Server) materialFile(w http.ResponseWriter, r *http.Request) error {
	ref := strings.ToLower(r.PathValue("doc"))
	m := materialRef.FindStringSubmatch(ref)
	if m == nil {
		return fail.New(fail.NotFound, "%q is not the name of meeting materials.", ref)
	}
	x, b, err := s.Meetings.Content(r.Context(), m[1], m[2])
	if fail.KindOf(err) == fail.NotFound && m[2] != "" {
		// slides-125-tls-v2-01 may be a name ending in digits, not a revision.
		x, b, err = s.Meetings.Content(r.Context(), m[1]+"-"+m[2], "")
	}
	if err != nil {
		return err
	}
	if x.Meeting != strings.ToLower(r.PathValue("number")) {
		return fail.New(fail.NotFound, "%s is not among the materials of meeting %s.", x.Name, r.PathValue("number"))
	}
	return s.serveFile(w, r, x, b)
}

// materialViewPage is the model of material_view.html.
type materialViewPage struct {
	Page
	X    meetings.Material
	HTML template.HTML
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, x meetings.Material, b []byte) error {
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	file := x.Name
	if x.Rev != "" {
		file += "-" + x.Rev
	}
	switch x.Format {
	case meetings.FormatURL:
		http.Redirect(w, r, x.URL, http.StatusFound)
		return nil
	case meetings.FormatPDF:
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="`+file+`.pdf"`)
		// A PDF may carry scripts; served from this site, it runs in a
		// sandbox with no access to it.
		w.Header().Set("Content-Security-Policy", "sandbox")
		_, err := w.Write(b)
		return err
	case meetings.FormatPPTX:
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
		w.Header().Set("Content-Disposition", `attachment; filename="`+file+`.pptx"`)
		_, err := w.Write(b)
		return err
	}
	return s.show(w, "material_view.html", materialViewPage{Page: s.page(r, x.Title), X: x, HTML: meetings.Render(x.Format, b)})
}

// materialDocPage is the model of material_doc.html: a material as a
// document, with its revisions and history (the Datatracker's
// /doc/{name}/ for meeting materials).
type materialDocPage struct {
	Page
	X       meetings.Material
	Revs    []meetings.Revision
	HTML    template.HTML
	History []record.Event
}

// materialDoc is /doc/{name}/ for a material's name.
func (s *Server) materialDoc(w http.ResponseWriter, r *http.Request, name string) error {
	ctx := r.Context()
	x, b, err := s.Meetings.Content(ctx, name, "")
	if err != nil {
		return err
	}
	p := materialDocPage{Page: s.page(r, x.Name), X: x, HTML: meetings.Render(x.Format, b)}
	if p.Revs, err = s.Meetings.Revisions(ctx, x.ID); err != nil {
		return err
	}
	evs, err := record.List(ctx, s.DB, "group", x.Group, 1000)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if strings.Contains(ev.Summary, x.Name+"-") || strings.HasSuffix(ev.Summary, x.Name) {
			p.History = append(p.History, ev)
		}
	}
	return s.show(w, "material_doc.html", p)
}

// Ext is the file extension of a revision's format.
func (p materialDocPage) Ext(format string) string {
	if format == meetings.FormatURL {
		return ""
	}
	return "." + path.Base(format)
}
