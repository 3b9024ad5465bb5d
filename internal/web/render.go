package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"sync"

	"hum/internal/people"
)

//go:embed templates static
var files embed.FS

// templates holds each page parsed together with the layout.
type templates struct {
	dev   string // reload from this directory when set
	mu    sync.Mutex
	pages map[string]*template.Template
}

func parseTemplates(dev string) (*templates, error) {
	t := &templates{dev: dev}
	return t, t.load()
}

func (t *templates) load() error {
	var fsys fs.FS = files
	if t.dev != "" {
		fsys = os.DirFS(t.dev)
	} else {
		fsys, _ = fs.Sub(files, ".")
	}
	layout, err := fs.ReadFile(fsys, "templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return err
	}
	pages := map[string]*template.Template{}
	fm := templateFuncs()
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		tp, err := template.New("layout.html").Funcs(fm).Parse(string(layout))
		if err == nil {
			_, err = tp.New(base).Parse(string(b))
		}
		if err != nil {
			return fmt.Errorf("template %s: %w", base, err)
		}
		pages[base] = tp
	}
	t.mu.Lock()
	t.pages = pages
	t.mu.Unlock()
	return nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a buffer first, so a template error gives
// a clean 500 instead of half a page.
func (t *templates) render(w http.ResponseWriter, name string, data any, log *slog.Logger) error {
	if t.dev != "" {
		if err := t.load(); err != nil {
			return err
		}
	}
	t.mu.Lock()
	tp := t.pages[name]
	t.mu.Unlock()
	if tp == nil {
		return fmt.Errorf("no template %s", name)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := tp.ExecuteTemplate(buf, "layout.html", data); err != nil {
		log.Error("template", "name", name, "err", err)
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(buf.Bytes())
	return err
}

// Page is what every page template gets.
type Page struct {
	Title     string
	Site      string
	User      *people.Person
	Flash     string
	Demo      bool
	Path      string
	Canonical string
}

func (s *Server) page(r *http.Request, title string) Page {
	p := Page{Title: title, Site: s.SiteName, Demo: s.Demo, Path: r.URL.Path}
	if s.sessions.Exists(r.Context(), sessionPerson) {
		p.User = s.user(r)
	}
	if s.sessions.Exists(r.Context(), "flash") {
		p.Flash = s.sessions.PopString(r.Context(), "flash")
	}
	return p
}

// show renders a page template.
func (s *Server) show(w http.ResponseWriter, name string, data any) error {
	return s.tmpl.render(w, name, data, s.Log)
}
