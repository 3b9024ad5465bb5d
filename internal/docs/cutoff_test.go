package docs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hum/internal/docs"
	"hum/internal/fail"
)

// closedBefore is a fake meeting calendar: submission is closed from the
// cut-off until the meeting reopens it.
func closedBefore(meeting string, closed, reopens time.Time) docs.Cutoff {
	return docs.CutoffFunc(func(_ context.Context, at time.Time) (docs.Window, bool, error) {
		w := docs.Window{Meeting: meeting, Closed: closed, Reopens: reopens, Location: time.UTC}
		return w, at.After(closed) && at.Before(reopens), nil
	})
}

// TestSubmissionCutoffRuleR29 refuses a revision sent between a meeting's
// I-D cut-off and its first day, saying which date and which rule, and
// stores nothing; the secretariat may still submit, and after the
// meeting opens anyone may.
func TestSubmissionCutoffRuleR29(t *testing.T) {
	e := newEnv(t)
	e.at("2021-06-19")
	e.s.Cutoff = closedBefore("IETF 111", time.Date(2021, 6, 14, 23, 59, 59, 0, time.UTC), time.Date(2021, 6, 26, 23, 59, 59, 0, time.UTC))
	up := txt(t, "txt/draft-smoke-signals-00.txt")
	subs, events := e.count("submission"), e.count("event")
	_, err := e.s.Submit(context.Background(), up, e.who("kesara@fq.nz"))
	f, ok := fail.As(err)
	if !ok || f.Rule != "R29" || f.Kind != fail.Conflict || f.Code != "id-cutoff" {
		t.Fatalf("a submission during the cut-off: %v, want an R29 refusal", err)
	}
	for _, want := range []string{"IETF 111", "2021-06-14 23:59 UTC", "reopens after 2021-06-26 23:59"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("the refusal %q does not say %q", f.Message, want)
		}
	}
	if e.count("submission") != subs || e.count("event") != events {
		t.Error("a refused submission stored something")
	}
	if _, err := e.s.Submit(context.Background(), up, e.who("sec@example.org")); err != nil {
		t.Errorf("the secretariat during the cut-off: %v", err)
	}
	e.at("2021-06-27")
	up = txt(t, "txt/draft-smoke-signals-00.txt")
	e.s.Cutoff = closedBefore("IETF 111", time.Date(2021, 6, 14, 23, 59, 59, 0, time.UTC), time.Date(2021, 6, 26, 23, 59, 59, 0, time.UTC))
	if _, err := e.s.Submit(context.Background(), up, e.who("kesara@fq.nz")); fail.KindOf(err) == fail.Conflict && strings.Contains(err.Error(), "closed") {
		t.Errorf("after the meeting opened: %v", err)
	}
}
