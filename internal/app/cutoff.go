package app

import (
	"context"
	"time"

	"hum/internal/docs"
	"hum/internal/meetings"
)

// submissionCutoff lets docs ask meetings whether I-D submission is
// closed before an IETF meeting, without either package knowing the
// other.
func submissionCutoff(m *meetings.Service) docs.Cutoff {
	return docs.CutoffFunc(func(ctx context.Context, at time.Time) (docs.Window, bool, error) {
		w, closed, err := m.SubmissionCutoff(ctx, at)
		if err != nil || !closed {
			return docs.Window{}, false, err
		}
		return docs.Window{Meeting: w.Meeting.Title(), Closed: w.Closed, Reopens: w.Reopens, Location: w.Location}, true, nil
	})
}
