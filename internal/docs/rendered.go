package docs

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"html/template"
	"sync"
	"sync/atomic"
	"time"

	"hum/internal/db"
	"hum/internal/docs/draft"
	"hum/internal/docs/render"
	"hum/internal/fail"
)

// Rendered is one posted revision made readable: the XML rendered with
// its table of contents, or else the text with links; and its plain
// text, the one submitted or, for a revision submitted as XML only, the
// XML laid out as xml2rfc's text output.
type Rendered struct {
	TOC    []render.TOCEntry
	Body   template.HTML
	Text   bool // Body is plain text, for a <pre>
	HasXML bool
	HasTXT bool
	Err    string // why the XML could not be rendered, when there is no text to show instead

	// Plain is the revision's text; PlainFromXML says hum rendered it
	// from the XML. PlainHTML is Plain with links, without form feeds,
	// for a <pre>. PlainErr says why there is none.
	Plain        []byte
	PlainFromXML bool
	PlainHTML    template.HTML
	PlainErr     string

	// pending names the documents references cited that hum held no
	// record of when this was rendered; gen is the docGeneration at which
	// they were last looked for. Such a rendering is redone once one of
	// them has arrived.
	pending []string
	gen     atomic.Int64
}

func (r *Rendered) size() int {
	n := len(r.Body) + len(r.Err) + len(r.Plain) + len(r.PlainHTML) + len(r.PlainErr) + 64
	for _, e := range r.TOC {
		n += len(e.Number) + len(e.Title) + len(e.Anchor) + 48
	}
	return n
}

// Render returns revision rev of draft name ready to show. A posted
// revision never changes, so renderings are kept in memory
// (renderCacheBytes in all), and a draft page needs its stored files only
// the first time. References hum held no record of at submission are
// looked up again here, so an RFC index imported later resolves them; a
// rendering that still has such references is redone once new records
// have arrived.
func (s *Service) Render(ctx context.Context, name, rev string) (r *Rendered, err error) {
	defer fail.Wrap(&err, "docs.Render(%q, %q)", name, rev)
	key := name + "-" + rev
	cached := s.rendered.get(key)
	if cached != nil && len(cached.pending) == 0 {
		return cached, nil
	}
	gen, err := s.docGeneration(ctx)
	if err != nil {
		return nil, err
	}
	if cached != nil && cached.gen.Load() != gen {
		// Documents were added since; render again only if one of them
		// is a reference this rendering is missing.
		arrived, err := s.anyDoc(ctx, cached.pending)
		if err != nil {
			return nil, err
		}
		if !arrived {
			cached.gen.Store(gen)
		}
	}
	if cached != nil && cached.gen.Load() == gen {
		return cached, nil
	}
	var xml, txt []byte
	var meta, docDate string
	var posted time.Time
	err = s.DB.QueryRowContext(ctx, `SELECT s.xml, s.txt, s.meta, r.doc_date, r.posted FROM doc_rev r JOIN doc d ON d.id = r.doc_id
		JOIN submission s ON s.id = r.submission_id WHERE d.name = $1 AND r.rev = $2`, name, rev).Scan(&xml, &txt, &meta, &docDate, &posted)
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
	r.gen.Store(gen)
	r.pending = draft.ResolveReferences(m.References, resolver{ctx, s.DB})
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
	r.Plain = txt
	if len(txt) == 0 && len(xml) > 0 {
		// The date the submission read (today's where the source gave
		// none) stands in for the day xml2rfc would run.
		date, err := time.Parse("2006-01-02", docDate)
		if err != nil {
			date = posted
		}
		if plain, err := render.Text(xml, m.References, render.TextOptions{Date: date}); err == nil {
			r.Plain, r.PlainFromXML = plain, true
		} else {
			r.PlainErr = err.Error()
		}
	}
	if len(r.Plain) > 0 {
		r.PlainHTML = render.FromText(bytes.ReplaceAll(r.Plain, []byte("\f"), nil))
	}
	s.rendered.put(key, r)
	return r, nil
}

// Text returns revision rev of draft name as plain text: the text
// submitted, or for a revision submitted as XML only, the XML rendered
// in xml2rfc's text layout (fromXML). A revision whose XML cannot be
// laid out is NotFound, with the reason.
func (s *Service) Text(ctx context.Context, name, rev string) (text []byte, fromXML bool, err error) {
	defer fail.Wrap(&err, "docs.Text(%q, %q)", name, rev)
	r, err := s.Render(ctx, name, rev)
	if err != nil {
		return nil, false, err
	}
	if len(r.Plain) == 0 {
		if r.PlainErr != "" {
			return nil, false, fail.New(fail.NotFound, "%s-%s has no text: its XML could not be laid out (%s).", name, rev, r.PlainErr)
		}
		return nil, false, fail.New(fail.NotFound, "%s-%s has no text.", name, rev)
	}
	return r.Plain, r.PlainFromXML, nil
}

// docGeneration changes when documents are added (an RFC index import,
// a posted draft): the highest document id, one index lookup.
// anyDoc reports whether hum holds a record of any of names.
func (s *Service) anyDoc(ctx context.Context, names []string) (bool, error) {
	w := &db.Where{}
	w.Raw("name IN " + w.In(names))
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM doc`+w.SQL(), w.Args...).Scan(&n)
	return n > 0, err
}

func (s *Service) docGeneration(ctx context.Context) (int64, error) {
	var gen int64
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM doc`).Scan(&gen)
	return gen, err
}

// renderCacheBytes bounds the renderings kept: about a thousand typical
// drafts.
const renderCacheBytes = 48 << 20

// renderCache keeps renderings until it is full, then forgets the oldest
// first. A rendering is replaced only when Render redoes one whose
// references were pending.
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
	if old, ok := c.m[key]; ok {
		c.bytes += n - old.size()
		c.m[key] = r
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
