package web

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
)

// The archive pages: /arch/ (lists), /arch/browse/{list}/ (by date or
// thread), /arch/msg/{list}/{id}/ (a message), /arch/search/, and the
// downloads. Anonymous readers see names only when Archive.HideAddresses
// is set.
//
// A list whose archive is not public (lists.List.ArchivePublic) is read
// only by its subscribers, its moderators and the secretariat. Anyone else
// finds it in no index, search, export or person page, and its pages
// refuse them. Anonymous readers all see the same thing, so publicGet may
// still cache their pages; logged-in readers are never served from it.

const archPageSize = 50

// hideAddresses reports whether this reader sees names only.
func (s *Server) hideAddresses(p Page) bool {
	return s.Archive.HideAddresses && p.User == nil
}

// archPrivate returns the names of the lists whose archive is not public,
// which an anonymous reader may not read.
func (s *Server) archPrivate(ctx context.Context) ([]string, error) {
	return s.archHiddenFrom(ctx, groups.Actor{})
}

// archHidden returns the names of the private archives this reader may
// not read. When they may read some, the response is marked private so
// that no shared cache keeps it.
func (s *Server) archHidden(w http.ResponseWriter, r *http.Request) ([]string, error) {
	ctx := r.Context()
	priv, err := s.archPrivate(ctx)
	if err != nil || len(priv) == 0 {
		return nil, err
	}
	u := s.user(r)
	if u == nil {
		return priv, nil
	}
	who, err := s.powers(ctx, u)
	if err != nil {
		return nil, err
	}
	hidden, err := s.archHiddenFrom(ctx, who)
	if err != nil {
		return nil, err
	}
	if len(hidden) < len(priv) {
		w.Header().Set("Cache-Control", "private")
	}
	return hidden, nil
}

// archHiddenFrom is lists.Service.ArchiveHidden cached until the record
// changes: list settings, subscriptions, addresses and moderators change
// only with an event.
func (s *Server) archHiddenFrom(ctx context.Context, who groups.Actor) ([]string, error) {
	v, err := s.cache.get(ctx, s.versions, "archhidden", who.ID, func() (any, error) {
		return s.Lists.ArchiveHidden(ctx, who)
	})
	if err != nil {
		return nil, err
	}
	return v.([]string), nil
}

// archMayRead refuses a private archive to a reader who may not read it,
// from the cached set of lists.Service.ArchiveHidden; lists words the
// refusal.
func (s *Server) archMayRead(w http.ResponseWriter, r *http.Request, list string) error {
	hidden, err := s.archHidden(w, r)
	if err != nil {
		return err
	}
	return s.archRefuse(r, hidden, list)
}

// archRefuse refuses list when it is among the reader's hidden archives.
func (s *Server) archRefuse(r *http.Request, hidden []string, list string) error {
	if !slices.Contains(hidden, list) {
		return nil
	}
	return lists.ArchiveRefusal(s.user(r) == nil, list)
}

// archGet returns the message at /arch/msg/{list}/{id}/ if this reader
// may read its list.
func (s *Server) archGet(w http.ResponseWriter, r *http.Request) (*archive.Service, *archive.Message, error) {
	a := s.Archive
	if err := s.archMayRead(w, r, r.PathValue("list")); err != nil {
		return nil, nil, err
	}
	m, err := a.Get(r.Context(), r.PathValue("list"), r.PathValue("id"))
	return a, m, err
}

// archGetList returns the archived list at /arch/browse/{list}/ (or its
// feed) if this reader may read it.
func (s *Server) archGetList(w http.ResponseWriter, r *http.Request) (*archive.Service, archive.List, error) {
	a := s.Archive
	if err := s.archMayRead(w, r, r.PathValue("list")); err != nil {
		return nil, archive.List{}, err
	}
	l, err := a.GetList(r.Context(), r.PathValue("list"))
	return a, l, err
}

// archPageNum reads ?page= (from 1).
func archPageNum(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 100_000)
}

type archPager struct {
	Page       int
	Prev, Next string // URLs, "" when there is none
}

func archNewPager(r *http.Request, page int, more bool) archPager {
	p := archPager{Page: page}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if more {
		p.Next = link(page + 1)
	}
	return p
}

// archIndexPage is the model of arch_index.html.
type archIndexPage struct {
	Page
	Lists []archive.List
}

func (s *Server) archIndex(w http.ResponseWriter, r *http.Request) error {
	a := s.Archive
	hidden, err := s.archHidden(w, r)
	if err != nil {
		return err
	}
	ls, err := archLists(r.Context(), a, hidden)
	if err != nil {
		return err
	}
	return s.show(w, "arch_index.html", archIndexPage{s.page(r, "Mail archive"), ls})
}

// archLists returns the archived lists but the hidden ones.
func archLists(ctx context.Context, a *archive.Service, hidden []string) ([]archive.List, error) {
	ls, err := a.Lists(ctx)
	return slices.DeleteFunc(ls, func(l archive.List) bool { return slices.Contains(hidden, l.Name) }), err
}

type archBrowsePage struct {
	Page
	List    archive.List
	Threads []archive.Thread
	ByDate  []archive.Summary
	View    string // "date" or "thread"
	Hide    bool
	Pager   archPager
}

func (s *Server) archBrowse(w http.ResponseWriter, r *http.Request) error {
	a, l, err := s.archGetList(w, r)
	if err != nil {
		return err
	}
	p := archBrowsePage{Page: s.page(r, l.Name+" archive"), List: l, View: "date"}
	p.Hide = s.hideAddresses(p.Page)
	page := archPageNum(r)
	off := (page - 1) * archPageSize
	if r.URL.Query().Get("view") == "thread" {
		p.View = "thread"
		if p.Threads, err = a.Threads(r.Context(), l.Name, archPageSize, off); err != nil {
			return err
		}
		p.Pager = archNewPager(r, page, off+archPageSize < l.Threads)
	} else {
		if p.ByDate, err = a.ByDate(r.Context(), l.Name, archPageSize, off); err != nil {
			return err
		}
		p.Pager = archNewPager(r, page, off+archPageSize < l.Messages)
	}
	return s.show(w, "arch_browse.html", p)
}

type archMessagePage struct {
	Page
	Msg     *archive.Message
	View    *message.Message
	Blocks  []message.Block
	Around  archive.Around
	Hide    bool
	Reply   string // mailto: URL
	Headers []message.Field
}

// archShownHeaders are the header fields the message page lists.
var archShownHeaders = map[string]bool{"from": true, "to": true, "cc": true, "subject": true, "date": true, "message-id": true, "in-reply-to": true, "list-id": true}

func (s *Server) archMessage(w http.ResponseWriter, r *http.Request) error {
	a, m, err := s.archGet(w, r)
	if err != nil {
		return err
	}
	around, err := a.Neighbours(r.Context(), &m.Summary)
	if err != nil {
		return err
	}
	v := message.Parse(m.Raw)
	p := archMessagePage{Page: s.page(r, v.Subject), Msg: m, View: v, Around: around}
	if p.Title == "" {
		p.Title = "(no subject)"
	}
	p.Hide = s.hideAddresses(p.Page)
	if v.Body.HTML == "" {
		p.Blocks = message.Blocks(v.Body.Text)
	}
	for _, f := range v.Header {
		n := strings.ToLower(f.Name)
		if !archShownHeaders[n] || p.Hide && (n == "to" || n == "cc" || n == "from") {
			continue
		}
		p.Headers = append(p.Headers, f)
	}
	p.Reply = archReplyLink(v, m.List)
	return s.show(w, "arch_msg.html", p)
}

// archReplyLink is a mailto: URL to the list carrying In-Reply-To, so the
// reply threads. The list address comes from List-Post when the message
// has one, else from the recipients that name the list.
func archReplyLink(v *message.Message, list string) string {
	to := ""
	for _, f := range v.Header {
		if strings.EqualFold(f.Name, "List-Post") {
			if i := strings.Index(f.Value, "<mailto:"); i >= 0 {
				to, _, _ = strings.Cut(f.Value[i+8:], ">")
			}
		}
	}
	if to == "" {
		for _, ad := range append(append([]message.Address(nil), v.To...), v.Cc...) {
			if strings.HasPrefix(strings.ToLower(ad.Email), list+"@") {
				to = ad.Email
				break
			}
		}
	}
	if to == "" {
		return ""
	}
	subj := v.Subject
	if !strings.HasPrefix(strings.ToLower(subj), "re:") {
		subj = "Re: " + subj
	}
	q := url.Values{"In-Reply-To": {"<" + v.MessageID + ">"}, "Subject": {subj}}
	return "mailto:" + to + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// archRaw sends the message as stored.
func (s *Server) archRaw(w http.ResponseWriter, r *http.Request) error {
	_, m, err := s.archGet(w, r)
	if err != nil {
		return err
	}
	if s.hideAddresses(s.page(r, "")) {
		return fail.New(fail.Forbidden, "Log in to download raw messages: this archive shows addresses only to logged-in readers.")
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", `attachment; filename="`+m.ID+`.eml"`)
	_, err = w.Write(m.Raw)
	return err
}

// archPart sends one attachment, always as a download: a part is never
// rendered by the browser in our origin.
func (s *Server) archPart(w http.ResponseWriter, r *http.Request) error {
	_, m, err := s.archGet(w, r)
	if err != nil {
		return err
	}
	part, err := message.Extract(m.Raw, r.PathValue("part"))
	if err != nil {
		return fail.New(fail.NotFound, "Message %s has no part %q.", m.ID, r.PathValue("part"))
	}
	name := part.Filename
	if name == "" {
		name = "part-" + part.Path
	}
	ct := part.ContentType
	if ct == "" || strings.HasPrefix(ct, "text/html") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg") {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Security-Policy", "sandbox")
	_, err = w.Write(part.Data)
	return err
}

type archSearchPage struct {
	Page
	Q     string
	Hits  []archive.Hit
	Err   *fail.Error
	Hide  bool
	Pager archPager
	Lists []archive.List
}

func (s *Server) archSearch(w http.ResponseWriter, r *http.Request) error {
	a := s.Archive
	p := archSearchPage{Page: s.page(r, "Search the mail archive"), Q: r.URL.Query().Get("q")}
	p.Hide = s.hideAddresses(p.Page)
	q, err := archive.ParseQuery(p.Q)
	if fe, ok := fail.As(err); ok {
		p.Err = fe
	} else if err != nil {
		return err
	}
	if q.Hidden, err = s.archHidden(w, r); err != nil {
		return err
	}
	if p.Err == nil && !q.Empty() {
		page := archPageNum(r)
		res, err := a.Search(r.Context(), q, archPageSize, (page-1)*archPageSize)
		if err != nil {
			return err
		}
		p.Hits = res.Hits
		p.Pager = archNewPager(r, page, res.More)
		p.Title = "Search: " + p.Q
	}
	if p.Q == "" {
		if p.Lists, err = archLists(r.Context(), a, q.Hidden); err != nil {
			return err
		}
	}
	return s.show(w, "arch_search.html", p)
}

// archExport sends any search as an mbox file: ?q= and, as the IETF
// archive's export does, ?list= added as list:.
func (s *Server) archExport(w http.ResponseWriter, r *http.Request) error {
	a := s.Archive
	if s.hideAddresses(s.page(r, "")) {
		return fail.New(fail.Forbidden, "Log in to export: this archive shows addresses only to logged-in readers.")
	}
	qs := r.URL.Query().Get("q")
	if l := r.URL.Query().Get("list"); l != "" {
		qs += " list:" + l
	}
	q, err := archive.ParseQuery(qs)
	if err != nil {
		return err
	}
	if q.Empty() {
		return fail.Field("q", "Say what to export: ?list=NAME, ?q=SEARCH, or both.")
	}
	// A private list asked for by name is refused; otherwise private
	// lists are just left out.
	if q.Hidden, err = s.archHidden(w, r); err != nil {
		return err
	}
	for _, l := range q.Lists {
		if err := s.archRefuse(r, q.Hidden, l); err != nil {
			return err
		}
	}
	name := "archive"
	if len(q.Lists) == 1 {
		name = q.Lists[0]
	}
	w.Header().Set("Content-Type", "application/mbox")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".mbox"}))
	_, err = a.Export(r.Context(), w, q)
	return err
}
