package docs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"html/template"
	"sync"

	"hum/internal/docs/render"
	"hum/internal/fail"
)

// Rendered is one posted revision made readable: the XML rendered with
// its table of contents, or else the text with links.
type Rendered struct {
	TOC    []render.TOCEntry
	Body   template.HTML
	Text   bool // Body is plain text, for a <pre>
	HasXML bool
	HasTXT bool
	Err    string // why the XML could not be rendered, when there is no text to show instead
}

func (r *Rendered) size() int {
	n := len(r.Body) + len(r.Err) + 64
	for _, e := range r.TOC {
		n += len(e.Number) + len(e.Title) + len(e.Anchor) + 48
	}
	return n
}

// Render returns revision rev of draft name ready to show. A posted
// revision never changes, nor do the references its submission resolved,
// so renderings are kept in memory (renderCacheBytes in all), and a
// draft page needs its stored files only the first time.
func (s *Service) Render(ctx context.Context, name, rev string) (r *Rendered, err error) {
	defer fail.Wrap(&err, "docs.Render(%q, %q)", name, rev)
	key := name + "-" + rev
	if r := s.rendered.get(key); r != nil {
		return r, nil
	}
	var xml, txt []byte
	var meta string
	err = s.DB.QueryRowContext(ctx, `SELECT s.xml, s.txt, s.meta FROM doc_rev r JOIN doc d ON d.id = r.doc_id
		JOIN submission s ON s.id = r.submission_id WHERE d.name = $1 AND r.rev = $2`, name, rev).Scan(&xml, &txt, &meta)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fail.New(fail.NotFound, "%s has no stored file for revision %s.", name, rev)
	}
	if err != nil {
		return nil, err
	}
	var m Meta
	if meta != "" {
		json.Unmarshal([]byte(meta), &m) // a meta that does not read costs only reference titles
	}
	r = &Rendered{HasXML: len(xml) > 0, HasTXT: len(txt) > 0}
	switch {
	case len(xml) > 0:
		if rd, err := render.FromXMLRefs(xml, m.References); err == nil {
			r.TOC, r.Body = rd.TOC, rd.Body
		} else if len(txt) > 0 {
			r.Body, r.Text = render.FromText(txt), true
		} else {
			r.Err = err.Error()
		}
	case len(txt) > 0:
		r.Body, r.Text = render.FromText(txt), true
	}
	s.rendered.put(key, r)
	return r, nil
}

// renderCacheBytes bounds the renderings kept: about a thousand typical
// drafts.
const renderCacheBytes = 48 << 20

// renderCache keeps renderings until it is full, then forgets the oldest
// first. Entries never go stale, so there is nothing to invalidate.
type renderCache struct {
	mu    sync.Mutex
	m     map[string]*Rendered
	order []string
	bytes int
}

func (c *renderCache) get(key string) *Rendered {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

func (c *renderCache) put(key string, r *Rendered) {
	n := r.size()
	if n > renderCacheBytes/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*Rendered{}
	}
	if _, ok := c.m[key]; ok {
		return
	}
	for c.bytes+n > renderCacheBytes && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.m[old].size()
		delete(c.m, old)
	}
	c.m[key] = r
	c.order = append(c.order, key)
	c.bytes += n
}
