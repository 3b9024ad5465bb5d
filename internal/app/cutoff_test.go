package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

// TestSubmissionCutoffThroughMeetings: docs refuses a draft sent after an
// IETF meeting's I-D cut-off (R29), as the meetings service that New
// wires in says; when the secretariat moves the cut-off, submission
// opens again.
func TestSubmissionCutoffThroughMeetings(t *testing.T) {
	d := dbtest.New(t)
	now := time.Date(2021, 6, 19, 12, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	a, err := New(d, Config{BaseURL: "https://hum.example.org", Domain: "ietf.example.org"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	op := groups.Operator(record.Actor{Name: "test"})
	// First day 2021-06-26, so the I-D cut-off is 2021-06-14.
	if _, err := a.Meetings.Create(ctx, op, meetings.NewMeeting{Number: "111", City: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Date: "2021-06-26"}, ""); err != nil {
		t.Fatal(err)
	}
	draft := docs.Upload{TXT: corpustest.ReadFile(t, "drafts/txt/draft-smoke-signals-00.txt"), TXTName: "draft-smoke-signals-00.txt"}
	author := docs.Submitter{Email: "kesara@example.org"}
	_, err = a.Docs.Submit(ctx, draft, author)
	if f, ok := fail.As(err); !ok || f.Rule != "R29" || !strings.Contains(f.Message, "IETF 111") || !strings.Contains(f.Message, "2021-06-14 23:59 UTC") {
		t.Fatalf("a draft after IETF 111's cut-off: %v, want an R29 refusal naming the meeting and the date", err)
	}
	if err := a.Meetings.SetImportantDate(ctx, op, "111", "idcutoff", "2021-06-20", "extended"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Docs.Submit(ctx, draft, author); err != nil {
		t.Errorf("after the cut-off moved to 2021-06-20: %v", err)
	}
}
