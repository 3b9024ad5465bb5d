package opendata

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Paging follows Tastypie's Paginator: limit 20 by default, at most
// 1,000, and limit=0 meaning as many as allowed; offset counts from 0.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// CursorParam is the query parameter of meta.next that carries where the
// page before ended, so that the next is read from there by the sort
// keys (keyset paging) instead of by skipping offset rows. It is not a
// field of any resource, so Tastypie would ignore it too; offset alone
// still works.
const CursorParam = "cursor"

// Page is one page of a list.
type Page struct {
	Objects       []map[string]any
	Total         int
	Limit, Offset int
	// Cursor is where this page ended, for the next page's CursorParam;
	// "" when there is no next page or its order cannot be read by keys.
	Cursor string
}

// sortKey is one key of a list's order.
type sortKey struct {
	f    *Field
	desc bool
}

// Paging reads limit and offset as Tastypie does.
func Paging(q url.Values) (limit, offset int, err error) {
	limit, offset = DefaultLimit, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, invalid("limit", "Invalid limit '%s' provided. Please provide a positive integer.", v)
		}
		if n < 0 {
			return 0, 0, invalid("limit", "Invalid limit '%s' provided. Please provide a positive integer >= 0.", v)
		}
		limit = n
		if limit == 0 || limit > MaxLimit {
			limit = MaxLimit
		}
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, invalid("offset", "Invalid offset '%s' provided. Please provide a positive integer >= 0.", v)
		}
		offset = n
	}
	return limit, offset, nil
}

// order reads order_by as Tastypie's apply_sorting does, or takes the
// resource's default; the key breaks ties, so pages follow on.
func order(r *Resource, q url.Values) ([]sortKey, error) {
	names := q["order_by"]
	if len(names) == 0 {
		names = r.Order
	}
	var keys []sortKey
	seen := map[string]bool{}
	for _, n := range names {
		desc := strings.HasPrefix(n, "-")
		name := strings.TrimPrefix(n, "-")
		bits := strings.Split(name, "__")
		f := r.Field(bits[0])
		if f == nil {
			return nil, invalid("order_by", "No matching '%s' field for ordering on.", bits[0])
		}
		allowed := false
		for _, o := range r.Ordering {
			allowed = allowed || o == f.Name
		}
		if q.Has("order_by") && (!allowed || len(bits) > 1 || f.Type == ToMany) {
			return nil, invalid("order_by", "The '%s' field does not allow ordering.", bits[0])
		}
		if seen[f.Name] || f.Empty || f.Value != nil {
			continue
		}
		seen[f.Name] = true
		keys = append(keys, sortKey{f, desc})
	}
	if !seen[r.Key] {
		keys = append(keys, sortKey{f: r.key()})
	}
	return keys, nil
}

// List answers a list request: the filters, order and page of q.
func (s *Service) List(ctx context.Context, r *Resource, q url.Values) (p Page, err error) {
	defer fail.Wrap(&err, "opendata.List(%s)", r.Name())
	if r.Check != nil {
		if err := r.Check(q); err != nil {
			return p, err
		}
	}
	if p.Limit, p.Offset, err = Paging(q); err != nil {
		return p, err
	}
	conds, err := s.parse(r, q)
	if err != nil {
		return p, err
	}
	keys, err := order(r, q)
	if err != nil {
		return p, err
	}
	if r.Table == nil {
		return s.listRows(ctx, r, conds, keys, p)
	}
	return s.listTable(ctx, r, conds, keys, q.Get(CursorParam), p)
}

// Get answers a detail request: the object whose key is k.
func (s *Service) Get(ctx context.Context, r *Resource, k string) (map[string]any, error) {
	v, err := parseValue(r.key().Type, k)
	if err != nil {
		return nil, fail.New(fail.NotFound, "There is no %s %q.", r.Name(), k)
	}
	c := cond{param: r.Key, path: []*Field{r.key()}, res: []*Resource{r}, lookup: "exact", typ: r.key().Type, vals: []any{v}}
	var p Page
	if r.Table == nil {
		p, err = s.listRows(ctx, r, []cond{c}, nil, Page{Limit: 1})
	} else {
		p, err = s.listTable(ctx, r, []cond{c}, []sortKey{{f: r.key()}}, "", Page{Limit: 1})
	}
	if err != nil {
		return nil, err
	}
	if len(p.Objects) == 0 {
		return nil, fail.New(fail.NotFound, "There is no %s %q.", r.Name(), k)
	}
	return p.Objects[0], nil
}

func (s *Service) listRows(ctx context.Context, r *Resource, conds []cond, keys []sortKey, p Page) (Page, error) {
	all, err := s.rows(ctx, r)
	if err != nil {
		return p, err
	}
	fs, err := s.prepare(ctx, conds)
	if err != nil {
		return p, err
	}
	var rows []Row
	for _, row := range all {
		if matchRow(row, fs) {
			rows = append(rows, row)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			c := compareNil(rows[i][k.f.Name], rows[j][k.f.Name])
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	p.Total = len(rows)
	rows = rows[min(p.Offset, len(rows)):]
	rows = rows[:min(p.Limit, len(rows))]
	for _, row := range rows {
		vals := make([]any, len(r.Fields))
		for i, f := range r.Fields {
			vals[i] = row[f.Name]
		}
		p.Objects = append(p.Objects, s.object(r, vals, nil))
	}
	return p, nil
}

// compareNil orders nulls last, as PostgreSQL does.
func compareNil(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return compare(a, b)
}

func (s *Service) listTable(ctx context.Context, r *Resource, conds []cond, keys []sortKey, cursor string, p Page) (Page, error) {
	q := &compiler{s: s, ctx: ctx, w: &db.Where{}}
	where := q.where(r, conds)
	if q.err != nil {
		return p, q.err
	}
	var err error
	if p.Total, err = s.count(ctx, r, where, q.w.Args); err != nil {
		return p, err
	}
	keyset := keysetable(keys)
	offset := p.Offset
	if after, ok := decodeCursor(cursor, keys); ok && keyset {
		q = &compiler{s: s, ctx: ctx, w: &db.Where{}}
		where = q.where(r, conds, q.after(keys, after))
		if q.err != nil {
			return p, q.err
		}
		offset = 0
	}
	var cols []string
	index := make([]int, len(r.Fields)) // field i is column index[i], or -1
	for i, f := range r.Fields {
		index[i] = -1
		if f.Col != "" && !f.Empty && f.Value == nil && f.Type != ToMany {
			index[i] = len(cols)
			cols = append(cols, f.Col)
		}
	}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + r.Table.From + where +
		" ORDER BY " + orderBy(keys) + fmt.Sprintf(" LIMIT %d OFFSET %d", p.Limit, offset)
	if s.trace != nil {
		s.trace(query, q.w.Args)
	}
	rows, err := s.DB.QueryContext(ctx, query, q.w.Args...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	var all [][]any
	for rows.Next() {
		cells := make([]cell, len(cols))
		dest := make([]any, len(cols))
		for i := range r.Fields {
			if index[i] >= 0 {
				cells[index[i]].typ = s.valueType(&r.Fields[i])
				if r.Fields[i].Reads != "" {
					cells[index[i]].typ = r.Fields[i].Reads
				}
			}
		}
		for i := range cells {
			dest[i] = &cells[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return p, err
		}
		vals := make([]any, len(r.Fields))
		for i := range r.Fields {
			if index[i] >= 0 {
				vals[i] = cells[index[i]].v
			}
		}
		all = append(all, vals)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	many, err := s.fetchMany(ctx, r, all)
	if err != nil {
		return p, err
	}
	if err := s.fetchNested(ctx, r, all); err != nil {
		return p, err
	}
	for i, vals := range all {
		p.Objects = append(p.Objects, s.object(r, vals, many[i]))
	}
	if keyset && len(all) == p.Limit && p.Offset+p.Limit < p.Total {
		p.Cursor = encodeCursor(r, keys, all[len(all)-1])
	}
	return p, nil
}

// count is how many rows the filters of a list match, its meta's
// total_count. It is counted once per version of the record and filter,
// as Load's rows are (see rows): a script paging through 100,000 events
// would otherwise have them all counted again for every page, so that
// each page cost more than the page itself.
func (s *Service) count(ctx context.Context, r *Resource, where string, args []any) (int, error) {
	v, err := s.Versions.Get(ctx)
	if err != nil {
		return 0, err
	}
	key := r.Name() + where + fmt.Sprintf("%#v", args)
	s.mu.Lock()
	c, ok := s.counts[key]
	s.mu.Unlock()
	if ok && c.version == v {
		return c.n, nil
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+r.Table.From+where, args...).Scan(&n); err != nil {
		return 0, err
	}
	s.mu.Lock()
	if len(s.counts) >= maxCounts {
		clear(s.counts) // a crawler's distinct filters must not grow it without end
	}
	s.counts[key] = counted{version: v, n: n}
	s.mu.Unlock()
	return n, nil
}

// maxCounts bounds the counts kept: each is a few hundred bytes.
const maxCounts = 10000

// counted is a list's total_count and the version of the record it was
// counted at.
type counted struct {
	version int64
	n       int
}

// keysetable tells whether a page can start where the last ended by its
// sort keys: every key is a column that is never null.
func keysetable(keys []sortKey) bool {
	for _, k := range keys {
		if k.f.Null || k.f.Col == "" {
			return false
		}
	}
	return true
}

func orderBy(keys []sortKey) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		dir := ""
		if k.desc {
			dir = " DESC"
		}
		if k.f.Null {
			// Nulls last going up and first going down, as PostgreSQL
			// does, on both engines.
			parts = append(parts, "("+k.f.Col+" IS NULL)"+dir)
		}
		parts = append(parts, k.f.Col+dir)
	}
	return strings.Join(parts, ", ")
}

// after is the condition "comes after the row whose keys are vals".
func (q *compiler) after(keys []sortKey, vals []any) string {
	var ors []string
	for i := range keys {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, keys[j].f.Col+" = "+q.w.Arg(vals[j]))
		}
		op := " > "
		if keys[i].desc {
			op = " < "
		}
		ands = append(ands, keys[i].f.Col+op+q.w.Arg(vals[i]))
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	// The first key's bound stands on its own too: a range that an index
	// on that key seeks to. In the OR alone neither engine sees one, and
	// reads every row before the cursor's too.
	op := " >= "
	if keys[0].desc {
		op = " <= "
	}
	return "(" + keys[0].f.Col + op + q.w.Arg(vals[0]) + " AND (" + strings.Join(ors, " OR ") + "))"
}

// A cursor is the sort keys' values of a page's last row, as JSON in
// base64url.
func encodeCursor(r *Resource, keys []sortKey, vals []any) string {
	out := make([]any, len(keys))
	for i, k := range keys {
		for j := range r.Fields {
			if &r.Fields[j] == k.f {
				out[i] = vals[j]
			}
		}
		if t, ok := out[i].(time.Time); ok {
			out[i] = t.UTC().Format(time.RFC3339Nano)
		}
	}
	b, _ := json.Marshal(out)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor back for keys; a cursor that does not fit
// (edited, or from another order) is ignored, and offset counts.
func decodeCursor(s string, keys []sortKey) ([]any, bool) {
	if s == "" {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var raw []any
	if d.Decode(&raw) != nil || len(raw) != len(keys) {
		return nil, false
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		var t Type = k.f.Type
		if t == ToOne {
			return nil, false
		}
		switch v := raw[i].(type) {
		case json.Number:
			n, err := v.Int64()
			if err != nil || t != Integer {
				return nil, false
			}
			out[i] = n
		case bool:
			if t != Boolean {
				return nil, false
			}
			out[i] = v
		case string:
			switch t {
			case DateTime:
				tm, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					return nil, false
				}
				out[i] = tm
			case String, Date:
				out[i] = v
			default:
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return out, true
}

// fetchMany reads the ToMany fields of a page's rows, one query per
// field: many[row][field index] is the list of keys.
func (s *Service) fetchMany(ctx context.Context, r *Resource, rows [][]any) ([]map[int][]any, error) {
	out := make([]map[int][]any, len(rows))
	for i := range out {
		out[i] = map[int][]any{}
	}
	ki := -1
	for i := range r.Fields {
		if r.Fields[i].Name == r.Key {
			ki = i
		}
	}
	for fi := range r.Fields {
		f := &r.Fields[fi]
		if f.Type != ToMany || f.Link == nil || f.Empty || len(rows) == 0 {
			continue
		}
		var w db.Where
		at := map[any][]int{}
		var owners []any
		for i, vals := range rows {
			k := vals[ki]
			if _, ok := at[k]; !ok {
				owners = append(owners, k)
			}
			at[k] = append(at[k], i)
		}
		if f.Link.Read != nil {
			m, err := f.Link.Read(ctx, s.DB, owners)
			if err != nil {
				return nil, err
			}
			for _, k := range owners {
				keys, _ := m[k].([]any)
				for _, i := range at[k] {
					out[i][fi] = keys
				}
			}
			continue
		}
		q := &compiler{s: s, ctx: ctx, w: &w}
		query := "SELECT " + f.Link.Owner + ", " + f.Link.Key + " FROM " + f.Link.From +
			" WHERE " + f.Link.Owner + " IN " + q.list(owners) + " ORDER BY " + f.Link.Owner + ", " + f.Link.Key
		res, err := s.DB.QueryContext(ctx, query, w.Args...)
		if err != nil {
			return nil, err
		}
		for res.Next() {
			owner, key := cell{typ: r.key().Type}, cell{typ: s.valueType(f)}
			if err := res.Scan(&owner, &key); err != nil {
				res.Close()
				return nil, err
			}
			for _, i := range at[owner.v] {
				out[i][fi] = append(out[i][fi], key.v)
			}
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fetchNested fills the List and Dict fields of a page's rows, one Fetch
// per field.
func (s *Service) fetchNested(ctx context.Context, r *Resource, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ki := s.keyIndex(r)
	keys := make([]any, len(rows))
	for i, vals := range rows {
		keys[i] = vals[ki]
	}
	for fi := range r.Fields {
		f := &r.Fields[fi]
		if f.Fetch == nil {
			continue
		}
		m, err := f.Fetch(ctx, s.DB, keys)
		if err != nil {
			return err
		}
		for i, vals := range rows {
			vals[fi] = m[keys[i]]
		}
	}
	return nil
}
