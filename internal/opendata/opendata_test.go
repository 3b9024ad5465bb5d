package opendata_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/opendata"
	"hum/internal/record"
	"hum/internal/testbody"
)

// fixture is a small standards body on a fresh database (SQLite, or
// PostgreSQL under HUM_TEST_POSTGRES) and the API over its groups.
type fixture struct {
	t    *testing.T
	body *testbody.Body
	s    *opendata.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return fixtureOn(t, dbtest.New(t))
}

// fixtureOn is newFixture on d.
func fixtureOn(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	b := testbody.New(t, d)
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art", ListEmail: "httpbis@ietf.example"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "tls", Name: "Transport Layer Security", Type: "wg", Parent: "sec", State: "bof"},
	)
	b.AddPeople(testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"})
	s, err := opendata.New(b.DB, opendata.Names(), b.Groups.OpenData(), b.People.OpenData(), (&lists.Service{DB: b.DB}).OpenData(), (&docs.Service{DB: b.DB}).OpenData())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, body: b, s: s}
}

func (f *fixture) list(resource, query string) (opendata.Page, error) {
	f.t.Helper()
	app, model, _ := strings.Cut(resource, "/")
	r, ok := f.s.Resource(app, model)
	if !ok {
		f.t.Fatalf("no resource %s", resource)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.s.List(context.Background(), r, q)
}

// acronyms lists a group/group query's acronyms, in order.
func (f *fixture) acronyms(query string) string {
	f.t.Helper()
	p, err := f.list("group/group", query)
	if err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	var out []string
	for _, o := range p.Objects {
		out = append(out, o["acronym"].(string))
	}
	return strings.Join(out, " ")
}

func TestGroupFilters(t *testing.T) {
	f := newFixture(t)
	if _, err := f.body.Groups.ReviseCharter(context.Background(), groups.Operator(record.System), "httpbis", "HTTP things.", ""); err != nil {
		t.Fatal(err)
	}
	httpbis, _ := f.body.Groups.Get(context.Background(), "httpbis")
	art, _ := f.body.Groups.Get(context.Background(), "art")
	for _, tc := range []struct{ query, want string }{
		{"", "iesg art sec httpbis quic tls"},
		{"acronym=httpbis", "httpbis"},
		{"acronym=HTTPBIS", ""},
		{"acronym__iexact=HTTPBIS", "httpbis"},
		{"name__contains=Area", "art sec"},
		{"name__contains=area", ""}, // contains is case-sensitive, as on the Datatracker's PostgreSQL
		{"name__icontains=area", "art sec"},
		{"name__startswith=Tr", "tls"},
		{"name__istartswith=tr", "tls"},
		{"name__endswith=Area", "art sec"},
		{"name__iendswith=AREA", "art sec"},
		{"acronym__in=quic,tls", "quic tls"},
		{"acronym__in=quic&acronym__in=tls", "quic tls"},
		{fmt.Sprintf("id__gt=%d", httpbis.ID), "quic tls"},
		{fmt.Sprintf("id__gte=%d", httpbis.ID), "httpbis quic tls"},
		{fmt.Sprintf("id__lt=%d", art.ID), "iesg"},
		{fmt.Sprintf("id__range=%d,%d", art.ID, httpbis.ID), "art sec httpbis"},
		{"type=wg", "httpbis quic tls"},
		{"type=/api/v1/name/grouptypename/wg/", "httpbis quic tls"},
		{"type__in=area,iesg", "iesg art sec"},
		{"state=bof", "tls"},
		{"state__name=BOF", "tls"}, // through to the Datatracker's names
		{"state__name__icontains=bo", "tls"},
		{"type__name=WG", "httpbis quic tls"},
		{"type__verbose_name__icontains=working", "!The 'verbose_name' field does not allow filtering."},
		{"parent__acronym=art", "httpbis quic"},
		{"parent__parent__acronym=iesg", "httpbis quic tls"},
		{fmt.Sprintf("parent=%d", art.ID), "httpbis quic"},
		{fmt.Sprintf("parent=/api/v1/group/group/%d/", art.ID), "httpbis quic"},
		{"parent__isnull=true", "iesg"},
		{"parent=None", "iesg"},
		{"list_email__contains=@", "httpbis"},
		{"time__gte=1970-01-01T00:00:00&time__lt=2038-01-19T03:14:07", "iesg art sec httpbis quic tls"},
		{"time__lt=1970-01-01T00:00:00", ""},
		{fmt.Sprintf("ad=%d", f.body.IDs["ad@example.org"]), "art httpbis quic"}, // an area's AD is its WGs' too
		{"ad__name=Ada Director", "art httpbis quic"},
		{"ad__name__icontains=ADA", "art httpbis quic"},
		{"charter=charter-ietf-httpbis", "httpbis"},
		{"charter__isnull=false", "httpbis"},
		{"unused_tags__isnull=true", "iesg art sec httpbis quic tls"},
		{"unused_tags=ad-f-up", ""},
		{"order_by=-id&type=wg", "tls quic httpbis"},
		{"limit=2", "iesg art"},
		{"limit=2&offset=2", "sec httpbis"},
		{"acronymm=x&format=json&callback=y", "iesg art sec httpbis quic tls"}, // not fields: not filters
	} {
		if msg, ok := strings.CutPrefix(tc.want, "!"); ok {
			if _, err := f.list("group/group", tc.query); err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("group/group?%s: %v, want %q", tc.query, err, msg)
			}
			continue
		}
		if got := f.acronyms(tc.query); got != tc.want {
			t.Errorf("group/group?%s: %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestTastypieErrors checks that what the Datatracker refuses is refused
// with Tastypie's messages, as a 400 (fail.Invalid), and that nothing
// else is.
func TestTastypieErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ query, want string }{
		{"used_roles=[]", "The 'used_roles' field does not allow filtering."},
		{"meeting_seen_as_area=false", "The 'meeting_seen_as_area' field does not allow filtering."},
		{"acronym__name=x", "The 'acronym' field does not support relations."},
		{"type__slug__name=x", "The 'slug' field does not support relations."},
		{"parent__nosuch=x", "The 'nosuch' field is not a valid field name"},
		{"parent__used_roles=x", "The 'used_roles' field does not allow filtering."},
		{"id=httpbis", "Invalid resource lookup data provided (mismatched type)"},
		{"time__gte=yesterday", "Invalid resource lookup data provided (mismatched type)"},
		{"id__contains=1", "'contains' is not an allowed filter on the 'id' field."},
		{"parent__acronym__in=", ""},
		{"order_by=name", "The 'name' field does not allow ordering."},
		{"order_by=nosuch", "No matching 'nosuch' field for ordering on."},
		{"limit=x", "Invalid limit 'x' provided. Please provide a positive integer."},
		{"limit=-1", "Invalid limit '-1' provided. Please provide a positive integer >= 0."},
		{"offset=-5", "Invalid offset '-5' provided."},
		{"charter__name=x", ""},
		{"ad__user__username=x", "The 'user' field points to utils/user, which hum does not serve."},
	} {
		_, err := f.list("group/group", tc.query)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want no error", tc.query, err)
			}
			continue
		}
		fe, ok := fail.As(err)
		if !ok || fe.Kind != fail.Invalid || !strings.Contains(fe.Message, tc.want) {
			t.Errorf("%s: %v, want a 400 saying %q", tc.query, err, tc.want)
		}
	}
}

func TestGroupObject(t *testing.T) {
	f := newFixture(t)
	r, _ := f.s.Resource("group", "group")
	httpbis, _ := f.body.Groups.Get(context.Background(), "httpbis")
	o, err := f.s.Get(context.Background(), r, fmt.Sprint(httpbis.ID))
	if err != nil {
		t.Fatal(err)
	}
	ad := fmt.Sprintf("/api/v1/person/person/%d/", f.body.IDs["ad@example.org"])
	for k, want := range map[string]any{
		"id": httpbis.ID, "acronym": "httpbis", "name": "HTTP", "state": "/api/v1/name/groupstatename/active/",
		"type": "/api/v1/name/grouptypename/wg/", "parent": fmt.Sprintf("/api/v1/group/group/%d/", httpbis.ParentID),
		"ad": ad, "charter": nil, "list_email": "httpbis@ietf.example", "list_subscribe": "", "used_roles": "[]",
		"uses_milestone_dates": true, "meeting_seen_as_area": false,
		"resource_uri": fmt.Sprintf("/api/v1/group/group/%d/", httpbis.ID),
		"time":         httpbis.Updated.UTC().Format("2006-01-02T15:04:05Z"),
	} {
		if fmt.Sprint(o[k]) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", k, o[k], want)
		}
	}
	if l, ok := o["unused_states"].([]string); !ok || len(l) != 0 {
		t.Errorf("unused_states = %#v, want []", o["unused_states"])
	}
	if _, err := f.s.Get(context.Background(), r, "999999"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("missing group: %v", err)
	}
	if _, err := f.s.Get(context.Background(), r, "httpbis"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("a key of the wrong type: %v", err)
	}
}

// TestKeysetPaging walks a list page by page with the cursors and with
// offsets, and finds the same objects in the same order, each once.
func TestKeysetPaging(t *testing.T) {
	f := newFixture(t)
	for i := range 23 {
		f.body.AddGroups(groups.NewGroup{Acronym: fmt.Sprintf("wg%02d", i), Name: fmt.Sprintf("WG %d", i%4), Type: "wg", Parent: "art"})
	}
	for _, order := range []string{"", "order_by=-id"} {
		walk := func(useCursor bool) []string {
			var seen []string
			cursor, offset := "", 0
			for {
				q := fmt.Sprintf("type=wg&limit=5&offset=%d&%s", offset, order)
				if useCursor && cursor != "" {
					q += "&cursor=" + cursor
				}
				p, err := f.list("group/group", q)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range p.Objects {
					seen = append(seen, o["acronym"].(string))
				}
				if p.Total != 26 {
					t.Fatalf("%s: total %d, want 26", q, p.Total)
				}
				if offset+p.Limit >= p.Total {
					if p.Cursor != "" {
						t.Errorf("%s: a cursor on the last page", q)
					}
					return seen
				}
				if p.Cursor == "" {
					t.Fatalf("%s: no cursor for the next page", q)
				}
				cursor, offset = p.Cursor, offset+p.Limit
			}
		}
		byOffset, byCursor := walk(false), walk(true)
		if strings.Join(byOffset, " ") != strings.Join(byCursor, " ") || len(byCursor) != 26 {
			t.Errorf("%q: by offset %v, by cursor %v", order, byOffset, byCursor)
		}
	}
	// A cursor that does not fit the order is ignored: offset counts.
	if got := f.acronyms("type=wg&limit=2&offset=2&cursor=garbage"); got != "tls wg00" {
		t.Errorf("bad cursor: %q", got)
	}
}

func TestNames(t *testing.T) {
	f := newFixture(t)
	r, ok := f.s.Resource("name", "groupstatename")
	if !ok {
		t.Fatal("no name/groupstatename")
	}
	o, err := f.s.Get(context.Background(), r, "active")
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"slug": "active", "name": "Active", "used": true, "resource_uri": "/api/v1/name/groupstatename/active/"} {
		if o[k] != want {
			t.Errorf("%s = %v, want %v", k, o[k], want)
		}
	}
	if _, ok := o["desc"].(string); !ok {
		t.Errorf("desc = %#v", o["desc"])
	}
	p, err := f.list("name/countryname", "continent__name=Europe&in_eu=true&limit=0")
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 27 && p.Total != 28 {
		t.Errorf("EU countries: %d", p.Total)
	}
	if p.Objects[0]["continent"] != "/api/v1/name/continentname/europe/" {
		t.Errorf("continent: %v", p.Objects[0]["continent"])
	}
	p, err = f.list("name/rolename", "slug__in=chair,exofficio")
	if err != nil || p.Total != 2 {
		t.Errorf("role names chair and exofficio: %v %v", p.Total, err)
	}
	if _, err := f.list("name/rolename", "order_by=name"); err == nil {
		t.Error("names allow no order_by, as the Datatracker's")
	}
	// Every group type, state and role hum can hold is a name that
	// resolves.
	for model, slugs := range map[string]map[string]string{"grouptypename": groups.Types, "groupstatename": groups.States, "rolename": groups.Roles} {
		r, _ := f.s.Resource("name", model)
		for slug := range slugs {
			if _, err := f.s.Get(context.Background(), r, slug); err != nil {
				t.Errorf("name/%s/%s: %v", model, slug, err)
			}
		}
	}
}

func TestSchema(t *testing.T) {
	f := newFixture(t)
	r, _ := f.s.Resource("group", "group")
	sc := f.s.Schema(r)
	filtering := sc["filtering"].(map[string]any)
	if filtering["acronym"] != 1 || filtering["parent"] != 2 || filtering["used_roles"] != nil {
		t.Errorf("filtering: %v", filtering)
	}
	fields := sc["fields"].(map[string]any)
	parent := fields["parent"].(map[string]any)
	if parent["type"] != "related" || parent["related_type"] != "to_one" || parent["nullable"] != true {
		t.Errorf("parent: %v", parent)
	}
	if fields["unused_tags"].(map[string]any)["related_type"] != "to_many" || fields["resource_uri"] == nil {
		t.Errorf("fields: %v", fields)
	}
	if sc["default_limit"] != 20 || fmt.Sprint(sc["ordering"]) != "[id]" {
		t.Errorf("schema: %v", sc)
	}
}

func TestNewRefusesMistakes(t *testing.T) {
	d := dbtest.New(t)
	bad := []opendata.Resource{
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"}, Fields: []opendata.Field{{Name: "name", Type: opendata.String, Col: "g.name"}}},
		{App: "x", Model: "y", Key: "id", Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"}}},
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"}, Fields: []opendata.Field{{Name: "id", Type: opendata.Integer}}},
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"}, Order: []string{"-nosuch"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"}}},
		// A field with a value, pointing to a resource nobody serves: its
		// URIs would not resolve.
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"},
				{Name: "p", Type: opendata.ToOne, To: "no/such", Col: "g.parent_id"}}},
		// A field that reads another type needs a Map to turn it into its
		// own, and is never filtered (a filter would compare what it reads).
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"},
				{Name: "b", Type: opendata.Boolean, Reads: opendata.DateTime, Col: "g.updated"}}},
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"},
				{Name: "b", Type: opendata.Boolean, Reads: opendata.DateTime, Col: "g.updated", Filter: opendata.All,
					Map: func(v any) any { return v != nil }}}},
		// A Via through a field of the resource pointed to that is not
		// Unique: the value on the column would not name one object.
		{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Col: "g.id"}, {Name: "name", Type: opendata.String, Col: "g.name"},
				{Name: "p", Type: opendata.ToOne, To: "x/y", Col: "g.parent_id", Via: &opendata.Via{Field: "name", Col: "g.name"}}}},
	}
	for i, r := range bad {
		if _, err := opendata.New(d, []opendata.Resource{r}); err == nil {
			t.Errorf("resource %d: no error", i)
		}
	}
	twice := opendata.Names()[:1]
	if _, err := opendata.New(d, twice, twice); err == nil {
		t.Error("a resource defined twice: no error")
	}
}

// TestLoadOncePerVersion checks that a Load resource is computed once
// per version of the record, and again once an event is written.
func TestLoadOncePerVersion(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	loads := 0
	r := opendata.Resource{App: "x", Model: "y", Key: "id",
		Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: opendata.All}},
		Load: func(ctx context.Context, q db.Querier) ([]opendata.Row, error) {
			loads++
			v, err := record.Version(ctx, q)
			return []opendata.Row{{"id": v}}, err
		}}
	s, err := opendata.New(d, []opendata.Resource{r})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := s.Resource("x", "y")
	ids := func() string {
		p, err := s.List(ctx, res, url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.Objects[0]["id"])
	}
	first := ids()
	if again := ids(); again != first || loads != 1 {
		t.Fatalf("two reads at one version: ids %s, %s and %d loads, want one load", first, again, loads)
	}
	if err := d.Write(ctx, func(tx *db.Tx) error {
		return record.Add(ctx, tx, record.System, "group", "1", "test", "a change", "")
	}); err != nil {
		t.Fatal(err)
	}
	if now := ids(); now == first || loads != 2 {
		t.Fatalf("after an event: id %s (was %s) and %d loads, want a new load", now, first, loads)
	}
}

// TestCheckAndReads: a resource's Check refuses a query before anything
// is read, and a field that Reads a time answers what its Map makes of it.
func TestCheckAndReads(t *testing.T) {
	ctx := context.Background()
	b := testbody.New(t, dbtest.New(t))
	b.AddGroups(groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"})
	cut := b.DB.Now().Add(-time.Hour)
	r := opendata.Resource{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
		Check: func(q url.Values) error {
			if q.Has("tally") {
				return fail.Rule("R32", fail.NotFound, "no tally")
			}
			return nil
		},
		Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: opendata.All, Col: "g.id"},
			{Name: "recent", Type: opendata.Boolean, Reads: opendata.DateTime, Col: "g.updated",
				Map: func(v any) any { t, ok := v.(time.Time); return ok && t.After(cut) }}}}
	s, err := opendata.New(b.DB, []opendata.Resource{r})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := s.Resource("x", "y")
	if _, err := s.List(ctx, res, url.Values{"tally": {"1"}}); fail.KindOf(err) != fail.NotFound || !strings.Contains(err.Error(), "no tally") {
		t.Errorf("Check: %v, want its refusal", err)
	}
	p, err := s.List(ctx, res, url.Values{})
	if err != nil || len(p.Objects) != 1 || p.Objects[0]["recent"] != true {
		t.Fatalf("Reads: %v %v", p.Objects, err)
	}
	cut = b.DB.Now().Add(time.Hour)
	if p, _ := s.List(ctx, res, url.Values{}); p.Objects[0]["recent"] != false {
		t.Errorf("Reads after the cut: %v", p.Objects)
	}
}

// TestCountOncePerVersion: a list's total_count is counted once per
// version of the record and filter, so a script paging through a long
// list does not have it counted again for each page; a change (an event)
// counts again. Rows written without an event, which hum never does, show
// which count was kept.
func TestCountOncePerVersion(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	r := opendata.Resource{App: "x", Model: "y", Key: "id", Table: &opendata.Table{From: "grp g"},
		Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: opendata.All, Col: "g.id"},
			{Name: "type", Type: opendata.String, Filter: opendata.All, Col: "g.type"}}}
	s, err := opendata.New(d, []opendata.Resource{r})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := s.Resource("x", "y")
	total := func(q url.Values) int {
		t.Helper()
		p, err := s.List(ctx, res, q)
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	add := func(acronym string, event bool) {
		t.Helper()
		if err := d.Write(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO grp (acronym, name, type, state, created, updated) VALUES ($1, $1, 'wg', 'active', $2, $2)`, acronym, d.Now()); err != nil {
				return err
			}
			if !event {
				return nil
			}
			return record.Add(ctx, tx, record.System, "group", acronym, "test", "a change", "")
		}); err != nil {
			t.Fatal(err)
		}
	}
	add("one", true)
	wgs := url.Values{"type": {"wg"}}
	all, some := total(url.Values{}), total(wgs)
	add("two", false)
	if a, w := total(url.Values{}), total(wgs); a != all || w != some {
		t.Errorf("at one version: total_count %d and %d, want the counts kept, %d and %d", a, w, all, some)
	}
	add("three", true)
	if a, w := total(url.Values{}), total(wgs); a != all+2 || w != some+2 {
		t.Errorf("after an event: total_count %d and %d, want %d and %d", a, w, all+2, some+2)
	}
	if some == 0 || total(url.Values{"type": {"area"}}) == total(wgs) {
		t.Errorf("filters share a count: type=wg %d, type=area %d", total(wgs), total(url.Values{"type": {"area"}}))
	}
}

// TestVersionReadAtMostEvery250ms: the API asks the database for the
// record's version at most once every 250 ms, not once per list: lists
// made within that bound keep their Load rows and their total_count
// through a change that another process made (an event written past this
// process's commits), and see it once the bound has passed. synctest's
// clock holds still while the lists run, however loaded the machine.
func TestVersionReadAtMostEvery250ms(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	if _, err := record.Version(ctx, d); err != nil { // a connection open before the bubble
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		loads := 0
		load := opendata.Resource{App: "x", Model: "load", Key: "id",
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: opendata.All}},
			Load: func(ctx context.Context, q db.Querier) ([]opendata.Row, error) {
				loads++
				return []opendata.Row{{"id": 1}}, nil
			}}
		table := opendata.Resource{App: "x", Model: "table", Key: "id", Table: &opendata.Table{From: "grp g"},
			Fields: []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: opendata.All, Col: "g.id"}}}
		s, err := opendata.New(d, []opendata.Resource{load, table})
		if err != nil {
			t.Fatal(err)
		}
		list := func(model string) opendata.Page {
			t.Helper()
			r, _ := s.Resource("x", model)
			p, err := s.List(ctx, r, url.Values{})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		list("load")
		total := list("table").Total
		if _, err := d.ExecContext(ctx, `INSERT INTO grp (acronym, name, type, state, created, updated) VALUES ('other', 'other', 'wg', 'active', $1, $1)`, d.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO event (at, actor, subject_type, subject, kind, summary) VALUES ($1, 'another process', 'group', 'other', 'test', 'a change')`, d.Now()); err != nil {
			t.Fatal(err)
		}
		for range 10 {
			if list("load"); loads != 1 {
				t.Fatalf("lists within 250 ms of the first: %d loads, want 1 (the version was read again)", loads)
			}
			if n := list("table").Total; n != total {
				t.Fatalf("lists within 250 ms of the first: total_count %d, want the one kept, %d (the version was read again)", n, total)
			}
		}
		time.Sleep(250 * time.Millisecond)
		if list("load"); loads != 2 {
			t.Errorf("250 ms after another process's change: %d loads, want 2", loads)
		}
		if n := list("table").Total; n != total+1 {
			t.Errorf("250 ms after another process's change: total_count %d, want %d", n, total+1)
		}
	})
}

// TestGroupEventPagesReadThroughTheIndex: a page of a group's events,
// the first and one by the cursor, is read from event_group_at in the
// list's order (migration 0045), starting from the group, with the
// cursor's time a range: no sort of the group's events, no scan of all
// groups' events. Before, group__acronym was an IN over a subquery and
// the cursor an OR, and every page read all group events and sorted
// those after the cursor (44 ms a page of 1,000 out of 100,000). SQLite
// only: its planner keeps no statistics, so the plan does not depend on
// the rows; PostgreSQL's is measured (BenchmarkAPIPaging). On SQLite
// under either pass.
func TestGroupEventPagesReadThroughTheIndex(t *testing.T) {
	f := fixtureOn(t, dbtest.SQLite(t))
	ctx := context.Background()
	for range 3 {
		cs := make([]record.Change, 5)
		for i := range cs {
			cs[i] = record.Change{Actor: record.System, SubjectType: "group", Subject: "quic", Kind: "group_changed", Summary: fmt.Sprintf("Change %d", i)}
		}
		if err := f.body.DB.Write(ctx, func(tx *db.Tx) error { return record.AddAll(ctx, tx, cs) }); err != nil {
			t.Fatal(err)
		}
	}
	var queries []string
	var argss [][]any
	opendata.Trace(f.s, func(q string, args []any) { queries, argss = append(queries, q), append(argss, args) })
	first, err := f.list("group/groupevent", "group__acronym=quic&limit=4")
	if err != nil {
		t.Fatal(err)
	}
	if first.Cursor == "" {
		t.Fatal("no cursor after the first page")
	}
	second, err := f.list("group/groupevent", "group__acronym=quic&limit=4&offset=4&cursor="+first.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Objects) != 4 || len(second.Objects) != 4 || first.Objects[3]["id"] == second.Objects[0]["id"] {
		t.Fatalf("pages %v then %v", first.Objects, second.Objects)
	}
	if none, err := f.list("group/groupevent", "group__acronym=nosuch"); err != nil || none.Total != 0 || len(none.Objects) != 0 {
		t.Errorf("a group nobody has: %d events (%v)", none.Total, err)
	}
	tls, err := f.list("group/groupevent", "group__acronym=tls")
	if err != nil || tls.Total == 0 {
		t.Fatalf("tls's events: %d (%v), want its creation's", tls.Total, err)
	}
	if both, err := f.list("group/groupevent", "group__acronym__in=quic,tls&limit=100"); err != nil || both.Total != first.Total+tls.Total {
		t.Errorf("group__acronym__in: %d events (%v), want quic's %d and tls's %d", both.Total, err, first.Total, tls.Total)
	}
	for i, q := range queries[:2] {
		if !strings.Contains(q, "ev.subject = ") {
			t.Errorf("page %d: %s\nwant the group's acronym on the events' own column too (Field.Via), for PostgreSQL's planner", i+1, q)
		}
		plan := strings.Join(dbtest.Plan(t, f.body.DB, q, argss[i]...), "\n")
		if !strings.Contains(plan, "INDEX event_group_at (subject=?") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("page %d: plan\n%s\nwant event_group_at from the group, and no sort", i+1, plan)
		}
		if i == 1 && !strings.Contains(plan, "at<?") {
			t.Errorf("the page by cursor: plan\n%s\nwant the cursor's time as a range", plan)
		}
	}
}
