// Package opendata is the open record as data: the Datatracker's JSON API
// (/api/v1/, Tastypie's shapes) over hum's capabilities, so that scripts
// written for the Datatracker (ietfdata, mail filters, dashboards) work
// against hum unchanged. It has no HTTP inside: web routes requests to it,
// and it answers with objects, pages and schemas.
//
// # Adding a resource
//
// A resource is one table entry, a Resource value, returned by the
// OpenData method of the capability that owns its tables (see
// groups/opendata.go for group/group): app and web collect those lists
// into one Service. The entry says
//
//   - App and Model, as the Datatracker names them ("group", "role"), and
//     Key, the field whose value the detail URI carries (id, slug,
//     address or name, as the Datatracker's URIs do);
//   - Fields, in the Datatracker's field names and Tastypie types (Integer,
//     String, ... ToOne, ToMany with the resource they point to), each
//     with the filtering the Datatracker's resources.py allows (None, All,
//     AllWithRelations) and how to read it: Col, an SQL expression over
//     the resource's Table, valid on SQLite and PostgreSQL alike (a ToOne
//     field's Col is the key of the row it points to); a ToMany field's
//     Link names the table that links the two; a field hum has no value
//     for is Empty, and answers the Datatracker's empty value;
//   - Table, the FROM clause (and a fixed WHERE, for resources that must
//     leave rows out, such as addresses nobody made public), or Rows for
//     a fixed vocabulary held in memory (the name/* resources);
//   - Ordering, the fields order_by accepts (the resource's Meta.ordering
//     in the Datatracker), and Order, the default order.
//
// Nothing else: the filters (exact, iexact, contains, icontains,
// startswith, endswith, in, range, gt, gte, lt, lte, isnull, related paths
// such as group__acronym), order_by, limit and offset, paging by keyset,
// the schema, the listings at /api/v1/ and /api/v1/{app}/ and the detail
// URIs all follow from the entry. Test it by adding its fields and
// filters, with their source in the Datatracker, to web's acceptance data
// (internal/web/testdata/datatracker-resources.json).
package opendata

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"hum/internal/db"
	"hum/internal/record"
)

// Type is a field's Tastypie type, as the schema names it.
type Type string

const (
	Integer  Type = "integer"
	String   Type = "string"
	Boolean  Type = "boolean"
	DateTime Type = "datetime"
	Date     Type = "date"
	ToOne    Type = "to_one"  // "related" in the schema, related_type to_one
	ToMany   Type = "to_many" // "related" in the schema, related_type to_many
	// List and Dict are Tastypie's ListField and DictField: hum's own
	// nested values (a report's interop tests, an appeal's levels), read
	// by a Field's Fetch, and never filtered.
	List Type = "list"
	Dict Type = "dict"
)

// Filtering is what a field allows, as Tastypie's constants say it.
type Filtering int

const (
	None             Filtering = 0 // not in the resource's filtering
	All              Filtering = 1 // tastypie.constants.ALL
	AllWithRelations Filtering = 2 // ALL_WITH_RELATIONS: also field__related paths
)

// Field is one field of a resource.
type Field struct {
	Name   string
	Type   Type
	To     string // for ToOne and ToMany: the resource pointed to, "app/model"
	Null   bool   // may be null
	Filter Filtering
	// Col reads the field (for ToOne, the key of the row pointed to) as an
	// SQL expression over the resource's Table; Rows resources leave it
	// empty and hold the value in each Row under the field's name.
	Col string
	// Link, for a ToMany field of a Table resource, reads the keys of the
	// rows pointed to; nil with Empty for a field hum has no value for.
	Link *Link
	// Empty marks a field hum has no value for: it answers null, "",
	// false or [] (by Null and Type), as the Datatracker does when it has
	// none, and a filter on it matches what that value would.
	Empty bool
	// Value, when set, is the value every object has (a constant the
	// Datatracker keeps per object, such as a group's used_roles "[]").
	Value any
	// Unique marks a field no two of the resource's objects share (a
	// group's acronym). A filter through a relation that matches it
	// exactly (group__acronym=quic) finds one object at most, and is
	// compiled as an equality with that object's key rather than an IN
	// over a subquery: the database can then start from that object and
	// read the related rows in an index's order, a page at a time,
	// rather than read every row and sort them (group/groupevent).
	Unique bool
	// Via, for a ToOne field of a Table resource joined to the object it
	// points to by one of that object's Unique fields, names that field
	// and the column here that holds its value (group/groupevent's group
	// is joined by acronym, held in ev.subject). A filter matching that
	// field exactly also puts the value on the column (ev.subject =
	// 'quic'), which the join implies: a planner then knows which rows it
	// is about, where through the join it counts on an average object's
	// (PostgreSQL sorted a big group's events for each page).
	Via *Via
	// Stamp marks a Date field whose Col is a timestamp (the Datatracker's
	// submission_date is a date, hum keeps the time of the upload): it
	// answers the timestamp's UTC day, and a filter compares with that day's
	// bounds, [d 00:00, d+1 00:00), rather than a date with a time.
	Stamp bool
	// Map, when set, turns the value Col reads into the field's, for a
	// value hum keeps in another form (a submission's authors, kept in
	// its JSON). Filters compare Col's value as it is.
	Map func(any) any
	// Reads, with Map, is the type Col reads when it is not the field's
	// (a time that Map compares with the clock, for a Boolean field).
	// Such a field is never filtered: a filter would compare Col.
	Reads Type
	// Fetch, for a List or Dict field, reads the values of a page's
	// objects at once (one query a page, not one an object), by their
	// keys (the values of the resource's Key field); an object it has no
	// value for answers [] (List) or null (Dict).
	Fetch Fetcher
	Help  string // help text for the schema
}

// Via is how a ToOne field is joined to the object it points to (Field.Via).
type Via struct {
	Field string // a Unique field of the resource pointed to
	Col   string // the column of this resource's Table that holds its value
}

// Fetcher reads a List or Dict field's values for the objects whose keys
// are given: key to value (nested maps, slices and JSON values).
type Fetcher func(ctx context.Context, q db.Querier, keys []any) (map[any]any, error)

// Link is how a ToMany field reads the keys it points to: From joins
// the linking table(s), Owner is the column there that holds the owning
// row's key (Col of the resource's Key field), Key the column that holds
// the key of the row pointed to.
type Link struct {
	From  string // "milestone_doc md JOIN doc d ON d.id = md.doc_id"
	Owner string // "md.milestone_id"
	Key   string // "d.name"
	// Read, when set, reads the keys of a page's objects in place of the
	// SELECT over From (filters still use From): for a link whose From is
	// no plain join, such as doc/document's states, which picks rows of a
	// fixed vocabulary by conditions no index serves. It answers, for
	// each owner it has keys for, the keys in ascending order ([]any).
	Read Fetcher
}

// Table is where a resource's rows come from.
type Table struct {
	From  string // "grp g LEFT JOIN grp p ON p.id = g.parent_id"
	Where string // a condition every row must meet, or ""
}

// Row is one object of a resource held in memory: field name to value
// (int64, string, bool, time.Time, nil; a list of keys for a ToMany
// field).
type Row map[string]any

// Loader computes a resource's rows from the database, for resources
// that are not one SELECT (a group's history, rebuilt from its events);
// the rows are filtered, ordered and paged in memory.
type Loader func(ctx context.Context, q db.Querier) ([]Row, error)

// Resource is one resource of the API.
type Resource struct {
	App, Model string
	Key        string // the field the detail URI carries
	// PK, when it is not Key, is the field a filter on a related field
	// compares with (the Datatracker's primary key): doc/document's URIs
	// carry its name, but doc=123 filters by its id. A filter value that
	// is not of PK's type is taken for a Key.
	PK     string
	Fields []Field
	// Exactly one of Table, Rows and Load says where the rows come from.
	Table *Table
	Rows  []Row
	Load  Loader
	// Ordering lists the fields order_by may name (Meta.ordering of the
	// Datatracker's resource); Order is the default order, "-field" for
	// descending. The key is always the last tie-break.
	Ordering []string
	Order    []string
	// FilterOnly names filters the Datatracker's resource lists that
	// are no field of it (doc/document's "order"): the schema shows them,
	// and a request that uses one is not filtered by it, as Tastypie
	// skips a filter that names no field.
	FilterOnly map[string]Filtering
	// Check, when set, sees a list request's query before anything else
	// and may refuse it: a capability's rule about what may be asked
	// (consensus refuses any filter or order that asks for a count,
	// R32), or a value outside a closed set it names.
	Check func(q url.Values) error

	fields map[string]*Field
}

// Name is "app/model".
func (r *Resource) Name() string { return r.App + "/" + r.Model }

// ListURI is the list endpoint, /api/v1/app/model/.
func (r *Resource) ListURI() string { return "/api/v1/" + r.App + "/" + r.Model + "/" }

// URI is the detail URI of the object with key k.
func (r *Resource) URI(k any) string {
	return r.ListURI() + url.PathEscape(fmt.Sprint(k)) + "/"
}

// Field returns the field named n, or nil.
func (r *Resource) Field(n string) *Field { return r.fields[n] }

func (r *Resource) key() *Field { return r.fields[r.Key] }

// uri is the detail URI of key k of the resource to ("app/model").
func uri(to string, k any) string {
	return "/api/v1/" + to + "/" + url.PathEscape(fmt.Sprint(k)) + "/"
}

// Service answers the API's questions from the resources it was given.
type Service struct {
	// DB is where the resources read. hum's --hide-addresses needs no
	// setting here: no resource serves an address known only from the
	// mail archive (the archive's own pages and the public dump honour
	// it, through archive.Service.HideAddresses).
	DB *db.DB
	// Versions is the record's version, which the Load rows and the
	// counts are kept by: read at most every 250 ms, or after a commit in
	// this process, rather than on every request. New makes one for DB;
	// web's pages share it, so a process keeps one.
	Versions *record.Versions

	byName map[string]*Resource
	apps   map[string][]*Resource

	mu     sync.Mutex
	loaded map[*Resource]loaded // the rows of each Load, by version (rows)
	counts map[string]counted   // total_count by resource and filter (count)

	trace func(query string, args []any) // sees each page's query (tests)
}

// New checks and indexes the resources. A mistake in a table entry (a
// duplicate, a field with a value pointing to a resource nobody serves, a
// missing key) is a
// programming error, reported here rather than on a request.
func New(d *db.DB, lists ...[]Resource) (*Service, error) {
	s := &Service{DB: d, Versions: record.NewVersions(d), byName: map[string]*Resource{}, apps: map[string][]*Resource{}, loaded: map[*Resource]loaded{}, counts: map[string]counted{}}
	for _, l := range lists {
		for i := range l {
			r := &l[i]
			if _, dup := s.byName[r.Name()]; dup {
				return nil, fmt.Errorf("opendata: %s is defined twice", r.Name())
			}
			if n := btoi(r.Table != nil) + btoi(r.Rows != nil) + btoi(r.Load != nil); n != 1 {
				return nil, fmt.Errorf("opendata: %s needs one of Table, Rows and Load, not %d", r.Name(), n)
			}
			r.fields = map[string]*Field{}
			for j := range r.Fields {
				r.fields[r.Fields[j].Name] = &r.Fields[j]
			}
			if r.key() == nil {
				return nil, fmt.Errorf("opendata: %s has no key field %q", r.Name(), r.Key)
			}
			if r.PK != "" && r.fields[r.PK] == nil {
				return nil, fmt.Errorf("opendata: %s has no primary key field %q", r.Name(), r.PK)
			}
			s.byName[r.Name()] = r
			s.apps[r.App] = append(s.apps[r.App], r)
		}
	}
	for _, r := range s.byName {
		if err := s.check(r); err != nil {
			return nil, err
		}
	}
	for _, rs := range s.apps {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Model < rs[j].Model })
	}
	return s, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Service) check(r *Resource) error {
	for _, f := range r.Fields {
		bad := func(why string) error { return fmt.Errorf("opendata: %s.%s: %s", r.Name(), f.Name, why) }
		if f.Type == ToOne || f.Type == ToMany {
			if !strings.Contains(f.To, "/") {
				return bad("points to " + f.To + ", which is not app/model")
			}
			if s.byName[f.To] == nil && !f.Empty {
				// Its URIs would not resolve: serve the resource pointed
				// to, or make the field Empty until it is served.
				return bad("points to " + f.To + ", which no resource serves")
			}
		}
		if f.Via != nil {
			to := s.byName[f.To]
			if f.Type != ToOne || r.Table == nil || to == nil || !slices.ContainsFunc(to.Fields, func(g Field) bool { return g.Name == f.Via.Field && g.Unique }) || f.Via.Col == "" {
				return bad("a Via is for a ToOne field of a Table, naming a Unique field of the resource pointed to and a column")
			}
		}
		if (f.Type == List || f.Type == Dict) != (f.Fetch != nil) || (f.Fetch != nil && (f.Filter != None || r.Table == nil)) {
			return bad("a List or Dict field, and only one, has a Fetch; it is never filtered, and its resource is a Table")
		}
		if f.Reads != "" && (f.Map == nil || f.Filter != None) {
			return bad("a field that Reads another type needs a Map, and is never filtered")
		}
		switch {
		case f.Empty || f.Value != nil || f.Fetch != nil:
		case r.Table == nil:
		case f.Type == ToMany && f.Link == nil:
			return bad("a ToMany field needs a Link, or Empty")
		case f.Type != ToMany && f.Col == "":
			return bad("needs a Col, a Value, or Empty")
		}
	}
	for _, o := range append(r.Ordering, r.Order...) {
		if r.fields[strings.TrimPrefix(o, "-")] == nil {
			return fmt.Errorf("opendata: %s orders by %q, which is not a field", r.Name(), o)
		}
	}
	return nil
}

// Resource returns the resource app/model.
func (s *Service) Resource(app, model string) (*Resource, bool) {
	r, ok := s.byName[app+"/"+model]
	return r, ok
}

// Apps lists the apps that serve at least one resource, sorted.
func (s *Service) Apps() []string {
	var out []string
	for a := range s.apps {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Resources lists an app's resources, by model.
func (s *Service) Resources(app string) []*Resource { return s.apps[app] }

// All lists every resource, by app and model.
func (s *Service) All() []*Resource {
	var out []*Resource
	for _, a := range s.Apps() {
		out = append(out, s.apps[a]...)
	}
	return out
}
