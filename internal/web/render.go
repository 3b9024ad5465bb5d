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
	var pages map[string]*template.Template
	var err error
	if t.dev != "" {
		pages, err = parsePages(os.DirFS(t.dev))
	} else {
		pages, err = embeddedPages()
	}
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.pages = pages
	t.mu.Unlock()
	return nil
}

// embeddedPages are the pages hum is built with, parsed once per
// process and shared by its Servers: they are the same for every
// Server, and a template may be executed by many goroutines at once.
// Parsing them was most of the work of making a Server, which the
// tests do hundreds of times.
var embeddedPages = sync.OnceValues(func() (map[string]*template.Template, error) {
	return parsePages(files)
})

// parsePages parses each page of fsys's templates directory with the
// layout: the layout once, then a copy of it for each page (a
// template's Clone shares the parsed layout, and may be added to
// before it is first executed).
func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(fsys, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	lt, err := template.New("layout.html").Funcs(templateFuncs()).Parse(string(layout))
	if err != nil {
		return nil, fmt.Errorf("template layout.html: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		tp, err := lt.Clone()
		if err == nil {
			_, err = tp.New(base).Parse(string(b))
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		pages[base] = tp
	}
	return pages, nil
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
