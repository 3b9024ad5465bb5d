package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/ipr"
	"hum/internal/record"
)

// The IPR disclosures' pages (routes in routes_ipr.go); the forms are in
// ipr_forms.go.

// iprListPage is the model of ipr_list.html: the public disclosures by
// kind, newest first, as the Datatracker's /ipr/ shows them.
type iprListPage struct {
	Page
	Specific, Generic, ThirdParty []ipr.Disclosure
	Secretariat                   bool
}

func (s *Server) iprList(w http.ResponseWriter, r *http.Request) error {
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	ds, _, err := s.IPR.List(r.Context(), ipr.Filter{States: ipr.Public, NewestFirst: true})
	if err != nil {
		return err
	}
	p := iprListPage{Page: s.page(r, "IPR disclosures"), Secretariat: by.Secretariat()}
	for _, d := range ds {
		switch d.Kind {
		case ipr.Specific:
			p.Specific = append(p.Specific, d)
		case ipr.Generic:
			p.Generic = append(p.Generic, d)
		case ipr.ThirdParty:
			p.ThirdParty = append(p.ThirdParty, d)
		}
	}
	p.Canonical = s.BaseURL + "/ipr/"
	return s.show(w, "ipr_list.html", p)
}

// iprShowPage is the model of ipr_show.html.
type iprShowPage struct {
	Page
	D           ipr.Disclosure
	Secretariat bool
	// Hidden: a removed disclosure shows only its title and that it was
	// removed, except to the secretariat (the Datatracker's removed.html).
	Hidden   bool
	MayFile  bool        // logged in: may file an update
	Next     []ipr.State // the moves the secretariat may make
	Licenses []ipr.License
	Err      *fail.Error
	// Since says, for each draft named, when the first revision covered
	// was posted and how long before the filing: R11 asks for a
	// disclosure as soon as reasonably possible, which people judge.
	Since []iprSince
}

// iprSince is a draft's first covered revision and how long it had been
// posted when the disclosure was filed.
type iprSince struct {
	Doc, Rev string
	Posted   time.Time
	Days     int
}

// iprDisclosure is the disclosure of the path, if by may see it.
func (s *Server) iprDisclosure(r *http.Request, by groups.Actor) (ipr.Disclosure, error) {
	id, err := pathID(r)
	if err != nil {
		return ipr.Disclosure{}, err
	}
	d, err := s.IPR.Get(r.Context(), id)
	if err != nil {
		return d, err
	}
	if !ipr.MayView(d, by) {
		if by.ID == 0 {
			return d, fail.New(fail.Unauthorized, "IPR disclosure %d is not posted; only the secretariat and the person who filed it see it. Log in if that is you.", id)
		}
		return d, fail.New(fail.Forbidden, "IPR disclosure %d is not posted; only the secretariat and the person who filed it see it.", id)
	}
	return d, nil
}

func (s *Server) iprShowModel(r *http.Request) (iprShowPage, error) {
	by, err := s.actorOf(r)
	if err != nil {
		return iprShowPage{}, err
	}
	d, err := s.iprDisclosure(r, by)
	if err != nil {
		return iprShowPage{}, err
	}
	p := iprShowPage{Page: s.page(r, d.Title), D: d, Secretariat: by.Secretariat(), Licenses: ipr.Licenses,
		Hidden: d.State == ipr.Removed && !by.Secretariat(), MayFile: by.ID != 0 && d.State == ipr.Posted}
	if p.Secretariat {
		for _, n := range ipr.NextStates(d.State) {
			p.Next = append(p.Next, ipr.State{Slug: n, Name: ipr.StateName(n)})
		}
	}
	for _, x := range d.Docs {
		if x.DocType != "draft" || len(x.Revisions) < 2 {
			continue
		}
		revs, err := s.Docs.Revisions(r.Context(), x.DocID)
		if err != nil {
			return p, err
		}
		for _, rev := range revs {
			if rev.Rev == x.Revisions[:2] {
				p.Since = append(p.Since, iprSince{Doc: x.Doc, Rev: rev.Rev, Posted: rev.Posted, Days: max(0, int(d.Filed.Sub(rev.Posted).Hours()/24))})
			}
		}
	}
	p.Canonical = fmt.Sprintf("%s/ipr/%d/", s.BaseURL, d.ID)
	return p, nil
}

func (s *Server) iprShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.iprShowModel(r)
	if err != nil {
		return err
	}
	return s.show(w, "ipr_show.html", p)
}

// iprHistoryPage is the model of ipr_history.html.
type iprHistoryPage struct {
	Page
	D      ipr.Disclosure
	Events []record.Event
}

func (s *Server) iprHistory(w http.ResponseWriter, r *http.Request) error {
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	d, err := s.iprDisclosure(r, by)
	if err != nil {
		return err
	}
	evs, err := record.List(r.Context(), s.DB, "ipr", record.SubjectID(d.ID), 500)
	if err != nil {
		return err
	}
	return s.show(w, "ipr_history.html", iprHistoryPage{s.page(r, "History of IPR disclosure "+strconv.FormatInt(d.ID, 10)), d, evs})
}

// iprSearchPage is the model of ipr_search.html: the Datatracker's search
// (/ipr/search/?submit=draft&id=NAME, ?submit=draft&draft=, ?submit=rfc&rfc=,
// ?submit=holder&holder=, ?submit=patent&patent=, ?submit=iprtitle&iprtitle=,
// ?submit=group&group=), and its results.
type iprSearchPage struct {
	Page
	Q        url.Values
	Searched bool
	What     string   // what was searched for, in words
	Docs     []string // the documents searched, for a document search
	Results  []ipr.Disclosure
	// Secretariat: the results include disclosures in every state.
	Secretariat bool
}

func (s *Server) iprSearch(w http.ResponseWriter, r *http.Request) error {
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := iprSearchPage{Page: s.page(r, "Search IPR disclosures"), Q: q, Secretariat: by.Secretariat()}
	f := ipr.Filter{States: ipr.Public, NewestFirst: true}
	if p.Secretariat {
		f.States = nil
	}
	kind := q.Get("submit")
	val := strings.TrimSpace(q.Get(kind))
	switch kind {
	case "":
		return s.show(w, "ipr_search.html", p)
	case "draft", "rfc":
		name := strings.ToLower(strings.TrimSpace(q.Get("id")))
		if name == "" && kind == "rfc" && val != "" {
			name = "rfc" + strings.TrimLeft(val, "0")
		} else if name == "" {
			name = strings.ToLower(val)
		}
		if name == "" {
			return fail.New(fail.Invalid, "Give the name of a draft or the number of an RFC to search for.")
		}
		if p.Docs, err = s.IPR.Related(r.Context(), name); err == nil {
			f.Docs, p.What = p.Docs, "IPR disclosures about "+name
		} else if fail.KindOf(err) == fail.NotFound && q.Get("id") == "" {
			f.DocLike, p.What = name, "IPR disclosures about documents whose names hold "+strconv.Quote(name)
		} else {
			return err
		}
	case "holder":
		f.Holder, p.What = val, "IPR disclosures by holders whose names hold "+strconv.Quote(val)
	case "patent":
		f.Patent, p.What = val, "IPR disclosures whose patent information holds "+strconv.Quote(val)
	case "iprtitle":
		f.Title, p.What = val, "IPR disclosures whose titles hold "+strconv.Quote(val)
	case "group":
		f.Group, p.What = val, "IPR disclosures about documents of "+val
	default:
		return fail.New(fail.Invalid, "%q is not a kind of IPR search; search by draft, rfc, holder, patent, iprtitle or group.", kind)
	}
	if val == "" && q.Get("id") == "" {
		return fail.New(fail.Invalid, "Say what to search for.")
	}
	p.Searched = true
	if p.Results, _, err = s.IPR.List(r.Context(), f); err != nil {
		return err
	}
	return s.show(w, "ipr_search.html", p)
}

// iprByDraft is the Datatracker's machine-readable list of the posted
// disclosures by document: a name, then its disclosures' ids, tab-separated.
func (s *Server) iprByDraft(w http.ResponseWriter, r *http.Request) error {
	idx, err := s.IPR.ByDocument(r.Context())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Machine-readable list of IPR disclosures by draft name\n")
	for _, x := range idx {
		name := x.Doc
		if strings.HasPrefix(name, "rfc") {
			name = strings.ToUpper(name)
		}
		b.WriteString(name)
		for _, id := range x.IDs {
			b.WriteString("\t" + strconv.FormatInt(id, 10))
		}
		b.WriteString("\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte(b.String()))
	return err
}

// iprAdminPage is the model of ipr_admin.html: the secretariat's queue of
// disclosures in one state.
type iprAdminPage struct {
	Page
	State string
	Tabs  []ipr.State
	List  []ipr.Disclosure
}

func (s *Server) iprAdminMain(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/ipr/admin/pending/", http.StatusMovedPermanently)
	return nil
}

func (s *Server) iprAdmin(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat sees the disclosures that are not posted.")
	}
	state := strings.Trim(strings.TrimPrefix(r.URL.Path, "/ipr/admin/"), "/")
	states := []string{state}
	if state == ipr.Removed {
		states = append(states, ipr.Rejected) // as the Datatracker's "removed" tab
	}
	ds, _, err := s.IPR.List(r.Context(), ipr.Filter{States: states, NewestFirst: true})
	if err != nil {
		return err
	}
	p := iprAdminPage{Page: s.page(r, "IPR disclosures: "+ipr.StateName(state)), State: state, List: ds}
	for _, t := range []string{ipr.Pending, ipr.Parked, ipr.Removed} {
		p.Tabs = append(p.Tabs, ipr.State{Slug: t, Name: ipr.StateName(t)})
	}
	return s.show(w, "ipr_admin.html", p)
}
