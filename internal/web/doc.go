package web

import (
	"context"
	"fmt"
	"hum/internal/appeals"
	"hum/internal/consensus"
	"net/http"
	"regexp"
	"strings"

	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/docs/render"
	"hum/internal/fail"
	"hum/internal/ipr"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/telechat"
)

type docPage struct {
	Page
	Track     *trackButton // the viewer's Track button, when logged in
	Doc       docs.Document
	Rev       string // the revision shown
	Latest    bool
	Revs      []docs.Revision
	Out, In   []docs.Relation
	Series    []string
	Other     string // the RFC a draft became, or the draft an RFC came from
	TOC       []render.TOCEntry
	Body      any // template.HTML
	Text      bool
	HasXML    bool
	HasTXT    bool
	RenderErr string
	// View is "text" (the revision's text, submitted or rendered from
	// its XML, as the Datatracker shows a draft) or "html" (the XML
	// rendered as a web page, ?view=html); TextFromXML says hum laid
	// the text out from the XML.
	View        string
	TextFromXML bool
	Calls       []consensus.Call // consensus calls on the draft
	// Implementations is how many implementation reports a draft has
	// (RFC 7942): they are not votes, so a count is fine.
	Implementations int
	Ask             *askCall // asking the chairs for a call (drafts)
	// IPR is how many posted IPR disclosures are about the document (or
	// its RFC, its draft, the drafts it replaced); IPRConf the authors'
	// confirmations about the latest revision of a draft (R11), and
	// MayConfirm whether the viewer is one of those authors.
	IPR        int
	IPRConf    *ipr.Confirmations
	MayConfirm bool
	// LastCall is the comments its IETF Last Call received, once it had one.
	LastCall *lastCallComments
	// Telechat is the draft's newest placement on an IESG telechat.
	Telechat telechat.Placement
	// ReplacedBy names the drafts that replace a replaced draft, which
	// its status shows instead of the WG state it was left in.
	ReplacedBy []string
}

var revRe = regexp.MustCompile(`^[0-9]{2}$`)
var charterRevRe = regexp.MustCompile(`^[0-9]{2}(-[0-9]{2})?$`)
var seriesRe = regexp.MustCompile(`^(std|bcp|fyi)[0-9]+$`)

// docMain is /doc/{name}/: the latest revision of a draft, or an RFC.
// "draft-foo-03" goes to /doc/draft-foo/03/ and "bcp14" lists its RFCs.
func (s *Server) docMain(w http.ResponseWriter, r *http.Request) error {
	name := strings.ToLower(r.PathValue("name"))
	if b := docs.BaseName(name); b != name && strings.HasPrefix(name, "draft-") {
		http.Redirect(w, r, "/doc/"+b+"/"+name[len(b)+1:]+"/", http.StatusMovedPermanently)
		return nil
	}
	if seriesRe.MatchString(name) {
		return s.docSeries(w, r, name)
	}
	if meetings.IsMaterialName(name) {
		return s.materialDoc(w, r, name) // meeting materials are documents too, as in the Datatracker
	}
	if charters.IsName(name) {
		return s.charterDoc(w, r, name, "") // and so are charters
	}
	return s.showDoc(w, r, name, "")
}

func (s *Server) docRev(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("name") == "ad" { // /doc/ad/{name}/ shares the pattern
		return s.docsForAD(w, r, r.PathValue("rev"))
	}
	rev := r.PathValue("rev")
	if name := strings.ToLower(r.PathValue("name")); charters.IsName(name) {
		if !charterRevRe.MatchString(rev) {
			return fail.New(fail.NotFound, "%q is not a charter revision; they are like 01 or 01-02.", rev)
		}
		return s.charterDoc(w, r, name, rev)
	}
	if !revRe.MatchString(rev) {
		return fail.New(fail.NotFound, "%q is not a revision; revisions are two digits, like 00.", rev)
	}
	return s.showDoc(w, r, r.PathValue("name"), rev)
}

func (s *Server) showDoc(w http.ResponseWriter, r *http.Request, name, rev string) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return err
	}
	p := docPage{Page: s.page(r, d.Name), Doc: d, Rev: rev}
	if p.Revs, err = s.Docs.Revisions(ctx, d.ID); err != nil {
		return err
	}
	if rev == "" {
		rev = d.Rev
	}
	p.Rev, p.Latest = rev, rev == d.Rev
	if d.Type == "draft" {
		found := false
		for _, x := range p.Revs {
			if x.Rev == rev {
				found = true
				p.Page.Title = d.Name + "-" + rev
				if !p.Latest {
					p.Doc.Title, p.Doc.Pages, p.Doc.DocDate, p.Doc.Authors = x.Title, x.Pages, x.DocDate, x.Authors
				}
			}
		}
		if !found {
			return fail.New(fail.NotFound, "%s has no revision %s.", d.Name, rev)
		}
		rd, err := s.Docs.Render(ctx, d.Name, rev)
		if err != nil && fail.KindOf(err) != fail.NotFound {
			return err
		}
		if rd != nil {
			p.HasXML, p.HasTXT, p.TextFromXML = rd.HasXML, rd.HasTXT, rd.PlainFromXML
			p.View = "text"
			if r.URL.Query().Get("view") == "html" && rd.HasXML {
				p.View = "html"
			}
			switch {
			case p.View == "html" || len(rd.Plain) == 0:
				p.TOC, p.Body, p.Text, p.RenderErr = rd.TOC, rd.Body, rd.Text, rd.Err
				if rd.Err == "" && rd.PlainErr != "" && !rd.HasTXT {
					p.RenderErr = rd.PlainErr
				}
			default:
				p.Body, p.Text = rd.PlainHTML, true
			}
		}
		if p.Implementations, err = s.Implementations.Count(ctx, d.ID); err != nil {
			return err
		}
		if p.Telechat, err = s.Telechat.LatestPlacement(ctx, d.ID); err != nil {
			return err
		}
	}
	if p.Out, p.In, err = s.Docs.Relations(ctx, d.Name); err != nil {
		return err
	}
	for _, r := range p.In {
		if r.Type == "replaces" {
			p.ReplacedBy = append(p.ReplacedBy, r.Source)
		}
	}
	if d.IsRFC() {
		if p.Series, err = s.Docs.Series(ctx, d.ID); err != nil {
			return err
		}
	}
	p.Other, _ = s.Docs.Counterpart(ctx, d)
	if s.Consensus != nil && !d.IsRFC() {
		if p.Calls, _, err = s.Consensus.List(ctx, consensus.Filter{Doc: d.Name}); err != nil {
			return err
		}
	}
	if err := s.iprModel(r, &p); err != nil {
		return err
	}
	p.Canonical = s.BaseURL + "/doc/" + d.Name + "/"
	if err := s.askCallModel(ctx, &p); err != nil {
		return err
	}
	if err := s.lastCallModel(ctx, w, r, &p); err != nil {
		return err
	}
	if p.Track, err = s.track(ctx, p.User, "doc", d.Name, "/doc/"+d.Name+"/"); err != nil {
		return err
	}
	return s.show(w, "doc_main.html", p)
}

func (s *Server) docSeries(w http.ResponseWriter, r *http.Request, name string) error {
	ds, err := s.Docs.SeriesMembers(r.Context(), name)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		return fail.New(fail.NotFound, "There is no %s.", strings.ToUpper(name))
	}
	if len(ds) == 1 {
		http.Redirect(w, r, "/doc/"+ds[0].Name+"/", http.StatusFound)
		return nil
	}
	return s.show(w, "doc_search.html", searchPage{Page: s.page(r, strings.ToUpper(name)), Docs: ds, Total: len(ds), Heading: strings.ToUpper(name) + " consists of"})
}

// docFile is /id/{name}-{rev}.{txt,xml}: the source, as the IETF's
// archive serves it; the .txt of a revision submitted as XML only is
// its XML laid out as xml2rfc's text output, as the archive has it.
func (s *Server) docFile(w http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	ext := ""
	for _, e := range []string{".txt", ".xml"} {
		if strings.HasSuffix(file, e) {
			ext = e
		}
	}
	stem := strings.TrimSuffix(file, ext)
	name := docs.BaseName(stem)
	if ext == "" || name == stem {
		return fail.New(fail.NotFound, "Ask for a file as NAME-REV.txt or NAME-REV.xml.")
	}
	rev := stem[len(name)+1:]
	var b []byte
	ctype := "text/plain; charset=utf-8"
	if ext == ".txt" {
		text, _, err := s.Docs.Text(r.Context(), name, rev)
		if err != nil {
			return err
		}
		b = text
	} else {
		xml, _, err := s.Docs.Files(r.Context(), name, rev)
		if err != nil {
			return err
		}
		b, ctype = xml, "application/xml; charset=utf-8"
	}
	if len(b) == 0 {
		return fail.New(fail.NotFound, "%s was not submitted as %s.", stem, ext)
	}
	w.Header().Set("Content-Type", ctype)
	_, err := w.Write(b)
	return err
}

// docRevisions loads a document and its revisions, for the pages that
// list or compare them (history, diff, doc.json).
func (s *Server) docRevisions(ctx context.Context, name string) (docs.Document, []docs.Revision, error) {
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return docs.Document{}, nil, err
	}
	revs, err := s.Docs.Revisions(ctx, d.ID)
	return d, revs, err
}

// docHistoryPage is the model of doc_history.html.
type docHistoryPage struct {
	Page
	Doc    docs.Document
	Revs   []docs.Revision
	Events []record.Event
	// Appeals are the appeals of each event appealed, by event id.
	Appeals map[int64][]appeals.Appeal
}

func (s *Server) docHistory(w http.ResponseWriter, r *http.Request) error {
	if name := strings.ToLower(r.PathValue("name")); charters.IsName(name) {
		return s.charterHistory(w, r, name)
	}
	d, revs, err := s.docRevisions(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	evs, err := record.List(r.Context(), s.DB, "doc", d.Name, 500)
	if err != nil {
		return err
	}
	appealed, err := s.appealsOf(r.Context(), evs)
	if err != nil {
		return err
	}
	return s.show(w, "doc_history.html", docHistoryPage{s.page(r, "History of "+d.Name), d, revs, evs, appealed})
}

func (s *Server) docBibtex(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Docs.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = fmt.Fprint(w, bibtex(d, s.BaseURL))
	return err
}

func bibtex(d docs.Document, base string) string {
	var authors []string
	for _, a := range d.Authors {
		authors = append(authors, a.Name)
	}
	year, month := d.DocDate, ""
	if len(d.DocDate) >= 7 {
		year, month = d.DocDate[:4], d.DocDate[5:7]
	}
	clean := strings.NewReplacer("{", "", "}", "")
	var b strings.Builder
	if d.IsRFC() {
		fmt.Fprintf(&b, "@misc{%s,\n  series = {Request for Comments},\n  number = %d,\n  howpublished = {RFC %d},\n  publisher = {RFC Editor},\n  doi = {10.17487/RFC%04d},\n  url = {https://www.rfc-editor.org/info/rfc%d},\n",
			d.Name, d.RFCNumber, d.RFCNumber, d.RFCNumber, d.RFCNumber)
	} else {
		fmt.Fprintf(&b, "@techreport{%s-%s,\n  number = {%s-%s},\n  type = {Internet-Draft},\n  institution = {Internet Engineering Task Force},\n  note = {Work in Progress},\n  url = {%s/doc/%s/%s/},\n",
			d.Name, d.Rev, d.Name, d.Rev, base, d.Name, d.Rev)
	}
	fmt.Fprintf(&b, "  author = {%s},\n  title = {{%s}},\n  pagetotal = %d,\n  year = %s,\n", clean.Replace(strings.Join(authors, " and ")), clean.Replace(d.Title), d.Pages, year)
	if month != "" {
		fmt.Fprintf(&b, "  month = %s,\n", strings.ToLower(monthAbbr(month)))
	}
	if d.Abstract != "" {
		fmt.Fprintf(&b, "  abstract = {%s},\n", clean.Replace(strings.Join(strings.Fields(d.Abstract), " ")))
	}
	b.WriteString("}\n")
	return b.String()
}

func monthAbbr(mm string) string {
	ms := []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	var n int
	fmt.Sscanf(mm, "%d", &n)
	if n < 1 || n > 12 {
		return "jan"
	}
	return ms[n-1]
}

// iprModel fills in the document's IPR disclosures and, on a draft's
// latest revision, its authors' confirmations.
func (s *Server) iprModel(r *http.Request, p *docPage) error {
	ds, err := s.IPR.ForDocument(r.Context(), p.Doc.Name)
	if err != nil {
		return err
	}
	p.IPR = len(ds)
	if p.Doc.Type != "draft" || !p.Latest {
		return nil
	}
	c, err := s.IPR.ConfirmationsOf(r.Context(), p.Doc.Name)
	if err != nil {
		return err
	}
	p.IPRConf = &c
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	p.MayConfirm = ipr.MayConfirm(p.Doc, by)
	return nil
}
