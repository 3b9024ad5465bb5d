package docs

import (
	"context"
	"time"

	"hum/internal/fail"
)

// Cutoff tells whether I-D submission is closed at a moment because an
// IETF meeting is near (the meetings capability knows; app.New wires it,
// so docs does not depend on meetings). A nil Cutoff closes nothing.
type Cutoff interface {
	SubmissionCutoff(ctx context.Context, at time.Time) (Window, bool, error)
}

// Window is a time when submission is closed: from Closed, the end of
// the meeting's I-D cut-off day, until Reopens, the end of its first day
// in its own zone (Location), as the Datatracker reopens it.
type Window struct {
	Meeting  string // "IETF 125"
	Closed   time.Time
	Reopens  time.Time
	Location *time.Location
}

// CutoffFunc is a function that is a Cutoff.
type CutoffFunc func(ctx context.Context, at time.Time) (Window, bool, error)

// SubmissionCutoff calls f.
func (f CutoffFunc) SubmissionCutoff(ctx context.Context, at time.Time) (Window, bool, error) {
	return f(ctx, at)
}

// checkCutoff refuses a submission sent while submission is closed
// before a meeting, saying until when. The secretariat may still submit,
// as in the Datatracker. The cut-off is one of the meeting's important
// dates, the Datatracker practice R29 comes from.
func (s *Service) checkCutoff(ctx context.Context, at time.Time, who Submitter) error {
	if s.Cutoff == nil || who.Secretariat() {
		return nil
	}
	w, closed, err := s.Cutoff.SubmissionCutoff(ctx, at)
	if err != nil || !closed {
		return err
	}
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	e := fail.Rule("R29", fail.Conflict, "Internet-Draft submission is closed before %s: the last submission time was %s, and submission reopens after %s (%s, the meeting's local time).",
		w.Meeting, w.Closed.UTC().Format("2006-01-02 15:04 UTC"), w.Reopens.In(loc).Format("2006-01-02 15:04 MST"), loc)
	e.Code = "id-cutoff"
	return e
}
