package consensus_test

import (
	"strings"
	"testing"
	"time"
)

// call opens a consensus call on quic's list as the calls code would,
// through SQL (calls*.go is another engineer's), and returns its id.
func (e *denv) call(kind, doc, question string, deadline time.Time) int64 {
	e.t.Helper()
	var docID any
	if doc != "" {
		var id int64
		e.must(e.db.QueryRowContext(e.ctx, `SELECT id FROM doc WHERE name = $1`, doc).Scan(&id))
		docID = id
	}
	var id int64
	e.must(e.db.QueryRowContext(e.ctx, `INSERT INTO consensus_call (group_id, kind, doc_id, question, list, message_id, opened, deadline)
		VALUES ((SELECT id FROM grp WHERE acronym = 'quic'), $1, $2, $3, 'quic', $4, $5, $6) RETURNING id`,
		kind, docID, question, "<call-"+kind+"@hum.test>", e.now, deadline).Scan(&id))
	return id
}

// TestDashboard: each section of quic's dashboard shows its real rows,
// and nothing of tls's.
func TestDashboard(t *testing.T) {
	e := newDEnv(t)
	e.draft("draft-ietf-quic-ack", "quic", "wg-lc")
	e.draft("draft-ietf-quic-goahead", "quic", "chair-w")
	e.draft("draft-ietf-quic-writeme", "quic", "writeupw")
	e.draft("draft-ietf-quic-written", "quic", "writeupw")
	e.draft("draft-ietf-tls-other", "tls", "chair-w")
	_, err := e.db.ExecContext(e.ctx, `UPDATE doc SET writeup = 'The shepherd says yes.' WHERE name = 'draft-ietf-quic-written'`)
	e.must(err)
	wglc := e.call("wglc", "draft-ietf-quic-ack", "Is draft-ietf-quic-ack ready?", e.now.AddDate(0, 0, -1))
	open := e.call("question", "", "Should we meet at IETF 126?", e.now.AddDate(0, 3, 0))
	_, err = e.db.ExecContext(e.ctx, `INSERT INTO consensus_issue (call_id, message_id, kind, summary) VALUES ($1, '<obj@example.org>', 'objects', 'ACK delay too short'),
		($1, '<fixed@example.org>', 'issue', 'Typo'), ($2, '<q@example.org>', 'issue', 'Remote only?')`, wglc, open)
	e.must(err)
	_, err = e.db.ExecContext(e.ctx, `UPDATE consensus_issue SET state = 'addressed' WHERE message_id = '<fixed@example.org>'`)
	e.must(err)
	_, err = e.c.AskForCall(e.ctx, e.as("pat@example.org"), "draft-doe-quic-multipath", "adoption", "quic", "Ready for the WG.")
	e.must(err)
	chair := e.as("chair-quic@example.org")
	old, err := e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, "Old decision.")
	e.must(err)
	done, err := e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, "Confirmed decision.")
	e.must(err)
	_, err = e.db.ExecContext(e.ctx, `UPDATE decision SET state = 'confirmed', settled = $1, settled_by_call = $2 WHERE id = $3`, e.now, open, done.ID)
	e.must(err)
	e.now = old.Recorded.AddDate(0, 1, 1)
	_, err = e.c.RecordDecision(e.ctx, chair, "quic", e.quicS, "New decision.")
	e.must(err)

	d, err := e.c.Dashboard(e.ctx, "quic", e.m.MissingMinutes)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Calls) != 2 || d.Calls[0].ID != wglc || !d.Calls[0].Ended || d.Calls[0].Flag() != "WGLC ended with no outcome" ||
		d.Calls[1].ID != open || d.Calls[1].Ended || d.Calls[1].Flag() != "" {
		t.Errorf("calls = %+v", d.Calls)
	}
	if len(d.Requests) != 1 || d.Requests[0].Doc != "draft-doe-quic-multipath" {
		t.Errorf("requests = %+v", d.Requests)
	}
	var issues []string
	for _, i := range d.Issues {
		issues = append(issues, i.Summary)
	}
	if strings.Join(issues, "|") != "ACK delay too short|Remote only?" || d.Issues[0].Question != "Is draft-ietf-quic-ack ready?" {
		t.Errorf("issues = %+v", d.Issues)
	}
	var drafts []string
	for _, x := range d.Drafts {
		drafts = append(drafts, x.Name+": "+x.Why)
	}
	want := "draft-ietf-quic-ack: WGLC ended with no outcome|draft-ietf-quic-goahead: waiting for the chairs' go-ahead|" +
		"draft-ietf-quic-writeme: write-up missing|draft-ietf-quic-written: write-up written; the chairs may submit it to the IESG"
	if strings.Join(drafts, "|") != want {
		t.Errorf("drafts =\n%s\nwant\n%s", strings.Join(drafts, "|"), want)
	}
	if len(d.Decisions) != 2 || d.Decisions[0].Text != "New decision." || d.Decisions[0].Stale || d.Decisions[1].Text != "Old decision." ||
		!d.Decisions[1].Stale || d.Stale() != 1 {
		t.Errorf("pending decisions = %+v", d.Decisions)
	}
	// quic met at IETF 125 and has no minutes (R23).
	if len(d.Minutes) != 1 || d.Minutes[0].Meeting != "125" {
		t.Errorf("missing minutes = %+v", d.Minutes)
	}
	if d.Empty() {
		t.Error("quic's dashboard is empty")
	}
	// tls: its own draft and its missing minutes, nothing of quic's.
	tls, err := e.c.Dashboard(e.ctx, "tls", e.m.MissingMinutes)
	if err != nil || len(tls.Calls)+len(tls.Requests)+len(tls.Issues)+len(tls.Decisions) != 0 || len(tls.Drafts) != 1 || len(tls.Minutes) != 1 {
		t.Errorf("tls = %v, %v", tls, err)
	}
}
