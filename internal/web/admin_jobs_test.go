package web

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"hum/internal/jobs"
)

// TestAdminJobs: the secretariat sees each job with its last run, result
// and next run; nobody else sees the page.
func TestAdminJobs(t *testing.T) {
	r := jobs.New(slog.New(slog.DiscardHandler))
	r.Add(jobs.Job{Name: "document timers", Every: 5 * time.Minute, Run: func(context.Context) error { return nil }})
	r.Add(jobs.Job{Name: "search index", Every: time.Minute, Run: func(context.Context) error { return errors.New("disk full") }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if st := r.Jobs(); st[0].Runs > 0 && st[1].Runs > 0 {
			break
		}
	}
	s := serve(t, newBody(t), Config{Jobs: r})
	sec, chair := s.client(), s.client()
	sec.login("sec@example.org")
	chair.login("chair@example.org")
	code, body := sec.get("/admin/jobs/")
	want(t, "jobs page", code, body, 200, "document timers", "5m0s", "search index", "disk full", "1 failed")
	if code, _ := chair.get("/admin/jobs/"); code != 403 {
		t.Errorf("a chair gets %d for the jobs page", code)
	}
	if code, _ := s.client().get("/admin/jobs/"); code != 401 && code != 403 {
		t.Errorf("an anonymous reader gets %d for the jobs page", code)
	}
	cancel()
	<-done
}
