package web

import (
	"net/http"
	"strings"

	"hum/internal/docs"
	"hum/internal/fail"
)

// docNotifyPage is /doc/{name}/edit/notify/: the addresses added to a
// draft's notify list (the Datatracker's "notify" field). Whom the list
// reaches in all is the document's email page's to show.
type docNotifyPage struct {
	Page
	Doc   docs.Document
	Added string // the added addresses, one a line
	Alias string // {name}.notify@
	Err   *fail.Error
}

func (s *Server) docNotify(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	return s.showNotify(w, r, r.PathValue("name"), nil)
}

func (s *Server) showNotify(w http.ResponseWriter, r *http.Request, name string, fe *fail.Error) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, name)
	if err != nil {
		return err
	}
	if d.Type != "draft" || d.IsRFC() {
		return fail.New(fail.NotFound, "%s has no notify list: only drafts have one.", d.Name)
	}
	p := docNotifyPage{Page: s.page(r, "Notify list of "+d.Name), Doc: d, Err: fe}
	added, err := s.Docs.NotifyList(ctx, d.Name)
	if err != nil {
		return err
	}
	p.Added = strings.Join(added, "\n")
	if fe != nil {
		p.Added = r.PostFormValue("notify")
		w.WriteHeader(status(fe.Kind))
	}
	p.Alias = d.Name + ".notify@" + s.Lists.Domain
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "doc_notify.html", p)
}

// docNotifyPost replaces the added addresses: one a line, or separated by
// commas, as the Datatracker's field takes them.
func (s *Server) docNotifyPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	name := docs.BaseName(r.PathValue("name"))
	addrs := strings.FieldsFunc(r.PostFormValue("notify"), func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' || c == ' ' })
	err = s.Docs.SetNotify(r.Context(), name, by, addrs, strings.TrimSpace(r.PostFormValue("why")))
	if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
		return s.showNotify(w, r, name, fe)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Notify list changed.")
	return redirect(w, r, "/doc/"+name+"/edit/notify/")
}
