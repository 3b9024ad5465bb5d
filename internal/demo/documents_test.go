package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/record"
	"hum/internal/telechat"
)

// TestDemoDocuments loads the demo with its documents: three real drafts
// in WG Last Call, IESG Evaluation and published as an RFC, with their
// history, announcements on the demo's lists, and a ballot the AD login
// can join.
func TestDemoDocuments(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	d, gs, ds, logins := dm.d, dm.gs, dm.ds, dm.logins

	type state struct{ Type, State, WG, IESG, Group string }
	got := map[string]state{}
	for _, name := range []string{DocInWGLastCall, DocInIESGEval, DocPublished, docs.RFCName(DemoRFC), "rfc8200", "rfc5280"} {
		doc, err := ds.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		got[name] = state{doc.Type, doc.State, doc.WGState, doc.IESGState, doc.Group}
	}
	want := map[string]state{
		DocInWGLastCall:       {"draft", "active", "wg-lc", "", "idr"},
		DocInIESGEval:         {"draft", "active", "sub-pub", "iesg-eva", "ippm"},
		DocPublished:          {"draft", "rfc", "sub-pub", "pub", "pkix"},
		docs.RFCName(DemoRFC): {"rfc", "published", "", "", "pkix"},
		"rfc8200":             {"rfc", "published", "", "", ""},
		"rfc5280":             {"rfc", "published", "", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}

	eva, err := ds.Get(ctx, DocInIESGEval)
	if err != nil {
		t.Fatal(err)
	}
	if !eva.HasWriteup || eva.Shepherd == "" || eva.AD == "" || len(eva.Authors) != 2 || eva.Rev != "00" {
		t.Errorf("%s: shepherd %q, AD %q, %d authors, rev %s, write-up %v", eva.Name, eva.Shepherd, eva.AD, len(eva.Authors), eva.Rev, eva.HasWriteup)
	}
	if eva.Posted == nil || time.Since(*eva.Posted) < 30*24*time.Hour {
		t.Errorf("%s was posted %v: the demo's history should reach back weeks", eva.Name, eva.Posted)
	}
	v, err := ds.Ballot(ctx, DocInIESGEval)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Open || v.Tally.Yes != 1 || v.Tally.NoObj != 3 || v.Tally.Discuss != 1 || v.Passes {
		t.Errorf("ballot: open %v, tally %+v, passes %v", v.Open, v.Tally, v.Passes)
	}
	for _, p := range v.Positions {
		if p.Pos == docs.PosDiscuss && !strings.Contains(p.Discuss, "RFC 8200") {
			t.Errorf("the DISCUSS of %s has text %q", p.Name, p.Discuss)
		}
	}
	// The draft in evaluation is on the next IESG telechat, under 2.1.1
	// (a WG's Proposed Standard), and the published one was on an earlier.
	tc := &telechat.Service{DB: d, Docs: ds}
	next, ok, err := tc.Next(ctx)
	if err != nil || !ok {
		t.Fatalf("no telechat to come: %v", err)
	}
	ag, err := tc.Agenda(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	var on []string
	for _, sec := range ag.Sections {
		for _, e := range sec.Entries {
			on = append(on, sec.Num+" "+e.Doc.Name)
		}
	}
	if len(on) != 1 || on[0] != "2.1.1 "+DocInIESGEval {
		t.Errorf("the next telechat's agenda: %q", on)
	}
	if p, err := tc.LatestPlacement(ctx, eva.ID); err != nil || !p.On() {
		t.Errorf("%s placement %+v %v", DocInIESGEval, p, err)
	}
	pub, _ := ds.Get(ctx, DocPublished)
	if p, err := tc.LatestPlacement(ctx, pub.ID); err != nil || !p.On() || !p.Date.Before(next) {
		t.Errorf("%s placement %+v %v", DocPublished, p, err)
	}
	rfc, err := ds.Ballot(ctx, DocPublished)
	if err != nil {
		t.Fatal(err)
	}
	if rfc.Open || rfc.Tally.Yes+rfc.Tally.NoObj < rfc.Needed || rfc.Tally.Discuss > 0 {
		t.Errorf("the published draft's ballot: open %v, tally %+v, needed %d", rfc.Open, rfc.Tally, rfc.Needed)
	}

	// The AD login can take a position on the open ballot.
	var ad string
	for _, l := range logins {
		if strings.HasPrefix(l.What, "Applications Area Director") {
			ad = l.Email
		}
	}
	var adID int64
	var adName string
	if err := d.QueryRow(`SELECT p.id, p.name FROM person p JOIN email e ON e.person_id = p.id WHERE e.address = $1`, ad).Scan(&adID, &adName); err != nil {
		t.Fatal(err)
	}
	pw, err := gs.ActorOf(ctx, record.Actor{ID: adID, Name: adName})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := ds.PowersOn(ctx, DocInIESGEval, pw); err != nil || !p.Ballot {
		t.Errorf("the AD login may not ballot on %s: %+v %v", DocInIESGEval, p, err)
	}
	if err := ds.SetPosition(ctx, DocInIESGEval, pw, docs.PositionChange{Pos: docs.PosNoObj}); err != nil {
		t.Errorf("the AD login's position: %v", err)
	}

	// Announcements went to the announcement lists, and no mail is queued
	// for anyone: the story never happened.
	for list, subject := range map[string]string{
		"i-d-announce":  "I-D Action: " + DocInWGLastCall + "-00.txt",
		"ietf-announce": "Last Call: <" + DocInIESGEval + "-00.txt>",
	} {
		var n int
		if err := d.QueryRow(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = $1 AND p.subject LIKE $2`, list, subject+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s has %d posts %q, want 1", list, n, subject)
		}
	}
	// A post's copies are queued after its 250 (lists.ExpandFanouts):
	// those still to be queued count as queued.
	for _, q := range []string{`SELECT COUNT(*) FROM outbox`, `SELECT COUNT(*) FROM delivery`,
		`SELECT COUNT(*) FROM list_post p JOIN subscription s ON s.list_id = p.list_id AND s.state = 'active' AND s.mode = 'each'
		 WHERE p.fanout_after IS NOT NULL`} {
		var n int
		if err := d.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d, want 0", q, n)
		}
	}
	var events int
	if err := d.QueryRow(`SELECT COUNT(*) FROM event WHERE subject_type = 'doc' AND subject = $1`, DocInIESGEval).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events < 12 {
		t.Errorf("%s has %d events", DocInIESGEval, events)
	}
}

// archiveFor is cmd/hum's archiver: the lists' archive is the archive.
type archiveFor struct{ s *archive.Service }

func (a archiveFor) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}
