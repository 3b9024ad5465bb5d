package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"hum/internal/archive"
	"hum/internal/consensus"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/export"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/opendata"
	"hum/internal/record"
	"hum/internal/testbody"
)

// planted is a standards body holding, beside its public record, every
// kind of secret hum keeps: password hashes, API keys, mailed tokens,
// web sessions, unconfirmed addresses and a private archive. secrets
// lists the values that must never be in a dump, public the ones that
// must.
type planted struct {
	ex      *export.Service
	secrets []string
	public  []string
}

func plant(t *testing.T) planted {
	t.Helper()
	ctx := context.Background()
	b := testbody.New(t, dbtest.New(t))
	b.Password = "correct horse battery staple"
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "irtf", Name: "Internet Research Task Force", Type: "irtf"},
		groups.NewGroup{Acronym: "cfrg", Name: "Crypto Forum", Type: "rg", Parent: "irtf"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
	)
	b.AddPeople(testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"})
	p := planted{secrets: []string{b.Password}, public: []string{"httpbis", "Chris Chair", "/api/v1/group/group/"}}
	chair := b.IDs["chair@example.org"]
	key, err := b.People.NewAPIKey(ctx, chair, "scripts")
	if err != nil {
		t.Fatal(err)
	}
	p.secrets = append(p.secrets, key)
	const unconfirmed, newcomer = "not-yet-mine@example.net", "newcomer@example.com"
	if err := b.People.StartAddEmail(ctx, chair, unconfirmed); err != nil {
		t.Fatal(err)
	}
	if err := b.People.StartAccount(ctx, newcomer); err != nil {
		t.Fatal(err)
	}
	p.secrets = append(p.secrets, unconfirmed, newcomer)
	if _, err := b.DB.ExecContext(ctx, `INSERT INTO web_session (token, data, expiry) VALUES ($1, $2, $3)`,
		"session-token-7f3a9c", []byte("session-data-b81e"), b.DB.Now().Add(24*3600e9)); err != nil {
		t.Fatal(err)
	}
	// Every value of the tables that hold secrets.
	for _, q := range []string{`SELECT password_hash FROM person WHERE password_hash <> ''`, `SELECT hash FROM api_key`,
		`SELECT hash FROM token`, `SELECT token FROM web_session`, `SELECT CAST(data AS TEXT) FROM web_session`} {
		vs, err := db.Query(ctx, b.DB, db.Scalar[string], q)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) == 0 {
			t.Fatalf("%s: nothing planted", q)
		}
		p.secrets = append(p.secrets, vs...)
	}
	ls := &lists.Service{DB: b.DB, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	cfrg, err := ls.Get(ctx, "cfrg")
	if err != nil {
		t.Fatal(err)
	}
	sec, err := b.Groups.ActorOf(ctx, record.Actor{ID: b.IDs["sec@example.org"], Name: "Sam Secretariat"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.Configure(ctx, sec, "cfrg", lists.Settings{Description: cfrg.Description,
		ArchivePublic: false, PostPolicy: cfrg.PostPolicy, MaxBytes: cfrg.MaxBytes}); err != nil {
		t.Fatal(err)
	}
	ar := &archive.Service{DB: b.DB}
	post := func(list, from, subject, body string) {
		raw := fmt.Sprintf("From: %s\r\nTo: %s@hum.test\r\nSubject: %s\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\nMessage-ID: <%s@example.org>\r\n\r\n%s\r\n",
			from, list, subject, strings.ReplaceAll(subject, " ", "-"), body)
		if err := b.DB.Write(ctx, func(tx *db.Tx) error { _, err := ar.Add(ctx, tx, list, []byte(raw)); return err }); err != nil {
			t.Fatal(err)
		}
	}
	post("cfrg", "Rita Researcher <rita-private@example.org>", "Private musings zebra", "private-body-quokka")
	post("httpbis", "Pat Poster <pat-archive@example.org>", "Public thoughts on caching", "public-body-wombat")
	p.secrets = append(p.secrets, "Private musings zebra", "private-body-quokka", "rita-private@example.org")
	p.public = append(p.public, "Public thoughts on caching", "public-body-wombat")
	plantMeeting(t, b, sec, &p)
	ms, cs := &meetings.Service{DB: b.DB, Groups: b.Groups}, &consensus.Service{DB: b.DB, BaseURL: "http://hum.test"}
	api, err := opendata.New(b.DB, opendata.Names(), b.Groups.OpenData(), b.People.OpenData(), ls.OpenData(), (&docs.Service{DB: b.DB}).OpenData(),
		ms.OpenData(), cs.OpenData())
	if err != nil {
		t.Fatal(err)
	}
	p.ex = &export.Service{DB: b.DB, API: api, Archive: ar, Lists: ls}
	return p
}

// plantMeeting adds a meeting with httpbis's session, placed, a decision
// taken there and a consensus call (all public), and what the meeting
// pages keep from the public: a participant's registration, a pending
// slide submission and the chairs' report to their ADs.
func plantMeeting(t *testing.T, b *testbody.Body, sec groups.Actor, p *planted) {
	t.Helper()
	ctx := context.Background()
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	m, err := ms.Create(ctx, sec, meetings.NewMeeting{Number: "119", City: "Brisbane", Country: "AU", TimeZone: "Australia/Brisbane",
		Date: "2024-11-02", Days: 7, Rooms: []meetings.NewRoom{{Name: "Plaza P1", Capacity: 200}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := b.Groups.Get(ctx, "httpbis")
	if err != nil {
		t.Fatal(err)
	}
	chair, now := b.IDs["chair@example.org"], b.DB.Now()
	must := func(q string, args ...any) {
		t.Helper()
		if _, err := b.DB.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var sid int64
	if err := b.DB.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, status, requested_duration, attendees, comments, requested_by, modified)
		VALUES ($1, $2, 'schedw', 3600, 80, 'public-session-comment-kiwi', $3, $4) RETURNING id`, m.ID, g.ID, chair, now).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	slots, err := ms.Timeslots(ctx, m.ID)
	if err != nil || len(slots) == 0 {
		t.Fatal(slots, err)
	}
	i := slices.IndexFunc(slots, func(x meetings.Timeslot) bool { return x.Type == "regular" })
	if err := ms.Assign(ctx, sec, "119", sid, slots[i].ID, ""); err != nil {
		t.Fatal(err)
	}
	must(`INSERT INTO consensus_call (group_id, kind, question, list, message_id, opened, deadline) VALUES ($1, 'question', 'public-question-emu', 'httpbis', 'q@hum.test', $2, $2)`,
		g.ID, now)
	must(`INSERT INTO decision (group_id, text, recorded) VALUES ($1, 'public-decision-koala', $2)`, g.ID, now)
	must(`INSERT INTO registration (meeting_id, person_id, email, name, affiliation, attendance_type, created, modified)
		VALUES ($1, NULL, 'registrant-wallaby@example.net', 'Reg Istrant', 'secret-affiliation-dingo', 'onsite', $2, $2)`, m.ID, now)
	must(`INSERT INTO slide_submission (meeting_id, group_id, title, format, content, submitter_id, status, created) VALUES ($1, $2, 'pending-slides-platypus', 'pdf', $3, $4, 'pending', $5)`,
		m.ID, g.ID, []byte("slides"), chair, now)
	must(`INSERT INTO session_report (meeting_id, group_id, body, by_id, created) VALUES ($1, $2, 'chairs-report-echidna', $3, $4)`, m.ID, g.ID, chair, now)
	p.public = append(p.public, "public-session-comment-kiwi", "public-question-emu", "public-decision-koala", "Plaza P1", "/api/v1/meeting/schedule/")
	p.secrets = append(p.secrets, "registrant-wallaby@example.net", "secret-affiliation-dingo", "pending-slides-platypus", "chairs-report-echidna")
}

// TestPublicDumpHoldsNoSecret plants every kind of secret and greps the
// whole dump for each.
func TestPublicDumpHoldsNoSecret(t *testing.T) {
	p := plant(t)
	for _, hide := range []bool{false, true} {
		t.Run(fmt.Sprintf("hide-addresses=%v", hide), func(t *testing.T) {
			p.ex.Archive.HideAddresses = hide
			path := filepath.Join(t.TempDir(), "public.sqlite")
			st, err := p.ex.WriteFile(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(raw)) != st.Bytes {
				t.Errorf("size %d, stats say %d", len(raw), st.Bytes)
			}
			secrets, public := p.secrets, p.public
			if hide {
				secrets = append(secrets, "pat-archive@example.org")
			} else {
				public = append(public, "pat-archive@example.org")
			}
			for _, s := range secrets {
				if bytes.Contains(raw, []byte(s)) || bytes.Contains(bytes.ToLower(raw), []byte(strings.ToLower(s))) {
					t.Errorf("the dump holds %q", s)
				}
			}
			for _, s := range public {
				if !bytes.Contains(raw, []byte(s)) {
					t.Errorf("the dump lacks %q", s)
				}
			}
			if st.Messages != 1 || st.Rows["group_group"] != 6 || st.Rows["person_person"] < 2 {
				t.Errorf("stats: %+v", st)
			}
		})
	}
}

// TestPublicDumpTablesAreTheAPI: each resource is a table whose rows are
// the API's objects, column for field.
func TestPublicDumpTablesAreTheAPI(t *testing.T) {
	p := plant(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "public.sqlite")
	if _, err := p.ex.WriteFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	f, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var acronym, uri, typ, roles string
	if err := f.QueryRow(`SELECT acronym, resource_uri, type, used_roles FROM group_group WHERE acronym = 'httpbis'`).Scan(&acronym, &uri, &typ, &roles); err != nil {
		t.Fatal(err)
	}
	r, _ := p.ex.API.Resource("group", "group")
	want, err := p.ex.API.Get(ctx, r, lastSegment(uri))
	if err != nil {
		t.Fatal(err)
	}
	if want["acronym"] != acronym || want["type"] != typ || typ != "/api/v1/name/grouptypename/wg/" || roles != "[]" {
		t.Errorf("group_group httpbis: %q %q %q, the API: %v", acronym, typ, roles, want)
	}
	var n int
	if err := f.QueryRow(`SELECT COUNT(*) FROM fields WHERE resource = 'group/group'`).Scan(&n); err != nil || n != len(r.Fields) {
		t.Errorf("fields of group/group: %d %v, want %d", n, err, len(r.Fields))
	}
	for _, tbl := range []string{"person_person", "group_role", "doc_document", "name_grouptypename", "mailinglists_list", "mailinglists_message",
		"meeting_meeting", "meeting_schedule", "meeting_session", "meeting_timeslot", "meeting_room", "meeting_schedtimesessassignment",
		"consensus_call", "consensus_decision"} {
		if err := f.QueryRow(`SELECT COUNT(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Errorf("%s: %v", tbl, err)
		} else if n == 0 && (strings.HasPrefix(tbl, "meeting_") || strings.HasPrefix(tbl, "consensus_")) {
			t.Errorf("%s is empty", tbl)
		}
	}
}

// TestStoredDump: the dump kept in the database is the latest, served
// whole, and Refresh makes none while it is fresh.
func TestStoredDump(t *testing.T) {
	p := plant(t)
	ctx := context.Background()
	if _, err := p.ex.Latest(ctx); err != export.ErrNone {
		t.Fatalf("before any dump: %v", err)
	}
	made, err := p.ex.Refresh(ctx)
	if err != nil || !made {
		t.Fatalf("first refresh: %v %v", made, err)
	}
	d, err := p.ex.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.ex.Copy(ctx, &buf, d); err != nil {
		t.Fatal(err)
	}
	if int64(buf.Len()) != d.Bytes || !bytes.HasPrefix(buf.Bytes(), []byte("SQLite format 3\x00")) {
		t.Errorf("stored dump: %d bytes, want %d, a SQLite file", buf.Len(), d.Bytes)
	}
	if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != d.SHA256 {
		t.Errorf("stored dump's SHA-256 is not the file's")
	}
	// What the database holds is the gzip of the file, and what is served
	// decompressed holds no secret.
	var stored, first []byte
	rows, err := p.ex.DB.QueryContext(ctx, `SELECT data FROM public_dump_chunk WHERE dump_id = $1 ORDER BY seq`, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		if err := rows.Scan(&first); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, first...)
	}
	rows.Close()
	if !bytes.HasPrefix(stored, []byte{0x1f, 0x8b}) || int64(len(stored)) != d.Gzip || d.Gzip >= d.Bytes/2 {
		t.Errorf("stored: %d bytes (Gzip %d, file %d), gzip %v", len(stored), d.Gzip, d.Bytes, bytes.HasPrefix(stored, []byte{0x1f, 0x8b}))
	}
	var zipped bytes.Buffer
	if err := p.ex.CopyGzip(ctx, &zipped, d); err != nil || !bytes.Equal(zipped.Bytes(), stored) {
		t.Errorf("CopyGzip: %d bytes, %v", zipped.Len(), err)
	}
	for _, s := range p.secrets {
		if bytes.Contains(bytes.ToLower(buf.Bytes()), []byte(strings.ToLower(s))) {
			t.Errorf("the stored dump holds %q", s)
		}
	}
	for _, s := range p.public {
		if !bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("the stored dump lacks %q", s)
		}
	}
	if made, err := p.ex.Refresh(ctx); err != nil || made {
		t.Errorf("refresh of a fresh dump: %v %v", made, err)
	}
	d2, err := p.ex.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := p.ex.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM public_dump`).Scan(&n); err != nil || n != 1 || d2.ID == d.ID {
		t.Errorf("dumps kept: %d %v", n, err)
	}
}

func lastSegment(uri string) string {
	uri = strings.TrimSuffix(uri, "/")
	return uri[strings.LastIndex(uri, "/")+1:]
}

// TestStoredDumpInShortTransactions: a dump is stored a few chunks to a
// transaction, so that storing a large one never holds the write lock for
// long (the 800 MB dump of a 1,000,000-message archive, stored in one,
// made posts wait past busy_timeout and get 451); it is whole when
// served, and a dump still being stored is not served.
func TestStoredDumpInShortTransactions(t *testing.T) {
	p := plant(t)
	ctx := context.Background()
	export.StoreLimits(t.Cleanup, 1024, 2)
	var commits atomic.Int64
	p.ex.DB.OnCommit(func() { commits.Add(1) })
	d, err := p.ex.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := d.Gzip / 2048; want < 3 || commits.Load() < want {
		t.Errorf("a dump of %d bytes of gzip took %d transactions, want at least %d (2 chunks of 1 KiB each)", d.Gzip, commits.Load(), want)
	}
	var buf bytes.Buffer
	if err := p.ex.Copy(ctx, &buf, d); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(buf.Bytes()); int64(buf.Len()) != d.Bytes || hex.EncodeToString(sum[:]) != d.SHA256 {
		t.Errorf("the stored dump read back is %d bytes, want %d, or its SHA-256 differs", buf.Len(), d.Bytes)
	}
	if _, err := p.ex.DB.ExecContext(ctx, `INSERT INTO public_dump (created, bytes, sha256, summary, gzip_bytes, complete) VALUES ($1, 1, 'x', 'being stored', 1, FALSE)`, p.ex.DB.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := p.ex.Latest(ctx); err != nil || got.ID != d.ID {
		t.Errorf("Latest with a dump being stored = %d, %v; want the complete one, %d", got.ID, err, d.ID)
	}
}
